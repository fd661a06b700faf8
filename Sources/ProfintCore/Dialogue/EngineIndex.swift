import Dispatch

/// Everything the engine computes from the content once, at load time:
/// the analyzer, the language detector, the classifier, compiled patterns,
/// the slot extractor and the knowledge index.
struct EngineIndex: Sendable {
    var intents: StringTable<IntentRef>
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
    /// `messages` by key, per language index, English when a language has none.
    var messageTexts: StringTable<[[String]]>
    /// Display names of slot values (`SlotVocabulary.name`), per slot, value and language index.
    var slotNames: [StringTable<[String]>]
    /// Examples' stems per intent, for the trace's nearest example.
    var exampleStems: [String: [(String, Set<String>)]]
    var promptIDs: [String]
    /// The numbers and services of the `helplines` items.
    var helplines: HelplineDirectory
    /// Knowledge items cut into passages, for answers composed for the message.
    var passages: PassageIndex
    /// Per intent, the share of its examples each stem occurs in: words its
    /// examples share say little about what one question asks.
    var termShare: [String: StringTable<Float>]
    /// Content stems that mostly occur in the safety intents' examples and
    /// that their patterns use: the model alone decides a safety intent only
    /// when the message has one.
    var safetyStems: StringSet
    /// Stems that mostly occur in safety examples, patterns or not: a sign of
    /// risk only when the model is fairly sure of a safety intent.
    var frequentSafetyStems: StringSet
    /// The folded words of the safety patterns (time words and counts aside).
    var safetyWords: StringSet
    /// The sentences of the responses of intents whose answers quote a
    /// passage, with their stems, by response text: the framing candidates.
    var responseSentences: [String: [(String, Set<String>)]]
    /// Plain text of the prompt items' bodies (summaries when empty), by id and language.
    var promptTexts: [StringTable<(source: String, plain: String)>]

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
        // Built on other threads meanwhile: the language model (from the
        // texts alone) and the typo index (from the analyzer's word counts,
        // needed by messages only). Each part is deterministic, so the result
        // does not depend on timing.
        let group = DispatchGroup()
        let detector = Box<LanguageDetector>()
        let texts = detectorTexts
        // One after the other on one thread (the language model, then the
        // typo index), so that at most two threads run at a time.
        let background = DispatchQueue(label: "profint.engine-index")
        background.async(group: group) {
            detector.value = LanguageDetector(texts: texts)
        }
        var typoCounts: StringTable<Int>?
        var analyzer = TextAnalyzer(vocabulary: vocabulary, lexicon: content.lexicon, deferringTypoIndex: &typoCounts)
        let typoIndex = Box<TypoIndex>()
        let typoGroup = DispatchGroup()
        let counts = typoCounts ?? StringTable()
        background.async(group: typoGroup) {
            typoIndex.value = TypoIndex(counts: counts)
        }

