/// A change of a chat member's status (`ChatMemberUpdated`); as
/// `my_chat_member`, the member is the bot itself.
public struct TelegramChatMemberUpdated: Sendable, Hashable, Codable {
    public var chat: TelegramChat
    public var from: TelegramUser
    public var date: Int64
    public var oldChatMember: TelegramChatMember
    public var newChatMember: TelegramChatMember

    public init(chat: TelegramChat, from: TelegramUser, date: Int64,
                oldChatMember: TelegramChatMember, newChatMember: TelegramChatMember) {
        self.chat = chat
        self.from = from
        self.date = date
        self.oldChatMember = oldChatMember
        self.newChatMember = newChatMember
    }

    enum CodingKeys: String, CodingKey {
        case chat, from, date
        case oldChatMember = "old_chat_member"
        case newChatMember = "new_chat_member"
    }
}
