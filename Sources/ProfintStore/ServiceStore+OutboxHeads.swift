import Foundation
import GRDB

/// The fair view of the outbox: one call per chat (its oldest), and the
/// send times the rate limits are derived from.
extension ServiceStore {
    /// A rate-limited call that was started.
    public struct SendRecord: Sendable, Hashable {
        public var channel: String
        public var chat: String
        public var isGroup: Bool
        public var sentAt: Double

        public init(channel: String, chat: String, isGroup: Bool, sentAt: Double) {
            self.channel = channel
            self.chat = chat
            self.isGroup = isGroup
            self.sentAt = sentAt
        }
    }

    /// The oldest call of each chat, when it is due at `now`, oldest chats first,
    /// without bodies. A chat whose oldest call waits for a retry has no call
    /// here at all, so its later calls cannot overtake it.
    public func dueHeads(now: Double, limit: Int) async throws -> [OutboxMessage] {
        try await database.writer.read { db in
            try Row.fetchAll(db, sql: """
                SELECT o.id, o.channel, o.chat, o.is_group, o.method, o.attempts, o.next_attempt_at
                FROM (SELECT MIN(id) AS id FROM outbox GROUP BY channel, chat) h JOIN outbox o ON o.id = h.id
                WHERE o.next_attempt_at <= ? ORDER BY o.id LIMIT ?
                """, arguments: [now, limit]).map { row in
                OutboxMessage(id: row["id"], channel: row["channel"], chat: row["chat"], isGroup: row["is_group"],
                              method: row["method"], body: [], attempts: row["attempts"], nextAttemptAt: row["next_attempt_at"])
            }
        }
    }

    /// When the next chat's oldest call falls due after `now`, if one waits.
    public func nextHeadDue(after now: Double) async throws -> Double? {
        try await database.writer.read { db in
            try Double.fetchOne(db, sql: """
                SELECT MIN(o.next_attempt_at)
                FROM (SELECT MIN(id) AS id FROM outbox GROUP BY channel, chat) h JOIN outbox o ON o.id = h.id
                WHERE o.next_attempt_at > ?
                """, arguments: [now])
        }
    }

    /// Stores the start times of rate-limited calls (before they are made) and
    /// forgets those older than `window` seconds.
    public func recordSends(_ sends: [SendRecord], window: Double = 60) async throws {
        guard !sends.isEmpty else { return }
        try await database.writer.write { db in
            for send in sends {
                try db.execute(sql: "INSERT INTO outbox_send (channel, chat, is_group, sent_at) VALUES (?, ?, ?, ?)",
                               arguments: [send.channel, send.chat, send.isGroup, send.sentAt])
            }
            try db.execute(sql: "DELETE FROM outbox_send WHERE sent_at < ?", arguments: [sends.map(\.sentAt).max()! - window])
        }
    }

    /// The calls started after `since`, oldest first.
    public func sends(since: Double) async throws -> [SendRecord] {
        try await database.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT channel, chat, is_group, sent_at FROM outbox_send WHERE sent_at > ? ORDER BY sent_at",
                             arguments: [since]).map { row in
                SendRecord(channel: row["channel"], chat: row["chat"], isGroup: row["is_group"], sentAt: row["sent_at"])
            }
        }
    }
}
