import Foundation

/// Knowledge search in memory: BM25 over stems with title > summary > body
/// weights, items filtered by type and ranked first by how many of the
/// query's topic, target group and country they share. The SQLite FTS5
/// index of `ProfintStore` gives the same answers from a file.
public struct InMemoryKnowledgeIndex: KnowledgeSearching {
    /// A shelf while it is filled.
    struct ShelfBuilder {
        var items: [KnowledgeItem] = []
        var byID = StringTable<Int>()
        /// stem → (item, weighted term frequency)
        var postings = StringTable<[(Int32, Float)]>()
        /// Per posting (by the entry of `postings`), BM25's denominator
        /// `tf + k1 (1 − b + b·length/average)`, computed once.
        var denominators: [[Float]] = []
        var lengths: [Float] = []
        /// Facets per item, kept apart so that ranking never copies an item.
        var types: [KnowledgeType] = []
        /// `types` as positions in `KnowledgeType.allCases`.
        var typeCodes: [Int] = []
        var topics: [[String]] = []
        var groups: [[String]] = []
        var countries: [[String]] = []
        var averageLength: Float = 1
        /// Topics, groups and countries as bits (when each has at most 64 values).
        var topicFacets = FacetBits()
        var groupFacets = FacetBits()
        var countryFacets = FacetBits()
        /// Each item as a hit (score 0), so that ranking copies three strings, not an item.
        var hits: [KnowledgeHit] = []
    }

    /// One language's items and their inverted index (a reference: searching
    /// reads it in place, never copies it).
    final class Shelf: Sendable {
        let items: [KnowledgeItem]
        let byID: StringTable<Int>
        let postings: StringTable<[(Int32, Float)]>
        let denominators: [[Float]]
        let lengths: [Float]
        let types: [KnowledgeType]
        let typeCodes: [Int]
        let topics: [[String]]
        let groups: [[String]]
        let countries: [[String]]
        let averageLength: Float
        let topicFacets: FacetBits
        let groupFacets: FacetBits
        let countryFacets: FacetBits
        let hits: [KnowledgeHit]

        init(_ builder: ShelfBuilder) {
            items = builder.items
            byID = builder.byID
            postings = builder.postings
            denominators = builder.denominators
            lengths = builder.lengths
            types = builder.types
            typeCodes = builder.typeCodes
            topics = builder.topics
            groups = builder.groups
            countries = builder.countries
            averageLength = builder.averageLength
            topicFacets = builder.topicFacets
            groupFacets = builder.groupFacets
            countryFacets = builder.countryFacets
            hits = builder.hits
        }
    }

    /// The values of one facet, numbered, and each item's values as bits.
    struct FacetBits: Sendable {
        var codes = StringTable<Int>()
        var bits: [UInt64] = []
        var usable = true

        mutating func append(_ values: [String]) {
            var mask: UInt64 = 0
            for value in values {
                let code = codes.entry(value, default: 0) // entries are numbered in order of first appearance
                if code >= 64 { usable = false } else { mask |= 1 << UInt64(code) }
            }
            bits.append(mask)
        }

        /// The bit of a value; 0 when no item has it.
        @inline(__always) func bit(_ value: String) -> UInt64 {
            let code = codes.find(value)
            return code < 0 ? 0 : 1 << UInt64(code)
        }
    }


    private var shelves: [Shelf]

    public static let titleWeight: Float = 3
    public static let summaryWeight: Float = 2
    public static let bodyWeight: Float = 1
    static let k1: Float = 1.2
    static let b: Float = 0.75

