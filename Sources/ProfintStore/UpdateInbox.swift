import Foundation
import GRDB

/// Updates acknowledged to the platform that sent them but not processed yet
/// (the Telegram webhook's updates, the Matrix homeserver's events). A row
/// is deleted in the transaction that records what processing it changed,
/// so a crash leaves it to be processed after the restart, once; its text is
/// kept no longer than that.
public struct UpdateInbox: Sendable {
    /// An update waiting in the inbox, in arrival order (`seq`).
    public struct Entry: Sendable, Hashable {
        public var seq: Int64
        /// The platform's id for the update (deduplication key).
        public var key: String
        /// The chat or room it belongs to (its updates are processed in order).
        public var chat: String
        /// The update as received.
        public var body: Data
        public var receivedAt: Double

        public init(seq: Int64, key: String, chat: String, body: Data, receivedAt: Double) {
            self.seq = seq
            self.key = key
            self.chat = chat
            self.body = body
            self.receivedAt = receivedAt
        }
    }

    /// An update to accept.
    public struct Incoming: Sendable {
        public var key: String
        public var chat: String
        public var body: Data

        public init(key: String, chat: String, body: Data) {
            self.key = key
            self.chat = chat
            self.body = body
        }
    }

    public let service: ServiceStore
    public let channel: String
    let table: String
    /// The column that orders the inbox.
    let seqColumn: String
    let keyColumn: String
    /// Where the chat is stored; nil when it is read from the body at processing.
    let chatColumn: String?
    let bodyColumn: String
    /// Whether accepting checks the processed marks (else processing does).
    let checksProcessed: Bool
    var database: ProfintDatabase { service.database }

    /// The Telegram webhook's inbox: keyed and ordered by the integer update
    /// id; accepting is one primary-key insert, and an update re-delivered
    /// after it was processed is recognised when it is processed again.
    public static func telegram(_ service: ServiceStore) -> UpdateInbox {
        UpdateInbox(service: service, channel: "telegram", table: "telegram_inbox", seqColumn: "update_id", keyColumn: "update_id",
                    chatColumn: nil, bodyColumn: "body", checksProcessed: false)
    }

    /// The Matrix application service's inbox: ordered by arrival, event ids
    /// checked against the processed marks (homeservers re-send transactions).
    public static func matrix(_ service: ServiceStore) -> UpdateInbox {
        UpdateInbox(service: service, channel: "matrix", table: "matrix_inbox", seqColumn: "seq", keyColumn: "event_id",
                    chatColumn: "room_id", bodyColumn: "event", checksProcessed: true)
    }

    /// Adds the updates that are neither waiting nor processed, in one
    /// transaction; returns how many were new. Safe against a re-delivery
    /// running at the same time: SQLite serializes the writes and the key is
    /// unique in both tables that are checked.
    @discardableResult
    public func accept(_ updates: [Incoming], now: Double) throws -> Int {
        guard !updates.isEmpty else { return 0 }
        return try database.writer.write { db in try accept(db, updates, now: now) }
    }

    @discardableResult
    public func accept(_ updates: [Incoming], now: Double) async throws -> Int {
        guard !updates.isEmpty else { return 0 }
        return try await database.writer.write { db in try accept(db, updates, now: now) }
    }

    func accept(_ db: Database, _ updates: [Incoming], now: Double) throws -> Int {
        var added = 0
        if let chatColumn, checksProcessed {
            let insert = try db.cachedStatement(sql: """
                INSERT OR IGNORE INTO \(table) (\(keyColumn), \(chatColumn), \(bodyColumn), received_at)
                SELECT ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM processed_update WHERE channel = ? AND update_key = ?)
                """)
            for update in updates {
                try insert.execute(arguments: [update.key, update.chat, update.body, now, channel, update.key])
                added += db.changesCount
            }
        } else {
            let insert = try db.cachedStatement(sql: "INSERT OR IGNORE INTO \(table) (\(keyColumn), \(bodyColumn), received_at) VALUES (?, ?, ?)")
            for update in updates {
                try insert.execute(arguments: [update.key, update.body, now])
                added += db.changesCount
            }
        }
        return added
    }

    /// The oldest waiting updates.
    public func pending(limit: Int = 200) async throws -> [Entry] {
        try await database.writer.read { db in try pending(db, limit: limit) }
    }

    func pending(_ db: Database, limit: Int) throws -> [Entry] {
        let sql = """
            SELECT \(seqColumn), CAST(\(keyColumn) AS TEXT), \(chatColumn ?? "''"), \(bodyColumn), received_at
            FROM \(table) ORDER BY \(seqColumn) LIMIT ?
            """
        return try Row.fetchAll(db.cachedStatement(sql: sql), arguments: [limit]).map {
            Entry(seq: $0[0], key: $0[1], chat: $0[2], body: $0[3], receivedAt: $0[4])
        }
    }

    /// Which of these keys were already processed (a re-delivery that
    /// arrived after its first delivery was handled).
    public func processedKeys(_ keys: [String]) async throws -> Set<String> {
        guard !keys.isEmpty else { return [] }
        return try await database.writer.read { db in
            let marks = Array(repeating: "?", count: keys.count).joined(separator: ",")
            let found = try String.fetchAll(db, sql: "SELECT update_key FROM processed_update WHERE channel = ? AND update_key IN (\(marks))",
                                            arguments: StatementArguments([channel] + keys))
            return Set(found)
        }
    }

    public func pendingCount() throws -> Int {
        try database.writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? 0 }
    }

    /// Processes updates: each leaves the inbox and its outcome (processed
    /// mark, state, replies…) is recorded, all in one transaction. Returns,
    /// per update, whether its outcome was new (false: it had already been processed).
    @discardableResult
    public func record(_ outcomes: [(entry: Entry, outcome: ServiceStore.Outcome)], now: Double) throws -> [Bool] {
        guard !outcomes.isEmpty else { return [] }
        return try database.writer.write { db in
            try outcomes.map { try record(db, $0.entry, outcome: $0.outcome, now: now) }
        }
    }

    func record(_ db: Database, _ entry: Entry, outcome: ServiceStore.Outcome, now: Double) throws -> Bool {
        try db.cachedStatement(sql: "DELETE FROM \(table) WHERE \(seqColumn) = ?").execute(arguments: [entry.seq])
        return try service.record(db, channel: channel, update: entry.key, chat: entry.chat, outcome: outcome, now: now)
    }
}
