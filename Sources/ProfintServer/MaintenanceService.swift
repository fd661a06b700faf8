import Foundation
import Logging
import ProfintStore
import ServiceLifecycle

/// Once an hour: forgets processed-update marks older than a week and
/// conversation states past their expiry (retention limits).
struct MaintenanceService: Service {
    let store: ServiceStore
    let logger: Logger
    var interval: Double = 3600

    func run() async throws {
        while !(Task.isCancelled || Task.isShuttingDownGracefully) {
            do {
                try store.prune(now: Date().timeIntervalSince1970)
            } catch {
                logger.error("pruning failed", metadata: ["profint.error": "\(error)"])
            }
            // Sleeps in short steps, so that a shutdown is not held up.
            await Wakeup().sleep(seconds: interval)
        }
    }
}

/// Every second: copies the write-ahead log back into the database file
/// (a passive checkpoint on a connection of its own), so that no commit,
/// and no webhook waiting for one, pays for it.
/// Every `truncateInterval` (30 s) the checkpoint also empties the `-wal`
/// file (TRUNCATE), so deleted text leaves the files within that time; a
/// truncating checkpoint that fails (busy, disk full) is tried again at the
/// next second until it succeeds.
struct CheckpointService: Service {
    let database: ProfintDatabase
    let logger: Logger
    var interval: Double = 1
    var truncateInterval: Double = 30

    func run() async throws {
        var sinceTruncate = 0.0
        while !(Task.isCancelled || Task.isShuttingDownGracefully) {
            await Wakeup().sleep(seconds: interval)
            sinceTruncate += interval
            let truncate = sinceTruncate >= truncateInterval
            if await checkpoint(truncate: truncate), truncate { sinceTruncate = 0 }
        }
        _ = await checkpoint(truncate: true)
    }

    /// Whether the checkpoint succeeded.
    func checkpoint(truncate: Bool = false) async -> Bool {
        // The checkpoint copies pages and syncs the file: off the concurrency pool.
        let database = database
        do {
            try await offThePool { try database.checkpoint(truncate: truncate) }
            return true
        } catch {
            logger.warning("WAL checkpoint failed; the next one will try again", metadata: [
                "profint.error": "\(error)", "profint.truncate": "\(truncate)",
            ])
            return false
        }
    }
}