    public init(items: [KnowledgeItem], analyzer: TextAnalyzer) {
        var shelves = [ShelfBuilder](repeating: ShelfBuilder(), count: Language.allCases.count)
        for language in Language.allCases {
            var shelf = ShelfBuilder()
            var memo = TermMemo()
            for item in items.filter({ $0.language == language }).sorted(by: { $0.id < $1.id }) {
                let index = Int32(shelf.items.count)
                // Weights per stem in order of first occurrence (a fixed order, so the length's sum is too).
                var weights = StringTable<Float>()
                for (text, w) in [(item.title, Self.titleWeight), (item.summary, Self.summaryWeight), (item.body, Self.bodyWeight)] {
                    for stem in Self.terms(text, language, analyzer, memo: &memo) {
                        let e = weights.entry(stem, default: 0)
                        weights.update(at: e) { $0 += w }
                    }
                }
                for entry in weights.entries {
                    let (stem, weight) = (entry.key, entry.value)
                    let e = shelf.postings.entry(stem, default: [])
                    shelf.postings.update(at: e) { $0.append((index, weight)) }
                }
                shelf.lengths.append(weights.values.reduce(0, +))
                shelf.byID[item.id] = Int(index)
                shelf.types.append(item.type)
                shelf.typeCodes.append(Self.code(item.type))
                shelf.topics.append(item.topics)
                shelf.groups.append(item.targetGroups)
                shelf.countries.append(item.countries)
                shelf.topicFacets.append(item.topics)
                shelf.groupFacets.append(item.targetGroups)
                shelf.countryFacets.append(item.countries)
                shelf.hits.append(KnowledgeHit(id: item.id, type: item.type, title: item.title, summary: item.summary, score: 0))
                shelf.items.append(item)
            }
            shelf.averageLength = shelf.lengths.isEmpty ? 1 : shelf.lengths.reduce(0, +) / Float(shelf.lengths.count)
            for entry in shelf.postings.entries {
                shelf.denominators.append(entry.value.map { doc, tf in
                    tf + Self.k1 * (1 - Self.b + Self.b * shelf.lengths[Int(doc)] / shelf.averageLength)
                })
            }
            shelves[language.index] = shelf
        }
        self.shelves = shelves.map(Shelf.init)
    }

    /// The stems already worked out while indexing one language, by word.
    public struct TermMemo: Sendable {
        var table = StringTable<String?>()
        public init() {}
    }

    /// Content-word stems of a text, memoized per word while indexing.
    public static func terms(_ text: String, _ language: Language, _ analyzer: TextAnalyzer, memo: inout TermMemo) -> [String] {
        var out: [String] = []
        for token in Tokenizer.tokenize(Folding.normalize(text)) where token.kind == .word {
            let known = memo.table.find(token.text)
            if known >= 0 {
                if let stem = memo.table.value(at: known) { out.append(stem) }
                continue
            }
            let analyzed = analyzer.analyze(tokens: [token], language, correctTypos: false)
            let stem = analyzed.first.flatMap { StopWords.contains($0.word, language) ? nil : $0.stem }
            memo.table[token.text] = .some(stem)
            if let stem { out.append(stem) }
        }
        return out
    }

    /// The position of a type in `KnowledgeType.allCases` (a bit of a type mask).
    @inline(__always) static func code(_ type: KnowledgeType) -> Int {
        KnowledgeType.allCases.firstIndex(of: type)!
    }

    public func item(id: String, language: Language) -> KnowledgeItem? {
        shelves[language.index].item(id: id)
    }

    public func search(_ query: KnowledgeQuery) -> [KnowledgeHit] {
        shelves[query.language.index].search(query)
    }

    /// An item's place in a ranking: its facets shared with the query, its
    /// relevance to the terms, its position on the language's shelf.
    typealias Ranked = (facets: Int, relevance: Float, index: Int)

    /// What `search` ranks, once per list of types (the query with those
    /// types), the relevance to the terms computed once for all.
    func ranked(_ query: KnowledgeQuery, eachOf types: [[KnowledgeType]]) -> [[Ranked]] {
        shelves[query.language.index].ranked(query, eachOf: types)
    }

    /// The id of a ranked item.
    func id(of ranked: Ranked, language: Language) -> String {
        shelves[language.index].hits[ranked.index].id
    }

    /// A ranked item as `search` gives it.
    func hit(_ ranked: Ranked, language: Language) -> KnowledgeHit {
        var hit = shelves[language.index].hits[ranked.index]
        hit.score = Double(ranked.relevance) + Double(ranked.facets)
        return hit
    }
}

extension InMemoryKnowledgeIndex.Shelf {
    func item(id: String) -> KnowledgeItem? {
        byID[id].map { items[$0] }
    }

    func search(_ query: KnowledgeQuery) -> [KnowledgeHit] {
        search(query, relevance: relevance(query))
    }

    func ranked(_ query: KnowledgeQuery, eachOf types: [[KnowledgeType]]) -> [[InMemoryKnowledgeIndex.Ranked]] {
        let relevance = relevance(query)
        return types.map { types in
            var one = query
            one.types = types
            return ranked(one, relevance: relevance)
        }
    }

