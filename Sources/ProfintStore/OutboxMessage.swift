/// One outbound call waiting in the outbox.
public struct OutboxMessage: Sendable, Hashable {
    public var id: Int64
    public var channel: String
    public var chat: String
    public var isGroup: Bool
    public var method: String
    public var body: [UInt8]
    public var attempts: Int
    public var nextAttemptAt: Double

    public init(id: Int64, channel: String, chat: String, isGroup: Bool, method: String, body: [UInt8], attempts: Int, nextAttemptAt: Double) {
        self.id = id
        self.channel = channel
        self.chat = chat
        self.isGroup = isGroup
        self.method = method
        self.body = body
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
    }
}

/// A call to enqueue.
public struct OutboundCall: Sendable, Hashable {
    public var method: String
    public var body: [UInt8]

    public init(method: String, body: [UInt8]) {
        self.method = method
        self.body = body
    }
}

/// A subscription to the daily practice prompt.
public struct Subscription: Sendable, Hashable {
    public var channel: String
    public var chat: String
    public var time: String
    public var timezone: String
    public var language: String
    public var everyDay: Bool

    public init(channel: String, chat: String, time: String, timezone: String, language: String, everyDay: Bool) {
        self.channel = channel
        self.chat = chat
        self.time = time
        self.timezone = timezone
        self.language = language
        self.everyDay = everyDay
    }
}
