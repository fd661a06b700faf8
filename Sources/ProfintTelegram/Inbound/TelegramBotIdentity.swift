/// Who the bot is, from `getMe`: its user id and username (with or without
/// the leading "@").
public struct TelegramBotIdentity: Sendable, Hashable {
    public var id: Int64
    public var username: String

    public init(id: Int64, username: String) {
        self.id = id
        self.username = username
    }

    /// The username without "@", lower-cased, for comparisons.
    var normalizedUsername: String {
        (username.hasPrefix("@") ? String(username.dropFirst()) : username).lowercased()
    }
}
