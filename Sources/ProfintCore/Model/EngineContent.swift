/// Everything the engine knows, as plain values: what `ProfintContent`
/// loads from `Intents/` and `Knowledge/`, or what a test builds by hand.
public struct EngineContent: Sendable {
    public var intents: [IntentDefinition]
    public var knowledge: [KnowledgeItem]
    public var slots: SlotVocabulary
    public var lexicon: Lexicon
    public var messages: Messages
    /// Labelled out-of-scope examples (label `oos` in a JSONL set).
    public var outOfScopeExamples: [String]

    public init(
        intents: [IntentDefinition], knowledge: [KnowledgeItem] = [], slots: SlotVocabulary = .init(),
        lexicon: Lexicon = .init(), messages: Messages = .init(), outOfScopeExamples: [String] = []
    ) {
        self.intents = intents
        self.knowledge = knowledge
        self.slots = slots
        self.lexicon = lexicon
        self.messages = messages
        self.outOfScopeExamples = outOfScopeExamples
    }
}
