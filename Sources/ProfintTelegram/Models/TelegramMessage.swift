/// A message (`Message`), reduced to what the bot reads: who sent it where,
/// its text or caption with entities, the message it replies to, and which
/// non-text contents (photo, sticker, voice…) it carries.
public struct TelegramMessage: Sendable, Hashable, Codable {
    /// The keys of `Message` that carry a content other than text. Service
    /// messages (members joining, pinned messages…) are not content.
    public static let contentKeys: [String] = [
        "animation", "audio", "checklist", "contact", "dice", "document", "game", "invoice",
        "live_photo", "location", "paid_media", "photo", "poll", "rich_message", "sticker",
        "story", "venue", "video", "video_note", "voice",
    ]

    public var messageID: Int64
    public var from: TelegramUser?
    public var senderChat: TelegramChat?
    public var chat: TelegramChat
    /// Unix time; 0 for an inaccessible message.
    public var date: Int64
    public var text: String?
    public var caption: String?
    public var entities: [TelegramMessageEntity]?
    public var captionEntities: [TelegramMessageEntity]?
    /// The content keys present in the JSON, in `contentKeys` order.
    public var contentKinds: [String]
    // An array holds the recursive value behind a reference.
    private var replyStorage: [TelegramMessage]

    public init(messageID: Int64, from: TelegramUser? = nil, senderChat: TelegramChat? = nil,
                chat: TelegramChat, date: Int64, text: String? = nil, caption: String? = nil,
                entities: [TelegramMessageEntity]? = nil, captionEntities: [TelegramMessageEntity]? = nil,
                replyToMessage: TelegramMessage? = nil,
                contentKinds: [String] = []) {
        self.messageID = messageID
        self.from = from
        self.senderChat = senderChat
        self.chat = chat
        self.date = date
        self.text = text
        self.caption = caption
        self.entities = entities
        self.captionEntities = captionEntities
        self.contentKinds = contentKinds
        self.replyStorage = replyToMessage.map { [$0] } ?? []
    }

    public var replyToMessage: TelegramMessage? {
        get { replyStorage.first }
        set { replyStorage = newValue.map { [$0] } ?? [] }
    }

    /// Whether the message carries a photo, sticker, voice, document… .
    public var hasNonTextContent: Bool { !contentKinds.isEmpty }

    enum CodingKeys: String, CodingKey {
        case messageID = "message_id"
        case from
        case senderChat = "sender_chat"
        case chat, date, text, caption, entities
        case captionEntities = "caption_entities"
        case replyToMessage = "reply_to_message"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        messageID = try container.decode(Int64.self, forKey: .messageID)
        from = try container.decodeIfPresent(TelegramUser.self, forKey: .from)
        senderChat = try container.decodeIfPresent(TelegramChat.self, forKey: .senderChat)
        chat = try container.decode(TelegramChat.self, forKey: .chat)
        date = try container.decodeIfPresent(Int64.self, forKey: .date) ?? 0
        text = try container.decodeIfPresent(String.self, forKey: .text)
        caption = try container.decodeIfPresent(String.self, forKey: .caption)
        entities = try container.decodeIfPresent([TelegramMessageEntity].self, forKey: .entities)
        captionEntities = try container.decodeIfPresent([TelegramMessageEntity].self, forKey: .captionEntities)
        replyStorage = try container.decodeIfPresent(TelegramMessage.self, forKey: .replyToMessage).map { [$0] } ?? []
        let content = try decoder.container(keyedBy: AnyCodingKey.self)
        contentKinds = Self.contentKeys.filter { key in
            let codingKey = AnyCodingKey(stringValue: key)
            guard content.contains(codingKey) else { return false }
            return (try? content.decodeNil(forKey: codingKey)) != true
        }
    }

    /// Encodes the fields read; each content kind is written as `{}`, which
    /// decodes back to the same `contentKinds`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(messageID, forKey: .messageID)
        try container.encodeIfPresent(from, forKey: .from)
        try container.encodeIfPresent(senderChat, forKey: .senderChat)
        try container.encode(chat, forKey: .chat)
        try container.encode(date, forKey: .date)
        try container.encodeIfPresent(text, forKey: .text)
        try container.encodeIfPresent(caption, forKey: .caption)
        try container.encodeIfPresent(entities, forKey: .entities)
        try container.encodeIfPresent(captionEntities, forKey: .captionEntities)
        try container.encodeIfPresent(replyToMessage, forKey: .replyToMessage)
        var content = encoder.container(keyedBy: AnyCodingKey.self)
        for kind in contentKinds {
            _ = content.nestedContainer(keyedBy: AnyCodingKey.self, forKey: AnyCodingKey(stringValue: kind))
        }
    }
}
