import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A few dedicated threads at a lower CPU priority (a higher nice value)
/// for work that can wait, such as turning acknowledged updates into
/// replies: when the machine is busy, answering HTTP requests comes first,
/// and the background catches up as soon as there is room.
final class BackgroundThreads: Sendable {
    private struct Queue {
        var jobs: [@Sendable () -> Void] = []
        var stopped = false
    }

    private let queue = Mutex(Queue())
    private let available = DispatchSemaphore(value: 0)
    let count: Int

    /// Starts `count` threads niced by `nice` (0: the normal priority).
    init(count: Int, nice: Int32, name: String) {
        self.count = count
        for index in 0..<count {
            let thread = Thread { [self] in
                #if os(Linux)
                // On Linux the nice value is per thread: 0 names the calling thread.
                _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, nice)
                #endif
                self.loop()
            }
            thread.name = "\(name)-\(index)"
            thread.start()
        }
    }

    /// Lets the threads end once the queued jobs are done (they hold the
    /// pool until then: the owner calls this when it stops).
    func stop() {
        let wasRunning = queue.withLock { state -> Bool in
            let was = !state.stopped
            state.stopped = true
            return was
        }
        if wasRunning { for _ in 0..<count { available.signal() } }
    }

    private func loop() {
        while true {
            available.wait()
            let job = queue.withLock { state -> (@Sendable () -> Void)? in
                state.jobs.isEmpty ? nil : state.jobs.removeFirst()
            }
            guard let job else {
                if queue.withLock({ $0.stopped }) { return }
                continue
            }
            job()
        }
    }

    private func enqueue(_ job: @escaping @Sendable () -> Void) {
        queue.withLock { $0.jobs.append(job) }
        available.signal()
    }

    /// Runs `body(0..<n)` on the threads and returns when all are done.
    func perform(_ n: Int, _ body: @escaping @Sendable (Int) -> Void) async {
        guard n > 0 else { return }
        let next = Atomic<Int>(0)
        let finished = Atomic<Int>(0)
        let workers = min(n, count)
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            for _ in 0..<workers {
                enqueue {
                    while true {
                        let index = next.add(1, ordering: .relaxed).oldValue
                        if index >= n { break }
                        body(index)
                    }
                    if finished.add(1, ordering: .acquiringAndReleasing).newValue == workers { done.resume() }
                }
            }
        }
    }
}
