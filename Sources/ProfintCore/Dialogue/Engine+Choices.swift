/// Commands and chosen buttons: decided without matching.
extension Engine {
    func handleCommand(_ command: Command, state: DialogueState) -> Turn {
        let language = state.language ?? configuration.defaultLanguage
        var trace = Trace()
        trace.rule = .command
        trace.language = language
        trace.tokens = ["/" + command.name] + command.arguments
        func run(_ intent: String, _ slots: Slots = [:]) -> Turn {
            var s = slots
            if let topic = index.intents[intent]?.topic { s[.topic] = topic }
            trace.slots = s
            return answer(intent, confidence: 1, slots: s, language: language, text: "/" + command.name,
                          tokens: [], state: state, trace: trace)
        }
        switch command.name {
        case "lang":
            guard let code = command.arguments.first?.lowercased(), Language(rawValue: code) != nil else {
                return systemTurn("lang_usage", language: language, state: state, rule: .command)
            }
            return run("language.set", [.language: code])
        case "subscribe":
            let tokens = Tokenizer.tokenize(Folding.normalize(command.arguments.first ?? ""))
            guard tokens.count == 1, tokens[0].kind == .time, let time = TimeParser.time(in: tokens) else {
                var turn = systemTurn("subscribe_invalid_time", language: language, state: state, rule: .command)
                turn.intent = "prompts.subscribe"
                return turn
            }
            let rest = command.arguments.dropFirst()
            let everyDay = rest.contains { ["every-day", "everyday", "daily", "all", "tous", "tutti", "alla"].contains($0.lowercased()) }
            let timezone = rest.first { $0.contains("/") || $0 == "UTC" }
            var turn = run("prompts.subscribe", [.time: time])
            turn.action = .subscribe(time: time, timezone: timezone, everyDay: everyDay)
            return turn
        default:
            if let intent = command.intent {
                return run(intent)
            }
            var turn = systemTurn("unknown_command", language: language, state: state, rule: .command,
                                  values: ["command": "/" + command.name])
            turn.reply.choices = index.intents["help"].map { [Choice(label: $0.label(in: language), payload: "intent:help")] } ?? []
            turn.state.choices = turn.reply.choices.map { $0.payload }
            return turn
        }
    }

    func handleChoice(_ payload: String, state: DialogueState, previous: DialogueState) -> Turn {
        let language = state.language ?? configuration.defaultLanguage
        var trace = Trace()
        trace.rule = .choice
        trace.language = language
        trace.tokens = [payload]
        let parts = payload.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2 else {
            return fallbackTurn(language: language, confidence: 1, state: state, trace: trace)
        }
        let kind = parts[0], value = parts[1]
        switch kind {
        case "intent" where index.intents[value] != nil:
            var slots: Slots = [:]
            let definition = index.intents[value]!
            for (slot, v) in state.slotValues where definition.slots.contains(slot) { slots[slot] = v }
            if let topic = definition.topic { slots[.topic] = topic }
            trace.slots = slots
            return answer(value, confidence: 1, slots: slots, language: language, text: payload, tokens: [],
                          state: state, trace: trace)
        case "item":
            guard let item = index.knowledge.item(id: value, language: language) else { break }
            var state = state
            let related = item.related.compactMap { index.knowledge.item(id: $0, language: language) }.prefix(3)
            let choices = related.map { Choice(label: Self.shorten($0.title), payload: "item:\($0.id)") }
            state.choices = choices.map { $0.payload }
            let text = "\(item.title)\n\n\(Self.excerpt(MarkdownText.plain(item.body.isEmpty ? item.summary : item.body)))"
            return Turn(intent: nil, confidence: 1, slots: [:], language: language,
                        reply: Reply(text: text, choices: Array(choices), resources: [item.id]), state: state, trace: trace)
        case "related":
            guard let item = index.knowledge.item(id: value, language: language) else { break }
            var state = state
            let related = item.related.compactMap { index.knowledge.item(id: $0, language: language) }
            let shown = Array(related.prefix(configuration.pageSize))
            let hits = shown.map { KnowledgeHit(id: $0.id, type: $0.type, title: $0.title, summary: $0.summary, score: 0) }
            let intro = index.message("related_intro", language, seed: state.turn, ["title": item.title])
            state.results = related.map { $0.id }
            state.cursor = shown.count
            let choices = shown.map { Choice(label: Self.shorten($0.title), payload: "item:\($0.id)") }
            state.choices = choices.map { $0.payload }
            let text = hits.isEmpty ? index.message("nothing_more", language) : intro + "\n\n" + format(hits)
            return Turn(intent: nil, confidence: 1, slots: [:], language: language,
                        reply: Reply(text: text, choices: choices, resources: hits.map { $0.id }), state: state, trace: trace)
        case "group", "country":
            let slot: SlotName = kind == "group" ? .targetGroup : .country
            guard slot.allowedValues?.contains(value) == true else { break }
            let intent = state.lastIntent.flatMap { index.intents[$0] }.flatMap { $0.slots.contains(slot) ? $0.id : nil }
                ?? (slot == .country && state.contexts["await_country"] != nil ? "country.system" : "resource.search")
            var slots: Slots = [:]
            for (s, v) in state.slotValues where index.intents[intent]?.slots.contains(s) == true { slots[s] = v }
            slots[slot] = value
            trace.slots = slots
            return answer(intent, confidence: 1, slots: slots, language: language, text: payload, tokens: [],
                          state: state, trace: trace)
        case "safety":
            // "safety:<intent>:<country>": the same safety reply with the country's lines.
            let parts = value.split(separator: ":").map(String.init)
            guard parts.count == 2, Self.isSafety(parts[0]), index.intents[parts[0]] != nil,
                  SlotName.country.allowedValues?.contains(parts[1]) == true else { break }
            var state = state
            var slots = state.slotValues
            slots[.country] = parts[1]
            state.setSlots(slots)
            var reply = safetyAnswer(parts[0], country: parts[1], language: language, words: [], seed: state.turn)
            for next in index.intents[parts[0]]?.next ?? [] {
                if let target = index.intents[next] { reply.choices.append(target.choice(in: language)) }
            }
            state.lastIntent = parts[0]
            state.language = language
            state.choices = reply.choices.map(\.payload)
            return Turn(intent: parts[0], confidence: 1, slots: [:], language: language, reply: reply, state: state, trace: trace)
        case "narrow":
            var state = state
            let slot: SlotName = value == "country" ? .country : .targetGroup
            let prefix = slot == .country ? "country" : "group"
            let choices = (slot.allowedValues ?? []).map {
                Choice(label: index.slotName(of: $0, slot: slot, in: language), payload: "\(prefix):\($0)")
            }
            state.choices = choices.map { $0.payload }
            let key = slot == .country ? "choice_narrow_country" : "choice_narrow_group"
            return Turn(intent: nil, confidence: 1, slots: [:], language: language,
                        reply: Reply(text: index.message(key, language), choices: choices), state: state, trace: trace)
        default:
            break
        }
        return fallbackTurn(language: language, confidence: 1, state: state, trace: trace)
    }

    /// The first paragraphs of a body, within a chat-friendly length.
    static func excerpt(_ body: String, limit: Int = 3_000) -> String {
        guard body.count > limit else { return body }
        let cut = body.prefix(limit)
        if let end = cut.range(of: "\n\n", options: .backwards) {
            return String(cut[..<end.lowerBound]) + "\n…"
        }
        return String(cut) + "…"
    }
}
