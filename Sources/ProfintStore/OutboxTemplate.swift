/// A call body shared by many chats: rendered once with a placeholder chat
/// id, filled with each row's chat id when it is sent.
public enum OutboxTemplate {
    /// The chat id rendered into a template body.
    public static let placeholderChat: Int64 = -987_654_321_987

    public static func fill(_ body: [UInt8], chat: String) -> [UInt8] {
        let needle = Array("\"chat_id\":\(placeholderChat)".utf8)
        let replacement = Array("\"chat_id\":\(chat)".utf8)
        var body = body
        if let range = body.firstRange(of: needle) { body.replaceSubrange(range, with: replacement) }
        return body
    }
}
