/// Decides what an update means for the bot (pure: no I/O).
///
/// - Private chats: every text message is answered.
/// - Groups and supergroups: only commands (`/help`, or `/help@<bot>`; a
///   command addressed to another bot is ignored), messages that mention the
///   bot (a `mention` of its username or a `text_mention` of its id) and
///   replies to the bot's own messages. The mention and the command suffix
///   are removed from the text passed on.
/// - Edited messages are ignored ("edited"): the first version was already
///   answered, and a second answer to a typo fix is noise.
/// - Channel posts, messages from other bots, service messages and any other
///   kind of update are ignored.
/// - A message without text (photo, sticker, voice…, even with a caption:
///   the caption usually talks about the media) is `.unsupported` in private
///   chats, and in groups when it is addressed to the bot.
public enum TelegramInbound {
    public static func event(for update: TelegramUpdate, bot: TelegramBotIdentity) -> TelegramEvent {
        if let message = update.message {
            return event(for: message, bot: bot)
        }
        if let query = update.callbackQuery {
            return event(for: query)
        }
        if let change = update.myChatMember {
            return event(for: change, bot: bot)
        }
        if update.editedMessage != nil {
            return .ignored(reason: "edited")
        }
        if update.channelPost != nil || update.editedChannelPost != nil {
            return .ignored(reason: "channel post")
        }
        if let other = update.otherKind {
            return .ignored(reason: "unsupported update: \(other)")
        }
        return .ignored(reason: "empty update")
    }

    static func event(for message: TelegramMessage, bot: TelegramBotIdentity) -> TelegramEvent {
        let chat = message.chat
        guard chat.isPrivate || chat.isGroup else {
            return .ignored(reason: "\(chat.type) chat")
        }
        if let from = message.from {
            if from.id == bot.id {
                return .ignored(reason: "own message")
            }
            // Anonymous group administrators write as a bot on behalf of the group itself.
            if from.isBot && message.senderChat?.id != chat.id {
                return .ignored(reason: "from a bot")
            }
        }
        let isReplyToBot = message.replyToMessage?.from?.id == bot.id

        guard let text = message.text else {
            guard message.hasNonTextContent || message.caption != nil else {
                return .ignored(reason: "service message")
            }
            let caption = message.caption ?? ""
            let mentionsBot = !TelegramMentions.ranges(in: caption, entities: message.captionEntities, bot: bot).isEmpty
            guard chat.isPrivate || isReplyToBot || mentionsBot else {
                return .ignored(reason: "not addressed to the bot")
            }
            return .unsupported(chat: chat.id, chatType: chat.type)
        }

        let mentions = TelegramMentions.ranges(in: text, entities: message.entities, bot: bot)
        var cleaned = TelegramMentions.removing(mentions, from: text)
        var isCommand = false
        if let command = commandToken(in: cleaned) {
            if let at = cleaned[command].firstIndex(of: "@") {
                let target = cleaned[cleaned.index(after: at)..<command.upperBound].lowercased()
                guard target == bot.normalizedUsername else {
                    return .ignored(reason: "command for another bot")
                }
                cleaned.removeSubrange(at..<command.upperBound)
            }
            isCommand = true
        }
        if chat.isGroup && !isCommand && mentions.isEmpty && !isReplyToBot {
            return .ignored(reason: "not addressed to the bot")
        }
        return .message(chat: chat.id, chatType: chat.type, text: cleaned,
                        messageID: message.messageID, isReplyToBot: isReplyToBot)
    }

    static func event(for query: TelegramCallbackQuery) -> TelegramEvent {
        guard let data = query.data else {
            return .ignored(reason: "callback without data")
        }
        return .choice(chat: query.message?.chat.id ?? query.from.id, callbackQueryID: query.id,
                       data: data, messageID: query.message?.messageID)
    }

    static func event(for change: TelegramChatMemberUpdated, bot: TelegramBotIdentity) -> TelegramEvent {
        guard change.newChatMember.user.id == bot.id else {
            return .ignored(reason: "another member")
        }
        let wasIn = change.oldChatMember.isInChat
        let isIn = change.newChatMember.isInChat
        if !isIn {
            return .removed(chat: change.chat.id)
        }
        if !wasIn {
            // In private, "member" after "kicked" means the user unblocked the bot.
            return change.chat.isPrivate
                ? .ignored(reason: "unblocked")
                : .addedToGroup(chat: change.chat.id, chatType: change.chat.type)
        }
        return .ignored(reason: "status change")
    }

    /// The range of a leading command (`/name` or `/name@bot`), if the text
    /// starts with one.
    static func commandToken(in text: String) -> Range<String.Index>? {
        guard text.first == "/" else { return nil }
        let afterSlash = text.index(after: text.startIndex)
        guard afterSlash < text.endIndex, TelegramMentions.isWordCharacter(text[afterSlash]) else {
            return nil
        }
        let end = text.firstIndex(where: \.isWhitespace) ?? text.endIndex
        return text.startIndex..<end
    }
}
