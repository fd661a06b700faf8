/// A chat (`Chat`): `type` is "private", "group", "supergroup" or "channel".
public struct TelegramChat: Sendable, Hashable, Codable {
    public var id: Int64
    public var type: String
    public var title: String?
    public var username: String?

    public init(id: Int64, type: String, title: String? = nil, username: String? = nil) {
        self.id = id
        self.type = type
        self.title = title
        self.username = username
    }

    public var isPrivate: Bool { type == "private" }
    public var isGroup: Bool { type == "group" || type == "supergroup" }
}
