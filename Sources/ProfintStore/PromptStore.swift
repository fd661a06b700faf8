import Foundation
import GRDB
import ProfintCore

/// Subscriptions to the daily prompt and the deliveries claimed for them.
public struct PromptStore: Sendable {
    public let database: ProfintDatabase

    public init(database: ProfintDatabase) {
        self.database = database
    }

    /// A subscription with its scheduling state.
    public struct Entry: Sendable, Hashable {
        public var subscription: Subscription
        public var nextDueAt: Double?
        public var lastSentDay: String?
        public var cycle: [String]
    }

    /// Adds or replaces a subscription (from a command or `profint prompts add`).
    public func subscribe(_ s: Subscription, now: Double) throws {
        try database.writer.write { db in
            try db.execute(sql: """
                INSERT INTO subscription (channel, chat, time, timezone, language, every_day, created_at, next_due_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, NULL)
                ON CONFLICT (channel, chat) DO UPDATE SET time = excluded.time, timezone = excluded.timezone,
                    language = excluded.language, every_day = excluded.every_day, next_due_at = NULL
                """, arguments: [s.channel, s.chat, s.time, s.timezone, s.language, s.everyDay, now])
        }
    }

    public func unsubscribe(channel: String, chat: String) throws -> Bool {
        try database.writer.write { db in
            try db.execute(sql: "DELETE FROM subscription WHERE channel = ? AND chat = ?", arguments: [channel, chat])
            return db.changesCount > 0
        }
    }

    public func all() throws -> [Entry] {
        try database.writer.read { db in
            let cycles = try PromptCycles(db)
            return try Row.fetchAll(db, sql: "SELECT * FROM subscription ORDER BY channel, chat").map { Self.entry($0, cycles: cycles) }
        }
    }

    static func entry(_ row: Row, cycles: PromptCycles) -> Entry {
        Entry(subscription: Subscription(channel: row["channel"], chat: row["chat"], time: row["time"], timezone: row["timezone"],
                                         language: row["language"], everyDay: row["every_day"]),
              nextDueAt: row["next_due_at"], lastSentDay: row["last_sent_day"],
              cycle: cycles.ids(of: row["cycle"] as String? ?? "").split(separator: ",").map(String.init))
    }

    /// One prompt to send: what the scheduler hands to the channel.
    public struct Delivery: Sendable, Hashable {
        public var subscription: Subscription
        public var day: String
        public var promptID: String
    }

