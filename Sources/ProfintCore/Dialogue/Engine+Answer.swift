/// Composing replies: responses, cited knowledge, next-step choices.
extension Engine {
    /// - Parameter within: when set, the passage comes from these items only
    ///   (a question about the last answer).
    func answer(_ intent: String, confidence: Double, slots: Slots, language: Language, text: String,
                tokens: [AnalyzedToken], state: DialogueState, trace: Trace, within: Set<String>? = nil) -> Turn {
        var state = state
        var slots = slots
        var replyLanguage = language
        var action: EngineAction?
        let definition = index.intents[intent]
        let seed = Int(truncatingIfNeeded: FNV.hash(text) &+ UInt64(state.turn))
        // Placeholders are filled in the reply language of `language.set`, else in the message's.
        var valuesLanguage = language
        var resources: [String] = []
        var choices: [Choice] = []
        var body = ""
        let previousIntent = state.lastIntent

        if Self.isSafety(intent) {
            let country = safetyCountry(tokens: tokens, language: language, state: state, hint: state.chatCountry)
            var reply = safetyAnswer(intent, country: country, language: language, words: tokens.map(\.word), seed: seed)
            for next in definition?.next ?? [] where next != intent {
                if let target = index.intents[next] { reply.choices.append(target.choice(in: language)) }
            }
            state.language = language
            state.lastIntent = intent
            state.results = []
            state.cursor = 0
            state.choices = reply.choices.map(\.payload)
            return Turn(intent: intent, confidence: confidence, slots: [:], language: language, reply: reply,
                        state: state, trace: trace)
        }

        switch intent {
        case "language.set":
            if let code = slots[.language], let target = Language(rawValue: code) {
                replyLanguage = target
                state.languageLocked = true
                valuesLanguage = target
            }
        case "prompts.subscribe":
            if let time = slots[.time] {
                action = .subscribe(time: time, timezone: nil, everyDay: Self.asksForWeekends(tokens))
            } else {
                body = index.message("subscribe_invalid_time", language, seed: seed)
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
            let ask = index.message("ask_country", language, seed: seed)
            let countryChoices = ["FR", "IT", "SE"].map {
                Choice(label: index.slotName(of: $0, slot: .country, in: language), payload: "country:\($0)")
            }
            state.choices = countryChoices.map { $0.payload }
            return Turn(intent: intent, confidence: confidence, slots: slots, language: language,
                        reply: Reply(text: ask, choices: countryChoices), state: state, trace: trace)
        default:
            break
        }

        var text = ""
        if body.isEmpty || intent == "prompts.today" {
            let responses = definition?.responsesOrEnglish[replyLanguage.index] ?? []
            if !responses.isEmpty {
                let template = responses[abs(seed) % responses.count]
                text = Folding.contains(UInt8(ascii: "{"), in: template) ? Template.fill(template, placeholderValues(slots, valuesLanguage)) : template
            }
        }
        if !body.isEmpty { text = text.isEmpty ? body : text + "\n\n" + body }

        // Knowledge the answer cites.
        state.results = []
        state.cursor = 0
        var trace = trace
        if let query = definition?.answer {
            let found = knowledgeAnswer(query, intent: intent, slots: slots, language: replyLanguage, tokens: tokens,
                                        first: max(1, min(query.count, 3)))
            var shown = found.first
            var ids = found.ids
            // The passage that fits this message, framed by the intent's first sentence.
            let asksWhat = intent == "resource.search" && asksForDefinition(tokens, replyLanguage)
            // "and in France?" names only the new slot: the passage is looked
            // for with the conversation's topic as well.
            var tokens = tokens
            if trace.rule == .followUp, within == nil, let topic = slots[.topic] {
                tokens += index.analyzer.analyze(index.slotName(of: topic, slot: .topic, in: replyLanguage), replyLanguage, correctTypos: false)
            }
            if Self.composes(intent), !tokens.isEmpty,
               let passage = within.flatMap({ passageAbout($0, intent: intent, tokens: tokens, language: replyLanguage) })
                   ?? (asksWhat ? definitionPassage(tokens, slots: slots, language: replyLanguage, coverage: Self.minimumCoverage)
                       : bestPassage(passageQuery(intent, tokens: tokens, slots: slots, language: replyLanguage))) {
                trace.passage = "\(passage.passage.itemID) § \(passage.passage.heading ?? "-") " +
                    "(score \(String(format: "%.2f", passage.score)), coverage \(String(format: "%.2f", passage.coverage)))"
                let frame = text.isEmpty ? nil : framing(text, tokens: tokens, language: replyLanguage)
                text = (frame.map { $0 + "\n\n" } ?? "") + quote(passage, language: replyLanguage)
                let itemID = passage.passage.itemID
                if let item = index.knowledge.item(id: itemID, language: replyLanguage) {
                    let hit = KnowledgeHit(id: item.id, type: item.type, title: item.title, summary: item.summary, score: 0)
                    shown = [hit] + shown.filter { $0.id != itemID }
                    ids = [itemID] + ids.filter { $0 != itemID }
                }
                shown = Array(shown.prefix(Self.itemsWithPassage))
            } else if !shown.isEmpty {
                // No passage: the intent's paragraph, cut at a sentence so
                // that it and the items fit a phone screen or two.
                text = Self.clip(text, to: Self.paragraphLength)
            }
            if shown.isEmpty {
                if intent.hasPrefix("resource.") {
                    text += "\n\n" + index.message("no_results", replyLanguage, seed: seed)
                }
            } else {
                text += "\n\n" + format(shown)
                resources = shown.map { $0.id }
                choices += shown.map { Choice(label: Self.shorten($0.title), payload: "item:\($0.id)") }
            }
            state.results = ids
            state.cursor = shown.count
            state.page = shown.count
            if intent.hasPrefix("resource."), let first = shown.first {
                choices.append(Choice(label: index.message("choice_related", replyLanguage), payload: "related:\(first.id)"))
                if slots[.targetGroup] == nil, definition?.slots.contains(.targetGroup) == true {
                    choices.append(Choice(label: index.message("choice_narrow_group", replyLanguage), payload: "narrow:group"))
                }
                if slots[.country] == nil, definition?.slots.contains(.country) == true {
                    choices.append(Choice(label: index.message("choice_narrow_country", replyLanguage), payload: "narrow:country"))
                }
            }
        }
        for next in definition?.next ?? [] where next != intent {
            guard let target = index.intents[next] else { continue }
            // The same as Choice(label: target.label(in:), payload: "intent:\(next)"): next is target's id.
            choices.append(target.choice(in: replyLanguage))
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
                if !kept.isEmpty {
                    kept[.time] = nil
                    kept[.language] = nil
                }
                if kept.isEmpty, previousIntent != nil { kept = state.slotValues }
                state.setSlots(kept)
            }
        }
        if !slots.isEmpty {
            slots = slots.filter { definition?.slots.contains($0.key) == true || ($0.key == .topic && definition?.topic != nil) }
        }
        state.choices = choices.map { $0.payload }
        return Turn(intent: intent, confidence: confidence, slots: slots, language: replyLanguage,
                    reply: Reply(text: text, choices: choices, resources: resources), state: state,
                    trace: trace, action: action)
    }

