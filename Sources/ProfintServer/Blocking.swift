import Foundation

/// Runs blocking work (SQLite, a checkpoint's fsync) on a dispatch thread,
/// so that the few threads of the concurrency pool stay free for HTTP.
func offThePool(_ work: @escaping @Sendable () throws -> Void) async throws {
    try await withCheckedThrowingContinuation { (done: CheckedContinuation<Void, Error>) in
        DispatchQueue.global().async {
            done.resume(with: Result { try work() })
        }
    }
}
