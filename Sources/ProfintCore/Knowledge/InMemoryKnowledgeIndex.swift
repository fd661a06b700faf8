import Foundation

/// Knowledge search in memory: BM25 over stems with title > summary > body
/// weights, items filtered by type and ranked first by how many of the
/// query's topic, target group and country they share.
public struct InMemoryKnowledgeIndex: KnowledgeSearching {
    struct Document: Sendable {
        var item: KnowledgeItem
        var termWeights: [String: Float]
        var length: Float
    }

    private var documents: [[Document]]
    private var documentFrequency: [[String: Int]]
    private var averageLength: [Float]
    private var byID: [[String: Int]]

    public init(items: [KnowledgeItem], analyzer: TextAnalyzer) {
        var documents = [[Document]](repeating: [], count: 4)
        var df = [[String: Int]](repeating: [:], count: 4)
        var byID = [[String: Int]](repeating: [:], count: 4)
        for item in items.sorted(by: { $0.id < $1.id }) {
            let l = item.language.index
            var weights: [String: Float] = [:]
            func add(_ text: String, _ w: Float) {
                for t in analyzer.analyze(text, item.language, correctTypos: false) where t.kind == .word {
                    if StopWords.contains(t.word, item.language) { continue }
                    weights[t.stem, default: 0] += w
                }
            }
            add(item.title, 3)
            add(item.summary, 2)
            add(item.body, 1)
            let length = weights.values.reduce(0, +)
            for term in weights.keys { df[l][term, default: 0] += 1 }
            byID[l][item.id] = documents[l].count
            documents[l].append(Document(item: item, termWeights: weights, length: length))
        }
        self.documents = documents
        self.documentFrequency = df
        self.byID = byID
        self.averageLength = documents.map { docs in
            docs.isEmpty ? 1 : docs.map(\.length).reduce(0, +) / Float(docs.count)
        }
    }

    public func item(id: String, language: Language) -> KnowledgeItem? {
        byID[language.index][id].map { documents[language.index][$0].item }
    }

    public func search(_ query: KnowledgeQuery) -> [KnowledgeHit] {
        let l = query.language.index
        let docs = documents[l]
        let n = Float(max(docs.count, 1))
        let types = Set(query.types)
        var hits: [(Int, Double, KnowledgeHit)] = []
        for doc in docs where types.isEmpty || types.contains(doc.item.type) {
            var relevance: Float = 0
            for term in Set(query.terms) {
                guard let tf = doc.termWeights[term] else { continue }
                let dfValue = Float(documentFrequency[l][term] ?? 0)
                let idf = log(1 + (n - dfValue + 0.5) / (dfValue + 0.5))
                let k1: Float = 1.2, b: Float = 0.75
                relevance += idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * doc.length / averageLength[l]))
            }
            var facets = 0
            if let topic = query.topic, doc.item.topics.contains(topic) { facets += 4 }
            if let group = query.targetGroup, doc.item.targetGroups.contains(group) { facets += 2 }
            if let country = query.country, doc.item.countries.contains(country) { facets += 2 }
            // With a facet asked, items that share none of them rank only on words.
            let item = doc.item
            hits.append((facets, Double(relevance), KnowledgeHit(id: item.id, type: item.type, title: item.title,
                                                                  summary: item.summary, score: Double(relevance) + Double(facets))))
        }
        let asked = (query.topic != nil ? 1 : 0) + (query.targetGroup != nil ? 1 : 0) + (query.country != nil ? 1 : 0)
        if asked > 0 {
            // Keep items sharing a facet when there are any; fall back to all otherwise.
            let sharing = hits.filter { $0.0 > 0 }
            if !sharing.isEmpty { hits = sharing }
        } else if !query.terms.isEmpty {
            let relevant = hits.filter { $0.1 > 0 }
            if !relevant.isEmpty { hits = relevant }
        }
        hits.sort { a, b in
            if a.0 != b.0 { return a.0 > b.0 }
            if a.1 != b.1 { return a.1 > b.1 }
            return a.2.id < b.2.id
        }
        return hits.map(\.2)
    }
}
