/// One incoming update (`Update`). Only the kinds the bot handles are
/// decoded; `otherKind` names the first other kind present (for example
/// "message_reaction" or "poll"), which the bot ignores.
public struct TelegramUpdate: Sendable, Hashable, Codable {
    public var updateID: Int64
    public var message: TelegramMessage?
    public var editedMessage: TelegramMessage?
    public var channelPost: TelegramMessage?
    public var editedChannelPost: TelegramMessage?
    public var callbackQuery: TelegramCallbackQuery?
    public var myChatMember: TelegramChatMemberUpdated?
    public var otherKind: String?

    public init(updateID: Int64, message: TelegramMessage? = nil, editedMessage: TelegramMessage? = nil,
                channelPost: TelegramMessage? = nil, editedChannelPost: TelegramMessage? = nil,
                callbackQuery: TelegramCallbackQuery? = nil, myChatMember: TelegramChatMemberUpdated? = nil,
                otherKind: String? = nil) {
        self.updateID = updateID
        self.message = message
        self.editedMessage = editedMessage
        self.channelPost = channelPost
        self.editedChannelPost = editedChannelPost
        self.callbackQuery = callbackQuery
        self.myChatMember = myChatMember
        self.otherKind = otherKind
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case updateID = "update_id"
        case message
        case editedMessage = "edited_message"
        case channelPost = "channel_post"
        case editedChannelPost = "edited_channel_post"
        case callbackQuery = "callback_query"
        case myChatMember = "my_chat_member"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        updateID = try container.decode(Int64.self, forKey: .updateID)
        message = try container.decodeIfPresent(TelegramMessage.self, forKey: .message)
        editedMessage = try container.decodeIfPresent(TelegramMessage.self, forKey: .editedMessage)
        channelPost = try container.decodeIfPresent(TelegramMessage.self, forKey: .channelPost)
        editedChannelPost = try container.decodeIfPresent(TelegramMessage.self, forKey: .editedChannelPost)
        callbackQuery = try container.decodeIfPresent(TelegramCallbackQuery.self, forKey: .callbackQuery)
        myChatMember = try container.decodeIfPresent(TelegramChatMemberUpdated.self, forKey: .myChatMember)
        let known = Set(CodingKeys.allCases.map(\.rawValue))
        let all = try decoder.container(keyedBy: AnyCodingKey.self)
        otherKind = all.allKeys.map(\.stringValue).filter { !known.contains($0) }.sorted().first
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(updateID, forKey: .updateID)
        try container.encodeIfPresent(message, forKey: .message)
        try container.encodeIfPresent(editedMessage, forKey: .editedMessage)
        try container.encodeIfPresent(channelPost, forKey: .channelPost)
        try container.encodeIfPresent(editedChannelPost, forKey: .editedChannelPost)
        try container.encodeIfPresent(callbackQuery, forKey: .callbackQuery)
        try container.encodeIfPresent(myChatMember, forKey: .myChatMember)
        if let otherKind {
            var other = encoder.container(keyedBy: AnyCodingKey.self)
            _ = other.nestedContainer(keyedBy: AnyCodingKey.self,
                                      forKey: AnyCodingKey(stringValue: otherKind))
        }
    }
}
