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
                        render: (Delivery) -> (calls: [OutboundCall], choices: [String])?) throws -> [Delivery] {
        try database.writer.write { db in
            var claimed: [Delivery] = []
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM subscription WHERE next_due_at IS NULL OR next_due_at <= ?", arguments: [now])
            let claim = try db.cachedStatement(sql: "INSERT OR IGNORE INTO prompt_delivery (channel, chat, local_day, prompt_id, claimed_at) VALUES (?, ?, ?, ?, ?)")
            let update = try db.cachedStatement(sql: "UPDATE subscription SET next_due_at = ?, last_sent_day = ?, cycle = ? WHERE channel = ? AND chat = ?")
            let enqueue = try db.cachedStatement(sql: """
                INSERT INTO outbox (channel, chat, is_group, method, body, created_at, next_attempt_at) VALUES (?, ?, 1, ?, ?, ?, ?)
                """)
            let enqueueShared = try db.cachedStatement(sql: """
                INSERT INTO outbox (channel, chat, is_group, method, body, created_at, next_attempt_at, template_id) VALUES (?, ?, 1, ?, X'', ?, ?, ?)
                """)
            var templates: [String: [(method: String, id: Int64)]] = [:]
            var schedules: [String: PromptSchedule?] = [:]   // time|zone|everyDay → schedule, built once per pass
            var freshStates: [[String]: Data] = [:]
            let prepared = PromptBank(bank)
            for row in rows {
                var entry = Self.entry(row)
                let s = entry.subscription
                let key = "\(s.time)|\(s.timezone)|\(s.everyDay)"
                let cached = schedules[key] ?? {
                    let built = PromptSchedule(time: s.time, timezone: s.timezone, everyDay: s.everyDay)
                    schedules[key] = .some(built)
                    return built
                }()
                guard let schedule = cached else { continue }
                if let day = DailyPromptPlanner.dueDay(now: now, schedule, lastSent: entry.lastSentDay.flatMap(LocalDay.init(string:))),
                   let promptID = entry.cycle.isEmpty ? bank.first : PromptRotation.next(bank: prepared, sent: entry.cycle) {
                    let delivery = Delivery(subscription: s, day: day.description, promptID: promptID)
                    // A channel that cannot deliver (not configured) leaves the day unclaimed.
                    let key = templateKey(delivery)
                    let shared = key.flatMap { templates[$0] }
                    var rendered: (calls: [OutboundCall], choices: [String]) = ([], [])
                    if shared == nil {
                        guard let r = render(delivery) else { continue }
                        rendered = r
                    }
                    try claim.execute(arguments: [s.channel, s.chat, day.description, promptID, now])
                    if db.changesCount == 1 {
                        // Due at once (next_attempt_at 0), whatever instant the pass was run for (`send-due --now`).
                        if let shared {
                            for t in shared { try enqueueShared.execute(arguments: [s.channel, s.chat, t.method, now, 0, t.id]) }
                        } else if let key {
                            var stored: [(method: String, id: Int64)] = []
                            for call in rendered.calls {
                                try db.execute(sql: "INSERT INTO outbox_template (body, created_at) VALUES (?, ?)", arguments: [Data(call.body), now])
                                stored.append((call.method, db.lastInsertedRowID))
                            }
                            templates[key] = stored
                            for t in stored { try enqueueShared.execute(arguments: [s.channel, s.chat, t.method, now, 0, t.id]) }
                        } else {
                            for call in rendered.calls {
                                try enqueue.execute(arguments: [s.channel, s.chat, call.method, Data(call.body), now, 0])
                            }
                        }
                        if !rendered.choices.isEmpty {
                            try Self.offer(rendered.choices, db: db, channel: s.channel, chat: s.chat, now: now, fresh: &freshStates)
                        }
                        claimed.append(delivery)
                        var cycle = entry.cycle + [promptID]
                        // The whole bank used: the next cycle starts afresh.
                        if cycle.count >= bank.count, Set(cycle).isSuperset(of: bank) { cycle = [] }
                        entry.cycle = cycle
                    }
                    entry.lastSentDay = day.description
                }
                let next = DailyPromptPlanner.nextDelivery(after: now, schedule).at
                try update.execute(arguments: [next, entry.lastSentDay, entry.cycle.joined(separator: ","), s.channel, s.chat])
            }
            return claimed
        }
    }

    /// Makes the prompt's buttons answerable: the chat's dialogue state offers them by number.
    /// - Parameter fresh: the encoded state of a chat without one, per choice list (filled as the pass goes).
    static func offer(_ choices: [String], db: Database, channel: String, chat: String, now: Double,
                      fresh: inout [[String]: Data]) throws {
        let data: Data
        let select = try db.cachedStatement(sql: "SELECT state FROM conversation WHERE channel = ? AND chat = ?")
        if let stored = try Data.fetchOne(select, arguments: [channel, chat]),
           var state = try? JSONDecoder().decode(DialogueState.self, from: stored) {
            state.choices = choices
            data = try JSONEncoder().encode(state)
        } else if let cached = fresh[choices] {
            data = cached
        } else {
            var state = DialogueState()
            state.choices = choices
            data = try JSONEncoder().encode(state)
            fresh[choices] = data
        }
        let upsert = try db.cachedStatement(sql: """
            INSERT INTO conversation (channel, chat, state, updated_at, expires_at) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (channel, chat) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at, expires_at = excluded.expires_at
            """)
        try upsert.execute(arguments: [channel, chat, data, now, now + 7 * 24 * 3600])
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
