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
            if isReplyToBot, let ack = try promptReply(chat: String(chatID), text: text, now: now) {
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

    /// The acknowledgement of a reply to today's prompt, if the chat got one
    /// today and the reply is not a question for the bot.
    func promptReply(chat: String, text: String, now: Double) throws -> String? {
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix("?"),
              let subscription = try store.subscription(channel: Self.channel, chat: chat),
              let zone = TimeZone(identifier: subscription.timezone) else { return nil }
        let day = DailyPromptPlanner.localDay(at: now, in: zone).description
        guard let promptID = try PromptStore(database: store.database).delivery(channel: Self.channel, chat: chat, day: day) else { return nil }
        let language = Language(rawValue: subscription.language) ?? configuration.defaultLanguage
        guard let item = engine.knowledge.item(id: promptID, language: language), let question = item.followUp else { return nil }
        return engine.messages.text("prompt_ack", language, seed: Int(now), ["question": question])
    }

    func fresh() -> DialogueState {
        DialogueState(language: nil)
    }

    func timedTurn(_ message: IncomingMessage, state: DialogueState, now: Double) -> Turn {
        let start = DispatchTime.now().uptimeNanoseconds
        let turn = engine.handle(message, state: state, now: now)
        metrics.observeEngine(seconds: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        metrics.increment("profint_messages_total", [("channel", Self.channel)])
        metrics.increment("profint_intents_total", [("intent", turn.intent ?? "unmatched")])
        return turn
    }

    /// Carries out the turn's action and queues its reply.
    func apply(_ turn: Turn, chatID: Int64, replyTo: Int64?, into outcome: inout ServiceStore.Outcome) throws {
        let chat = String(chatID)
        var reply = turn.reply
        outcome.state = turn.state
        let messages = engine.messages
        switch turn.action {
        case .subscribe(let time, let timezone, let everyDay):
            let zone = timezone ?? configuration.defaultTimezone
            if TimeZone(identifier: zone) == nil {
                reply = Reply(text: messages.text("subscribe_invalid_timezone", turn.language, ["timezone": zone]))
            } else {
                outcome.subscribe = Subscription(channel: Self.channel, chat: chat, time: time, timezone: zone,
                                                 language: turn.language.rawValue, everyDay: everyDay)
            }
        case .unsubscribe:
            outcome.unsubscribe = true
        case .subscriptionStatus:
            if let s = try store.subscription(channel: Self.channel, chat: chat) {
                let days = Self.days(everyDay: s.everyDay, turn.language)
                reply.text += "\n\n" + messages.text("status_subscribed", turn.language, ["time": s.time, "timezone": s.timezone, "days": days])
            } else {
                reply.text += "\n\n" + messages.text("status_not_subscribed", turn.language)
            }
        case .forget:
            outcome.forget = true
            outcome.state = nil
        case .todayPrompt, nil:
            break
        }
        let calls = TelegramRenderer.sendMessages(for: reply, chat: chatID, replyTo: replyTo)
        if calls.count > 1 { outcome.calls.append(Self.outbound(TelegramRenderer.typing(chat: chatID))) }
        outcome.calls += calls.map(Self.outbound)
    }

    static func days(everyDay: Bool, _ language: Language) -> String {
        switch (language, everyDay) {
        case (.en, false): "Monday to Friday"
        case (.en, true): "every day"
        case (.fr, false): "du lundi au vendredi"
        case (.fr, true): "tous les jours"
        case (.it, false): "dal lunedì al venerdì"
        case (.it, true): "ogni giorno"
        case (.sv, false): "måndag till fredag"
        case (.sv, true): "varje dag"
        }
    }

    static func outbound(_ call: TelegramCall) -> OutboundCall {
        OutboundCall(method: call.method, body: [UInt8](call.jsonBody()))
    }
}