    /// The items an intent's answer cites: the ids of all of them, in
    /// order, and the first `count` as hits.
    struct Found {
        var ids: [String]
        var first: [KnowledgeHit]
    }

    /// The items an intent's answer cites: for practice answers, the best
    /// success factor, tool and case; otherwise the ranked list.
    func knowledgeAnswer(_ query: AnswerQuery, intent: String, slots: Slots, language: Language,
                         tokens: [AnalyzedToken], first count: Int) -> Found {
        var terms: [String] = []
        for token in tokens where token.kind == .word && !StopWords.contains(token.word, language) { terms.append(token.stem) }
        let base = KnowledgeQuery(language: language, types: query.types, topic: slots[.topic],
                                  targetGroup: slots[.targetGroup], country: slots[.country], terms: terms)
        let interleave = intent.hasPrefix("practice.") && query.types.count > 1
        if let memory = index.knowledge as? InMemoryKnowledgeIndex {
            // In memory: ranked positions, no hit built but the ones shown.
            let order: [InMemoryKnowledgeIndex.Ranked]
            if interleave {
                order = Self.interleave(memory.ranked(base, eachOf: query.types.map { [$0] }))
            } else {
                order = memory.ranked(base, eachOf: [query.types])[0]
            }
            return Found(ids: order.map { memory.id(of: $0, language: language) },
                         first: order.prefix(count).map { memory.hit($0, language: language) })
        }
        let found: [KnowledgeHit]
        if interleave {
            found = Self.interleave(query.types.map { type in
                var one = base
                one.types = [type]
                return index.knowledge.search(one)
            })
        } else {
            found = index.knowledge.search(base)
        }
        return Found(ids: found.map { $0.id }, first: Array(found.prefix(count)))
    }

