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
            // Sleep in short steps so that a shutdown is not held up.
            var left = interval
            while left > 0, !(Task.isCancelled || Task.isShuttingDownGracefully) {
                try? await Task.sleep(nanoseconds: 200_000_000)
                left -= 0.2
            }
        }
    }
}
