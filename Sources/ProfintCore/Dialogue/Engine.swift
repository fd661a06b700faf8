import Foundation

/// The dialogue engine: `handle(message, state, now)` → `Turn`, with no side
/// effects. The REPL, `classify`, the tests and every channel call this one
/// function; channels carry out the returned `EngineAction`, if any.
public struct Engine: Sendable {
    let index: EngineIndex
    public internal(set) var configuration: EngineConfiguration

    public init(content: EngineContent, configuration: EngineConfiguration = .init(),
                knowledge: (any KnowledgeSearching)? = nil) {
        self.configuration = configuration
        self.index = EngineIndex(content: content, configuration: configuration, knowledge: knowledge.map { k in { _, _ in k } })
    }

    /// - Parameter knowledgeIndex: builds the knowledge index from the
    ///   engine's analyzer (e.g. `SQLiteKnowledgeIndex`); the in-memory
    ///   index when it throws.
    public init(content: EngineContent, configuration: EngineConfiguration = .init(),
                knowledgeIndex: @escaping (TextAnalyzer, [KnowledgeItem]) throws -> any KnowledgeSearching) throws {
        self.configuration = configuration
        var failure: Error?
        self.index = EngineIndex(content: content, configuration: configuration, knowledge: { analyzer, items in
            do { return try knowledgeIndex(analyzer, items) } catch {
                failure = error
                return InMemoryKnowledgeIndex(items: items, analyzer: analyzer)
            }
        })
        if let failure { try { throw failure }() }
    }

    /// The intents the engine knows, in content order.
    public var intentIDs: [String] { index.intentOrder }
    /// Patterns that did not compile (also reported by `profint check`).
    public var patternProblems: [String] { index.patternProblems }
    public var knowledge: any KnowledgeSearching { index.knowledge }
    /// The analyzer built from the content (to index knowledge elsewhere).
    public var analyzer: TextAnalyzer { index.analyzer }
    public var messages: Messages { index.messages }
    public var slotVocabulary: SlotVocabulary { index.slotVocabulary }
    public func intent(_ id: String) -> IntentDefinition? { index.intents[id]?.definition }
    /// Ids of the `prompt` items, sorted.
    public var promptIDs: [String] { index.promptIDs }

    /// Without leading and trailing white space (cheaper than Foundation's).
    static func trim(_ text: String) -> String {
        // First and last bytes ASCII and not white space: the first and last
        // characters are not white space either (a character of several
        // scalars is white space only as "\r\n").
        if let kept = text.utf8.withContiguousStorageIfAvailable({ bytes -> Bool in
            guard let first = bytes.first, let last = bytes.last else { return false }
            @inline(__always) func solid(_ b: UInt8) -> Bool { b < 0x80 && b != 32 && !(b >= 9 && b <= 13) }
            return solid(first) && solid(last)
        }), kept {
            return text
        }
        let isSpace: (Character) -> Bool = { $0.isWhitespace }
        guard let first = text.firstIndex(where: { !isSpace($0) }) else { return "" }
        let last = text.lastIndex(where: { !isSpace($0) })!
        if first == text.startIndex, last == text.index(before: text.endIndex) { return text }
        return String(text[first...last])
    }

    /// Intents that a short follow-up must never be pulled towards.
    static let conversational = StringSet([
        "greet", "goodbye", "thanks", "feedback.positive", "feedback.negative", "more", "help",
        "language.set", "privacy.forget", "privacy.info", "bot.identity", "human.contact",
        "safety.emergency", "safety.individual_case", "safety.self_harm", "safety.violence", "safety.exploitation",
        "safety.child", "safety.homeless",
    ])

