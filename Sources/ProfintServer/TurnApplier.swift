import Foundation
import ProfintCore
import ProfintStore

/// What every channel does with a message once it knows it must answer:
/// run the engine (timed, counted), carry out the turn's action
/// (subscribe, unsubscribe, status, forget) and say what the reply becomes.
/// Rendering the reply is the channel's business.
struct TurnApplier: Sendable {
    let engine: Engine
    let store: ServiceStore
    let metrics: ServiceMetrics
    let configuration: ServerConfiguration

    func turn(_ message: IncomingMessage, state: DialogueState, now: Double, channel: String, chat: String? = nil) -> Turn {
        // Matching and reply composition apart from the knowledge queries
        // (SQLite), which have their own histogram.
        KnowledgeStopwatch.reset()
        let start = DispatchTime.now().uptimeNanoseconds
        var turn = engine.handle(message, state: state, now: now)
        // A safety reply without a country: the chat's subscription may say
        // where it is (its time zone), and the national lines replace the EU-wide ones.
        if Engine.isSafety(turn.intent), Engine.asksForCountry(turn.reply), message.country == nil, let chat,
           let country = try? chatCountry(channel: channel, chat: chat) {
            var located = message
            located.country = country
            turn = engine.handle(located, state: state, now: now)
        }
        let total = DispatchTime.now().uptimeNanoseconds - start
        let knowledge = min(KnowledgeStopwatch.elapsed, total)
        metrics.observe("profint_engine_seconds", seconds: Double(total - knowledge) / 1e9)
        if knowledge > 0 { metrics.observe("profint_knowledge_seconds", seconds: Double(knowledge) / 1e9) }
        metrics.increment("profint_messages_total", [("channel", channel)])
        metrics.increment("profint_intents_total", [("intent", turn.intent ?? "unmatched")])
        return turn
    }

    /// Carries out the turn's action into `outcome` (and its new state) and
    /// returns the reply to send.
    func apply(_ turn: Turn, channel: String, chat: String, into outcome: inout ServiceStore.Outcome) throws -> Reply {
        var reply = turn.reply
        outcome.state = turn.state
        let messages = engine.messages
        switch turn.action {
        case .subscribe(let time, let timezone, let everyDay):
            let zone = timezone ?? configuration.defaultTimezone
            if TimeZone(identifier: zone) == nil {
                reply = Reply(text: messages.text("subscribe_invalid_timezone", turn.language, ["timezone": zone]))
            } else {
                outcome.subscribe = Subscription(channel: channel, chat: chat, time: time, timezone: zone,
                                                 language: turn.language.rawValue, everyDay: everyDay)
            }
        case .unsubscribe:
            outcome.unsubscribe = true
        case .subscriptionStatus:
            if let s = try store.subscription(channel: channel, chat: chat) {
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
        return reply
    }

    /// The country of a chat's prompt subscription, from its time zone.
    func chatCountry(channel: String, chat: String) throws -> String? {
        guard let subscription = try store.subscription(channel: channel, chat: chat) else { return nil }
        return Self.countries[subscription.timezone]
    }

    /// Time zones that name a country of the content.
    static let countries = ["Europe/Paris": "FR", "Europe/Rome": "IT", "Europe/Stockholm": "SE"]

    /// How long after its delivery a prompt can be answered or opened.
    static let promptWindow = 24.0 * 3600

    /// The chat's latest prompt if it was sent less than a day ago: its item,
    /// the subscription's language and when it was sent.
    func recentPrompt(channel: String, chat: String, now: Double) throws -> (item: KnowledgeItem, language: Language, sentAt: Double)? {
        guard let subscription = try store.subscription(channel: channel, chat: chat),
              let latest = try PromptStore(database: store.database).latestDelivery(channel: channel, chat: chat),
              latest.claimedAt > now - Self.promptWindow else { return nil }
        let language = Language(rawValue: subscription.language) ?? configuration.defaultLanguage
        guard let item = engine.knowledge.item(id: latest.promptID, language: language) else { return nil }
        return (item, language, latest.claimedAt)
    }

    /// The acknowledgement of a reply to the latest prompt, if the chat got
    /// one in the last day and the reply is not a question for the bot.
    func promptReply(channel: String, chat: String, text: String, now: Double) throws -> String? {
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix("?"),
              let (item, language, _) = try recentPrompt(channel: channel, chat: chat, now: now),
              let question = item.followUp else { return nil }
        return engine.messages.text("prompt_ack", language, seed: Int(now), ["question": question])
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
}
