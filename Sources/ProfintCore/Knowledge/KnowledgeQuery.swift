/// What an answer asks of the knowledge base.
public struct KnowledgeQuery: Sendable, Hashable {
    public var language: Language
    public var types: [KnowledgeType]
    public var topic: String?
    public var targetGroup: String?
    public var country: String?
    /// Stems of the message's content words, for relevance.
    public var terms: [String]

    public init(language: Language, types: [KnowledgeType], topic: String? = nil, targetGroup: String? = nil,
                country: String? = nil, terms: [String] = []) {
        self.language = language
        self.types = types
        self.topic = topic
        self.targetGroup = targetGroup
        self.country = country
        self.terms = terms
    }
}

/// One item found, best first.
public struct KnowledgeHit: Sendable, Hashable {
    public var id: String
    public var type: KnowledgeType
    public var title: String
    public var summary: String
    public var score: Double

    public init(id: String, type: KnowledgeType, title: String, summary: String, score: Double) {
        self.id = id
        self.type = type
        self.title = title
        self.summary = summary
        self.score = score
    }
}

/// The seam between the engine and where knowledge is searched: the
/// in-memory index here, SQLite FTS5 in `ProfintStore`.
public protocol KnowledgeSearching: Sendable {
    /// Every matching item, best first (the engine pages through them).
    func search(_ query: KnowledgeQuery) -> [KnowledgeHit]
    /// One item by id in a language.
    func item(id: String, language: Language) -> KnowledgeItem?
}
