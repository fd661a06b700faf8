import Foundation
import Logging
import ProfintCore
import ProfintMatrix
import ProfintStore
import ProfintTelegram
import ServiceLifecycle
import Synchronization

/// Sends each subscribed chat one practice prompt per working day at its
/// local time. Wakes at the next due time (not a busy poll), claims the
/// deliveries in a transaction and hands them to the outbox.
public final class PromptScheduler: Service, Sendable {
    let prompts: PromptStore
    let engine: Engine
    let sender: OutboxSender?
    let logger: Logger
    let clock: @Sendable () -> Double
    /// The channels that are configured: prompts of the others wait.
    let channels: Set<String>
    private let wakeup = Wakeup()
    /// Longest sleep, so that a clock jump or a new subscription is seen soon.
    let maximumSleep = 60.0

    public init(prompts: PromptStore, engine: Engine, sender: OutboxSender?, channels: Set<String>, logger: Logger,
                clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }) {
        self.prompts = prompts
        self.engine = engine
        self.sender = sender
        self.channels = channels
        self.logger = logger
        self.clock = clock
    }

    /// A subscription changed: look again now.
    public func wake() {
        wakeup.wake()
    }

    public func run() async throws {
        while !(Task.isCancelled || Task.isShuttingDownGracefully) {
            do {
                _ = try pass(now: clock())
            } catch {
                logger.error("prompt scheduler pass failed", metadata: ["profint.error": "\(error)"])
            }
            let next = (try? prompts.nextDue()) ?? nil
            let wait = min(maximumSleep, max(0.05, (next ?? .infinity) - clock()))
            await wakeup.sleep(seconds: wait)
        }
    }

    /// One pass at `now`: the deliveries claimed (already in the outbox).
    @discardableResult
    public func pass(now: Double) throws -> [PromptStore.Delivery] {
        // Each prompt is rendered once per language and pass, with a placeholder
        // chat id; the outbox stores that body once for all its chats.
        let claimed = try prompts.runPass(now: now, bank: engine.promptIDs, sharesBodies: { _ in true }) { delivery in
            let s = delivery.subscription
            guard channels.contains(s.channel) else { return nil }
            switch s.channel {
            case TelegramChannel.channel:
                guard Int64(s.chat) != nil else { return nil }
                return self.render(delivery, chat: OutboxTemplate.placeholderChat)
            case MatrixChannel.channel:
                return self.renderMatrix(delivery)
            default:
                return nil
            }
        }
        if !claimed.isEmpty {
            logger.info("daily prompts queued", metadata: ["profint.count": "\(claimed.count)"])
            sender?.wake()
        }
        return claimed
    }

    /// The prompt of a delivery in the chat's language, and the success
    /// factor or module it links to (the reply's only choice).
    func prompt(_ delivery: PromptStore.Delivery) -> (reply: Reply, factor: String?)? {
        let language = Language(rawValue: delivery.subscription.language) ?? .en
        guard let item = engine.knowledge.item(id: delivery.promptID, language: language) else { return nil }
        let body = MarkdownText.plain(item.body.isEmpty ? item.summary : item.body)
        var reply = Reply(text: "\(item.title)\n\n\(body)", resources: [item.id])
        guard let factor = item.factor, let linked = engine.knowledge.item(id: factor, language: language) else { return (reply, nil) }
        reply.choices = [Choice(label: linked.title, payload: "item:" + factor)]
        return (reply, factor)
    }

    /// For Telegram, the choice is a button that names the item (`k:<id>`),
    /// so no chat state is needed.
    func render(_ delivery: PromptStore.Delivery, chat: Int64) -> [OutboundCall]? {
        guard var (reply, factor) = prompt(delivery) else { return nil }
        let button = reply.choices.first
        reply.choices = []
        var calls = TelegramRenderer.sendMessages(for: reply, chat: chat)
        if let factor, let button, ("k:" + factor).utf8.count <= 64, !calls.isEmpty {
            calls[calls.count - 1].parameters["reply_markup"] = .object([
                "inline_keyboard": .array([.array([.object(["text": .string(String(button.label.prefix(64))),
                                                             "callback_data": .string("k:" + factor)])])]),
            ])
        }
        return calls.map { OutboundCall(method: $0.method, body: [UInt8]($0.jsonBody())) }
    }

    /// For Matrix, the choice is numbered: the room answers "1" to open it.
    /// No chat id in the body, so one body serves every room.
    func renderMatrix(_ delivery: PromptStore.Delivery) -> [OutboundCall]? {
        prompt(delivery).map { MatrixChannel.sends($0.reply) }
    }
}
