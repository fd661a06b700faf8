import Testing
@testable import ProfintCore

/// The dialogue engine on a small content built in the test.
struct EngineTests {
    static let content: EngineContent = {
        func intent(_ id: String, slots: [SlotName] = [], followUp: Bool = false, answer: AnswerQuery? = nil,
                    en: [String], fr: [String], responses: [Language: [String]], patterns: [Language: [String]] = [:]) -> IntentDefinition {
            IntentDefinition(id: id, slots: slots, labels: [.en: id, .fr: id], examples: [.en: en, .fr: fr],
                             patterns: patterns, responses: responses, answer: answer, followUp: followUp)
        }
        let intents = [
            intent("greet", en: ["hello", "hi there", "good morning", "hey"], fr: ["bonjour", "salut", "bonsoir", "coucou"],
                   responses: [.en: ["Hello!"], .fr: ["Bonjour !"]]),
            intent("resource.case", slots: [.topic, .country], followUp: true, answer: AnswerQuery(types: [.caseStudy], count: 1),
                   en: ["do you have a case study", "give me a real example", "a case on coordination please", "any case study about language courses"],
                   fr: ["as-tu un cas concret", "un exemple réel svp", "un cas sur la coordination", "une étude de cas sur les cours de langue"],
                   responses: [.en: ["Here is a case:"], .fr: ["Voici un cas :"]]),
            intent("country.system", slots: [.country], followUp: true, answer: AnswerQuery(types: [.countryGuide], count: 1),
                   en: ["how does integration work in a country", "who does what for refugee reception", "explain the reception system", "how is newcomer support organised"],
                   fr: ["comment fonctionne l'accueil des réfugiés", "qui fait quoi pour l'intégration", "explique le système d'accueil", "comment est organisé l'accompagnement"],
                   responses: [.en: ["In {country}:"], .fr: ["En {country} :"]]),
            intent("more", en: ["another one", "more", "next", "tell me more"], fr: ["un autre", "encore", "la suite", "plus"],
                   responses: [.en: ["More:"], .fr: ["La suite :"]]),
            intent("safety.emergency", en: ["someone is in danger now", "a participant wants to kill himself", "call an ambulance", "she is not breathing"],
                   fr: ["quelqu'un est en danger", "il veut se tuer", "appelle une ambulance", "elle ne respire plus"],
                   responses: [.en: ["Call 112 now."], .fr: ["Appelez le 112 maintenant."]],
                   patterns: [.en: ["(kill|hurt) (himself|herself|myself)"], .fr: ["se (tuer|suicider)"]]),
            intent("language.set", slots: [.language], en: ["answer in french", "speak english", "switch to french please", "english please"],
                   fr: ["réponds en anglais", "parle français", "en français svp", "passe à l'anglais"],
                   responses: [.en: ["I will answer in {language}."], .fr: ["Je réponds en {language}."]]),
        ]
        var slots = SlotVocabulary()
        slots.phrases[.country] = ["FR": [.en: ["france", "french"], .fr: ["france", "française"]],
                                   "IT": [.en: ["italy", "italian"], .fr: ["italie", "italien", "italienne"]],
                                   "SE": [.en: ["sweden", "swedish"], .fr: ["suède", "suédois"]]]
        slots.phrases[.topic] = ["coordination": [.en: ["coordination"], .fr: ["coordination"]],
                                 "language": [.en: ["language course", "language courses"], .fr: ["cours de langue"]]]
        slots.phrases[.language] = ["en": [.en: ["english"], .fr: ["anglais"]], "fr": [.en: ["french"], .fr: ["français"]],
                                    "it": [.en: ["italian"], .fr: ["italien"]]]
        slots.languageCues = [.en: ["in", "speak", "learn"], .fr: ["en", "parle", "apprendre"]]
        slots.names[.country] = ["IT": [.en: "Italy", .fr: "Italie"], "FR": [.en: "France", .fr: "France"], "SE": [.en: "Sweden", .fr: "Suède"]]
        slots.names[.language] = ["fr": [.en: "French", .fr: "français"], "en": [.en: "English", .fr: "anglais"]]
        var knowledge: [KnowledgeItem] = []
        for (i, country) in ["FR", "IT", "SE", "IT"].enumerated() {
            for language in [Language.en, .fr] {
                knowledge.append(KnowledgeItem(id: "case-\(i)", language: language, type: .caseStudy, title: "Case \(i) \(country)",
                                               summary: "Coordination story \(i)", topics: ["coordination"], countries: [country]))
            }
        }
        for country in ["FR", "IT", "SE"] {
            knowledge.append(KnowledgeItem(id: "country-\(country.lowercased())", language: .en, type: .countryGuide,
                                           title: "Guide \(country)", summary: "System of \(country)", countries: [country]))
        }
        var messages = Messages()
        for key in Messages.requiredKeys {
            messages.texts[key] = [.en: ["[\(key)] {a} {b} {command}"], .fr: ["[\(key) fr]"]]
        }
        return EngineContent(intents: intents, knowledge: knowledge, slots: slots, messages: messages)
    }()

    /// The small content above has no out-of-scope examples: the threshold alone
    /// turns unrelated messages away, and with idf-weighted features a message
    /// sharing a few rare n-grams with one intent gets ~0.4: a higher threshold suits it.
    let engine: Engine = {
        var configuration = EngineConfiguration()
        configuration.threshold = 0.45
        return Engine(content: EngineTests.content, configuration: configuration)
    }()

