#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Logging

/// The process's limit on open files, which bounds how many HTTP
/// connections it can hold: read at start, raised to the hard limit when
/// that is allowed, logged, with a warning when low.
enum FileDescriptorLimit {
    /// Below this, a burst of connections can exhaust the descriptors.
    static let comfortable = 4096
    /// Descriptors kept for SQLite, the HTTP client and the listener.
    static let reserve = 128

    /// The soft limit after trying to raise it to the hard one (nil if unknown).
    static func raise() -> (soft: Int, hard: Int)? {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return nil }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = min(limit.rlim_max, 1 << 20)
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { limit = raised }
        }
        return (Int(clamping: limit.rlim_cur), Int(clamping: limit.rlim_max))
    }

    /// Logs the limit and returns the connection limit it leaves room for.
    static func connections(allowing configured: Int, logger: Logger) -> Int {
        guard let (soft, hard) = raise() else {
            logger.warning("file descriptor limit unknown")
            return configured
        }
        let usable = max(16, soft - reserve)
        let limit = min(configured, usable)
        let metadata: Logger.Metadata = [
            "profint.nofile": "\(soft)", "profint.nofile_hard": "\(hard)", "profint.max_connections": "\(limit)",
        ]
        if soft < comfortable {
            logger.warning("file descriptor limit is low: raise it (LimitNOFILE=65536 in the systemd unit, ulimit -n)", metadata: metadata)
        } else {
            logger.info("file descriptor limit", metadata: metadata)
        }
        if limit < configured {
            logger.notice("HTTP connection limit lowered to fit the file descriptor limit", metadata: metadata)
        }
        return limit
    }
}
