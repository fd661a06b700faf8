import Foundation
import GRDB
import Testing
@testable import ProfintStore

/// With checkpoints in the background, commits leave the write-ahead log
/// alone and `checkpoint()` copies it into the database file.
struct CheckpointTests {
    @Test func commitsDoNotCheckpointAndTheBackgroundCheckpointDoes() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ckpt-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let database = try ProfintDatabase(path: path, checkpointsInBackground: true)
        let inbox = UpdateInbox.telegram(ServiceStore(database: database))
        // About 1,500 pages of updates, one commit per 10 (SQLite's automatic checkpoint would run at 1,000).
        let body = Data(repeating: 0x61, count: 4000)
        for batch in 0..<150 {
            try inbox.accept((0..<10).map { .init(key: String(batch * 10 + $0), chat: "", body: body) }, now: 0)
        }
        let log = try #require(try database.checkpoint())
        #expect(log.logPages > 1000)
        #expect(log.checkpointedPages == log.logPages)
        #expect(try inbox.pendingCount() == 1500)
        // Without the option, checkpoints stay SQLite's business.
        #expect(try ProfintDatabase(path: nil).checkpoint() == nil)
    }
}
