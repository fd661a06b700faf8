/// What an event of a transaction means for the bot.
public enum MatrixInboundEvent: Sendable, Hashable {
    /// A text message (`m.text`, `m.notice`, `m.emote`) from a person.
    case message(MatrixMessage)
    /// Someone invited the bot to a room.
    case invited(room: String, inviter: String, isDirect: Bool)
    /// The bot left, was kicked or was banned: the room's data goes.
    case removed(room: String)
    /// Someone else joined or left: the room's member count changed.
    case membersChanged(room: String)
    /// An encrypted message, which the bot cannot read.
    case encrypted(room: String, eventID: String, sender: String)
    /// A message the bot cannot read (image, file, voice…).
    case unsupported(room: String, eventID: String, sender: String, addressed: Bool)
    case ignored(reason: String)
}

/// A text message, with what decides whether the bot answers it in a room
/// of more than two members.
public struct MatrixMessage: Sendable, Hashable {
    public var room: String
    public var eventID: String
    public var sender: String
    /// The text without the reply fallback and without the mention of the bot.
    public var text: String
    /// `!help` or `/help`.
    public var isCommand: Bool
    /// The bot is mentioned (`m.mentions`, its user id, its display name, a
    /// pill) or the message replies to one of its messages.
    public var mentionsBot: Bool
    /// The message is a reply to one of the bot's messages.
    public var repliesToBot: Bool

    public init(room: String, eventID: String, sender: String, text: String, isCommand: Bool, mentionsBot: Bool,
                repliesToBot: Bool = false) {
        self.room = room
        self.eventID = eventID
        self.sender = sender
        self.text = text
        self.isCommand = isCommand
        self.mentionsBot = mentionsBot
        self.repliesToBot = repliesToBot
    }

    /// Whether a room of `members` joined members should get an answer: a
    /// direct room (two members or fewer) always, a busy room only on a
    /// command, a mention or a reply to the bot.
    public func isAddressed(members: Int) -> Bool {
        members <= 2 || isCommand || mentionsBot || repliesToBot
    }
}
