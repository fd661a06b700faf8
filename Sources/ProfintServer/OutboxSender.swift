import Foundation
import Logging
import ProfintStore
import ServiceLifecycle
import Synchronization

/// Delivers the outbox of every channel through its transport: at least
/// once, in order per chat, within Telegram's rate limits (for the channels
/// that have them), honouring `retry_after` on 429, retrying 5xx and network
/// errors with exponential backoff and jitter, giving up on other 4xx
/// (logged and kept in `outbox_failed`). A call is removed from the outbox
/// only after the API accepted it, so a crash or restart never loses one; a
/// crash between the API's answer and the removal sends it twice.
public final class OutboxSender: Service, @unchecked Sendable {
    let store: ServiceStore
    let transports: [String: any OutboxTransport]
    let metrics: ServiceMetrics
    let logger: Logger
    let clock: @Sendable () -> Double
    private let wakeup = Wakeup(slice: 0.01)
    private var limiter = RateLimiter()
    private var random = SystemRandomNumberGenerator()
    /// Longest wait between two passes when nothing is due.
    var idleWait = 1.0

    /// A sender for Telegram only.
    public convenience init(store: ServiceStore, api: any BotAPI, metrics: ServiceMetrics, logger: Logger,
                            clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }) {
        self.init(store: store, transports: ["telegram": TelegramTransport(api: api)], metrics: metrics, logger: logger, clock: clock)
    }

    /// A sender for the channels of `transports` (by channel name); calls of
    /// other channels wait in the outbox until a sender has their transport.
    public init(store: ServiceStore, transports: [String: any OutboxTransport], metrics: ServiceMetrics, logger: Logger,
                clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }) {
        self.store = store
        self.transports = transports
        self.metrics = metrics
        self.logger = logger
        self.clock = clock
    }

    /// Something was enqueued: look now rather than at the next tick.
    public func wake() {
        wakeup.wake()
    }

    public func run() async throws {
        logger.info("outbox sender started")
        await withGracefulShutdownHandler {
            while !(Task.isCancelled || Task.isShuttingDownGracefully) {
                let wait = await self.pass()
                await self.wakeup.sleep(seconds: wait)
            }
        } onGracefulShutdown: {
            self.wake()
        }
        logger.info("outbox sender stopped")
    }

    /// One pass: sends what is due and allowed; returns how long to wait.
    public func pass() async -> Double {
        let now = clock()
        let due: [OutboxMessage]
        do {
            due = try await store.dueHeaders(now: now, limit: 200)
        } catch {
            logger.error("outbox read failed", metadata: ["profint.error": "\(error)"])
            return idleWait
        }
        var batch: [OutboxMessage] = []
        var blockedChats = Set<String>()
        var wait = idleWait
        for message in due where !blockedChats.contains(message.channel + "|" + message.chat) {
            // One call per chat per pass keeps each chat in order.
            blockedChats.insert(message.channel + "|" + message.chat)
            guard let transport = transports[message.channel] else { continue }
            // Answering a button or showing "typing" is not a message: no rate limit.
            if !transport.isRateLimited || ["answerCallbackQuery", "sendChatAction"].contains(message.method) {
                batch.append(message)
                continue
            }
            let earliest = limiter.earliest(chat: message.chat, isGroup: message.isGroup, now: now)
            if earliest > now {
                wait = min(wait, earliest - now)
                continue
            }
            limiter.record(chat: message.chat, isGroup: message.isGroup, at: now)
            batch.append(message)
        }
        if batch.isEmpty {
            if due.isEmpty, let next = try? await store.nextDue() { wait = min(wait, max(0.01, next - now)) }
            return max(0.005, wait)
        }
        let bodies = (try? await store.bodies(batch.map(\.id))) ?? [:]
        await withTaskGroup(of: Void.self) { group in
            for var message in batch {
                guard let body = bodies[message.id] else { continue }   // sent meanwhile
                message.body = body
                group.addTask { await self.deliver(message) }
            }
        }
        return 0
    }

    func deliver(_ message: OutboxMessage) async {
        let now = { self.clock() }
        guard let transport = transports[message.channel] else { return }
        do {
            let response = try await transport.deliver(message)
            switch response.status {
            case 200..<300:
                try await store.markSent(message.id)
                metrics.increment("profint_outbox_sent_total", [("channel", message.channel)])
            case 429:
                let after = max(response.retryAfter ?? 1, 0.05)
                try await store.markRetry(message.id, at: now() + after, error: "429 \(response.description)")
                metrics.increment("profint_outbox_retries_total", [("reason", "429")])
                logger.notice("rate limited by the \(message.channel) API", metadata: ["profint.retry_after": "\(after)", "profint.chat": "\(message.chat)"])
            case 500...:
                try await store.markRetry(message.id, at: now() + backoff(message.attempts), error: "\(response.status) \(response.description)")
                metrics.increment("profint_outbox_retries_total", [("reason", "5xx")])
            default:
                try await store.markFailed(message, status: response.status, error: response.description, now: now())
                metrics.increment("profint_outbox_failed_total", [("channel", message.channel)])
                logger.warning("\(message.channel) API refused a call; not retried", metadata: [
                    "profint.method": "\(message.method)", "profint.status": "\(response.status)",
                    "profint.description": "\(response.description)",
                ])
            }
        } catch {
            try? await store.markRetry(message.id, at: now() + backoff(message.attempts), error: "network: \(error)")
            metrics.increment("profint_outbox_retries_total", [("reason", "network")])
            logger.notice("\(message.channel) API unreachable; will retry", metadata: ["profint.error": "\(error)"])
        }
    }

    /// 1 s, 2 s, 4 s … up to 5 min, with ±50 % jitter.
    func backoff(_ attempts: Int) -> Double {
        let base = min(pow(2, Double(min(attempts, 9))), 300)
        let jitter = Double.random(in: 0.5...1.5, using: &random)
        return base * jitter
    }

}
