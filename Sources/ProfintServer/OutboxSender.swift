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
    private let wakeup = Wakeup()
    private var limiter = RateLimiter()
    private var limiterLoaded = false
    private var random = SystemRandomNumberGenerator()
    /// Chats with a call under way: their next call waits for its answer.
    private let inFlight = Mutex<Set<String>>([])
    /// Longest a call may take before it is abandoned and retried later; a
    /// slow call delays only its own chat.
    var callTimeout = 15.0
    /// The random factor of each retry's wait (tests make it fixed).
    var jitterRange: ClosedRange<Double> = 0.5...1.5
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
        await withDiscardingTaskGroup { group in
            await withGracefulShutdownHandler {
                while !(Task.isCancelled || Task.isShuttingDownGracefully) {
                    let wait = await self.start { message in
                        group.addTask {
                            await self.deliver(message)
                            self.finished(message)
                            self.wake()
                        }
                    }
                    await self.wakeup.sleep(seconds: wait)
                }
            } onGracefulShutdown: {
                self.wake()
            }
            // Leaving the group waits for the calls already started (each bounded by `callTimeout`).
        }
        logger.info("outbox sender stopped")
    }

    /// One pass that waits for the calls it started (tests, `prompts send-due`);
    /// returns how long to wait before the next.
    public func pass() async -> Double {
        var started: [OutboxMessage] = []
        let wait = await start { started.append($0) }
        await withTaskGroup(of: Void.self) { group in
            for message in started {
                group.addTask {
                    await self.deliver(message)
                    self.finished(message)
                }
            }
        }
        return started.isEmpty ? wait : 0
    }

    /// Starts (through `launch`) the oldest call of every chat that is due,
    /// allowed by the rate limits and has no call in flight; returns how long
    /// to wait before looking again when nothing more can start now.
    func start(_ launch: (OutboxMessage) -> Void) async -> Double {
        let now = clock()
        if !limiterLoaded {
            // The limits hold across a restart: the send times of the last minute are in the database.
            do {
                for send in try await store.sends(since: now - limiter.perGroupWindow) {
                    limiter.record(chat: send.chat, isGroup: send.isGroup, at: send.sentAt)
                }
                limiterLoaded = true
            } catch {
                logger.error("outbox send times unreadable", metadata: ["profint.error": "\(error)"])
                return idleWait
            }
        }
        let heads: [OutboxMessage]
        do {
            heads = try await store.dueHeads(now: now, limit: 500)
        } catch {
            logger.error("outbox read failed", metadata: ["profint.error": "\(error)"])
            return idleWait
        }
        let busy = inFlight.withLock { $0 }
        var batch: [OutboxMessage] = []
        var sends: [ServiceStore.SendRecord] = []
        var wait = idleWait
        for message in heads where !busy.contains(Self.key(message)) {
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
            sends.append(.init(channel: message.channel, chat: message.chat, isGroup: message.isGroup, sentAt: now))
            batch.append(message)
        }
        if let next = try? await store.nextHeadDue(after: now) { wait = min(wait, max(0.01, next - now)) }
        guard !batch.isEmpty else { return max(0.005, wait) }
        do {
            // Written before the calls are made: a crash right after them cannot let a restart exceed the limits.
            try await store.recordSends(sends)
        } catch {
            logger.error("outbox send times not stored; calls held back", metadata: ["profint.error": "\(error)"])
            return idleWait
        }
        let bodies = (try? await store.bodies(batch.map(\.id))) ?? [:]
        for var message in batch {
            guard let body = bodies[message.id] else { continue }   // sent meanwhile
            message.body = body
            inFlight.withLock { _ = $0.insert(Self.key(message)) }
            launch(message)
        }
        return max(0.005, wait)
    }

    /// A chat's call is over (sent, retried later or given up): its next may start.
    func finished(_ message: OutboxMessage) {
        inFlight.withLock { _ = $0.remove(Self.key(message)) }
    }

    static func key(_ message: OutboxMessage) -> String { message.channel + "|" + message.chat }

    func deliver(_ message: OutboxMessage) async {
        let now = { self.clock() }
        guard let transport = transports[message.channel] else { return }
        do {
            let response = try await Self.withTimeout(callTimeout) { try await transport.deliver(message) }
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
        } catch is CallTimeout {
            try? await store.markRetry(message.id, at: now() + backoff(message.attempts), error: "timeout after \(callTimeout) s")
            metrics.increment("profint_outbox_retries_total", [("reason", "timeout")])
            logger.notice("\(message.channel) API call timed out; will retry", metadata: [
                "profint.method": "\(message.method)", "profint.chat": "\(message.chat)",
            ])
        } catch {
            try? await store.markRetry(message.id, at: now() + backoff(message.attempts), error: "network: \(error)")
            metrics.increment("profint_outbox_retries_total", [("reason", "network")])
            logger.notice("\(message.channel) API unreachable; will retry", metadata: ["profint.error": "\(error)"])
        }
    }

    /// 1 s, 2 s, 4 s … up to 5 min, with ±50 % jitter.
    func backoff(_ attempts: Int) -> Double {
        let base = min(pow(2, Double(min(attempts, 9))), 300)
        let jitter = Double.random(in: jitterRange, using: &random)
        return base * jitter
    }

    struct CallTimeout: Error {}

    /// Runs `call`, cancelling it and throwing `CallTimeout` after `seconds`.
    static func withTimeout<T: Sendable>(_ seconds: Double, _ call: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T.self) { group in
            group.addTask { try await call() }
            group.addTask {
                try await Task.sleep(nanoseconds: UInt64(seconds * 1e9))
                throw CallTimeout()
            }
            defer { group.cancelAll() }
            return try await group.next()!
        }
    }
}
