import Foundation
import Logging
import ProfintCore
import ProfintMatrix
import ProfintStore
import ServiceLifecycle
import Synchronization

/// The Matrix application service's worker: takes the events the
/// transaction endpoint acknowledged (in the inbox), runs them through the
/// same engine and commands as Telegram, and queues the replies in the
/// outbox. Rooms are handled in parallel, each room's events in order; each
/// event is removed from the inbox in the transaction that records its
/// outcome, so a crash leaves it to be processed after the restart, once.
public final class MatrixChannel: Service, Sendable {
    public static let channel = MatrixInboxStore.channel

    let inbox: MatrixInboxStore
    let api: MatrixClientAPI?
    let sender: OutboxSender?
    let metrics: ServiceMetrics
    let logger: Logger
    let configuration: ServerConfiguration
    let bot: MatrixBotIdentity
    let displayName: String
    let turns: TurnApplier
    let clock: @Sendable () -> Double
    private let wakeup = Wakeup()
    /// Failures in a row per event id: an event that keeps failing is dropped
    /// (logged) after `maximumAttempts`, so that it cannot block its room.
    private let failures = Mutex<[String: Int]>([:])
    let maximumAttempts = 20

    public init(engine: Engine, store: ServiceStore, api: MatrixClientAPI?, sender: OutboxSender?, metrics: ServiceMetrics,
                logger: Logger, configuration: ServerConfiguration, settings: ServerConfiguration.Matrix,
                clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }) {
        self.inbox = MatrixInboxStore(service: store)
        self.api = api
        self.sender = sender
        self.metrics = metrics
        self.logger = logger
        self.configuration = configuration
        self.bot = MatrixBotIdentity(localpart: settings.senderLocalpart, serverName: settings.serverName, ignoredUsers: settings.ignoredUsers)
        self.displayName = settings.displayName
        self.turns = TurnApplier(engine: engine, store: store, metrics: metrics, configuration: configuration)
        self.clock = clock
    }

    var engine: Engine { turns.engine }
    var store: ServiceStore { turns.store }

    /// New events are in the inbox: process them now.
    public func wake() {
        wakeup.wake()
    }

    public func run() async throws {
        if let api {
            // The display name is what people type to mention the bot.
            if let answer = try? await api.setDisplayName(displayName, userID: bot.userID), answer.status != 200 {
                logger.notice("could not set the Matrix display name", metadata: ["profint.status": "\(answer.status)", "profint.error": "\(answer.description)"])
            }
        }
        logger.info("matrix channel started", metadata: ["profint.user": "\(bot.userID)"])
        while !(Task.isCancelled || Task.isShuttingDownGracefully) {
            let processed = await drain()
            if processed == 0 { await wakeup.sleep(seconds: 1) }
        }
        // Finish what was acknowledged before stopping, if it is quick.
        _ = await drain()
        logger.info("matrix channel stopped")
    }

    /// Processes what waits in the inbox (one batch); returns how many events.
    @discardableResult
    public func drain() async -> Int {
        let batch: [MatrixInboxStore.Pending]
        do {
            batch = try await inbox.pending(limit: 200)
        } catch {
            logger.error("matrix inbox read failed", metadata: ["profint.error": "\(error)"])
            return 0
        }
        guard !batch.isEmpty else { return 0 }
        var rooms: [String: [MatrixInboxStore.Pending]] = [:]
        var order: [String] = []
        for event in batch {
            if rooms[event.roomID] == nil { order.append(event.roomID) }
            rooms[event.roomID, default: []].append(event)
        }
        await withTaskGroup(of: Void.self) { group in
            for room in order {
                let events = rooms[room] ?? []
                group.addTask {
                    for event in events { await self.process(event) }
                }
            }
        }
        return batch.count
    }

    func process(_ pending: MatrixInboxStore.Pending) async {
        do {
            guard let json = try? JSONDecoder().decode(MatrixJSON.self, from: pending.event), let event = MatrixEvent(json: json) else {
                try inbox.record(pending, outcome: .init(), now: clock())
                return
            }
            let meaning = MatrixInbound.event(for: event, bot: bot, displayName: displayName)
            // The member count decides whether a message is addressed; ask the homeserver when unknown.
            var members: Int?
            switch meaning {
            case .message, .unsupported:
                members = try await memberCount(room: event.roomID)
            default:
                break
            }
            let count = members
            try await offThePool { try self.handle(meaning, pending: pending, members: count) }
            failures.withLock { _ = $0.removeValue(forKey: pending.eventID) }
        } catch {
            let attempts = failures.withLock { $0[pending.eventID, default: 0] += 1; return $0[pending.eventID]! }
            if attempts >= maximumAttempts {
                logger.error("matrix event dropped after repeated failures", metadata: [
                    "profint.event": "\(pending.eventID)", "profint.attempts": "\(attempts)", "profint.error": "\(error)",
                ])
                if (try? inbox.record(pending, outcome: .init(), now: clock())) != nil {
                    failures.withLock { _ = $0.removeValue(forKey: pending.eventID) }
                }
                return
            }
            // Left in the inbox: the next pass tries again, a little later each time.
            logger.error("matrix event failed; will retry", metadata: ["profint.event": "\(pending.eventID)", "profint.error": "\(error)"])
            try? await Task.sleep(nanoseconds: UInt64(min(attempts, 10)) * 200_000_000)
        }
    }

    func memberCount(room: String) async throws -> Int {
        if let known = try inbox.members(room: room) { return known }
        guard let api, let count = try await api.joinedMemberCount(room: room) else { return 3 }
        try inbox.setMembers(count, room: room)
        return count
    }

    /// Decides the outcome of one event and records it with the event's removal from the inbox.
    func handle(_ meaning: MatrixInboundEvent, pending: MatrixInboxStore.Pending, members: Int?) throws {
        let now = clock()
        let room = pending.roomID
        var outcome = ServiceStore.Outcome()
        var encryptedNotice = false
        outcome.isGroup = (members ?? 3) > 2
        switch meaning {
        case .invited(_, _, let isDirect):
            outcome.calls.append(OutboundCall(method: "join", body: Array("{}".utf8)))
            if try !store.wasIntroduced(channel: Self.channel, chat: room) {
                let text = isDirect
                    ? turns.turn(IncomingMessage(text: "/start"), state: DialogueState(language: nil), now: now, channel: Self.channel).reply.text
                    : engine.messages.text("introduction", configuration.defaultLanguage, seed: Int(now))
                outcome.calls += Self.sends(Reply(text: text))
                outcome.introduced = true
            }
            try inbox.setMembers(nil, room: room)
        case .removed:
            outcome.forget = true
        case .membersChanged:
            try inbox.setMembers(nil, room: room)
        case .encrypted:
            if try !inbox.sentEncryptedNotice(room: room) {
                let state = try store.conversation(channel: Self.channel, chat: room, now: now)
                let language = state?.language ?? configuration.defaultLanguage
                outcome.calls.append(OutboundCall(method: "m.room.message",
                                                  body: [UInt8](MatrixRenderer.notice(engine.messages.text("encrypted_room", language, seed: Int(now))).jsonData())))
                encryptedNotice = true
            }
        case .unsupported(_, _, _, let addressed):
            if addressed || (members ?? 3) <= 2 {
                let state = try store.conversation(channel: Self.channel, chat: room, now: now)
                let language = state?.language ?? configuration.defaultLanguage
                outcome.calls += Self.sends(Reply(text: engine.messages.text("text_only", language, seed: Int(now))))
            }
        case .message(let message):
            if message.isAddressed(members: members ?? 3) {
                try answer(message, room: room, busy: outcome.isGroup, now: now, into: &outcome)
            }
        case .ignored:
            break
        }
        let recorded = try inbox.record(pending, outcome: outcome, encryptedNotice: encryptedNotice, now: now)
        if recorded, !outcome.calls.isEmpty { sender?.wake() }
    }

    func answer(_ message: MatrixMessage, room: String, busy: Bool, now: Double, into outcome: inout ServiceStore.Outcome) throws {
        let replyTo = busy ? message.eventID : nil
        let mention = busy ? message.sender : nil
        let state = try store.conversation(channel: Self.channel, chat: room, now: now) ?? DialogueState(language: nil)
        var computed: Turn?
        if message.repliesToBot {
            // A reply to today's prompt, unless it reports a risk to someone: thanks
            // and the prompt's follow-up question; the text is not kept.
            let turn = turns.turn(IncomingMessage(text: message.text), state: state, now: now, channel: Self.channel, chat: room)
            computed = turn
            if Engine.isSafety(turn.intent) {
                let reply = try turns.apply(turn, channel: Self.channel, chat: room, into: &outcome)
                outcome.calls += Self.sends(reply, inReplyTo: replyTo, mention: mention)
                return
            }
            if let ack = try turns.promptReply(channel: Self.channel, chat: room, text: message.text, now: now) {
                outcome.calls += Self.sends(Reply(text: ack), inReplyTo: replyTo, mention: mention)
                return
            }
        }
        var incoming = IncomingMessage(text: message.text)
        if message.text == "1", let (prompt, _, sentAt) = try turns.recentPrompt(channel: Self.channel, chat: room, now: now),
           sentAt > (state.updatedAt ?? 0) || state.choices.isEmpty, let factor = prompt.factor {
            // "1" right after a prompt (the bot's latest message) opens its success factor or module, the prompt's only choice.
            incoming = .choice("item:" + factor)
        }
        // The turn already computed for a reply to the bot, unless "1" became a choice.
        let reusable = incoming.choice == nil ? computed : nil
        let turn = reusable ?? turns.turn(incoming, state: state, now: now, channel: Self.channel, chat: room)
        let reply = try turns.apply(turn, channel: Self.channel, chat: room, into: &outcome)
        outcome.calls += Self.sends(reply, inReplyTo: replyTo, mention: mention)
    }

    static func sends(_ reply: Reply, inReplyTo: String? = nil, mention: String? = nil) -> [OutboundCall] {
        MatrixRenderer.contents(for: reply, inReplyTo: inReplyTo, mention: mention).map {
            OutboundCall(method: "m.room.message", body: [UInt8]($0.jsonData()))
        }
    }
}
