/// A member of a chat (`ChatMember`, any of its six kinds). `status` is
/// "creator", "administrator", "member", "restricted", "left" or "kicked";
/// `isMember` only exists for "restricted".
public struct TelegramChatMember: Sendable, Hashable, Codable {
    public var status: String
    public var user: TelegramUser
    public var isMember: Bool?

    public init(status: String, user: TelegramUser, isMember: Bool? = nil) {
        self.status = status
        self.user = user
        self.isMember = isMember
    }

    enum CodingKeys: String, CodingKey {
        case status, user
        case isMember = "is_member"
    }

    /// Whether this status puts the user in the chat.
    public var isInChat: Bool {
        switch status {
        case "creator", "administrator", "member": true
        case "restricted": isMember ?? false
        default: false
        }
    }
}
