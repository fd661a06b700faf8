/// Composing replies: responses, cited knowledge, next-step choices.
extension Engine {
    func answer(_ intent: String, confidence: Double, slots: Slots, language: Language, text: String,
                tokens: [AnalyzedToken], state: DialogueState, trace: Trace) -> Turn {
        var state = state
        var slots = slots
        var replyLanguage = language
        var action: EngineAction?
        let definition = index.intents[intent]
        let seed = Int(truncatingIfNeeded: FNV.hash(text) &+ UInt64(state.turn))
        var values = placeholderValues(slots, language)
        var resources: [String] = []
        var choices: [Choice] = []
        var body = ""
        let previousIntent = state.lastIntent

        switch intent {
        case "language.set":
            if let code = slots[.language], let target = Language(rawValue: code) {
                replyLanguage = target
                state.languageLocked = true
                values = placeholderValues(slots, target)
            }
        case "prompts.subscribe":
            if let time = slots[.time] {
                action = .subscribe(time: time, timezone: nil, everyDay: Self.asksForWeekends(tokens))
            } else {
                body = index.messages.text("subscribe_invalid_time", language, seed: seed)
            }
        case "prompts.unsubscribe":
            action = .unsubscribe
        case "prompts.status":
            action = .subscriptionStatus
        case "prompts.today":
            action = .todayPrompt
            if let prompt = todayPrompt(language: language, state: state) {
                body = prompt.0
                resources = [prompt.1]
                choices += prompt.2
            }
        case "privacy.forget":
            action = .forget
        case "more":
            return more(confidence: confidence, language: language, state: state, trace: trace, seed: seed)
        case "country.system" where slots[.country] == nil:
            state.contexts["await_country"] = 2
            state.lastIntent = intent
            state.language = language
            let ask = index.messages.text("ask_country", language, seed: seed)
            let countryChoices = ["FR", "IT", "SE"].map {
                Choice(label: index.slotVocabulary.name(of: $0, slot: .country, in: language), payload: "country:\($0)")
            }
            state.choices = countryChoices.map(\.payload)
            return Turn(intent: intent, confidence: confidence, slots: slots, language: language,
                        reply: Reply(text: ask, choices: countryChoices), state: state, trace: trace)
        default:
            break
        }

        var text = ""
        if body.isEmpty || intent == "prompts.today" {
            let responses = definition?.responses[replyLanguage] ?? definition?.responses[.en] ?? []
            if !responses.isEmpty {
                text = Template.fill(responses[abs(seed) % responses.count], values)
            }
        }
        if !body.isEmpty { text = text.isEmpty ? body : text + "\n\n" + body }

        // Knowledge the answer cites.
        state.results = []
        state.cursor = 0
        if let query = definition?.answer {
            let found = knowledgeAnswer(query, intent: intent, slots: slots, language: replyLanguage, tokens: tokens)
            let shown = Array(found.prefix(max(1, min(query.count, 3))))
            if shown.isEmpty {
                if intent.hasPrefix("resource.") {
                    text += "\n\n" + index.messages.text("no_results", replyLanguage, seed: seed)
                }
            } else {
                text += "\n\n" + format(shown)
                resources = shown.map(\.id)
                choices += shown.map { Choice(label: Self.shorten($0.title), payload: "item:\($0.id)") }
            }
            state.results = found.map(\.id)
            state.cursor = shown.count
            state.page = shown.count
            if intent.hasPrefix("resource."), let first = shown.first {
                choices.append(Choice(label: index.messages.text("choice_related", replyLanguage), payload: "related:\(first.id)"))
                if slots[.targetGroup] == nil, definition?.slots.contains(.targetGroup) == true {
                    choices.append(Choice(label: index.messages.text("choice_narrow_group", replyLanguage), payload: "narrow:group"))
                }
                if slots[.country] == nil, definition?.slots.contains(.country) == true {
                    choices.append(Choice(label: index.messages.text("choice_narrow_country", replyLanguage), payload: "narrow:country"))
                }
            }
        }
        for next in definition?.next ?? [] where next != intent {
            guard let target = index.intents[next] else { continue }
            choices.append(Choice(label: target.label(in: replyLanguage), payload: "intent:\(next)"))
        }
        if text.isEmpty { text = definition?.label(in: replyLanguage) ?? intent }

        if intent == "privacy.forget" {
            state = DialogueState(language: replyLanguage)
            state.turn = 1
        } else {
            state.language = replyLanguage
            state.lastIntent = intent
            if intent != "more" {
                // Keep the topic of the conversation; a new statement replaces it.
                var kept = slots
                kept[.time] = nil
                kept[.language] = nil
                if kept.isEmpty, previousIntent != nil { kept = state.slotValues }
                state.setSlots(kept)
            }
        }
        slots = slots.filter { definition?.slots.contains($0.key) == true || ($0.key == .topic && definition?.topic != nil) }
        state.choices = choices.map(\.payload)
        return Turn(intent: intent, confidence: confidence, slots: slots, language: replyLanguage,
                    reply: Reply(text: text, choices: choices, resources: resources), state: state,
                    trace: trace, action: action)
    }

