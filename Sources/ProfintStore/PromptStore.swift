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
        try database.writer.read { db in try Row.fetchAll(db, sql: "SELECT * FROM subscription ORDER BY channel, chat").map(Self.entry) }
    }

    static func entry(_ row: Row) -> Entry {
        Entry(subscription: Subscription(channel: row["channel"], chat: row["chat"], time: row["time"], timezone: row["timezone"],
                                         language: row["language"], everyDay: row["every_day"]),
              nextDueAt: row["next_due_at"], lastSentDay: row["last_sent_day"],
              cycle: (row["cycle"] as String? ?? "").split(separator: ",").map(String.init))
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
    @discardableResult
    /// - Parameter render: the calls for a delivery; bodies rendered with
    ///   `OutboxTemplate.placeholderChat` are stored once and shared, keyed by `templateKey`.
    public func runPass(now: Double, bank: [String], templateKey: (Delivery) -> String? = { _ in nil },
                        render: (Delivery) -> [OutboundCall]?) throws -> [Delivery] {
        try database.writer.write { db in
            var claimed: [Delivery] = []
            // A cursor over positional columns: no 100,000 materialized rows, no lookups by name.
            let rows = try Row.fetchCursor(db, sql: """
                SELECT channel, chat, time, timezone, language, every_day, next_due_at, last_sent_day, cycle
                FROM subscription WHERE next_due_at IS NULL OR next_due_at <= ?
                """, arguments: [now])
            let enqueue = try db.cachedStatement(sql: """
                INSERT INTO outbox (channel, chat, is_group, method, body, created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                """)
            var templates: [String: [(method: String, id: Int64)]] = [:]
            // Per time|zone|everyDay, once per pass: the schedule, the local day due now (if
            // any, before looking at what was sent) and the next delivery instant.
            var schedules: [String: (schedule: PromptSchedule, due: LocalDay?, next: Double)?] = [:]
            let prepared = PromptBank(bank)
            // The pass is one write transaction (SQLite has one writer at a time), so the
            // claims already made can be read first and the new rows written in batches;
            // the primary key of prompt_delivery still refuses a second claim.
            var claimedByDay: [String: Set<String>] = [:]
            var claims: [[DatabaseValueConvertible?]] = []
            var sharedRows: [[DatabaseValueConvertible?]] = []
            var updates: [[DatabaseValueConvertible?]] = []
            while let row = try rows.next() {
                var entry = Entry(
                    subscription: Subscription(channel: row[0], chat: row[1], time: row[2], timezone: row[3], language: row[4], everyDay: row[5]),
                    nextDueAt: row[6], lastSentDay: row[7],
                    cycle: (row[8] as String? ?? "").split(separator: ",").map(String.init))
                let s = entry.subscription
                let key = "\(s.time)|\(s.timezone)|\(s.everyDay)"
                let cached = schedules[key] ?? {
                    let built = PromptSchedule(time: s.time, timezone: s.timezone, everyDay: s.everyDay).map {
                        ($0, DailyPromptPlanner.dueDay(now: now, $0, lastSent: nil), DailyPromptPlanner.nextDelivery(after: now, $0).at)
                    }
                    schedules[key] = .some(built)
                    return built
                }()
                guard let plan = cached else { continue }
                // Due today unless today's prompt already went (catch-up covers only the same local day).
                if let day = plan.due, entry.lastSentDay != day.description,
                   let promptID = entry.cycle.isEmpty ? bank.first : PromptRotation.next(bank: prepared, sent: entry.cycle) {
                    let delivery = Delivery(subscription: s, day: day.description, promptID: promptID)
                    // A channel that cannot deliver (not configured) leaves the day unclaimed.
                    let key = templateKey(delivery)
                    let shared = key.flatMap { templates[$0] }
                    var rendered: [OutboundCall] = []
                    if shared == nil {
                        guard let r = render(delivery) else { continue }
                        rendered = r
                    }
                    let dayKey = day.description
                    if claimedByDay[dayKey] == nil {
                        claimedByDay[dayKey] = Set(try String.fetchAll(db, sql: "SELECT channel || '|' || chat FROM prompt_delivery WHERE local_day = ?",
                                                                        arguments: [dayKey]))
                    }
                    if claimedByDay[dayKey]!.insert("\(s.channel)|\(s.chat)").inserted {
                        claims.append([s.channel, s.chat, dayKey, promptID, now])
                        // Due at once (next_attempt_at 0), whatever instant the pass was run for (`send-due --now`).
                        if let shared {
                            for t in shared { sharedRows.append([s.channel, s.chat, s.chat.hasPrefix("-"), t.method, now, 0, t.id, Data()]) }
                        } else if let key {
                            var stored: [(method: String, id: Int64)] = []
                            for call in rendered {
                                try db.execute(sql: "INSERT INTO outbox_template (body, created_at) VALUES (?, ?)", arguments: [Data(call.body), now])
                                stored.append((call.method, db.lastInsertedRowID))
                            }
                            templates[key] = stored
                            for t in stored { sharedRows.append([s.channel, s.chat, s.chat.hasPrefix("-"), t.method, now, 0, t.id, Data()]) }
                        } else {
                            for call in rendered {
                                try enqueue.execute(arguments: [s.channel, s.chat, s.chat.hasPrefix("-"), call.method, Data(call.body), now, 0])
                            }
                        }
                        claimed.append(delivery)
                        var cycle = entry.cycle + [promptID]
                        // The whole bank used: the next cycle starts afresh.
                        if cycle.count >= bank.count, Set(cycle).isSuperset(of: bank) { cycle = [] }
                        entry.cycle = cycle
                    }
                    entry.lastSentDay = dayKey
                }
                updates.append([s.channel, s.chat, plan.next, entry.lastSentDay, entry.cycle.joined(separator: ",")])
            }
            try Self.insert(db, "INSERT OR IGNORE INTO prompt_delivery (channel, chat, local_day, prompt_id, claimed_at)", claims)
            try Self.insert(db, "INSERT INTO outbox (channel, chat, is_group, method, created_at, next_attempt_at, template_id, body)", sharedRows)
            try db.execute(sql: """
                CREATE TEMP TABLE IF NOT EXISTS pass_update (channel TEXT, chat TEXT, next REAL, last TEXT, cycle TEXT);
                DELETE FROM pass_update;
                """)
            try Self.insert(db, "INSERT INTO pass_update (channel, chat, next, last, cycle)", updates)
            try db.execute(sql: """
                UPDATE subscription SET next_due_at = u.next, last_sent_day = u.last, cycle = u.cycle
                FROM pass_update u WHERE subscription.channel = u.channel AND subscription.chat = u.chat;
                DELETE FROM pass_update;
                """)
            return claimed
        }
    }

    /// Multi-row INSERTs, a few hundred rows per statement.
    static func insert(_ db: Database, _ prefix: String, _ rows: [[DatabaseValueConvertible?]]) throws {
        guard let width = rows.first?.count, width > 0 else { return }
        let perStatement = max(1, 30_000 / width)
        var start = 0
        while start < rows.count {
            let chunk = rows[start..<min(rows.count, start + perStatement)]
            let tuple = "(" + Array(repeating: "?", count: width).joined(separator: ",") + ")"
            let sql = prefix + " VALUES " + Array(repeating: tuple, count: chunk.count).joined(separator: ",")
            try db.cachedStatement(sql: sql).execute(arguments: StatementArguments(chunk.flatMap { $0 }))
            start += perStatement
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
