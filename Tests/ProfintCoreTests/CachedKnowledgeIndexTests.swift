import Synchronization
import Testing
@testable import ProfintCore

/// The search cache in front of the service's SQLite index: same answers,
/// fewer searches, bounded size.
struct CachedKnowledgeIndexTests {
    /// An index that answers with the query's terms and counts its searches.
    final class CountingIndex: KnowledgeSearching {
        let searches = Mutex(0)

        func search(_ query: KnowledgeQuery) -> [KnowledgeHit] {
            searches.withLock { $0 += 1 }
            return query.terms.enumerated().map {
                KnowledgeHit(id: "\(query.language.rawValue)-\($0.element)", type: .caseStudy, title: $0.element, summary: "", score: Double($0.offset))
            }
        }

        func item(id: String, language: Language) -> KnowledgeItem? { nil }
    }

    @Test func aRepeatedSearchIsAnsweredFromTheCacheWithTheSameHits() {
        let base = CountingIndex()
        let cached = CachedKnowledgeIndex(base: base, capacity: 8)
        let query = KnowledgeQuery(language: .fr, types: [.caseStudy], topic: "coordination", terms: ["ecol", "coordin"])
        let first = cached.search(query)
        let second = cached.search(query)
        #expect(first == base.search(query))
        #expect(second == first)
        #expect(base.searches.withLock { $0 } == 2) // one through the cache, one direct
        // A query that differs in anything (here the language) is searched again.
        _ = cached.search(KnowledgeQuery(language: .it, types: [.caseStudy], topic: "coordination", terms: ["ecol", "coordin"]))
        #expect(base.searches.withLock { $0 } == 3)
        #expect(cached.statistics.hits == 1)
    }

    @Test func theCacheKeepsAtMostItsCapacity() {
        let base = CountingIndex()
        let cached = CachedKnowledgeIndex(base: base, capacity: 4)
        let queries = (0..<10).map { KnowledgeQuery(language: .en, types: [], terms: ["term\($0)"]) }
        for query in queries { _ = cached.search(query) }
        #expect(base.searches.withLock { $0 } == 10)
        // The most recent ones are still known; the oldest were dropped.
        _ = cached.search(queries[9])
        #expect(base.searches.withLock { $0 } == 10)
        _ = cached.search(queries[0])
        #expect(base.searches.withLock { $0 } == 11)
    }
}