    /// One of each list first, then the rest for `more`: the second of
    /// each, the third of each…
    static func interleave<T>(_ lists: [[T]]) -> [T] {
        var result: [T] = []
        var longest = 0
        for k in lists.indices {
            longest = max(longest, lists[k].count)
            if let first = lists[k].first { result.append(first) }
        }
        result.reserveCapacity(lists.reduce(0) { $0 + $1.count })
        if longest > 1 {
            for i in 1..<longest {
                for k in lists.indices where lists[k].count > i { result.append(lists[k][i]) }
            }
        }
        return result
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
            text = index.message("nothing_more", language, seed: seed)
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
        state.choices = choices.map { $0.payload }
        return Turn(intent: "more", confidence: confidence, slots: [:], language: language,
                    reply: Reply(text: text, choices: choices, resources: hits.map { $0.id }), state: state, trace: trace)
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
        let source = item.body.isEmpty ? item.summary : item.body
        let known = index.promptTexts[language.index][id]
        let body = known.map { $0.source == source } == true ? known!.plain : MarkdownText.plain(source)
        return ("\(item.title)\n\(body)", id, choices)
    }

    /// Items listed under an answer that quotes a passage (its own item first).
    static let itemsWithPassage = 2
    /// Characters of an intent's paragraph shown above its items when no passage is quoted.
    static let paragraphLength = 520
    /// Characters of an item's summary in a list.
    static let summaryLength = 100

    func format(_ hits: [KnowledgeHit]) -> String {
        var capacity = 0
        for hit in hits { capacity += hit.title.utf8.count + hit.summary.utf8.count + hit.id.utf8.count + 12 }
        var out = ""
        out.reserveCapacity(capacity)
        for (i, hit) in hits.enumerated() {
            if i > 0 { out += "\n" }
            out += String(i + 1)
            out += ". "
            out += hit.title
            out += ": "
            out += Self.clip(hit.summary, to: Self.summaryLength)
        }
        return out
    }

    /// "including weekends", "samedi et dimanche", "anche nel weekend", "även helger", "7/7".
    static func asksForWeekends(_ tokens: [AnalyzedToken]) -> Bool {
        let words: Set<String> = ["weekend", "weekends", "saturday", "sunday", "samedi", "dimanche", "sabato", "domenica",
                                  "helg", "helger", "helgen", "lordag", "sondag", "everyday"]
        return tokens.contains { words.contains($0.word) } || zip(tokens, tokens.dropFirst()).contains { $0.word == "7" && $1.word == "7" }
    }

    static func shorten(_ title: String, limit: Int = 40) -> String {
        // Characters never outnumber bytes; in ASCII without "\r" (one
        // character with a following "\n") each byte is one character.
        if title.utf8.count <= limit { return title }
        if Folding.isASCII(title), !Folding.contains(13, in: title),
           let short = title.utf8.withContiguousStorageIfAvailable({ String(decoding: $0.prefix(limit - 1), as: UTF8.self) }) {
            return short + "…"
        }
        return title.count <= limit ? title : String(title.prefix(limit - 1)) + "…"
    }

