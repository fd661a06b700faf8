/// What an update means for the bot.
public enum TelegramEvent: Sendable, Hashable {
    /// A text to answer, with the bot's mention and command suffix removed.
    case message(chat: Int64, chatType: String, text: String, messageID: Int64, isReplyToBot: Bool)
    /// A press on one of the bot's buttons; answer `callbackQueryID` first.
    case choice(chat: Int64, callbackQueryID: String, data: String, messageID: Int64?)
    /// A message with no text (photo, sticker, voice…, or a caption); the
    /// service says it reads text only, in private chats only.
    case unsupported(chat: Int64, chatType: String)
    /// The bot joined a group, supergroup or channel.
    case addedToGroup(chat: Int64, chatType: String)
    /// The bot left or was removed from a chat, or a user blocked it in
    /// private: forget the chat's subscriptions.
    case removed(chat: Int64)
    /// Nothing to do; `reason` is for logs.
    case ignored(reason: String)
}
