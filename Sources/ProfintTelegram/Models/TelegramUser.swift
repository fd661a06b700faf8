/// A Telegram user or bot (`User`). Only the fields the bot reads.
public struct TelegramUser: Sendable, Hashable, Codable {
    public var id: Int64
    public var isBot: Bool
    public var firstName: String
    public var username: String?
    public var languageCode: String?

    public init(id: Int64, isBot: Bool = false, firstName: String, username: String? = nil,
                languageCode: String? = nil) {
        self.id = id
        self.isBot = isBot
        self.firstName = firstName
        self.username = username
        self.languageCode = languageCode
    }

    enum CodingKeys: String, CodingKey {
        case id
        case isBot = "is_bot"
        case firstName = "first_name"
        case username
        case languageCode = "language_code"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(Int64.self, forKey: .id)
        // Required by the spec, but a missing flag is read as "not a bot".
        isBot = try container.decodeIfPresent(Bool.self, forKey: .isBot) ?? false
        firstName = try container.decodeIfPresent(String.self, forKey: .firstName) ?? ""
        username = try container.decodeIfPresent(String.self, forKey: .username)
        languageCode = try container.decodeIfPresent(String.self, forKey: .languageCode)
    }
}
