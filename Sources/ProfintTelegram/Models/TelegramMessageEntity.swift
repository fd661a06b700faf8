/// A special span of a message text (`MessageEntity`). `offset` and `length`
/// count UTF-16 code units, as the Bot API does.
public struct TelegramMessageEntity: Sendable, Hashable, Codable {
    public var type: String
    public var offset: Int
    public var length: Int
    public var user: TelegramUser?

    public init(type: String, offset: Int, length: Int, user: TelegramUser? = nil) {
        self.type = type
        self.offset = offset
        self.length = length
        self.user = user
    }

    /// The entity's range in `text`, or nil when it falls outside the text or
    /// inside a surrogate pair.
    public func range(in text: String) -> Range<String.Index>? {
        guard offset >= 0, length >= 0 else { return nil }
        let utf16 = text.utf16
        guard let lower = utf16.index(utf16.startIndex, offsetBy: offset, limitedBy: utf16.endIndex),
              let upper = utf16.index(lower, offsetBy: length, limitedBy: utf16.endIndex),
              let start = String.Index(lower, within: text),
              let end = String.Index(upper, within: text)
        else { return nil }
        return start..<end
    }
}