    /// The items an intent's answer cites: for practice answers, the best
    /// success factor, tool and case; otherwise the ranked list.
    func knowledgeAnswer(_ query: AnswerQuery, intent: String, slots: Slots, language: Language,
                         tokens: [AnalyzedToken]) -> [KnowledgeHit] {
        let terms = tokens.filter { $0.kind == .word && !StopWords.contains($0.word, language) }.map(\.stem)
        func search(_ types: [KnowledgeType]) -> [KnowledgeHit] {
            index.knowledge.search(KnowledgeQuery(language: language, types: types, topic: slots[.topic],
                                                  targetGroup: slots[.targetGroup], country: slots[.country], terms: terms))
        }
        if intent.hasPrefix("practice.") && query.types.count > 1 {
            // One of each type first, then the rest for `more`.
            let lists = query.types.map { search([$0]) }
            var result: [KnowledgeHit] = lists.compactMap(\.first)
            var rest: [KnowledgeHit] = []
            var i = 1
            while lists.contains(where: { $0.count > i }) {
                for list in lists where list.count > i { rest.append(list[i]) }
                i += 1
            }
            result += rest
            return result
        }
        return search(query.types)
    }

    /// `more`: the next page of the last answer's items.
    func more(confidence: Double, language: Language, state: DialogueState, trace: Trace, seed: Int) -> Turn {
        var state = state
        let remaining = Array(state.results.dropFirst(state.cursor))
        let page = Array(remaining.prefix(state.page > 0 ? state.page : configuration.pageSize))
        let hits = page.compactMap { id in index.knowledge.item(id: id, language: language) }
        var text: String
        var choices: [Choice] = []
        if hits.isEmpty {
            text = index.messages.text("nothing_more", language, seed: seed)
            if let last = state.lastIntent, let def = index.intents[last] {
                choices = def.next.compactMap { next in
                    index.intents[next].map { Choice(label: $0.label(in: language), payload: "intent:\(next)") }
                }
            }
        } else {
            let lead = index.intents["more"]?.responses[language] ?? []
            text = lead.isEmpty ? "" : lead[abs(seed) % lead.count] + "\n\n"
            text += format(hits.map { KnowledgeHit(id: $0.id, type: $0.type, title: $0.title, summary: $0.summary, score: 0) })
            choices = hits.map { Choice(label: Self.shorten($0.title), payload: "item:\($0.id)") }
            state.cursor += hits.count
        }
        state.language = language
        state.choices = choices.map(\.payload)
        return Turn(intent: "more", confidence: confidence, slots: [:], language: language,
                    reply: Reply(text: text, choices: choices, resources: hits.map(\.id)), state: state, trace: trace)
    }

