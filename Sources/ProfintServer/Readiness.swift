import Foundation
import Logging
import ProfintStore
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Whether the service can do its work, for `/readyz`: the database can be
/// written (a one-row write, at most once a second), the file at the
/// configured path is still the one open (same device and inode), and the
/// last webhook writes did not all fail.
public final class Readiness: Sendable {
    /// A file's identity on disk.
    struct FileIdentity: Equatable {
        var device: UInt64
        var inode: UInt64

        init?(path: String) {
            var info = stat()
            guard stat(path, &info) == 0 else { return nil }
            device = UInt64(info.st_dev)
            inode = UInt64(info.st_ino)
        }
    }

    let database: ProfintDatabase
    let path: String?
    let opened: FileIdentity?
    /// This many webhook writes failing in a row make the service not ready.
    let failedWritesLimit: Int
    let clock: @Sendable () -> Double
    private let state = Mutex<(failures: Int, probedAt: Double, probeProblem: String?)>((0, -.infinity, nil))

    public init(database: ProfintDatabase, path: String?, failedWritesLimit: Int = 3,
                clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }) {
        self.database = database
        self.path = path
        self.opened = path.flatMap(FileIdentity.init(path:))
        self.failedWritesLimit = failedWritesLimit
        self.clock = clock
    }

    /// A webhook's write of an update succeeded or failed.
    public func recordWrite(succeeded: Bool) {
        state.withLock { $0.failures = succeeded ? 0 : $0.failures + 1 }
    }

    /// Nil when ready, else why not (for the 503 body and the log).
    public func problem() async -> String? {
        if let path, let opened {
            guard let now = FileIdentity(path: path) else { return "database file \(path) was deleted" }
            if now != opened { return "database file \(path) was replaced by another file" }
        }
        let now = clock()
        let (failures, probeDue, cached) = state.withLock { s in (s.failures, now - s.probedAt >= 1, s.probeProblem) }
        if failures >= failedWritesLimit { return "the last \(failures) webhook writes failed" }
        guard probeDue else { return cached }
        var problem: String?
        do {
            try await database.writer.write { db in
                try db.execute(sql: "INSERT OR REPLACE INTO readiness_probe (id, probed_at) VALUES (1, ?)", arguments: [now])
            }
        } catch {
            problem = "database cannot be written: \(error)"
        }
        state.withLock { $0.probedAt = now; $0.probeProblem = problem }
        return problem
    }
}
