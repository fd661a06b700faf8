import ServiceLifecycle
import Synchronization

/// A background service's sleep that `wake()` cuts short (new work arrived)
/// and graceful shutdown or cancellation ends. The sleeper is suspended on a
/// continuation, not polling: an idle service does not wake up until its
/// timer or a signal.
final class Wakeup: Sendable {
    private struct State {
        /// A wake that came while nobody slept: the next sleep returns at once.
        var pending = false
        var sleeper: CheckedContinuation<Void, Never>?
    }
    private let state = Mutex(State())

    init() {}

    /// Ends the current sleep, or the next one if none is under way.
    func wake() {
        let sleeper = state.withLock { s -> CheckedContinuation<Void, Never>? in
            if let c = s.sleeper {
                s.sleeper = nil
                return c
            }
            s.pending = true
            return nil
        }
        sleeper?.resume()
    }

    /// Sleeps up to `seconds`; returns early when woken (the wake is used
    /// up), cancelled or shutting down gracefully.
    func sleep(seconds: Double) async {
        if state.withLock({ s in let p = s.pending; s.pending = false; return p }) { return }
        guard seconds > 0, !(Task.isCancelled || Task.isShuttingDownGracefully) else { return }
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { try? await Task.sleep(nanoseconds: UInt64(seconds * 1e9)) }
                group.addTask { await self.signal() }
                _ = await group.next()
                group.cancelAll()
                // The timer won: release the signal's waiter.
                self.release()
            }
        } onGracefulShutdown: {
            self.release()
        }
    }

    /// Suspends until `wake()` or `release()`.
    private func signal() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { s -> Bool in
                    if s.pending || Task.isCancelled {
                        s.pending = false
                        return true
                    }
                    s.sleeper?.resume()
                    s.sleeper = c
                    return false
                }
                if resumeNow { c.resume() }
            }
        } onCancel: {
            self.release()
        }
    }

    /// Resumes a waiting signal without leaving a pending wake.
    private func release() {
        let sleeper = state.withLock { s -> CheckedContinuation<Void, Never>? in
            let c = s.sleeper
            s.sleeper = nil
            return c
        }
        sleeper?.resume()
    }
}