    func say(_ text: String, _ state: DialogueState = DialogueState(), at now: Double = 1_000) -> Turn {
        engine.handle(IncomingMessage(text: text), state: state, now: now)
    }

    @Test func outOfScopeGetsTheFallbackWithChoices() {
        let turn = say("what is the best pizza topping for a party with colleagues")
        #expect(turn.intent == nil)
        #expect(turn.reply.text.contains("[fallback]"))
        #expect(turn.trace.rule == .fallback)
    }

    @Test func followUpCarriesTheTopicAndAddsTheCountry() {
        let first = say("do you have a case study on coordination?")
        #expect(first.intent == "resource.case")
        #expect(first.slots == [.topic: "coordination"])
        let second = say("and in Italy?", first.state, at: 1_010)
        #expect(second.intent == "resource.case")
        #expect(second.slots == [.topic: "coordination", .country: "IT"])
        #expect(second.trace.rule == .followUp)
        let cited = second.reply.resources.compactMap { engine.knowledge.item(id: $0, language: .en) }
        #expect(!cited.isEmpty && cited.allSatisfy { $0.countries.contains("IT") })
    }

    @Test func moreShowsTheNextItemsThenSaysThereIsNothingMore() {
        var turn = say("do you have a case study on coordination?")
        var seen = Set(turn.reply.resources)
        for i in 0..<3 {
            turn = say("another one", turn.state, at: 1_100 + Double(i))
            #expect(turn.intent == "more")
            #expect(turn.reply.resources.count == 1)
            #expect(turn.reply.resources.allSatisfy { seen.insert($0).inserted }, "more repeats \(turn.reply.resources)")
        }
        turn = say("another one", turn.state, at: 1_200)
        #expect(turn.reply.resources.isEmpty)
        #expect(turn.reply.text.contains("[nothing_more]"))
    }

    @Test func emergencyPatternWinsOverEverything() {
        let turn = say("case study: a participant said he will kill himself tonight")
        #expect(turn.intent == "safety.emergency")
        #expect(turn.reply.text.hasPrefix("Call 112"))
        #expect(turn.trace.rule == .pattern)
    }

    @Test func countryQuestionWithoutACountryAsksForOneThenAnswers() {
        let first = say("how does the integration system work?")
        #expect(first.intent == "country.system")
        #expect(first.reply.text.contains("[ask_country]"))
        #expect(first.reply.choices.map(\.payload) == ["country:FR", "country:IT", "country:SE"])
        let second = say("Italy", first.state, at: 1_010)
        #expect(second.intent == "country.system")
        #expect(second.slots == [.country: "IT"])
        #expect(second.reply.text.hasPrefix("In Italy:"))
        #expect(second.reply.resources == ["country-it"])
    }

    @Test func numberedChoicePicksTheOffer() {
        let first = say("how does the integration system work?")
        let second = say("3", first.state, at: 1_010)
        #expect(second.slots[.country] == "SE")
        #expect(second.reply.resources == ["country-se"])
    }

    @Test func conversationLanguageIsThePriorForShortMessages() {
        let first = say("bonjour, as-tu un cas concret sur la coordination ?")
        #expect(first.language == .fr)
        let second = say("ok plus", first.state, at: 1_010)
        #expect(second.language == .fr)
    }

    @Test func langCommandSetsAndLocksTheLanguage() {
        let turn = say("/lang fr")
        #expect(turn.intent == "language.set")
        #expect(turn.slots == [.language: "fr"])
        #expect(turn.language == .fr)
        #expect(turn.state.languageLocked)
        #expect(turn.reply.text == "Je réponds en français.")
    }

    @Test func askingForAnotherLanguageAnswersInIt() {
        let turn = say("please answer in French")
        #expect(turn.intent == "language.set")
        #expect(turn.slots == [.language: "fr"])
        #expect(turn.language == .fr)
    }

    @Test func unknownCommandIsExplained() {
        let turn = say("/frobnicate now")
        #expect(turn.intent == nil)
        #expect(turn.reply.text.contains("/frobnicate"))
    }

    @Test func emptyAndOversizedMessagesGetAClearAnswer() {
        #expect(say("   ").reply.text.contains("[empty_message]"))
        let huge = say(String(repeating: "interpreter ", count: 10_000))
        #expect(huge.intent == nil)
        #expect(huge.reply.text.contains("[too_long]"))
    }

    @Test func contextExpiresAfterItsLifetime() {
        let first = say("do you have a case study on coordination?")
        let later = say("and in Italy?", first.state, at: 1_000 + engine.configuration.contextLifetime + 1)
        #expect(later.trace.rule != .followUp)
        #expect(later.slots[.topic] == nil)
    }

    @Test func sameInputGivesTheSameTurn() {
        let a = say("give me a real example about coordination in France")
        let b = say("give me a real example about coordination in France")
        #expect(a.intent == b.intent && a.confidence == b.confidence && a.reply == b.reply && a.state == b.state)
    }

    @Test func traceExplainsTheDecision() {
        let turn = say("any case study about language courses in Sweden?")
        #expect(turn.trace.tokens.contains("case"))
        #expect(turn.trace.candidates.first?.intent == "resource.case")
        #expect(turn.trace.nearestExample == "any case study about language courses")
        #expect(turn.trace.slots == [.topic: "language", .country: "SE"])
    }
}
