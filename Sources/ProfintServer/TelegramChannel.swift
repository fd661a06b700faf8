import Foundation
import Logging
import ProfintCore
import ProfintStore
import ProfintTelegram
import Synchronization

/// Telegram updates in, engine turns, replies out through the outbox.
/// Each update is processed once: the check, the new dialogue state and the
/// replies are one SQLite transaction, and a chat's updates are handled one
/// after another.
public final class TelegramChannel: Sendable {
    public static let channel = "telegram"

    let engine: Engine
    let store: ServiceStore
    let sender: OutboxSender
    let metrics: ServiceMetrics
    let logger: Logger
    let configuration: ServerConfiguration
    let identity: Mutex<TelegramBotIdentity>
    let serializer = ChatSerializer()
    let clock: @Sendable () -> Double
    let turns: TurnApplier

    public init(engine: Engine, store: ServiceStore, sender: OutboxSender, metrics: ServiceMetrics, logger: Logger,
                configuration: ServerConfiguration, identity: TelegramBotIdentity,
                clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }) {
        self.engine = engine
        self.store = store
        self.sender = sender
        self.metrics = metrics
        self.logger = logger
        self.configuration = configuration
        self.identity = Mutex(identity)
        self.clock = clock
        self.turns = TurnApplier(engine: engine, store: store, metrics: metrics, configuration: configuration)
    }

    public func setIdentity(_ bot: TelegramBotIdentity) {
        identity.withLock { $0 = bot }
    }

    /// Handles one update (decoded from a webhook body).
    public func handle(_ update: TelegramUpdate) async throws {
        let bot = identity.withLock { $0 }
        let event = TelegramInbound.event(for: update, bot: bot)
        let updateKey = String(update.updateID)
        let chat = Self.chatKey(event)
        let failure = Mutex<Error?>(nil)
        await serializer.run(chat ?? "update-\(updateKey)") {
            // SQLite and the engine block: they run on a dispatch thread, so the
            // few threads of the concurrency pool stay free for HTTP.
            await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                DispatchQueue.global().async {
                    do {
                        try self.process(event, updateKey: updateKey, chat: chat)
                    } catch {
                        failure.withLock { $0 = error }
                    }
                    done.resume()
                }
            }
        }
        if let error = failure.withLock({ $0 }) { throw error }
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

    func process(_ event: TelegramEvent, updateKey: String, chat: String?) throws {
        let channel = Self.channel
        if try store.isProcessed(channel: channel, update: updateKey) {
            logger.debug("duplicate update ignored", metadata: ["profint.update": "\(updateKey)"])
            return
        }
        let now = clock()
        var outcome = ServiceStore.Outcome()
        switch event {
        case .message(let chatID, let chatType, let text, let messageID, let isReplyToBot):
            outcome.isGroup = chatType != "private"
            if isReplyToBot, let ack = try turns.promptReply(channel: channel, chat: String(chatID), text: text, now: now) {
                // A reply to today's prompt: thanks and the prompt's follow-up question; the text is not kept.
                outcome.calls += TelegramRenderer.sendMessages(for: Reply(text: ack), chat: chatID,
                                                               replyTo: outcome.isGroup ? messageID : nil).map(Self.outbound)
                break
            }
            let state = try store.conversation(channel: channel, chat: String(chatID), now: now) ?? fresh()
            let turn = timedTurn(IncomingMessage(text: text), state: state, now: now)
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
        let recorded = try store.record(channel: channel, update: updateKey, chat: chat ?? "-", outcome: outcome, now: now)
        if recorded, !outcome.calls.isEmpty { sender.wake() }
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
