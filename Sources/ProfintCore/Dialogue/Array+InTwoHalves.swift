import Foundation

extension Array where Element: Sendable {
    /// `map` with the second half computed on another thread: the same
    /// results in the same order (each element's work is independent), in
    /// about half the time when a core is free. Small arrays stay on one thread.
    func mapInTwoHalves<T: Sendable>(minimumCount: Int = 256, _ transform: @escaping @Sendable (Element) -> T) -> [T] {
        guard count >= minimumCount else { return map(transform) }
        let middle = count / 2
        let secondHalf = Array(self[middle...])
        let second = Box<[T]>()
        let done = DispatchSemaphore(value: 0)
        // A thread of its own, not the dispatch pool: this may itself run on a
        // pool thread, and waiting there for more pool work can stall.
        let thread = Thread {
            second.value = secondHalf.map(transform)
            done.signal()
        }
        thread.start()
        var result = self[..<middle].map(transform)
        done.wait()
        result += second.value!
        return result
    }
}