    /// Today's practice prompt for stateless channels: one per day, in order.
    func todayPrompt(language: Language, state: DialogueState) -> (String, String, [Choice])? {
        let ids = index.promptIDs
        guard !ids.isEmpty else { return nil }
        let day = Int((state.updatedAt ?? 0) / 86_400)
        let id = ids[day % ids.count]
        guard let item = index.knowledge.item(id: id, language: language) else { return nil }
        var choices: [Choice] = []
        if let factor = item.factor, let linked = index.knowledge.item(id: factor, language: language) {
            choices.append(Choice(label: Self.shorten(linked.title), payload: "item:\(factor)"))
        }
        let body = MarkdownText.plain(item.body.isEmpty ? item.summary : item.body)
        return ("\(item.title)\n\(body)", id, choices)
    }

    func format(_ hits: [KnowledgeHit]) -> String {
        hits.enumerated().map { i, hit in
            "\(i + 1). \(hit.title): \(hit.summary) [\(hit.id)]"
        }.joined(separator: "\n")
    }

    /// "including weekends", "samedi et dimanche", "anche nel weekend", "även helger", "7/7".
    static func asksForWeekends(_ tokens: [AnalyzedToken]) -> Bool {
        let words: Set<String> = ["weekend", "weekends", "saturday", "sunday", "samedi", "dimanche", "sabato", "domenica",
                                  "helg", "helger", "helgen", "lordag", "sondag", "everyday"]
        return tokens.contains { words.contains($0.word) } || zip(tokens, tokens.dropFirst()).contains { $0.word == "7" && $1.word == "7" }
    }

    static func shorten(_ title: String, limit: Int = 40) -> String {
        title.count <= limit ? title : String(title.prefix(limit - 1)) + "…"
    }

    func placeholderValues(_ slots: Slots, _ language: Language) -> [String: String] {
        var values: [String: String] = [:]
        for (slot, value) in slots {
            switch slot {
            case .time: values["time"] = value
            default: values[slot.rawValue] = index.slotVocabulary.name(of: value, slot: slot, in: language)
            }
        }
        return values
    }

    func systemTurn(_ key: String, language: Language, state: DialogueState, rule: Trace.Rule,
                    values: [String: String] = [:]) -> Turn {
        var trace = Trace()
        trace.rule = rule
        trace.language = language
        var state = state
        state.language = state.language ?? language
        return Turn(intent: nil, confidence: 1, slots: [:], language: language,
                    reply: Reply(text: index.messages.text(key, language, seed: state.turn, values)),
                    state: state, trace: trace)
    }

    func fallbackTurn(language: Language, confidence: Double, state: DialogueState, trace: Trace) -> Turn {
        var state = state
        let topics = ["practice.needs_assessment", "practice.employment", "practice.language", "resource.case", "profint.model"]
        let choices = topics.compactMap { id in
            index.intents[id].map { Choice(label: $0.label(in: language), payload: "intent:\(id)") }
        }
        state.choices = choices.map(\.payload)
        state.language = language
        let text = index.messages.text("fallback", language, seed: state.turn)
        return Turn(intent: nil, confidence: min(max(1 - confidence, 0), 1), slots: [:], language: language,
                    reply: Reply(text: text, choices: choices), state: state, trace: trace)
    }

    func clarifyTurn(_ a: String, _ b: String, confidence: Double, slots: Slots, language: Language,
                     state: DialogueState, trace: Trace) -> Turn {
        var state = state
        let labelA = index.intents[a]?.label(in: language) ?? a
        let labelB = index.intents[b]?.label(in: language) ?? b
        let text = index.messages.text("clarify", language, seed: state.turn, ["a": labelA, "b": labelB])
        let choices = [Choice(label: labelA, payload: "intent:\(a)"), Choice(label: labelB, payload: "intent:\(b)")]
        state.choices = choices.map(\.payload)
        state.language = language
        var kept = slots
        kept[.time] = nil
        if !kept.isEmpty { state.setSlots(kept) }
        // The likelier reading stays the conversation's context for follow-ups.
        state.lastIntent = a
        return Turn(intent: a, confidence: confidence, slots: slots.filter { index.intents[a]?.slots.contains($0.key) == true || $0.key == .topic },
                    language: language, reply: Reply(text: text, choices: choices), state: state, trace: trace)
    }
}