    /// One scheduler pass at `now`: for every subscription due, claims the
    /// day's delivery (at most one per chat and local day, by the primary
    /// key), lets `render` produce the outbound calls, and enqueues them —
    /// all in one transaction, so a crash leaves either everything or nothing.
    /// Returns the deliveries claimed.
    ///
    /// - Parameters:
    ///   - sharesBodies: whether a channel's bodies are the same for every chat
    ///     (rendered with `OutboxTemplate.placeholderChat`, or with no chat id at
    ///     all). They are then rendered once per channel, language and prompt,
    ///     stored once in `outbox_template`, and each chat's outbox row points to them.
    ///   - render: the calls for a delivery; nil when the channel cannot deliver
    ///     (not configured): the day stays unclaimed.
    @discardableResult
    public func runPass(now: Double, bank: [String], sharesBodies: (_ channel: String) -> Bool = { _ in false },
                        render: (Delivery) -> [OutboundCall]?) throws -> [Delivery] {
        try database.writer.write { db in
            // A pass over most subscriptions (the morning rush, the first pass) reads the
            // table in rowid order, sequentially; a pass over a few (every minute or so)
            // finds them through `subscription_due`. A bounded count decides.
            // The largest rowid bounds the number of subscriptions (rowids are never larger than needed).
            let lastRowid = try Int64.fetchOne(db, sql: "SELECT max(rowid) FROM subscription") ?? 0
            let threshold = lastRowid / 8 + 1
            let dueCount = try Int64.fetchOne(db, sql: """
                SELECT count(*) FROM (SELECT 1 FROM subscription WHERE next_due_at IS NULL OR next_due_at <= ?1 LIMIT ?2)
                """, arguments: [now, threshold]) ?? 0
            guard dueCount > 0 else { return [] }
            let scan = dueCount >= threshold
            // Room for the pass's pages without spilling them early; the usual bound after.
            if scan { try db.execute(sql: "PRAGMA cache_size = \(ProfintDatabase.passCacheSize)") }
            defer { if scan { try? db.execute(sql: "PRAGMA cache_size = \(ProfintDatabase.cacheSize)") } }

            // Statements prepared once per pass and stepped per row through the C API
            // (positional bindings, no argument arrays per row).
            let due = try RawStatement(db, """
                SELECT rowid, channel, chat, time, timezone, language, every_day, last_sent_day, cycle
                FROM subscription \(scan ? "NOT INDEXED " : "")WHERE next_due_at IS NULL OR next_due_at <= ?1
                """)
            due.bind(1, now)
            // The claim: the primary key (channel, chat, local_day) refuses a second one,
            // whether from this pass, an earlier one or a concurrent process; a refused
            // claim (no row changed) queues nothing.
            let claim = try RawStatement(db, """
                INSERT OR IGNORE INTO prompt_delivery (channel, chat, local_day, prompt_id, claimed_at) VALUES (?1, ?2, ?3, ?4, ?5)
                """)
            claim.bind(5, now)
            let storeTemplate = try RawStatement(db, "INSERT INTO outbox_template (body, created_at) VALUES (?1, ?2)")
            storeTemplate.bind(2, now)
            // Due at once (next_attempt_at 0), whatever instant the pass was run for (`send-due --now`).
            let enqueue = try RawStatement(db, """
                INSERT INTO outbox (channel, chat, is_group, method, body, created_at, next_attempt_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0)
                """)
            enqueue.bind(6, now)
            typealias SharedRow = (channel: String, chat: String, isGroup: Bool, method: String, template: Int64)
            let sharedRows = RowBatches<SharedRow>(db, rowsPerStatement: 64, parametersPerRow: 6, sql: { n in
                "INSERT INTO outbox (channel, chat, is_group, method, created_at, next_attempt_at, template_id, body) VALUES "
                    + RowBatches<SharedRow>.tuples(n, width: 6) { p in "(?\(p),?\(p + 1),?\(p + 2),?\(p + 3),?\(p + 4),0,?\(p + 5),X'')" }
            }, bind: { statement, p, row in
                statement.bind(p, row.channel)
                statement.bind(p + 1, row.chat)
                statement.bind(p + 2, row.isGroup)
                statement.bind(p + 3, row.method)
                statement.bind(p + 4, now)
                statement.bind(p + 5, row.template)
            })

            var claimed: [Delivery] = []
            var updates: [SubscriptionUpdate] = []
            let expected = Int(scan ? lastRowid : dueCount)
            updates.reserveCapacity(expected)
            claimed.reserveCapacity(expected)
            // Per time, zone and every-day flag, once per pass: the local day due now (if any,
            // before looking at what was sent) and the next delivery instant.
            var plans: [ScheduleKey: SchedulePlan?] = [:]
            var rotations = RotationMemo(bank: bank, cycles: try PromptCycles(db))
            var shares: [String: Bool] = [:]
            var templates: [TemplateSlot: [(method: String, id: Int64)]] = [:]

            while try due.step() {
                let time = due.string(3), timezone = due.string(4), everyDay = due.bool(6)
                let scheduleKey = ScheduleKey(time: time, timezone: timezone, everyDay: everyDay)
                let cached: SchedulePlan?
                if let known = plans[scheduleKey] {
                    cached = known
                } else {
                    cached = PromptSchedule(time: time, timezone: timezone, everyDay: everyDay).map { SchedulePlan($0, now: now) }
                    plans[scheduleKey] = .some(cached)
                }
                guard let plan = cached else { continue }
                var update = SubscriptionUpdate(rowid: due.int64(0), next: plan.next)
                // Due today unless today's prompt already went (catch-up covers only the same local day).
                if let day = plan.due, !due.text(7, equals: plan.dueBytes), let rotation = try rotations.next(after: due.string(8)) {
                    let s = Subscription(channel: due.string(1), chat: due.string(2), time: time, timezone: timezone,
                                         language: due.string(5), everyDay: everyDay)
                    let delivery = Delivery(subscription: s, day: day, promptID: rotation.promptID)
                    let shared: Bool
                    if let known = shares[s.channel] {
                        shared = known
                    } else {
                        shared = sharesBodies(s.channel)
                        shares[s.channel] = shared
                    }
                    let slot = TemplateSlot(channel: s.channel, language: s.language, promptID: rotation.promptID)
                    let stored = shared ? templates[slot] : nil
                    var rendered: [OutboundCall] = []
                    if stored == nil {
                        // A channel that cannot deliver (not configured) leaves the day unclaimed.
                        guard let calls = render(delivery) else { continue }
                        rendered = calls
                    }
                    claim.bind(1, s.channel)
                    claim.bind(2, s.chat)
                    claim.bind(3, day)
                    claim.bind(4, rotation.promptID)
                    if try claim.execute() == 1 {
                        let isGroup = s.chat.hasPrefix("-")
                        if shared {
                            var bodies = stored ?? []
                            if stored == nil {
                                for call in rendered {
                                    storeTemplate.bind(1, call.body)
                                    try storeTemplate.execute()
                                    bodies.append((call.method, db.lastInsertedRowID))
                                }
                                templates[slot] = bodies
                            }
                            for t in bodies { try sharedRows.append((s.channel, s.chat, isGroup, t.method, t.id)) }
                        } else {
                            for call in rendered {
                                enqueue.bind(1, s.channel)
                                enqueue.bind(2, s.chat)
                                enqueue.bind(3, isGroup)
                                enqueue.bind(4, call.method)
                                enqueue.bind(5, call.body)
                                try enqueue.execute()
                            }
                        }
                        claimed.append(delivery)
                        update.cycle = rotation.cycle
                    }
                    update.lastSentDay = day
                }
                updates.append(update)
            }
            try sharedRows.flush()

            // Every subscription read moves on to its next delivery. The rows are updated
            // once the cursor is done (not while it still reads the table), by rowid.
            updates.sort { $0.rowid < $1.rowid }
            try SubscriptionMoves.write(updates, db, wholeTable: scan)
            return claimed
        }
    }

    /// The earliest instant a subscription is due, if any.
    public func nextDue() throws -> Double? {
        try database.writer.read { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM subscription WHERE next_due_at IS NULL LIMIT 1") == true { return 0 }
            return try Double.fetchOne(db, sql: "SELECT MIN(next_due_at) FROM subscription")
        }
    }

    /// The prompt delivered to a chat on a local day, if any (for replies to it).
    public func delivery(channel: String, chat: String, day: String) throws -> String? {
        try database.writer.read { db in
            try String.fetchOne(db, sql: "SELECT prompt_id FROM prompt_delivery WHERE channel = ? AND chat = ? AND local_day = ?",
                                arguments: [channel, chat, day])
        }
    }
}
