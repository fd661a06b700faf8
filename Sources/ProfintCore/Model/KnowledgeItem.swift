/// The kinds of knowledge items.
public enum KnowledgeType: String, CaseIterable, Sendable, Codable, Hashable {
    case successFactor = "success_factor"
    case recommendation
    case caseStudy = "case"
    case tool
    case goodPractice = "good_practice"
    case module
    case skill
    case prompt
    case countryGuide = "country_guide"
    case glossary
    case partner
    /// The numbers and services safety replies cite, for one country (or
    /// EU-wide when `countries` is empty).
    case helplines
    /// What a status gives in one country: work, training, benefits.
    case rights
}

/// One knowledge item in one language (a Markdown file of `Knowledge/`).
public struct KnowledgeItem: Sendable, Hashable, Identifiable {
    public var id: String
    public var language: Language
    public var type: KnowledgeType
    public var title: String
    public var summary: String
    public var topics: [String]
    public var targetGroups: [String]
    public var countries: [String]
    public var related: [String]
    public var sources: [String]
    public var reviewed: String?
    /// When the facts must be checked again (items whose rules change).
    public var reviewDue: String?
    /// `helplines` items: the lines, in the order replies offer them.
    public var lines: [Helpline] = []
    public var body: String
    /// `prompt` items: reflect, try or formalize.
    public var stage: String?
    /// `prompt` items: the success factor or module it belongs to.
    public var factor: String?
    /// `prompt` items: the question asked when a team member replies.
    public var followUp: String?

    public init(
        id: String, language: Language, type: KnowledgeType, title: String, summary: String,
        topics: [String] = [], targetGroups: [String] = [], countries: [String] = [],
        related: [String] = [], sources: [String] = [], reviewed: String? = nil, body: String = "",
        stage: String? = nil, factor: String? = nil, followUp: String? = nil
    ) {
        self.id = id
        self.language = language
        self.type = type
        self.title = title
        self.summary = summary
        self.topics = topics
        self.targetGroups = targetGroups
        self.countries = countries
        self.related = related
        self.sources = sources
        self.reviewed = reviewed
        self.body = body
        self.stage = stage
        self.factor = factor
        self.followUp = followUp
    }
}