        var intents: [String: IntentDefinition] = [:]
        var order: [String] = []
        var examples: [(String?, [AnalyzedToken])] = []
        var exampleStems: [String: [(String, Set<String>)]] = [:]
        var stemSets: [String: [Set<String>]] = [:]
        var patterns = [PatternSet](repeating: PatternSet(), count: 4)
        var problems: [String] = []
        // The examples are analyzed on two cores (each on its own), in content order.
        var exampleTexts: [(intent: String?, text: String, language: Language)] = []
        for intent in content.intents {
            for language in Language.allCases {
                for example in intent.examples[language] ?? [] { exampleTexts.append((intent.id, example, language)) }
            }
        }
        for language in Language.allCases {
            for text in content.outOfScopeExamples[language] ?? [] { exampleTexts.append((nil, text, language)) }
        }
        let exampleAnalyzer = analyzer
        let analyzed = exampleTexts.mapInTwoHalves { exampleAnalyzer.analyze($0.text, $0.language, correctTypos: false) }
        for (source, tokens) in zip(exampleTexts, analyzed) {
            examples.append((source.intent, tokens))
            if let intent = source.intent { stemSets[intent, default: []].append(Set(tokens.map(\.stem))) }
            if configuration.explain, let intent = source.intent {
                exampleStems[intent, default: []].append((source.text, Set(tokens.map(\.stem))))
            }
        }
        for intent in content.intents {
            if intents[intent.id] == nil { order.append(intent.id) }
            intents[intent.id] = intent
            for language in Language.allCases {
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
        self.intents = StringTable(order.map { ($0, IntentRef(intents[$0]!)) })
        self.intentOrder = order
        // The weights (the longest part) are fitted on one core while the
        // knowledge index and the rest are built on the other.
        let model = configuration.model
        let intentIDs = order
        let trainingExamples = examples
        let fitted = Box<IntentClassifier>()
        DispatchQueue.global().async(group: group) {
            fitted.value = IntentClassifier(intentIDs: intentIDs, examples: trainingExamples, parameters: model)
        }
        if let knowledge {
            // Another index gets the whole analyzer, typo index included.
            typoGroup.wait()
            analyzer.setTypoIndex(typoIndex.value!)
            self.knowledge = knowledge(analyzer, content.knowledge)
        } else {
            // The in-memory index analyzes without typo correction.
            self.knowledge = InMemoryKnowledgeIndex(items: content.knowledge, analyzer: analyzer)
        }
        self.passages = PassageIndex(items: content.knowledge, analyzer: analyzer)
        var termShare: [String: StringTable<Float>] = [:]
        for (intent, list) in stemSets {
            var counts: [String: Int] = [:]
            for stems in list { for stem in stems { counts[stem, default: 0] += 1 } }
            let n = Float(max(1, list.count))
            termShare[intent] = StringTable(counts.sorted { $0.key < $1.key }.map { ($0.key, Float($0.value) / n) })
        }
        self.termShare = termShare
        var safetyCounts: [String: (safety: Int, all: Int)] = [:]
        for (intent, list) in stemSets {
            let safety = intent.hasPrefix("safety.") && intent != IntentID.individualCase
            for stems in list {
                for stem in stems {
                    var c = safetyCounts[stem] ?? (0, 0)
                    c.all += 1
                    if safety { c.safety += 1 }
                    safetyCounts[stem] = c
                }
            }
        }
        let frequent = safetyCounts.filter { $0.value.safety >= 1 && Double($0.value.safety) >= 0.5 * Double($0.value.all) }
        // …and that the safety patterns use: the authored words of risk
        // ("passport", "knife", "breathing", "debt"), not the roles, places
        // and connectives that safety examples happen to use more than others
        // ("corsista", "centro", "parce").
        var patternStems = Set<String>()
        var patternWords = Set<String>()
        for intent in content.intents where intent.id.hasPrefix("safety.") && intent.id != IntentID.individualCase {
            for (language, patterns) in intent.patterns {
                for pattern in patterns {
                    let words = pattern.map { "()[]|*".contains($0) ? " " : $0 }
                    for token in analyzer.analyze(String(words), language, correctTypos: false)
                    where token.kind == .word && !StopWords.contains(token.word, language) && !Engine.timeWords.contains(token.word) {
                        patternStems.insert(token.stem)
                        patternWords.insert(token.word)
                    }
                }
            }
        }
        // Only words the other intents' examples hardly use: "tuer" counts,
        // "arrive", "travaille" and "kids" (context in a pattern, and said of
        // ordinary situations too) do not.
        var ordinary = Set<String>()
        var ordinaryStems: [String: Int] = [:]
        for (label, tokens) in examples where !(label ?? "").hasPrefix("safety.") {
            for token in tokens where token.kind == .word {
                ordinary.insert(token.word)
                ordinaryStems[token.stem, default: 0] += 1
            }
        }
        self.safetyStems = StringSet(frequent.keys.filter { patternStems.contains($0) && (ordinaryStems[$0] ?? 0) < 3 }.sorted())
        self.frequentSafetyStems = StringSet(frequent.keys.sorted())
        self.safetyWords = StringSet(patternWords.subtracting(ordinary).sorted())
        var responseSentences: [String: [(String, Set<String>)]] = [:]
        for intent in content.intents where Engine.composes(intent.id) {
            for (language, responses) in intent.responses {
                for response in responses where responseSentences[response] == nil {
                    responseSentences[response] = Engine.sentences(response).map {
                        ($0, Set(analyzer.analyze($0, language, correctTypos: false).map(\.stem)))
                    }
                }
            }
        }
        self.responseSentences = responseSentences
        self.slotExtractor = SlotExtractor(vocabulary: content.slots, analyzer: analyzer)
        var promptTexts = [StringTable<(source: String, plain: String)>](repeating: StringTable(), count: Language.allCases.count)
        for item in content.knowledge where item.type == .prompt {
            let source = item.body.isEmpty ? item.summary : item.body
            promptTexts[item.language.index][item.id] = (source, MarkdownText.plain(source))
        }
        typoGroup.wait()
        analyzer.setTypoIndex(typoIndex.value!)
        self.analyzer = analyzer
        group.wait()
        self.detector = detector.value!
        self.classifier = fitted.value!
        self.patterns = patterns
        self.patternProblems = problems
        self.exampleStems = exampleStems
        self.messages = content.messages
        self.slotVocabulary = content.slots
        self.messageTexts = StringTable(content.messages.texts.sorted { $0.key < $1.key }.map { key, byLanguage in
            (key, Language.allCases.map { byLanguage[$0] ?? byLanguage[.en] ?? [] })
        })
        self.slotNames = SlotName.allCases.map { slot in
            StringTable((content.slots.names[slot] ?? [:]).sorted { $0.key < $1.key }.map { value, _ in
                (value, Language.allCases.map { content.slots.name(of: value, slot: slot, in: $0) })
            })
        }
        self.promptIDs = Array(Set(content.knowledge.filter { $0.type == .prompt }.map(\.id))).sorted()
        self.helplines = HelplineDirectory(items: content.knowledge)
        self.promptTexts = promptTexts
    }
}

extension EngineIndex {
    /// `messages.text(key, language, seed:, values)` without hashing the language.
    func message(_ key: String, _ language: Language, seed: Int = 0, _ values: [String: String] = [:]) -> String {
        guard let byLanguage = messageTexts[key] else { return "" }
        let variants = byLanguage[language.index]
        guard !variants.isEmpty else { return "" }
        return Template.fill(variants[abs(seed) % variants.count], values)
    }

