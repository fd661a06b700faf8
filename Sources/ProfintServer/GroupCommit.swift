import Foundation
import Synchronization

/// Writes items that arrive at the same time in one transaction: callers
/// wait until their item is durable, and whoever arrives while a write is
/// running joins the next one. Under load a commit serves many requests;
/// alone, an item is written at once (no timer, no added latency).
final class GroupCommit<Item: Sendable>: Sendable {
    private struct Waiting {
        var items: [Item] = []
        var waiters: [CheckedContinuation<Void, Error>] = []
        var writing = false
    }

    private let waiting = Mutex(Waiting())
    private let maximumBatch: Int
    /// How long a write waits for company when the previous one just ended.
    private let linger: Double
    private let lastWriteEnd = Atomic<UInt64>(0)
    private let recentBatch = Atomic<Int>(0)
    private let write: @Sendable ([Item]) throws -> Void

    /// `write` runs on a dispatch thread (SQLite blocks) with up to `maximumBatch` items.
    init(maximumBatch: Int = 512, linger: Double = 0.000_3, write: @escaping @Sendable ([Item]) throws -> Void) {
        self.maximumBatch = maximumBatch
        self.linger = linger
        self.write = write
    }

    /// Whether requests are arriving faster than one commit at a time can
    /// serve (recent commits shared by several): a sign of a burst.
    var isBusy: Bool {
        DispatchTime.now().uptimeNanoseconds &- lastWriteEnd.load(ordering: .relaxed) < 20_000_000
            && recentBatch.load(ordering: .relaxed) >= 3 * 16
    }

    /// Returns when the item is written, or throws the write's error.
    func submit(_ item: Item) async throws {
        try await withCheckedThrowingContinuation { (done: CheckedContinuation<Void, Error>) in
            let starts = waiting.withLock { state -> Bool in
                state.items.append(item)
                state.waiters.append(done)
                if state.writing { return false }
                state.writing = true
                return true
            }
            if starts { DispatchQueue.global().async { self.writeUntilEmpty() } }
        }
    }

    private func writeUntilEmpty() {
        while true {
            // Under load (the last write ended moments ago), wait a little so
            // that more requests share the next commit.
            if linger > 0, DispatchTime.now().uptimeNanoseconds &- lastWriteEnd.load(ordering: .relaxed) < 2_000_000,
               waiting.withLock({ $0.items.count }) < maximumBatch {
                usleep(UInt32(linger * 1e6))
            }
            let (items, waiters) = waiting.withLock { state -> ([Item], [CheckedContinuation<Void, Error>]) in
                let n = min(state.items.count, maximumBatch)
                guard n > 0 else {
                    state.writing = false
                    return ([], [])
                }
                let batch = (Array(state.items.prefix(n)), Array(state.waiters.prefix(n)))
                state.items.removeFirst(n)
                state.waiters.removeFirst(n)
                return batch
            }
            if items.isEmpty { return }
            do {
                try write(items)
                lastWriteEnd.store(DispatchTime.now().uptimeNanoseconds, ordering: .relaxed)
                // Moving average of the batch size, in 1/16ths.
                let average = recentBatch.load(ordering: .relaxed)
                recentBatch.store(average - average / 8 + items.count * 2, ordering: .relaxed)
                for waiter in waiters { waiter.resume() }
            } catch {
                for waiter in waiters { waiter.resume(throwing: error) }
            }
        }
    }
}

