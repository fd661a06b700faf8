import Foundation
import Logging
import ProfintCore
import ProfintStore
import ProfintTelegram
import ServiceLifecycle
import Synchronization

/// Telegram updates in, engine turns, replies out through the outbox.
///
/// The webhook acknowledges an update once it is in the inbox (SQLite;
/// updates arriving together share one commit). This service then turns
/// them into replies on background threads of lower priority, so that under
/// load Telegram's requests are answered first: chats in parallel, each
/// chat's updates in order, and each update leaves the inbox in the
/// transaction that records its outcome (processed mark, new dialogue
/// state, replies), so it is processed once, also across a crash.
public final class TelegramChannel: Service, Sendable {
    public static let channel = "telegram"

    let engine: Engine
    let store: ServiceStore
    let inbox: UpdateInbox
    let sender: OutboxSender
    let metrics: ServiceMetrics
    let logger: Logger
    let configuration: ServerConfiguration
    let identity: Mutex<TelegramBotIdentity>
    let clock: @Sendable () -> Double
    let turns: TurnApplier
    private let wakeup = Wakeup()
    private let threads: BackgroundThreads
    private let acceptor: GroupCommit<UpdateInbox.Incoming>
    /// Failures in a row per update: one that keeps failing is dropped
    /// (logged) after `maximumAttempts`, so that it cannot block its chat.
    private let failures = Mutex<[String: Int]>([:])
    let maximumAttempts = 20
    /// How many waiting updates one pass takes.
    let batchSize = 256
    /// How many outcomes one transaction records.
    let recordChunk = 32
    /// How many waiting updates a pass takes during a burst of webhooks (a
    /// pass every 100 ms: 40 updates/s, more than the replies that can leave).
    let burstBatch = 4

