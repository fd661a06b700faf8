import Foundation
import GRDB
import ProfintCore

/// Outbox operations for the async sender: they suspend while SQLite works
/// or waits for the writer instead of blocking one of the few threads that
/// also run the HTTP server.
extension ServiceStore {
    public func dueMessages(now: Double, limit: Int = 100) async throws -> [OutboxMessage] {
        try await database.writer.read { db in try Self.dueMessages(db, now: now, limit: limit) }
    }

    public func outboxDepth() async throws -> Int {
        try await database.writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox") ?? 0 }
    }

    public func nextDue() async throws -> Double? {
        try await database.writer.read { db in try Double.fetchOne(db, sql: "SELECT MIN(next_attempt_at) FROM outbox") }
    }

    public func markSent(_ id: Int64) async throws {
        try await database.writer.write { db in try db.execute(sql: "DELETE FROM outbox WHERE id = ?", arguments: [id]) }
    }

    public func markRetry(_ id: Int64, at: Double, error: String) async throws {
        try await database.writer.write { db in
            try db.execute(sql: "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE id = ?",
                           arguments: [at, error, id])
        }
    }

    public func markFailed(_ message: OutboxMessage, status: Int?, error: String, now: Double) async throws {
        try await database.writer.write { db in try Self.markFailed(db, message, status: status, error: error, now: now) }
    }
}
