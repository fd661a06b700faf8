import Foundation

/// Knowledge search in memory: BM25 over stems with title > summary > body
/// weights, items filtered by type and ranked first by how many of the
/// query's topic, target group and country they share. The SQLite FTS5
/// index of `ProfintStore` gives the same answers from a file.
public struct InMemoryKnowledgeIndex: KnowledgeSearching {
    /// One language's items and their inverted index.
    struct Shelf: Sendable {
        var items: [KnowledgeItem] = []
        var byID: [String: Int] = [:]
        /// stem → (item, weighted term frequency)
        var postings: [String: [(Int32, Float)]] = [:]
        var lengths: [Float] = []
        /// Facets per item, kept apart so that ranking never copies an item.
        var types: [KnowledgeType] = []
        var topics: [[String]] = []
        var groups: [[String]] = []
        var countries: [[String]] = []
        var averageLength: Float = 1
    }

    private var shelves: [Shelf]

    public static let titleWeight: Float = 3
    public static let summaryWeight: Float = 2
    public static let bodyWeight: Float = 1

    public init(items: [KnowledgeItem], analyzer: TextAnalyzer) {
        var shelves = [Shelf](repeating: Shelf(), count: Language.allCases.count)
        for language in Language.allCases {
            var shelf = Shelf()
            var memo: [String: String?] = [:]
            for item in items.filter({ $0.language == language }).sorted(by: { $0.id < $1.id }) {
                let index = Int32(shelf.items.count)
                var weights: [String: Float] = [:]
                for (text, w) in [(item.title, Self.titleWeight), (item.summary, Self.summaryWeight), (item.body, Self.bodyWeight)] {
                    for stem in Self.terms(text, language, analyzer, memo: &memo) { weights[stem, default: 0] += w }
                }
                for (stem, weight) in weights { shelf.postings[stem, default: []].append((index, weight)) }
                shelf.lengths.append(weights.values.reduce(0, +))
                shelf.byID[item.id] = Int(index)
                shelf.types.append(item.type)
                shelf.topics.append(item.topics)
                shelf.groups.append(item.targetGroups)
                shelf.countries.append(item.countries)
                shelf.items.append(item)
            }
            shelf.averageLength = shelf.lengths.isEmpty ? 1 : shelf.lengths.reduce(0, +) / Float(shelf.lengths.count)
            shelves[language.index] = shelf
        }
        self.shelves = shelves
    }

    /// Content-word stems of a text, memoized per word while indexing.
    public static func terms(_ text: String, _ language: Language, _ analyzer: TextAnalyzer, memo: inout [String: String?]) -> [String] {
        var out: [String] = []
        for token in Tokenizer.tokenize(Folding.normalize(text)) where token.kind == .word {
            if let known = memo[token.text] {
                if let stem = known { out.append(stem) }
                continue
            }
            let analyzed = analyzer.analyze(tokens: [token], language, correctTypos: false)
            let stem = analyzed.first.flatMap { StopWords.contains($0.word, language) ? nil : $0.stem }
            memo[token.text] = .some(stem)
            if let stem { out.append(stem) }
        }
        return out
    }

    public func item(id: String, language: Language) -> KnowledgeItem? {
        let shelf = shelves[language.index]
        return shelf.byID[id].map { shelf.items[$0] }
    }

    public func search(_ query: KnowledgeQuery) -> [KnowledgeHit] {
        let shelf = shelves[query.language.index]
        let n = Float(max(shelf.items.count, 1))
        var relevance = [Float](repeating: 0, count: shelf.items.count)
        var seen = Set<String>()
        for term in query.terms where seen.insert(term).inserted {
            guard let postings = shelf.postings[term] else { continue }
            let df = Float(postings.count)
            let idf = log(1 + (n - df + 0.5) / (df + 0.5))
            let k1: Float = 1.2, b: Float = 0.75
            for (doc, tf) in postings {
                let length = shelf.lengths[Int(doc)]
                relevance[Int(doc)] += idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * length / shelf.averageLength))
            }
        }
        let types = Set(query.types)
        var ranked: [(facets: Int, relevance: Float, index: Int)] = []
        for i in shelf.types.indices where types.isEmpty || types.contains(shelf.types[i]) {
            var facets = 0
            if let topic = query.topic, shelf.topics[i].contains(topic) { facets += 4 }
            if let group = query.targetGroup, shelf.groups[i].contains(group) { facets += 2 }
            if let country = query.country, shelf.countries[i].contains(country) { facets += 2 }
            ranked.append((facets, relevance[i], i))
        }
        let asked = query.topic != nil || query.targetGroup != nil || query.country != nil
        if asked {
            // Items sharing a facet when there are any; all items otherwise.
            if ranked.contains(where: { $0.facets > 0 }) { ranked.removeAll { $0.facets == 0 } }
        } else if !query.terms.isEmpty, ranked.contains(where: { $0.relevance > 0 }) {
            ranked.removeAll { $0.relevance == 0 }
        }
        // Items are stored sorted by id, so the index breaks ties by id.
        ranked.sort { a, b in
            if a.facets != b.facets { return a.facets > b.facets }
            if a.relevance != b.relevance { return a.relevance > b.relevance }
            return a.index < b.index
        }
        return ranked.map { r in
            let item = shelf.items[r.index]
            return KnowledgeHit(id: item.id, type: item.type, title: item.title, summary: item.summary,
                                score: Double(r.relevance) + Double(r.facets))
        }
    }
}