    /// `slotVocabulary.name(of:slot:in:)`.
    func slotName(of value: String, slot: SlotName, in language: Language) -> String {
        slotNames[Self.slotIndex(slot)][value]?[language.index] ?? value
    }

    /// The position of a slot in `SlotName.allCases`.
    static func slotIndex(_ slot: SlotName) -> Int {
        SlotName.allCases.firstIndex(of: slot)!
    }
}

/// An intent definition behind a reference: the message path reads its
/// fields in place instead of copying the whole definition.
final class IntentRef: Sendable {
    let definition: IntentDefinition
    /// `label(in:)` per language index.
    let labels: [String]
    /// Responses per language index, English when a language has none.
    let responsesOrEnglish: [[String]]
    /// The choice that opens this intent (`intent:<id>`), per language index.
    let choices: [Choice]

    init(_ definition: IntentDefinition) {
        self.definition = definition
        labels = Language.allCases.map { definition.label(in: $0) }
        choices = labels.map { Choice(label: $0, payload: "intent:\(definition.id)") }
        responsesOrEnglish = Language.allCases.map { definition.responses[$0] ?? definition.responses[.en] ?? [] }
    }

    var id: String { definition.id }
    var slots: [SlotName] { definition.slots }
    var topic: String? { definition.topic }
    var responses: [Language: [String]] { definition.responses }
    var answer: AnswerQuery? { definition.answer }
    var next: [String] { definition.next }
    var followUp: Bool { definition.followUp }
    func label(in language: Language) -> String { labels[language.index] }
    func choice(in language: Language) -> Choice { choices[language.index] }
}

/// A result handed back from a worker thread, read after the work is
/// joined (`DispatchGroup.wait()`, `concurrentPerform`).
public final class Box<Value>: @unchecked Sendable {
    public var value: Value?
    public init() {}
}
