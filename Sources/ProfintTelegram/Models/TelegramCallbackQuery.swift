/// A press on an inline keyboard button (`CallbackQuery`). `message` is
/// absent for inline-mode messages; for messages older than 48 hours it is an
/// `InaccessibleMessage` (date 0), which still decodes with its chat.
public struct TelegramCallbackQuery: Sendable, Hashable, Codable {
    public var id: String
    public var from: TelegramUser
    public var message: TelegramMessage?
    public var data: String?

    public init(id: String, from: TelegramUser, message: TelegramMessage? = nil, data: String? = nil) {
        self.id = id
        self.from = from
        self.message = message
        self.data = data
    }
}
