/// Everything the engine knows, as plain values: what `ProfintContent`
/// loads from `Intents/` and `Knowledge/`, or what a test builds by hand.
public struct EngineContent: Sendable {
    public var intents: [IntentDefinition]
    public var knowledge: [KnowledgeItem]
    public var slots: SlotVocabulary
    public var lexicon: Lexicon
    public var messages: Messages
    /// Messages that are out of scope, per language (`Intents/out-of-scope.yml`,
    /// or label `oos` in a JSONL set): evidence against every intent.
    public var outOfScopeExamples: [Language: [String]]

    public init(
        intents: [IntentDefinition], knowledge: [KnowledgeItem] = [], slots: SlotVocabulary = .init(),
        lexicon: Lexicon = .init(), messages: Messages = .init(), outOfScopeExamples: [Language: [String]] = [:]
    ) {
        self.intents = intents
        self.knowledge = knowledge
        self.slots = slots
        self.lexicon = lexicon
        self.messages = messages
        self.outOfScopeExamples = outOfScopeExamples
    }
}
