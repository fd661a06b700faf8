import Foundation
import GRDB
import ProfintCore

/// What `profint serve` keeps in SQLite, behind methods named for what they
/// do. Every change a message causes (the update marked processed, the new
/// dialogue state, the replies to send) is written in one transaction.
public struct ServiceStore: Sendable {
    public let database: ProfintDatabase
    /// How long a conversation's state is kept without activity.
    public var stateLifetime: Double

    public init(database: ProfintDatabase, stateLifetime: Double = 7 * 24 * 3600) {
        self.database = database
        self.stateLifetime = stateLifetime
    }

    /// Whether an update was already processed.
    public func isProcessed(channel: String, update: String) throws -> Bool {
        try database.writer.read { db in
            try Bool.fetchOne(db, sql: "SELECT 1 FROM processed_update WHERE channel = ? AND update_key = ?",
                              arguments: [channel, update]) ?? false
        }
    }

    /// The chat's dialogue state, if it has one that has not expired.
    public func conversation(channel: String, chat: String, now: Double) throws -> DialogueState? {
        try database.writer.read { db in
            guard let data = try Data.fetchOne(db, sql: "SELECT state FROM conversation WHERE channel = ? AND chat = ? AND expires_at > ?",
                                               arguments: [channel, chat, now]) else { return nil }
            return try? JSONDecoder().decode(DialogueState.self, from: data)
        }
    }

    /// What a processed update changes.
    public struct Outcome: Sendable {
        public var state: DialogueState?
        public var calls: [OutboundCall]
        public var isGroup: Bool
        public var forget: Bool
        public var subscribe: Subscription?
        public var unsubscribe: Bool
        public var introduced: Bool

        public init(state: DialogueState? = nil, calls: [OutboundCall] = [], isGroup: Bool = false, forget: Bool = false,
                    subscribe: Subscription? = nil, unsubscribe: Bool = false, introduced: Bool = false) {
            self.state = state
            self.calls = calls
            self.isGroup = isGroup
            self.forget = forget
            self.subscribe = subscribe
            self.unsubscribe = unsubscribe
            self.introduced = introduced
        }
    }

    /// Marks the update processed and applies its outcome atomically.
    /// Returns false (and changes nothing) when the update was already processed.
    @discardableResult
    public func record(channel: String, update: String, chat: String, outcome: Outcome, now: Double) throws -> Bool {
        try database.writer.write { db in try record(db, channel: channel, update: update, chat: chat, outcome: outcome, now: now) }
    }

