import ProfintStore

/// How the outbox sender delivers one channel's calls. The response status
/// decides what happens next: 2xx sent, 429 retried after `retryAfter`,
/// 5xx and network errors retried with backoff, any other status given up.
public protocol OutboxTransport: Sendable {
    func deliver(_ message: OutboxMessage) async throws -> BotAPIResponse
    /// Whether Telegram's per-chat and per-group rate limits apply.
    var isRateLimited: Bool { get }
}

/// Telegram: the outbox row holds the Bot API method and its JSON body.
public struct TelegramTransport: OutboxTransport {
    public let api: any BotAPI
    public var isRateLimited: Bool { true }

    public init(api: any BotAPI) {
        self.api = api
    }

    public func deliver(_ message: OutboxMessage) async throws -> BotAPIResponse {
        try await api.call(method: message.method, body: message.body)
    }
}