    /// BM25 relevance of every item to the query's terms.
    func relevance(_ query: KnowledgeQuery) -> [Float] {
        let n = Float(max(items.count, 1))
        var relevance = [Float](repeating: 0, count: items.count)
        for (t, term) in query.terms.enumerated() {
            // Each distinct term once.
            var repeated = false
            for k in 0..<t where query.terms[k] == term {
                repeated = true
                break
            }
            if repeated { continue }
            let entry = postings.find(term)
            guard entry >= 0 else { continue }
            let list = postings.value(at: entry)
            let df = Float(list.count)
            let idf = log(1 + (n - df + 0.5) / (df + 0.5))
            let k1 = InMemoryKnowledgeIndex.k1
            denominators[entry].withUnsafeBufferPointer { D in
                relevance.withUnsafeMutableBufferPointer { R in
                    for (j, (doc, tf)) in list.enumerated() {
                        R[Int(doc)] += idf * tf * (k1 + 1) / D[j]
                    }
                }
            }
        }
        return relevance
    }

    func search(_ query: KnowledgeQuery, relevance: [Float]) -> [KnowledgeHit] {
        ranked(query, relevance: relevance).map { r in
            var hit = hits[r.index]
            hit.score = Double(r.relevance) + Double(r.facets)
            return hit
        }
    }

    /// The items of the query's types ranked, with the relevance already computed.
    func ranked(_ query: KnowledgeQuery, relevance: [Float]) -> [InMemoryKnowledgeIndex.Ranked] {
        // The query's types as a mask (KnowledgeType has far fewer than 64 cases).
        var wanted: UInt64 = 0
        for type in query.types { wanted |= 1 << UInt64(InMemoryKnowledgeIndex.code(type)) }
        let anyType = query.types.isEmpty
        var ranked: [(facets: Int, relevance: Float, index: Int)] = []
        ranked.reserveCapacity(typeCodes.count)
        var anyFacet = false, anyRelevant = false
        let bits = topicFacets.usable && groupFacets.usable && countryFacets.usable
        let topicBit = bits ? query.topic.map { topicFacets.bit($0) } ?? 0 : 0
        let groupBit = bits ? query.targetGroup.map { groupFacets.bit($0) } ?? 0 : 0
        let countryBit = bits ? query.country.map { countryFacets.bit($0) } ?? 0 : 0
        typeCodes.withUnsafeBufferPointer { codes in
            for i in codes.indices where anyType || wanted & (1 << UInt64(codes[i])) != 0 {
                var facets = 0
                if bits {
                    if topicFacets.bits[i] & topicBit != 0 { facets += 4 }
                    if groupFacets.bits[i] & groupBit != 0 { facets += 2 }
                    if countryFacets.bits[i] & countryBit != 0 { facets += 2 }
                } else {
                    if let topic = query.topic, topics[i].contains(topic) { facets += 4 }
                    if let group = query.targetGroup, groups[i].contains(group) { facets += 2 }
                    if let country = query.country, countries[i].contains(country) { facets += 2 }
                }
                if facets > 0 { anyFacet = true }
                if relevance[i] > 0 { anyRelevant = true }
                ranked.append((facets, relevance[i], i))
            }
        }
        let asked = query.topic != nil || query.targetGroup != nil || query.country != nil
        if asked {
            // Items sharing a facet when there are any; all items otherwise.
            if anyFacet { ranked.removeAll { $0.facets == 0 } }
        } else if !query.terms.isEmpty, anyRelevant {
            ranked.removeAll { $0.relevance == 0 }
        }
        // Items are stored sorted by id, so the index breaks ties by id.
        Self.rank(&ranked)
        return ranked
    }

    /// Sorts by facets (descending), relevance (descending), then index: one
    /// integer key per item when relevances are ordinary non-negative
    /// numbers, the comparison sort otherwise.
    static func rank(_ ranked: inout [(facets: Int, relevance: Float, index: Int)]) {
        let packable = ranked.allSatisfy { r in
            r.facets >= 0 && r.facets < 16 && r.index >= 0 && r.index < (1 << 28) && r.relevance >= 0 && r.relevance.isFinite
        }
        guard packable else {
            ranked.sort { a, b in
                if a.facets != b.facets { return a.facets > b.facets }
                if a.relevance != b.relevance { return a.relevance > b.relevance }
                return a.index < b.index
            }
            return
        }
        // Non-negative floats order as their bit patterns (+0 only: relevance starts at +0 and only grows).
        var keys = ranked.map { r -> UInt64 in
            let relevanceBits = UInt64((r.relevance + 0).bitPattern)
            return (UInt64(15 - r.facets) << 60) | ((0xFFFF_FFFF - relevanceBits) << 28) | UInt64(r.index)
        }
        keys.sort()
        for (k, key) in keys.enumerated() {
            let relevanceBits = 0xFFFF_FFFF - UInt32(truncatingIfNeeded: key >> 28)
            ranked[k] = (15 - Int(key >> 60), Float(bitPattern: relevanceBits), Int(key & 0x0FFF_FFFF))
        }
    }
}