    /// The indices of the `k` largest values, largest first, ties to the
    /// lower index: the first `k` of a sort by (value desc, index asc).
    static func top(_ k: Int, of values: [Double]) -> [Int] {
        guard k > 0 else { return [] }
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: k) { best in
            values.withUnsafeBufferPointer { V in
                var count = 0
                for i in 0..<V.count {
                    let v = V[i]
                    if count == k {
                        // Indices grow, so a tie never displaces an earlier index.
                        guard v > V[best[k - 1]] else { continue }
                        count -= 1
                    }
                    var position = count
                    while position > 0, v > V[best[position - 1]] {
                        best[position] = best[position - 1]
                        position -= 1
                    }
                    best[position] = i
                    count += 1
                }
                return Array(best[0..<count])
            }
        }
    }

    public func handle(_ message: IncomingMessage, state previous: DialogueState, now: Double) -> Turn {
        var state = previous
        if let t = state.updatedAt, now - t > configuration.contextLifetime {
            var fresh = DialogueState(language: state.language)
            fresh.languageLocked = state.languageLocked
            fresh.chatCountry = state.chatCountry
            state = fresh
        }
        if let country = message.country { state.chatCountry = country }
        state.turn += 1
        state.updatedAt = now
        if !state.contexts.isEmpty {
            for (key, value) in state.contexts {
                state.contexts[key] = value > 1 ? value - 1 : nil
            }
        }
        let offered = state.choices
        state.choices = []

        if let payload = message.choice {
            return handleChoice(payload, state: state, previous: previous)
        }
        let text = message.text
        let language = state.language ?? configuration.defaultLanguage
        // Characters never outnumber bytes: most messages need no count of characters.
        let bytes = text.utf8.count
        if bytes > configuration.maximumMessageLength * 4
            || (bytes > configuration.maximumMessageLength && text.count > configuration.maximumMessageLength) {
            return systemTurn("too_long", language: language, state: state, rule: .tooLong)
        }
        let trimmed = Self.trim(text)
        if trimmed.isEmpty {
            return systemTurn("empty_message", language: language, state: state, rule: .empty)
        }
        if let n = Int(trimmed), n >= 1, n <= offered.count {
            return handleChoice(offered[n - 1], state: state, previous: previous)
        }
        if !offered.isEmpty, let n = chosenOption(trimmed, offered: offered, language: language) {
            return handleChoice(offered[n], state: state, previous: previous)
        }
        if let command = Command.parse(trimmed) {
            return handleCommand(command, state: state)
        }
        return understand(trimmed, state: state)
    }

    // MARK: - Understanding free text

    func understand(_ message: String, state: DialogueState) -> Turn {
        // Personal data is taken out before anything reads the message: the
        // question is answered as if it were not there.
        let personal = PersonalDataDetector.scan(message, publicNumbers: index.helplines.publicNumbers,
                                                 latestBirthYear: Self.year(of: state.updatedAt ?? 0) - configuration.youngestBirthAge)
        var turn = understandScrubbed(personal.isEmpty ? message : personal.scrubbed, state: state)
        if !personal.isEmpty {
            turn.personalData = true
            turn.trace.personalData = personal.kinds.map(\.rawValue)
            let notice = index.message("personal_data_notice", turn.language)
            if !notice.isEmpty { turn.reply.text = notice + "\n\n" + turn.reply.text }
        }
        return turn
    }

    /// The calendar year of an instant (seconds since 1970, UTC).
    static func year(of instant: Double) -> Int {
        1970 + Int((instant / 31_556_952).rounded(.down))
    }

    func understandScrubbed(_ text: String, state: DialogueState) -> Turn {
        var state = state
        var trace = Trace()
        let rawTokens = Tokenizer.tokenize(Folding.normalize(text))
        // Folded once: the detector, the analyzer and the personal-data check all read them.
        let folded = rawTokens.map { Folding.fold($0.text) }
        let guess = index.detector.detect(rawTokens, folded: folded, prior: state.language)
        var language = guess.language
        var wordCount = 0
        for t in rawTokens where t.kind == .word { wordCount += 1 }
        if state.languageLocked, let locked = state.language, guess.language != locked,
           guess.score < 0.97 || wordCount < 2 {
            language = locked
        }
        trace.language = language
        trace.languageScore = guess.scores[language.index]
        let tokens = index.analyzer.analyze(tokens: rawTokens, folded: folded, language)
        let stems = tokens.map { $0.stem }
        trace.tokens = stems
        trace.corrections = tokens.compactMap { t in t.typed.map { "\($0) → \(t.word)" } }
        // Content words: words that are not function words of the language.
        var isContent = [Bool](repeating: false, count: tokens.count)
        var contentWords = 0
        for (i, t) in tokens.enumerated() where t.kind == .word && !StopWords.contains(t.word, language) {
            isContent[i] = true
            contentWords += 1
        }
        let (stated, slotPositions) = index.slotExtractor.extractWithCoverage(tokens, language)
        var otherWords = 0
        for i in tokens.indices where isContent[i] && !slotPositions.contains(i) { otherWords += 1 }
        let previousSlots = state.slotValues
        // A topic named that differs from the conversation's: a new subject, not a follow-up.
        let newTopic = stated[.topic] != nil && previousSlots[.topic] != nil && stated[.topic] != previousSlots[.topic]
        let continuation = hasContinuationCue(tokens, language)
        // Only slot words (and function words): "and in Italy?", "för kvinnor?".
        let elliptic = !slotPositions.isEmpty && otherWords <= 1

        let classifier = index.classifier
        let (features, probabilities) = classifier.classify(tokens)
        var probs = probabilities.map(Double.init)
        let ids = classifier.intentIDs
        // Context: a short or elliptic message leans towards the conversation's last intent.
        // Active contexts: the last intent, and "more" while the last answer has items left.
        var boosted: [String] = []
        if let last = state.lastIntent, !Self.conversational.contains(last), !last.hasPrefix("prompts."),
           contentWords <= 6, !newTopic {
            boosted.append(last)
        }
        if state.results.count > state.cursor, contentWords <= 3 { boosted.append("more") }
        for id in boosted {
            // A pronoun pointing back ("that", "celui", "cominciarlo") leans harder.
            if let i = classifier.classIndex(of: id) { probs[i] *= continuation ? 4 : 2 }
        }
        if !boosted.isEmpty {
            let total = probs.reduce(0, +)
            probs = probs.map { $0 / total }
        }
        func probability(_ id: String) -> Double {
            classifier.classIndex(of: id).map { probs[$0] } ?? 0
        }
        let ranked = Self.top(5, of: probs)
        trace.candidates = ranked.map { IntentCandidate(intent: $0 < ids.count ? ids[$0] : "(out of scope)", score: probs[$0]) }

        var intent: String?
        var confidence: Double
        var rule: Trace.Rule
        let fired = index.patterns[language.index].matching(stems)
        if let best = fired.min(by: { a, b in
            let ta = Self.patternTier(a.intent), tb = Self.patternTier(b.intent)
            return ta != tb ? ta < tb : probability(a.intent) > probability(b.intent)
        }) {
            intent = best.intent
            confidence = max(0.9, probability(best.intent))
            rule = .pattern
            trace.pattern = "\(best.intent): \(best.source)"
            // A topic keyword of a practice intent does not decide between "how do I"
            // and "give me a case/tool": an explicit resource request wins.
            if best.intent.hasPrefix("practice."), let top = ranked.first, top < ids.count, ids[top].hasPrefix("resource."),
               probs[top] >= configuration.threshold {
                intent = ids[top]
                confidence = probs[top]
                rule = .examples
                trace.pattern = nil
            }
        } else if let top = ranked.first, top < ids.count {
            intent = ids[top]
            confidence = probs[top]
            rule = .examples
        } else if let top = ranked.first, let runnerUp = ranked.dropFirst().first, runnerUp < ids.count,
                  probs[runnerUp] >= configuration.threshold, probs[runnerUp] * configuration.outOfScopeMargin >= probs[top] {
            // Out of scope only just ahead of a plausible intent: the intent.
            intent = ids[runnerUp]
            confidence = probs[runnerUp]
            rule = .examples
        } else {
            intent = nil
            confidence = ranked.first.map { probs[$0] } ?? 1
            rule = .fallback
        }
        // Words of a situation (not pronouns or time words alone): without
        // one, the model alone does not decide a risk to someone.
        // A word of risk (one the safety patterns use), or a word mostly seen
        // in safety examples when the model is fairly sure of a safety intent
        // ("har slagit henne": violence 0.27).
        var riskWords = 0, safetyLeaning = 0
        for (i, t) in tokens.enumerated() where isContent[i] && !Self.timeWords.contains(t.word) {
            if index.safetyStems.contains(t.stem) || index.safetyWords.contains(t.word) { riskWords += 1 }
            else if index.frequentSafetyStems.contains(t.stem) { safetyLeaning += 1 }
        }
        var likeliestRisk = 0.0
        for id in Self.safetyIntents where id != IntentID.individualCase { likeliestRisk = max(likeliestRisk, probability(id)) }
        let situation = contentWords >= 2 && (riskWords >= 1 || (safetyLeaning >= 1 && likeliestRisk >= configuration.leaningSafetyFrom))
        // A danger now wins over everything, whatever matched first, unless
        // a pattern named another risk that the model finds likelier.
        let emergencyP = probability(IntentID.emergency)
        if intent != IntentID.emergency, situation, emergencyP >= max(configuration.threshold, configuration.emergencyThreshold),
           rule != .pattern || Self.patternTier(intent ?? "") > 1
            || (Self.patternTier(intent ?? "") == 1 && emergencyP > probability(intent ?? "")) {
            intent = IntentID.emergency
            confidence = probability(IntentID.emergency)
            rule = .examples
        }
        // The other risks to a person win over every non-safety intent.
        if !Self.isSafety(intent) || intent == IntentID.individualCase {
            var best: (id: String, p: Double)?
            for id in Self.safetyIntents where id != IntentID.emergency && id != IntentID.individualCase {
                let p = probability(id)
                if p >= max(configuration.threshold, configuration.safetyThreshold), p > (best?.p ?? 0) { best = (id, p) }
            }
            if let best, situation, rule != .pattern || Self.patternTier(intent ?? "") > 1 {
                intent = best.id
                confidence = best.p
                rule = .examples
            }
        }
        // Violence against a child is a matter of child protection: the
        // child lines and the duty to report, not the adult violence line.
        if intent == IntentID.violence, mentionsChild(tokens) {
            intent = IntentID.child
            confidence = max(confidence, probability(IntentID.child))
        }
        // A question about the topic ("a module on preventing violence",
        // "what does trafficking mean") is not a report of a situation.
        if Self.isSafety(intent), intent != IntentID.individualCase,
           asksAboutTopic(tokens, language) || (rule != .pattern && !situation) {
            trace.pattern = nil
            if let other = ranked.first(where: { $0 < ids.count && !Self.isSafety(ids[$0]) && probs[$0] >= configuration.threshold }) {
                intent = ids[other]
                confidence = probs[other]
            } else {
                intent = nil
                confidence = ranked.first(where: { $0 < ids.count && !Self.isSafety(ids[$0]) }).map { probs[$0] } ?? 0
            }
            rule = .examples
        }
        // A safety decision is final: no follow-up, clarification or knowledge search changes it.
        // With a word of risk ("coltello", "passport"), a safety intent the
        // model ranks first is answered from a lower probability.
        let safety = Self.isSafety(intent) && (confidence >= configuration.threshold
            || (riskWords >= 1 && situation && confidence >= configuration.riskWordThreshold))
        // Not a risk to a person: the share the model gave the safety
        // intents goes to the others in proportion ("she can't come because
        // nobody looks after her kids" is close to safety examples, but it
        // is a question of childcare once safety is ruled out). Only with
        // an out-of-scope class, which then competes on the same terms:
        // without one, the threshold alone guards against unrelated messages.
        if !safety, rule == .examples || rule == .fallback, probs.count > ids.count {
            var safetyMass = 0.0
            for i in ids.indices where Self.isSafety(ids[i]) { safetyMass += probs[i] }
            let rest = 1 - safetyMass
            if safetyMass > 0, rest > 0.05 {
                let others = ranked.filter { $0 >= ids.count || !Self.isSafety(ids[$0]) }
                if let top = others.first {
                    let p = probs[top] / rest
                    let outOfScope = probs[ids.count]
                    // Lifted over the threshold only when the safety share was
                    // large and the intent is clearly ahead of out of scope.
                    let lifted = probs[top] < configuration.threshold && p >= configuration.threshold
                    if top < ids.count {
                        if !lifted || (safetyMass >= 0.2 && probs[top] >= outOfScope * configuration.outOfScopeMargin) {
                            intent = ids[top]
                            confidence = p
                            rule = .examples
                        } else {
                            intent = nil
                            confidence = probs[top]
                            rule = .fallback
                        }
                    } else if let runnerUp = others.dropFirst().first, runnerUp < ids.count,
                              probs[runnerUp] / rest >= configuration.threshold,
                              probs[runnerUp] * configuration.outOfScopeMargin >= probs[top] {
                        intent = ids[runnerUp]
                        confidence = probs[runnerUp] / rest
                        rule = .examples
                    } else {
                        intent = nil
                        confidence = p
                        rule = .fallback
                    }
                }
            }
        }

        // The reply language changes only when a language is named in a short
        // request ("answer in Italian"), never because a country or a
        // language course is mentioned in a longer question.
        if intent == "language.set", stated[.language] == nil || contentWords > 5 {
            if let other = ranked.first(where: { $0 < ids.count && ids[$0] != "language.set" && !Self.isSafety(ids[$0]) }),
               probs[other] >= configuration.threshold {
                intent = ids[other]
                confidence = probs[other]
            } else {
                intent = nil
            }
            rule = .examples
            trace.pattern = nil
        }

        var carried = false
        // Follow-up: "and in Italy?", "what about Sweden?", "young adults?".
        if rule != .pattern, !safety, let lastID = state.lastIntent,
           let last = index.intents[lastID], last.followUp || !last.slots.isEmpty,
           !Self.conversational.contains(lastID),
           stated.keys.contains(where: { last.slots.contains($0) && $0 != .time && $0 != .language }),
           (elliptic && (intent == nil || intent == lastID || confidence < 0.8))
            || (contentWords <= 2 && (intent == nil || intent == lastID || confidence < 0.5)) {
            intent = lastID
            confidence = max(confidence, 0.7)
            rule = .followUp
            carried = true
        }
        // A question about the last answer ("how long does it last?", "quanto
        // dura?", "comment l'utiliser ?"): answered from the passages of the
        // items that answer cited, when one of them holds it.
        var within: Set<String>?
        if !carried, rule != .pattern, !safety, let lastID = state.lastIntent, Self.composes(lastID), !state.results.isEmpty,
           contentWords >= 1, contentWords <= 4, stated[.topic] == nil, stated[.targetGroup] == nil,
           intent == nil || intent == lastID || confidence < 0.25,
           probs.count <= ids.count || probs[ids.count] < 0.5,
           refersBack(tokens, language), !asksForDefinition(tokens, language) {
            // "it" is most often the first item the answer cited: that item first, then the others.
            let first: Set<String> = state.results.first.map { [$0] } ?? []
            let all = Set(state.results.prefix(max(state.page, 1)))
            let cited = [first, all].first { passageAbout($0, intent: lastID, tokens: tokens, language: language) != nil }
            if let cited {
                intent = lastID
                confidence = max(confidence, 0.7)
                rule = .followUp
                carried = true
                within = cited
            }
        }
        // Awaiting a country after "which country?".
        if state.contexts["await_country"] != nil, !safety, rule != .pattern || intent == "country.system" {
            let withInstitutions = index.slotExtractor.extract(tokens, language, includeInstitutions: true)
            if withInstitutions[.country] != nil, contentWords <= 4 || intent == "country.system" {
                intent = "country.system"
                confidence = max(confidence, 0.7)
                rule = .followUp
            }
        }
        // A term to explain is not small talk: "vad är hedersrelaterat våld?"
        // reads a little like "vad är du?", but the knowledge explains it.
        if rule == .examples, let weak = intent, Self.conversational.contains(weak), !Self.isSafety(weak),
           !weak.hasPrefix("privacy."), confidence < 0.3,
           contentWords >= 1, contentWords <= 6, asksForDefinition(tokens, language),
           explainsTerm(tokens, slots: stated, language: language) {
            intent = "resource.search"
            rule = .knowledge
        }
        // Below the threshold: a topic named without an intent goes to the knowledge base.
        if rule == .examples || rule == .fallback, !safety, intent == nil || confidence < configuration.threshold {
            // Not when the model is sure the message is about something else
            // ("a surf course this summer" names a course, not training).
            let outOfScope = probs.count > ids.count ? probs[ids.count] : 0
            if stated[.topic] != nil || stated[.targetGroup] != nil, contentWords >= 1, contentWords <= 3, outOfScope < 0.5 {
                intent = "resource.search"
                confidence = max(confidence, configuration.threshold)
                rule = .knowledge
            } else if contentWords >= 1, contentWords <= 6, asksForDefinition(tokens, language),
                      explainsTerm(tokens, slots: stated, language: language) {
                // "what does trafficking mean?", "c'est quoi la protection subsidiaire ?": a term the knowledge explains.
                intent = "resource.search"
                confidence = max(confidence, configuration.threshold)
                rule = .knowledge
            } else {
                trace.rule = .fallback
                trace.slots = [:]
                state.language = language
                // In the domain, with knowledge near it: say there is nothing
                // specific, and give the nearest items and whom to ask.
                let outOfScope = probs.count > ids.count ? probs[ids.count] : 0
                if contentWords >= 2, outOfScope < 0.25,
                   let gap = gapTurn(tokens: tokens, slots: stated, language: language, confidence: confidence, state: state, trace: trace) {
                    return gap
                }
                return fallbackTurn(language: language, confidence: confidence, state: state, trace: trace)
            }
        }
        guard let chosen = intent, let definition = index.intents[chosen] else {
            return fallbackTurn(language: language, confidence: confidence, state: state, trace: trace)
        }
        trace.rule = rule
        if configuration.explain {
            trace.evidence = explain(features: features, tokens: tokens, intent: chosen)
            trace.nearestExample = nearestExample(stems: Set(stems), intent: chosen)
        }

        // Slots: what the message states, plus what the conversation carries.
        var slots: Slots = [:]
        let extracted = chosen == "country.system" || (definition.slots.contains(.language) && !definition.slots.contains(.country))
            ? index.slotExtractor.extract(tokens, language, includeInstitutions: chosen == "country.system",
                                          preferLanguage: definition.slots.contains(.language))
            : stated
        for slot in definition.slots {
            switch slot {
            case .time:
                if let t = TimeParser.time(in: rawTokens) { slots[.time] = t }
            default:
                if let v = extracted[slot] { slots[slot] = v }
            }
        }
        let sameIntent = state.lastIntent == chosen
        let continues = continuation || (sameIntent && contentWords <= 3)
        // "and in Italy?" carries everything; "anything on digital inclusion?" starts afresh.
        if (carried && (!newTopic || startsAsFollowUp(tokens))) || (!newTopic && continues) {
            for slot in definition.slots where slot != .time && slot != .language && slots[slot] == nil {
                if let v = previousSlots[slot] { slots[slot] = v }
            }
        }
        if let topic = definition.topic { slots[.topic] = topic }
        trace.slots = slots

        // Clarify when two intents are close and neither is clear: only
        // between two subjects of the guide, never twice in a row, and not
        // when the topic the message names settles it.
        if rule == .examples, !safety, confidence < configuration.clarifyBelow, state.contexts["clarified"] == nil,
           let second = ranked.first(where: { $0 < ids.count && ids[$0] != chosen }),
           probs[second] >= confidence - configuration.clarifyMargin, !Self.isSafety(ids[second]),
           Self.isSubject(chosen), Self.isSubject(ids[second]) {
            let other = ids[second]
            let named = stated[.topic]
            if let named, let own = definition.topic, own != named, let otherDefinition = index.intents[other], otherDefinition.topic == named {
                var otherSlots = slots
                otherSlots[.topic] = named
                trace.slots = otherSlots
                return answer(other, confidence: probs[second], slots: otherSlots, language: language, text: text,
                              tokens: tokens, state: state, trace: trace)
            }
            if named == nil || named != definition.topic {
                trace.rule = .clarify
                return clarifyTurn(chosen, other, confidence: confidence, slots: slots, language: language, state: state, trace: trace)
            }
        }
        return answer(chosen, confidence: confidence, slots: slots, language: language, text: text,
                      tokens: tokens, state: state, trace: trace, within: within)
    }

    /// Intents about a subject of the guide, between which a clarifying
    /// question makes sense (not greetings, feedback or commands).
    static func isSubject(_ intent: String) -> Bool {
        ["practice.", "resource.", "training.", "country.", "profint."].contains { intent.hasPrefix($0) }
    }

    /// Which pattern wins when several fire: danger, then one person's case,
    /// then explicit requests for a resource, then the rest.
    static func patternTier(_ intent: String) -> Int {
        switch intent {
        case IntentID.emergency: 0
        case IntentID.individualCase: 2
        case _ where intent.hasPrefix("safety."): 1
        case _ where intent.hasPrefix("resource."): 3
        default: 4
        }
    }

    static let continuationCues: [Language: Set<String>] = [
        .en: ["that", "this", "it", "those", "these", "same", "also", "too"],
        .fr: ["ca", "cela", "ceci", "dessus", "celui", "celle", "sujet", "aussi", "meme"],
        .it: ["questo", "questa", "quello", "quella", "cio", "argomento", "anche", "stesso", "stessa"],
        .sv: ["detta", "samma", "också", "ocksa", "ämnet", "amnet", "för det", "for det", "om det", "kring det", "på det", "pa det", "till det"],
    ]
    /// `continuationCues` by language index: one-word cues, and two-word cues by their first word.
    /// `continuationCues` by language index, by word: whether the word is a
    /// cue, and the words that make a two-word cue after it.
    static let continuationWords: [StringTable<(cue: Bool, next: [String])>] = Language.allCases.map { language in
        var table = StringTable<(cue: Bool, next: [String])>()
        for cue in (continuationCues[language] ?? []).sorted() {
            let parts = cue.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            let entry = table.entry(parts[0], default: (false, []))
            if parts.count == 1 {
                table.update(at: entry) { $0.cue = true }
            } else if parts.count == 2 {
                table.update(at: entry) { $0.next.append(parts[1]) }
            } else {
                // (no cue has more than two words; matched as a whole word, it never fires)
            }
        }
        return table
    }
    static let italianEnclitics = ["rlo", "rla", "rli", "rle", "rne"]

    static let followUpOpeners: Set<String> = ["and", "also", "et", "e", "ed", "och", "plus", "aussi", "anche", "ocksa", "samt"]
    static let followUpPairs: Set<String> = ["what about", "how about", "et pour", "et en", "e per", "e in", "och for", "och i", "och om", "quid de"]

    /// "and in Italy?", "what about women?", "et pour les familles ?".
    func startsAsFollowUp(_ tokens: [AnalyzedToken]) -> Bool {
        guard let first = tokens.first?.word else { return false }
        if Self.followUpOpeners.contains(first) { return true }
        if tokens.count > 1, Self.followUpPairs.contains(first + " " + tokens[1].word) { return true }
        return false
    }

    func hasContinuationCue(_ tokens: [AnalyzedToken], _ language: Language) -> Bool {
        let cues = Self.continuationWords[language.index]
        // Two-word cues first ("för det"), then one-word cues, in token order.
        var cueFound = false
        if tokens.count > 1 {
            for i in tokens.indices {
                let entry = cues.find(tokens[i].word)
                guard entry >= 0 else { continue }
                let value = cues.value(at: entry)
                if value.cue { cueFound = true }
                if i + 1 < tokens.count, value.next.contains(tokens[i + 1].word) { return true }
            }
        } else if let only = tokens.first {
            let entry = cues.find(only.word)
            if entry >= 0, cues.value(at: entry).cue { cueFound = true }
        }
        if cueFound { return true }
        return tokens.contains { token in
            // Italian enclitic pronouns: "cominciarlo", "usarla", "parlarne".
            if language == .it {
                let word = token.word
                if Folding.isASCII(word) {
                    // ASCII: one character per byte.
                    guard word.utf8.count >= 6 else { return false }
                    return word.utf8.withContiguousStorageIfAvailable { b -> Bool in
                        let n = b.count
                        guard b[n - 3] == UInt8(ascii: "r") else { return false }
                        let l = b[n - 2], v = b[n - 1]
                        return (l == UInt8(ascii: "l") && (v == UInt8(ascii: "o") || v == UInt8(ascii: "a") || v == UInt8(ascii: "i") || v == UInt8(ascii: "e")))
                            || (l == UInt8(ascii: "n") && v == UInt8(ascii: "e"))
                    } ?? Self.italianEnclitics.contains { word.hasSuffix($0) }
                }
                if word.count >= 6 {
                    return Self.italianEnclitics.contains { word.hasSuffix($0) }
                }
            }
            return false
        }
    }

    func explain(features: [Feature], tokens: [AnalyzedToken], intent: String) -> [String] {
        var names: [UInt64: String] = [:]
        _ = withUnsafeMutablePointer(to: &names) { index.classifier.extractor.features(tokens, names: $0) }
        return index.classifier.explain(features, intent: intent, names: names)
            .map { "\($0.0) \(String(format: "%+.2f", $0.1))" }
    }

    func nearestExample(stems: Set<String>, intent: String) -> String? {
        var best: (String, Double)?
        for (example, exampleStems) in index.exampleStems[intent] ?? [] {
            let shared = Double(stems.intersection(exampleStems).count)
            let score = shared / Double(max(stems.union(exampleStems).count, 1))
            if best == nil || score > best!.1 { best = (example, score) }
        }
        return best?.0
    }
}

extension Engine {
    /// The same engine with another out-of-scope threshold (for sweeps).
    public func with(threshold: Double) -> Engine {
        var copy = self
        copy.configuration.threshold = threshold
        return copy
    }
}
