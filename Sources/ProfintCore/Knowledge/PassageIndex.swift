import Foundation

/// Knowledge items cut into passages — their headed sections, or groups
/// of paragraphs of at most `maximumWords` words — each keeping its item's
/// id, type and facets, and indexed per language (BM25 over the same stems
/// as messages) so that an answer can quote the passage that fits the
/// question rather than an intent's fixed paragraph.
public struct PassageIndex: Sendable {
    public struct Passage: Sendable, Hashable {
        public var itemID: String
        public var type: KnowledgeType
        public var title: String
        /// The section's heading, if it has one.
        public var heading: String?
        /// Plain text (Markdown removed).
        public var text: String
        public var topics: [String]
        public var groups: [String]
        public var countries: [String]
    }

    /// A passage found for a query, with how well it fits.
    public struct Match: Sendable {
        public var passage: Passage
        /// Its place on the language's shelf (passages of an item are consecutive).
        public var position: Int
        public var score: Float
        /// The share of the query's weight the passage contains (0…1).
        public var coverage: Float
    }

    /// What a passage search asks.
    public struct Query: Sendable {
        public var language: Language
        /// Stems with their weights (distinctive words weigh more).
        public var terms: [(stem: String, weight: Float)]
        public var types: Set<KnowledgeType>?
        /// Only passages of these items (a question about the last answer).
        public var items: Set<String>?
        public var topic: String?
        public var group: String?
        public var country: String?

        public init(language: Language, terms: [(stem: String, weight: Float)], types: Set<KnowledgeType>? = nil,
                    items: Set<String>? = nil, topic: String? = nil, group: String? = nil, country: String? = nil) {
            self.language = language
            self.terms = terms
            self.types = types
            self.items = items
            self.topic = topic
            self.group = group
            self.country = country
        }
    }

    public static let maximumWords = 80
    /// Types whose text answers questions (prompts and helplines have their own paths).
    static let indexed: Set<KnowledgeType> = Set(KnowledgeType.allCases).subtracting([.prompt, .helplines, .partner])

    final class Shelf: Sendable {
        let passages: [Passage]
        /// stem → (passage, term frequency)
        let postings: StringTable<[(Int32, Float)]>
        let lengths: [Float]
        let averageLength: Float

        init(passages: [Passage], postings: StringTable<[(Int32, Float)]>, lengths: [Float]) {
            self.passages = passages
            self.postings = postings
            self.lengths = lengths
            averageLength = lengths.isEmpty ? 1 : max(1, lengths.reduce(0, +) / Float(lengths.count))
        }
    }

    let shelves: [Shelf]

    public init(items: [KnowledgeItem], analyzer: TextAnalyzer) {
        var shelves: [Shelf] = []
        for language in Language.allCases {
            var passages: [Passage] = []
            var postings = StringTable<[(Int32, Float)]>()
            var lengths: [Float] = []
            var memo = InMemoryKnowledgeIndex.TermMemo()
            for item in items where item.language == language && Self.indexed.contains(item.type) {
                for (heading, text) in Self.split(item.body) {
                    let id = Int32(passages.count)
                    passages.append(Passage(itemID: item.id, type: item.type, title: item.title, heading: heading, text: text,
                                            topics: item.topics, groups: item.targetGroups, countries: item.countries))
                    var counts: [String: Float] = [:]
                    let body = InMemoryKnowledgeIndex.terms(text, language, analyzer, memo: &memo)
                    for stem in body { counts[stem, default: 0] += 1 }
                    // The heading and the item's title say what the passage is about.
                    for stem in InMemoryKnowledgeIndex.terms((heading ?? "") + " " + item.title, language, analyzer, memo: &memo) {
                        counts[stem, default: 0] += 2
                    }
                    lengths.append(Float(body.count))
                    for (stem, tf) in counts {
                        let entry = postings.entry(stem, default: [])
                        postings.update(at: entry) { $0.append((id, tf)) }
                    }
                }
            }
            shelves.append(Shelf(passages: passages, postings: postings, lengths: lengths))
        }
        self.shelves = shelves
    }

    public func count(_ language: Language) -> Int { shelves[language.index].passages.count }

    /// The passage after a match, if it belongs to the same item.
    public func next(after match: Match, language: Language) -> Passage? {
        let passages = shelves[language.index].passages
        let i = match.position + 1
        return i < passages.count && passages[i].itemID == match.passage.itemID ? passages[i] : nil
    }

    /// The first passage of a match's item (a glossary entry's "what it is").
    public func first(of match: Match, language: Language) -> Match {
        let passages = shelves[language.index].passages
        var i = match.position
        while i > 0, passages[i - 1].itemID == match.passage.itemID { i -= 1 }
        var out = match
        out.position = i
        out.passage = passages[i]
        return out
    }