    func placeholderValues(_ slots: Slots, _ language: Language) -> [String: String] {
        var values: [String: String] = [:]
        for (slot, value) in slots {
            switch slot {
            case .time: values["time"] = value
            default: values[slot.rawValue] = index.slotName(of: value, slot: slot, in: language)
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
                    reply: Reply(text: index.message(key, language, seed: state.turn, values)),
                    state: state, trace: trace)
    }

    func fallbackTurn(language: Language, confidence: Double, state: DialogueState, trace: Trace) -> Turn {
        var state = state
        let topics = ["practice.needs_assessment", "practice.employment", "practice.language", "resource.case", "profint.model"]
        let choices = topics.compactMap { id in
            index.intents[id].map { $0.choice(in: language) }
        }
        state.choices = choices.map { $0.payload }
        state.language = language
        let text = index.message("fallback", language, seed: state.turn)
        return Turn(intent: nil, confidence: min(max(1 - confidence, 0), 1), slots: [:], language: language,
                    reply: Reply(text: text, choices: choices), state: state, trace: trace)
    }

    /// A message of the domain that nothing answers well: said plainly, with
    /// the two nearest items (passages of two different items that fit) and
    /// a person to ask; nil when no passage is near enough.
    func gapTurn(tokens: [AnalyzedToken], slots: Slots, language: Language, confidence: Double,
                 state: DialogueState, trace: Trace) -> Turn? {
        let query = passageQuery("resource.search", tokens: tokens, slots: slots, language: language)
        // Most of the message's words occur in the knowledge ("pizza" and
        // "Naples" do not; "mentee", "sessions", "stopped showing up" do).
        let known = query.terms.filter { index.passages.idf($0.stem, language) > 0 }.count
        guard known >= 2, Double(known) >= 0.6 * Double(query.terms.count) else { return nil }
        var hits: [KnowledgeHit] = []
        for match in index.passages.search(query, limit: 6)
        where match.coverage >= 0.34 && match.score >= Self.minimumScore && !hits.contains(where: { $0.id == match.passage.itemID }) {
            guard let item = index.knowledge.item(id: match.passage.itemID, language: language) else { continue }
            hits.append(KnowledgeHit(id: item.id, type: item.type, title: item.title, summary: item.summary, score: Double(match.score)))
            if hits.count == 2 { break }
        }
        guard !hits.isEmpty else { return nil }
        var state = state
        var trace = trace
        trace.passage = "gap: " + hits.map(\.id).joined(separator: ", ")
        var choices = hits.map { Choice(label: Self.shorten($0.title), payload: "item:\($0.id)") }
        if let person = index.intents["human.contact"] { choices.append(person.choice(in: language)) }
        state.choices = choices.map { $0.payload }
        state.language = language
        state.results = hits.map(\.id)
        state.cursor = hits.count
        state.page = hits.count
        let text = index.message("no_specific", language, seed: state.turn) + "\n\n" + format(hits)
        return Turn(intent: nil, confidence: min(max(1 - confidence, 0), 1), slots: [:], language: language,
                    reply: Reply(text: text, choices: choices, resources: hits.map(\.id)), state: state, trace: trace)
    }

    func clarifyTurn(_ a: String, _ b: String, confidence: Double, slots: Slots, language: Language,
                     state: DialogueState, trace: Trace) -> Turn {
        var state = state
        let labelA = index.intents[a]?.label(in: language) ?? a
        let labelB = index.intents[b]?.label(in: language) ?? b
        let text = index.message("clarify", language, seed: state.turn, ["a": labelA, "b": labelB])
        let choices = [Choice(label: labelA, payload: "intent:\(a)"), Choice(label: labelB, payload: "intent:\(b)")]
        state.choices = choices.map { $0.payload }
        state.language = language
        state.contexts["clarified"] = 2
        var kept = slots
        kept[.time] = nil
        if !kept.isEmpty { state.setSlots(kept) }
        // The likelier reading stays the conversation's context for follow-ups.
        state.lastIntent = a
        return Turn(intent: a, confidence: confidence, slots: slots.filter { index.intents[a]?.slots.contains($0.key) == true || $0.key == .topic },
                    language: language, reply: Reply(text: text, choices: choices), state: state, trace: trace)
    }
}