    public init(engine: Engine, store: ServiceStore, sender: OutboxSender, metrics: ServiceMetrics, logger: Logger,
                configuration: ServerConfiguration, identity: TelegramBotIdentity,
                clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }) {
        self.engine = engine
        self.store = store
        let inbox = UpdateInbox.telegram(store)
        self.inbox = inbox
        self.sender = sender
        self.metrics = metrics
        self.logger = logger
        self.configuration = configuration
        self.identity = Mutex(identity)
        self.clock = clock
        self.turns = TurnApplier(engine: engine, store: store, metrics: metrics, configuration: configuration)
        self.threads = BackgroundThreads(count: configuration.workerThreads, nice: configuration.workerNice, name: "profint-telegram")
        let wakeup = self.wakeup
        self.acceptor = GroupCommit { updates in
            let added = try inbox.accept(updates, now: clock())
            metrics.increment("profint_telegram_updates_total", [("result", "accepted")], by: Double(added))
            if added < updates.count {
                metrics.increment("profint_telegram_updates_total", [("result", "duplicate")], by: Double(updates.count - added))
            }
            if added > 0 { wakeup.wake() }
        }
    }

    public func setIdentity(_ bot: TelegramBotIdentity) {
        identity.withLock { $0 = bot }
    }

    /// Takes a webhook update (its id read, the body checked to be JSON):
    /// returns once it is stored in the inbox; throws when it could not be
    /// stored, so that Telegram delivers it again. It is decoded later, by
    /// the worker.
    public func accept(updateID: Int64, body: Data) async throws {
        try await acceptor.submit(.init(key: String(updateID), chat: "", body: body))
    }

    public func run() async throws {
        logger.info("telegram channel started")
        while !(Task.isCancelled || Task.isShuttingDownGracefully) {
            let processed = await drain()
            if processed == 0 { await wakeup.sleep(seconds: 1) }
        }
        // Finish what was acknowledged before stopping, if it is quick.
        _ = await drain()
        threads.stop()
        logger.info("telegram channel stopped")
    }

    /// Processes one batch of what waits in the inbox; returns how many
    /// updates left it. The batch goes in rounds: each round takes the next
    /// update of every chat, computes the outcomes in parallel and records
    /// them in one transaction, so a chat's next update sees its new state.
    @discardableResult
    public func drain() async -> Int {
        var limit = batchSize
        if acceptor.isBusy {
            // A burst of webhooks: acknowledging them comes first. Replies cannot
            // leave faster than Telegram's rate limits anyway (30 per second), so
            // a trickle of processing keeps up with what can be sent.
            try? await Task.sleep(nanoseconds: 100_000_000)
            if acceptor.isBusy { limit = burstBatch }
        }
        let batch: [UpdateInbox.Entry]
        do {
            batch = try await inbox.pending(limit: limit)
        } catch {
            logger.error("telegram inbox read failed", metadata: ["profint.error": "\(error)"])
            try? await Task.sleep(nanoseconds: 100_000_000)
            return 0
        }
        guard !batch.isEmpty else { return 0 }
        // Re-deliveries of updates already answered only leave the inbox.
        let answered = (try? await inbox.processedKeys(batch.map(\.key))) ?? []
        // Decoded on the background threads; the chat (known once decoded) orders the rounds.
        let bot = identity.withLock { $0 }
        let decoded = Mutex([Decoded?](repeating: nil, count: batch.count))
        await threads.perform(batch.count) { index in
            let item = answered.contains(batch[index].key) ? Decoded(answered: batch[index]) : Decoded(entry: batch[index], bot: bot)
            decoded.withLock { $0[index] = item }
        }
        var chats: [String: [Decoded]] = [:]
        var order: [String] = []
        for case let item? in decoded.withLock({ $0 }) {
            if chats[item.entry.chat] == nil { order.append(item.entry.chat) }
            chats[item.entry.chat, default: []].append(item)
        }
        var blocked: Set<String> = []
        var done = 0
        var round = 0
        while true {
            let entries = order.compactMap { chat -> Decoded? in
                guard !blocked.contains(chat), let list = chats[chat], round < list.count else { return nil }
                return list[round]
            }
            if entries.isEmpty { break }

            let (recorded, failed) = await process(entries)
            done += recorded
            blocked.formUnion(failed)
            if recorded == 0 { break }
            round += 1
        }
        if !blocked.isEmpty {
            // Something failed (it stays in the inbox): try again a little later each time.
            let attempts = failures.withLock { $0.values.max() ?? 1 }
            try? await Task.sleep(nanoseconds: UInt64(min(attempts, 10)) * 200_000_000)
        }
        return done
    }

    /// One round: outcomes computed on the background threads, then recorded together.
    func process(_ items: [Decoded]) async -> (recorded: Int, failed: Set<String>) {
        let results = Mutex([Result<ServiceStore.Outcome, Error>?](repeating: nil, count: items.count))
        let now = clock()
        await threads.perform(items.count) { index in
            let result = Result { try self.decide(items[index].event, now: now) }
            results.withLock { $0[index] = result }
        }
        var ready: [(entry: UpdateInbox.Entry, outcome: ServiceStore.Outcome)] = []
        var failed: Set<String> = []
        for (entry, result) in zip(items.map(\.entry), results.withLock { $0 }) {
            switch result {
            case .success(let outcome):
                ready.append((entry, outcome))
            case .failure(let error):
                if failure(of: entry, error: error) { ready.append((entry, ServiceStore.Outcome())) } else { failed.insert(entry.chat) }
            case .none:
                failed.insert(entry.chat)
            }
        }
        // Short transactions, so that webhook acknowledgements wait little for the writer.
        var written = 0
        while written < ready.count {
            let chunk = Array(ready[written..<min(ready.count, written + recordChunk)])
            do {
                try await offThePool { try self.inbox.record(chunk, now: now) }
                written += chunk.count
            } catch {
                logger.error("telegram outcomes not recorded; will retry", metadata: ["profint.error": "\(error)"])
                try? await Task.sleep(nanoseconds: 200_000_000)
                failed.formUnion(ready[written...].map(\.entry.chat))
                ready.removeSubrange(written...)
                break
            }
        }
        let end = clock()
        for (entry, _) in ready { metrics.observe("profint_reply_delay_seconds", seconds: max(0, end - entry.receivedAt)) }
        failures.withLock { counts in for (entry, _) in ready { counts.removeValue(forKey: entry.key) } }
        if ready.contains(where: { !$0.outcome.calls.isEmpty }) { sender.wake() }
        return (ready.count, failed)
    }

    /// Counts a failure; true when the update has failed too often and is dropped.
    func failure(of entry: UpdateInbox.Entry, error: Error) -> Bool {
        let attempts = failures.withLock { $0[entry.key, default: 0] += 1; return $0[entry.key]! }
        if attempts >= maximumAttempts {
            logger.error("telegram update dropped after repeated failures", metadata: [
                "profint.update": "\(entry.key)", "profint.attempts": "\(attempts)", "profint.error": "\(error)",
            ])
            return true
        }
        logger.error("telegram update failed; will retry", metadata: ["profint.update": "\(entry.key)", "profint.error": "\(error)"])
        return false
    }

    /// An inbox entry decoded: what it means and which chat it belongs to.
    struct Decoded: Sendable {
        var entry: UpdateInbox.Entry
        var event: TelegramEvent

        init(entry: UpdateInbox.Entry, bot: TelegramBotIdentity) {
            var entry = entry
            if let update = try? JSONDecoder().decode(TelegramUpdate.self, from: entry.body) {
                event = TelegramInbound.event(for: update, bot: bot)
            } else {
                // Well-formed JSON (the webhook checked) but not an update this bot understands.
                event = .ignored(reason: "undecodable update")
            }
            entry.chat = TelegramChannel.chatKey(event) ?? "update-" + entry.key
            self.entry = entry
        }

        /// A re-delivery of an update already processed: nothing to decode or answer.
        init(answered entry: UpdateInbox.Entry) {
            var entry = entry
            entry.chat = "update-" + entry.key
            self.entry = entry
            event = .ignored(reason: "already processed")
        }
    }

    static func chatKey(_ event: TelegramEvent) -> String? {
        switch event {
        case .message(let chat, _, _, _, _), .choice(let chat, _, _, _), .unsupported(let chat, _),
             .addedToGroup(let chat, _), .removed(let chat):
            return String(chat)
        case .ignored:
            return nil
        }
    }

    func decide(_ event: TelegramEvent, now: Double) throws -> ServiceStore.Outcome {
        let channel = Self.channel
        var outcome = ServiceStore.Outcome()
        switch event {
        case .message(let chatID, let chatType, let text, let messageID, let isReplyToBot):
            outcome.isGroup = chatType != "private"
            let state = try store.conversation(channel: channel, chat: String(chatID), now: now) ?? fresh()
            let turn = turns.turn(IncomingMessage(text: text), state: state, now: now, channel: channel, chat: String(chatID))
            // A reply to today's prompt, unless it reports a risk to someone: thanks
            // and the prompt's follow-up question; the text is not kept.
            if isReplyToBot, !Engine.isSafety(turn.intent),
               let ack = try turns.promptReply(channel: channel, chat: String(chatID), text: text, now: now) {
                outcome.calls += TelegramRenderer.sendMessages(for: Reply(text: ack), chat: chatID,
                                                               replyTo: outcome.isGroup ? messageID : nil).map(Self.outbound)
                break
            }
            try apply(turn, chatID: chatID, replyTo: outcome.isGroup ? messageID : nil, into: &outcome)
        case .choice(let chatID, let callbackID, let data, _):
            outcome.calls.append(Self.outbound(TelegramRenderer.answerCallback(id: callbackID)))
            let state = try store.conversation(channel: channel, chat: String(chatID), now: now) ?? fresh()
            if data.hasPrefix("k:"), data.count > 2 {
                // A button of a daily prompt: it names the item it opens.
                let turn = timedTurn(.choice("item:" + data.dropFirst(2)), state: state, now: now)
                try apply(turn, chatID: chatID, replyTo: nil, into: &outcome)
            } else if let n = TelegramRenderer.choiceNumber(fromCallbackData: data), n >= 1, n <= state.choices.count {
                let turn = timedTurn(.choice(state.choices[n - 1]), state: state, now: now)
                try apply(turn, chatID: chatID, replyTo: nil, into: &outcome)
            } else {
                // A button of an old answer: say what the bot can do instead.
                let turn = timedTurn(IncomingMessage(text: "/help"), state: state, now: now)
                try apply(turn, chatID: chatID, replyTo: nil, into: &outcome)
            }
        case .unsupported(let chatID, let chatType):
            if chatType == "private" {
                let state = try store.conversation(channel: channel, chat: String(chatID), now: now) ?? fresh()
                let language = state.language ?? configuration.defaultLanguage
                let text = engine.messages.text("text_only", language, seed: Int(now))
                outcome.calls += TelegramRenderer.sendMessages(for: Reply(text: text), chat: chatID).map(Self.outbound)
            }
        case .addedToGroup(let chatID, _):
            outcome.isGroup = true
            if try !store.wasIntroduced(channel: channel, chat: String(chatID)) {
                let text = engine.messages.text("introduction", configuration.defaultLanguage, seed: Int(now))
                outcome.calls += TelegramRenderer.sendMessages(for: Reply(text: text), chat: chatID).map(Self.outbound)
                outcome.introduced = true
            }
        case .removed:
            outcome.forget = true
        case .ignored:
            break
        }
        return outcome
    }

    func fresh() -> DialogueState {
        DialogueState(language: nil)
    }

    func timedTurn(_ message: IncomingMessage, state: DialogueState, now: Double) -> Turn {
        turns.turn(message, state: state, now: now, channel: Self.channel)
    }

    /// Carries out the turn's action and queues its reply.
    func apply(_ turn: Turn, chatID: Int64, replyTo: Int64?, into outcome: inout ServiceStore.Outcome) throws {
        let reply = try turns.apply(turn, channel: Self.channel, chat: String(chatID), into: &outcome)
        let calls = TelegramRenderer.sendMessages(for: reply, chat: chatID, replyTo: replyTo)
        if calls.count > 1 { outcome.calls.append(Self.outbound(TelegramRenderer.typing(chat: chatID))) }
        outcome.calls += calls.map(Self.outbound)
    }

    static func outbound(_ call: TelegramCall) -> OutboundCall {
        OutboundCall(method: call.method, body: [UInt8](call.jsonBody()))
    }
}