    /// How rare a stem is among the language's passages (BM25's idf).
    public func idf(_ stem: String, _ language: Language) -> Float {
        let shelf = shelves[language.index]
        let n = Float(shelf.passages.count)
        let df = Float(shelf.postings[stem]?.count ?? 0)
        guard df > 0 else { return 0 }
        return max(0.05, logf(1 + (n - df + 0.5) / (df + 0.5)))
    }

    /// The best passages for a query, best first.
    public func search(_ query: Query, limit: Int = 3) -> [Match] {
        let shelf = shelves[query.language.index]
        guard !shelf.passages.isEmpty else { return [] }
        let n = Float(shelf.passages.count)
        // Dense per passage, with the list of those touched.
        var scores = [Float](repeating: 0, count: shelf.passages.count)
        var matched = [Float](repeating: 0, count: shelf.passages.count)
        var touched: [Int32] = []
        var total: Float = 0
        var seen = Set<String>()
        for (stem, weight) in query.terms where seen.insert(stem).inserted {
            guard let list = shelf.postings[stem] else { continue }
            let df = Float(list.count)
            let idf = max(0.05, logf(1 + (n - df + 0.5) / (df + 0.5)))
            total += weight * idf
            for (p, tf) in list {
                let length = shelf.lengths[Int(p)]
                let bm25 = tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * length / shelf.averageLength))
                if scores[Int(p)] == 0 { touched.append(p) }
                scores[Int(p)] += weight * idf * bm25
                matched[Int(p)] += weight * idf
            }
        }
        guard total > 0 else { return [] }
        // Ranked by position first; a passage is copied only when it is returned.
        var ranked: [(position: Int, score: Float)] = []
        ranked.reserveCapacity(touched.count)
        shelf.passages.withUnsafeBufferPointer { passages in
            for p in touched {
                let i = Int(p)
                let raw = scores[i]
                if let types = query.types, !types.contains(passages[i].type) { continue }
                if let items = query.items, !items.contains(passages[i].itemID) { continue }
                var score = raw
                if let country = query.country {
                    score *= passages[i].countries.contains(country) ? 1.6 : (passages[i].countries.isEmpty ? 1 : 0.25)
                }
                if let group = query.group { score *= passages[i].groups.contains(group) ? 1.5 : 0.9 }
                if let topic = query.topic, passages[i].topics.contains(topic) { score *= 1.2 }
                ranked.append((i, score))
            }
        }
        // Ties go to the earlier passage on the shelf (content order): deterministic.
        ranked.sort { $0.score != $1.score ? $0.score > $1.score : $0.position < $1.position }
        return ranked.prefix(limit).map { r in
            Match(passage: shelf.passages[r.position], position: r.position, score: r.score,
                  coverage: min(1, matched[r.position] / total))
        }
    }

    /// A Markdown body as (heading, plain text) passages.
    static func split(_ body: String) -> [(String?, String)] {
        var sections: [(String?, [String])] = [(nil, [])]
        for line in body.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.drop(while: { $0 == " " })
            if trimmed.hasPrefix("#") {
                let heading = trimmed.drop(while: { $0 == "#" }).drop(while: { $0 == " " })
                sections.append((MarkdownText.plain(String(heading)).trimmingSpaces, []))
            } else {
                sections[sections.count - 1].1.append(String(line))
            }
        }
        var out: [(String?, String)] = []
        for (heading, lines) in sections {
            // Paragraphs, grouped up to the word limit.
            var paragraphs: [String] = []
            var current: [String] = []
            for line in lines {
                if line.allSatisfy({ $0 == " " }) {
                    if !current.isEmpty { paragraphs.append(current.joined(separator: "\n")) }
                    current = []
                } else {
                    current.append(line)
                }
            }
            if !current.isEmpty { paragraphs.append(current.joined(separator: "\n")) }
            var group = ""
            var words = 0
            for paragraph in paragraphs {
                let plain = MarkdownText.plain(paragraph).trimmingSpaces
                guard !plain.isEmpty else { continue }
                let count = plain.split(whereSeparator: { $0 == " " || $0 == "\n" }).count
                if words > 0, words + count > maximumWords {
                    out.append((heading, group))
                    group = ""
                    words = 0
                }
                group += (group.isEmpty ? "" : "\n") + plain
                words += count
            }
            if !group.isEmpty { out.append((heading, group)) }
        }
        return out
    }
}

extension String {
    /// Without leading and trailing spaces and new lines.
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\n" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\n" { s = s.dropLast() }
        return String(s)
    }
}
