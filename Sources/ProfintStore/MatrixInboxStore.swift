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

    public typealias Pending = UpdateInbox.Entry

    /// The inbox shared with Telegram's in shape (table `matrix_inbox`).
    public var updates: UpdateInbox { .matrix(service) }

    /// Adds the events that are neither waiting nor processed, in one
    /// transaction; returns how many were new.
    @discardableResult
    public func accept(_ events: [(eventID: String, roomID: String, json: Data)], now: Double) async throws -> Int {
        try await updates.accept(events.map { .init(key: $0.eventID, chat: $0.roomID, body: $0.json) }, now: now)
    }

    /// The oldest waiting events.
    public func pending(limit: Int = 200) async throws -> [Pending] {
        try await updates.pending(limit: limit)
    }

    public func pendingCount() throws -> Int {
        try updates.pendingCount()
    }

    /// Processes one event: removes it from the inbox and records its outcome
    /// (processed mark, state, replies…) in the same transaction.
    @discardableResult
    public func record(_ pending: Pending, outcome: ServiceStore.Outcome, encryptedNotice: Bool = false, now: Double) throws -> Bool {
        try database.writer.write { db in
            let recorded = try updates.record(db, pending, outcome: outcome, now: now)
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

extension UpdateInbox.Entry {
    /// A Matrix event's id, room and JSON.
    public var eventID: String { key }
    public var roomID: String { chat }
    public var event: Data { body }
}
