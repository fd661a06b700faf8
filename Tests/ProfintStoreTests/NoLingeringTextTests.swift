import Foundation
import GRDB
import Testing
@testable import ProfintStore

/// Deleted message text leaves the database and its write-ahead log.
struct NoLingeringTextTests {
    @Test func deletedTextIsGoneFromTheFilesAfterATruncatingCheckpoint() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("linger-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let secret = "zanzibar-quokka-\(UUID().uuidString)"
        do {
            let database = try ProfintDatabase(path: path, checkpointsInBackground: true)
            try database.writer.write { db in
                for id in 1...50 {
                    try db.execute(sql: "INSERT INTO telegram_inbox (update_id, body, received_at) VALUES (?, ?, 0)",
                                   arguments: [id, Data("{\"text\":\"\(secret) \(id)\"}".utf8)])
                }
            }
            try database.checkpoint()
            try database.writer.write { db in try db.execute(sql: "DELETE FROM telegram_inbox") }
            try database.checkpoint(truncate: true)
            for suffix in ["", "-wal"] {
                let bytes = (try? Data(contentsOf: URL(fileURLWithPath: path + suffix))) ?? Data()
                #expect(bytes.range(of: Data(secret.utf8)) == nil, "the text is still in \(path + suffix)")
            }
            let wal = (try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? 0
            #expect(wal == 0)
        }
    }
}
