/// One intent as authored in `Intents/`: what people say, how the bot answers.
public struct IntentDefinition: Sendable, Hashable {
    public var id: String
    public var description: String
    /// The slots this intent reports.
    public var slots: [SlotName]
    /// The implicit topic of a `practice.*` intent.
    public var topic: String?
    public var labels: [Language: String]
    public var examples: [Language: [String]]
    public var patterns: [Language: [String]]
    public var responses: [Language: [String]]
    public var answer: AnswerQuery?
    /// Intent ids offered as next steps.
    public var next: [String]
    /// Whether a short follow-up ("and in Italy?") may reuse this intent.
    public var followUp: Bool

    public init(
        id: String, description: String = "", slots: [SlotName] = [], topic: String? = nil,
        labels: [Language: String] = [:], examples: [Language: [String]] = [:],
        patterns: [Language: [String]] = [:], responses: [Language: [String]] = [:],
        answer: AnswerQuery? = nil, next: [String] = [], followUp: Bool = false
    ) {
        self.id = id
        self.description = description
        self.slots = slots
        self.topic = topic
        self.labels = labels
        self.examples = examples
        self.patterns = patterns
        self.responses = responses
        self.answer = answer
        self.next = next
        self.followUp = followUp
    }

    /// The button text in a language, falling back to English, then the id.
    public func label(in language: Language) -> String {
        labels[language] ?? labels[.en] ?? id
    }
}

/// The knowledge an intent's answer cites.
public struct AnswerQuery: Sendable, Hashable {
    public var types: [KnowledgeType]
    public var count: Int

    public init(types: [KnowledgeType], count: Int = 3) {
        self.types = types
        self.count = count
    }
}
