import Synchronization

/// Remembers the results of recent searches of an index that does not
/// change once built (the SQLite FTS5 index of the service): practitioners
/// ask the same questions in the same words, and a repeated search then
/// costs a dictionary lookup instead of a full-text query. Bounded: two
/// generations of at most `capacity / 2` queries each; a hit in the older
/// one moves to the newer, and when the newer is full the older is dropped.
public final class CachedKnowledgeIndex: KnowledgeSearching {
    private struct Generations {
        var current: [KnowledgeQuery: [KnowledgeHit]] = [:]
        var previous: [KnowledgeQuery: [KnowledgeHit]] = [:]
        var hits = 0
        var misses = 0
    }

    public let base: any KnowledgeSearching
    public let capacity: Int
    private let cache = Mutex(Generations())

    public init(base: any KnowledgeSearching, capacity: Int = 2048) {
        self.base = base
        self.capacity = max(2, capacity)
    }

    public func search(_ query: KnowledgeQuery) -> [KnowledgeHit] {
        let known = cache.withLock { c -> [KnowledgeHit]? in
            if let hits = c.current[query] {
                c.hits += 1
                return hits
            }
            if let hits = c.previous[query] {
                c.hits += 1
                insert(query, hits, into: &c)
                return hits
            }
            c.misses += 1
            return nil
        }
        if let known { return known }
        let found = base.search(query)
        cache.withLock { insert(query, found, into: &$0) }
        return found
    }

    public func item(id: String, language: Language) -> KnowledgeItem? {
        base.item(id: id, language: language)
    }

    /// Searches answered from the cache and searches that went to the index.
    public var statistics: (hits: Int, misses: Int) {
        cache.withLock { ($0.hits, $0.misses) }
    }

    private func insert(_ query: KnowledgeQuery, _ hits: [KnowledgeHit], into c: inout Generations) {
        if c.current.count >= capacity / 2 {
            c.previous = c.current
            c.current = [:]
        }
        c.current[query] = hits
    }
}
