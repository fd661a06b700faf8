import Dispatch

/// Everything the engine computes from the content once, at load time:
/// the analyzer, the language detector, the classifier, compiled patterns,
/// the slot extractor and the knowledge index.
struct EngineIndex: Sendable {
    var intents: [String: IntentDefinition]
    var intentOrder: [String]
    var analyzer: TextAnalyzer
    var detector: LanguageDetector
    var classifier: IntentClassifier
    var patterns: [PatternSet]
    var patternProblems: [String]
    var slotExtractor: SlotExtractor
    var knowledge: any KnowledgeSearching
    var messages: Messages
    var slotVocabulary: SlotVocabulary
    /// Examples' stems per intent, for the trace's nearest example.
    var exampleStems: [String: [(String, Set<String>)]]
    var promptIDs: [String]

    init(content: EngineContent, configuration: EngineConfiguration,
         knowledge: ((TextAnalyzer, [KnowledgeItem]) -> any KnowledgeSearching)?) {
        var vocabulary: [Language: [String]] = [:]
        var detectorTexts: [Language: [String]] = [:]
        for intent in content.intents {
            for (language, examples) in intent.examples {
                vocabulary[language, default: []] += examples
                detectorTexts[language, default: []] += examples
            }
            for (language, responses) in intent.responses {
                detectorTexts[language, default: []] += responses
            }
        }
        for (_, values) in content.slots.phrases {
            for (_, byLanguage) in values {
                for (language, phrases) in byLanguage { vocabulary[language, default: []] += phrases }
            }
        }
        for (_, byLanguage) in content.slots.countryInstitutions {
            for (language, phrases) in byLanguage { vocabulary[language, default: []] += phrases }
        }
        for (language, groups) in content.lexicon.groups {
            vocabulary[language, default: []] += groups.flatMap { $0 }
        }
        for item in content.knowledge {
            vocabulary[item.language, default: []] += [item.title, item.summary]
            detectorTexts[item.language, default: []] += [item.title, item.summary]
        }
        for (_, byLanguage) in content.messages.texts {
            for (language, texts) in byLanguage { detectorTexts[language, default: []] += texts }
        }
        for (language, texts) in content.outOfScopeExamples {
            vocabulary[language, default: []] += texts
            detectorTexts[language, default: []] += texts
        }
        let analyzer = TextAnalyzer(vocabulary: vocabulary, lexicon: content.lexicon)
        self.analyzer = analyzer

        var intents: [String: IntentDefinition] = [:]
        var order: [String] = []
        var examples: [(String?, [AnalyzedToken])] = []
        var exampleStems: [String: [(String, Set<String>)]] = [:]
        var patterns = [PatternSet](repeating: PatternSet(), count: 4)
        var problems: [String] = []
        for intent in content.intents {
            if intents[intent.id] == nil { order.append(intent.id) }
            intents[intent.id] = intent
            for language in Language.allCases {
                for example in intent.examples[language] ?? [] {
                    let tokens = analyzer.analyze(example, language, correctTypos: false)
                    examples.append((intent.id, tokens))
                    if configuration.explain {
                        exampleStems[intent.id, default: []].append((example, Set(tokens.map(\.stem))))
                    }
                }
                for source in intent.patterns[language] ?? [] {
                    do {
                        let pattern = try IntentPattern(intent: intent.id, language: language, source: source) {
                            analyzer.analyze($0, language, correctTypos: false).map(\.stem)
                        }
                        patterns[language.index].append(pattern)
                    } catch {
                        problems.append("\(intent.id): \(error)")
                    }
                }
            }
        }
        for language in Language.allCases {
            for text in content.outOfScopeExamples[language] ?? [] {
                examples.append((nil, analyzer.analyze(text, language, correctTypos: false)))
            }
        }
        self.intents = intents
        self.intentOrder = order
        // The weights (the longest part) are fitted on one core while the
        // knowledge index and the language model are built on the other.
        // Each part is deterministic, so the result does not depend on timing.
        let model = configuration.model
        let intentIDs = order
        let trainingExamples = examples
        let fitted = Box<IntentClassifier>()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) {
            fitted.value = IntentClassifier(intentIDs: intentIDs, examples: trainingExamples, parameters: model)
        }
        self.detector = LanguageDetector(texts: detectorTexts)
        self.knowledge = knowledge?(analyzer, content.knowledge) ?? InMemoryKnowledgeIndex(items: content.knowledge, analyzer: analyzer)
        group.wait()
        self.classifier = fitted.value!
        self.patterns = patterns
        self.patternProblems = problems
        self.exampleStems = exampleStems
        self.slotExtractor = SlotExtractor(vocabulary: content.slots, analyzer: analyzer)
        self.messages = content.messages
        self.slotVocabulary = content.slots
        self.promptIDs = Array(Set(content.knowledge.filter { $0.type == .prompt }.map(\.id))).sorted()
    }
}

/// A result handed back from a worker thread, read after the work is
/// joined (`DispatchGroup.wait()`, `concurrentPerform`).
public final class Box<Value>: @unchecked Sendable {
    public var value: Value?
    public init() {}
}
