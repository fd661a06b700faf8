import Foundation
import ProfintCore

/// The knowledge index with a stopwatch: the time spent in it (SQLite FTS5
/// queries in the service) is added to the calling thread's tally, so that
/// the service can report matching time and storage time apart.
struct TimedKnowledgeIndex: KnowledgeSearching {
    let base: any KnowledgeSearching

    func search(_ query: KnowledgeQuery) -> [KnowledgeHit] {
        let start = DispatchTime.now().uptimeNanoseconds
        defer { KnowledgeStopwatch.add(DispatchTime.now().uptimeNanoseconds - start) }
        return base.search(query)
    }

    func item(id: String, language: Language) -> KnowledgeItem? {
        let start = DispatchTime.now().uptimeNanoseconds
        defer { KnowledgeStopwatch.add(DispatchTime.now().uptimeNanoseconds - start) }
        return base.item(id: id, language: language)
    }
}

/// Per-thread nanoseconds spent in knowledge queries since the last reset.
/// An engine turn runs on one thread from start to end, so the tally read
/// after it is that turn's.
enum KnowledgeStopwatch {
    final class Tally { var nanoseconds: UInt64 = 0 }
    static let key = "profint.knowledge-stopwatch"

    static var tally: Tally {
        let dictionary = Thread.current.threadDictionary
        if let tally = dictionary[key] as? Tally { return tally }
        let tally = Tally()
        dictionary[key] = tally
        return tally
    }

    static func reset() { tally.nanoseconds = 0 }
    static func add(_ nanoseconds: UInt64) { tally.nanoseconds &+= nanoseconds }
    static var elapsed: UInt64 { tally.nanoseconds }
}
