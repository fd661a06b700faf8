import Foundation
import GRDB

/// The Matrix side of the store: events acknowledged to the homeserver but
/// not yet processed, and what the bot knows of each room.
public struct MatrixInboxStore: Sendable {
    public static let channel = "matrix"
    public let service: ServiceStore
    var database: ProfintDatabase { service.database }

    public init(service: ServiceStore) {
        self.service = service
    }

    /// An event waiting in the inbox.
    public struct Pending: Sendable, Hashable {
        public var seq: Int64
        public var eventID: String
        public var roomID: String
        public var event: Data
    }

    /// Adds the events that are neither waiting nor processed, in one
    /// transaction; returns how many were new. Safe against a re-sent
    /// transaction running at the same time: SQLite serializes the writes and
    /// the event id is unique in both tables that are checked.
    @discardableResult
    public func accept(_ events: [(eventID: String, roomID: String, json: Data)], now: Double) async throws -> Int {
        guard !events.isEmpty else { return 0 }
        return try await database.writer.write { db in
            let insert = try db.cachedStatement(sql: """
                INSERT OR IGNORE INTO matrix_inbox (event_id, room_id, event, received_at)
                SELECT ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM processed_update WHERE channel = 'matrix' AND update_key = ?)
                """)
            var added = 0
            for event in events {
                try insert.execute(arguments: [event.eventID, event.roomID, event.json, now, event.eventID])
                added += db.changesCount
            }
            return added
        }
    }

    /// The oldest waiting events.
    public func pending(limit: Int = 200) async throws -> [Pending] {
        try await database.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT seq, event_id, room_id, event FROM matrix_inbox ORDER BY seq LIMIT ?", arguments: [limit]).map {
                Pending(seq: $0["seq"], eventID: $0["event_id"], roomID: $0["room_id"], event: $0["event"])
            }
        }
    }

    public func pendingCount() throws -> Int {
        try database.writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM matrix_inbox") ?? 0 }
    }

    /// Processes one event: removes it from the inbox and records its outcome
    /// (processed mark, state, replies…) in the same transaction.
    @discardableResult
    public func record(_ pending: Pending, outcome: ServiceStore.Outcome, encryptedNotice: Bool = false, now: Double) throws -> Bool {
        try database.writer.write { db in
            try db.execute(sql: "DELETE FROM matrix_inbox WHERE seq = ?", arguments: [pending.seq])
            let recorded = try service.record(db, channel: Self.channel, update: pending.eventID, chat: pending.roomID,
                                              outcome: outcome, now: now)
            if recorded, encryptedNotice, !outcome.forget {
                try db.execute(sql: """
                    INSERT INTO matrix_room (room_id, encrypted_notice) VALUES (?, 1)
                    ON CONFLICT (room_id) DO UPDATE SET encrypted_notice = 1
                    """, arguments: [pending.roomID])
            }
            return recorded
        }
    }

    /// The room's joined member count, if known.
    public func members(room: String) throws -> Int? {
        try database.writer.read { db in
            try Int.fetchOne(db, sql: "SELECT members FROM matrix_room WHERE room_id = ?", arguments: [room])
        }
    }

    /// Remembers the member count (nil: unknown, ask again).
    public func setMembers(_ members: Int?, room: String) throws {
        try database.writer.write { db in
            try db.execute(sql: """
                INSERT INTO matrix_room (room_id, members) VALUES (?, ?)
                ON CONFLICT (room_id) DO UPDATE SET members = excluded.members
                """, arguments: [room, members])
        }
    }

    /// Whether the bot already told the room it cannot read encrypted messages.
    public func sentEncryptedNotice(room: String) throws -> Bool {
        try database.writer.read { db in
            try Bool.fetchOne(db, sql: "SELECT encrypted_notice FROM matrix_room WHERE room_id = ?", arguments: [room]) ?? false
        }
    }
}