    func record(_ db: Database, channel: String, update: String, chat: String, outcome: Outcome, now: Double) throws -> Bool {
        do {
            try db.execute(sql: "INSERT OR IGNORE INTO processed_update (channel, update_key, processed_at) VALUES (?, ?, ?)",
                           arguments: [channel, update, now])
            guard db.changesCount == 1 else { return false }
            if outcome.forget {
                try Self.deleteChat(db, channel: channel, chat: chat)
            }
            if let state = outcome.state, !outcome.forget {
                let data = try JSONEncoder().encode(state)
                try db.execute(sql: """
                    INSERT INTO conversation (channel, chat, state, updated_at, expires_at) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (channel, chat) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at,
                        expires_at = excluded.expires_at
                    """, arguments: [channel, chat, data, now, now + stateLifetime])
            }
            if let s = outcome.subscribe {
                try db.execute(sql: """
                    INSERT INTO subscription (channel, chat, time, timezone, language, every_day, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (channel, chat) DO UPDATE SET time = excluded.time, timezone = excluded.timezone,
                        language = excluded.language, every_day = excluded.every_day, next_due_at = NULL
                    """, arguments: [s.channel, s.chat, s.time, s.timezone, s.language, s.everyDay, now])
            }
            if outcome.unsubscribe {
                try db.execute(sql: "DELETE FROM subscription WHERE channel = ? AND chat = ?", arguments: [channel, chat])
            }
            if outcome.introduced {
                try db.execute(sql: "INSERT OR IGNORE INTO introduced_chat (channel, chat) VALUES (?, ?)", arguments: [channel, chat])
            }
            for call in outcome.calls {
                try db.execute(sql: """
                    INSERT INTO outbox (channel, chat, is_group, method, body, created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [channel, chat, outcome.isGroup, call.method, Data(call.body), now, now])
            }
            return true
        }
    }

    /// Whether the bot already introduced itself in a chat.
    public func wasIntroduced(channel: String, chat: String) throws -> Bool {
        try database.writer.read { db in
            try Bool.fetchOne(db, sql: "SELECT 1 FROM introduced_chat WHERE channel = ? AND chat = ?", arguments: [channel, chat]) ?? false
        }
    }

    public func subscription(channel: String, chat: String) throws -> Subscription? {
        try database.writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM subscription WHERE channel = ? AND chat = ?", arguments: [channel, chat]).map {
                Subscription(channel: $0["channel"], chat: $0["chat"], time: $0["time"], timezone: $0["timezone"],
                             language: $0["language"], everyDay: $0["every_day"])
            }
        }
    }

    static func deleteChat(_ db: Database, channel: String, chat: String) throws {
        for table in ["conversation", "subscription", "introduced_chat"] {
            try db.execute(sql: "DELETE FROM \(table) WHERE channel = ? AND chat = ?", arguments: [channel, chat])
        }
        if channel == "matrix" {
            try db.execute(sql: "DELETE FROM matrix_room WHERE room_id = ?", arguments: [chat])
        }
    }

    // MARK: - Outbox

    /// Calls due at `now`, oldest first.
    public func dueMessages(now: Double, limit: Int = 100) throws -> [OutboxMessage] {
        try database.writer.read { db in try Self.dueMessages(db, now: now, limit: limit) }
    }

    static func dueMessages(_ db: Database, now: Double, limit: Int, withBodies: Bool = true) throws -> [OutboxMessage] {
        let sql = withBodies
            ? """
              SELECT o.id, o.channel, o.chat, o.is_group, o.method, o.attempts, o.next_attempt_at, o.template_id,
                     COALESCE(t.body, o.body) AS body
              FROM outbox o LEFT JOIN outbox_template t ON t.id = o.template_id
              WHERE o.next_attempt_at <= ? ORDER BY o.id LIMIT ?
              """
            : "SELECT id, channel, chat, is_group, method, attempts, next_attempt_at FROM outbox WHERE next_attempt_at <= ? ORDER BY id LIMIT ?"
        return try Row.fetchAll(db, sql: sql, arguments: [now, limit]).map { row in
            var body: [UInt8] = []
            if withBodies {
                body = [UInt8](row["body"] as Data)
                if (row["template_id"] as Int64?) != nil { body = OutboxTemplate.fill(body, chat: row["chat"]) }
            }
            return OutboxMessage(id: row["id"], channel: row["channel"], chat: row["chat"], isGroup: row["is_group"],
                                 method: row["method"], body: body, attempts: row["attempts"], nextAttemptAt: row["next_attempt_at"])
        }
    }

    /// The bodies of some outbox calls, by id (a shared template gets the row's chat id).
    public func bodies(_ ids: [Int64]) async throws -> [Int64: [UInt8]] {
        guard !ids.isEmpty else { return [:] }
        return try await database.writer.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT o.id, o.chat, COALESCE(t.body, o.body) AS body, o.template_id
                FROM outbox o LEFT JOIN outbox_template t ON t.id = o.template_id
                WHERE o.id IN (\(ids.map { _ in "?" }.joined(separator: ",")))
                """, arguments: StatementArguments(ids))
            return Dictionary(uniqueKeysWithValues: rows.map { row in
                let body = [UInt8](row["body"] as Data)
                let templated = (row["template_id"] as Int64?) != nil
                return (row["id"] as Int64, templated ? OutboxTemplate.fill(body, chat: row["chat"]) : body)
            })
        }
    }

    /// Due calls without their bodies (cheap to scan while rate limits hold most of them back).
    public func dueHeaders(now: Double, limit: Int) async throws -> [OutboxMessage] {
        try await database.writer.read { db in try Self.dueMessages(db, now: now, limit: limit, withBodies: false) }
    }

    /// When the next call is due, if any is waiting.
    public func nextDue() throws -> Double? {
        try database.writer.read { db in try Double.fetchOne(db, sql: "SELECT MIN(next_attempt_at) FROM outbox") }
    }

    public func outboxDepth() throws -> Int {
        try database.writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox") ?? 0 }
    }

    public func markSent(_ id: Int64) throws {
        try database.writer.write { db in try db.execute(sql: "DELETE FROM outbox WHERE id = ?", arguments: [id]) }
    }

    public func markRetry(_ id: Int64, at: Double, error: String) throws {
        try database.writer.write { db in
            try db.execute(sql: "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE id = ?",
                           arguments: [at, error, id])
        }
    }

    /// Moves a call that cannot succeed (a 4xx other than 429) out of the queue.
    public func markFailed(_ message: OutboxMessage, status: Int?, error: String, now: Double) throws {
        try database.writer.write { db in try Self.markFailed(db, message, status: status, error: error, now: now) }
    }

    static func markFailed(_ db: Database, _ message: OutboxMessage, status: Int?, error: String, now: Double) throws {
        try db.execute(sql: "DELETE FROM outbox WHERE id = ?", arguments: [message.id])
        try db.execute(sql: "INSERT OR REPLACE INTO outbox_failed (id, channel, chat, method, status, error, failed_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                       arguments: [message.id, message.channel, message.chat, message.method, status, error, now])
    }

    /// Removes processed-update marks, prompt claims older than the retention and expired conversations.
    public func prune(now: Double, updateRetention: Double = 7 * 24 * 3600) throws {
        try database.writer.write { db in
            try db.execute(sql: "DELETE FROM processed_update WHERE processed_at < ?", arguments: [now - updateRetention])
            try db.execute(sql: "DELETE FROM conversation WHERE expires_at < ?", arguments: [now])
            // Only recent claims matter (one per chat and local day; the latest prompt for replies).
            try db.execute(sql: "DELETE FROM prompt_delivery WHERE claimed_at < ?", arguments: [now - updateRetention])
            try PromptCycles.prune(db)
            try db.execute(sql: "DELETE FROM outbox_template WHERE id NOT IN (SELECT template_id FROM outbox WHERE template_id IS NOT NULL)")
        }
    }
}
