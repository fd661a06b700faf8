import ServiceLifecycle
import Synchronization

/// A background service's sleep that `wake()` cuts short (new work arrived)
/// and graceful shutdown ends.
final class Wakeup: Sendable {
    private let woken = Mutex(false)
    /// How often a sleeper looks whether it was woken.
    let slice: Double

    init(slice: Double) {
        self.slice = slice
    }

    func wake() {
        woken.withLock { $0 = true }
    }

    /// Sleeps up to `seconds`, returning early when woken (the wake is used up) or shutting down.
    func sleep(seconds: Double) async {
        var left = seconds
        while left > 0, !(Task.isCancelled || Task.isShuttingDownGracefully) {
            if woken.withLock({ let w = $0; $0 = false; return w }) { return }
            let step = min(left, slice)
            try? await Task.sleep(nanoseconds: UInt64(step * 1e9))
            left -= step
        }
    }
}
