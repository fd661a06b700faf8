import Foundation

/// Answers composed for the message: the knowledge passage that fits the
/// question best, framed by the first sentence of the intent's text.
extension Engine {
    /// Intents whose answer can quote a passage.
    static func composes(_ intent: String) -> Bool {
        intent.hasPrefix("practice.") || intent.hasPrefix("resource.") || intent.hasPrefix("country.")
            || intent.hasPrefix("training.")
    }

    /// A passage fits when it holds this share of the question's weight…
    static let minimumCoverage: Float = 0.5
    /// …and scores at least this.
    static let minimumScore: Float = 1.2
    /// Characters of a passage quoted in a reply.
    static let passageLength = 380

    /// The passage query of a message for an intent: the message's content
    /// stems, those the intent's examples share weighing less.
    func passageQuery(_ intent: String, tokens: [AnalyzedToken], slots: Slots, language: Language,
                      items: Set<String>? = nil) -> PassageIndex.Query {
        let share = index.termShare[intent]
        var terms: [(stem: String, weight: Float)] = []
        let asking = Self.definitionWords[language.index]
        for token in tokens where token.kind == .word && !StopWords.contains(token.word, language)
            && !asking.contains(token.word) && !Self.openingWords.contains(token.word) {
            let s = share?[token.stem] ?? 0
            terms.append((token.stem, 1 / (1 + 3 * s)))
        }
        var types: Set<KnowledgeType>?
        switch intent {
        case "resource.case": types = [.caseStudy]
        case "resource.tool": types = [.tool]
        case "resource.good_practice": types = [.goodPractice]
        case IntentID.countrySystem: types = [.countryGuide, .rights, .glossary]
        case _ where intent.hasPrefix("training."): types = [.module, .skill, .tool]
        default: types = nil
        }
        if items != nil { types = nil }
        return PassageIndex.Query(language: language, terms: terms, types: types, items: items,
                                  topic: slots[.topic], group: slots[.targetGroup], country: slots[.country])
    }

    /// The passage that answers the message, if one fits well.
    func bestPassage(_ query: PassageIndex.Query, coverage: Float = Engine.minimumCoverage,
                     score: Float = Engine.minimumScore) -> PassageIndex.Match? {
        guard let best = index.passages.search(query, limit: 1).first,
              best.coverage >= coverage, best.score >= score else { return nil }
        return best
    }

    /// What a short question about an answer asks for, and the words a
    /// passage that answers it tends to hold: "how long?" → months, weeks.
    static let aspects: [(cues: Set<String>, hints: [String])] = [
        (["long", "last", "lasts", "duration", "duree", "dure", "durent", "durata", "dura", "durano", "lange", "varar", "tar"],
         ["months", "weeks", "years", "mois", "semaines", "ans", "mesi", "settimane", "anni", "manader", "veckor", "ar"]),
        (["use", "using", "utiliser", "utilise", "sert", "usare", "uso", "usa", "usarlo", "anvanda", "anvander", "anvands"],
         ["step", "steps", "before", "after", "etape", "etapes", "avant", "apres", "passo", "passi", "prima", "dopo",
          "steg", "fore", "efter"]),
        (["who", "eligible", "access", "qui", "acces", "droit", "chi", "accedere", "diritto", "vem", "ratt"],
         ["eligible", "conditions", "condition", "requisiti", "condizioni", "villkor", "krav"]),
        (["cost", "costs", "price", "pay", "free", "cout", "coute", "payer", "gratuit", "costo", "costa", "pagare", "gratis",
          "kostar", "kostnad", "betala", "avgift"],
         ["free", "fee", "paid", "gratuit", "payant", "frais", "gratuito", "pagamento", "gratis", "avgift", "kostnadsfri"]),
    ]

    /// Words that point back at what was just said ("it", "ça", "lo", "det").
    static let backReferences: [StringSet] = [
        StringSet(["it", "this", "that", "they", "them", "its", "these", "those"]),
        // Not "le", "la", "les", "lo": they are articles far more often than pronouns.
        StringSet(["ca", "cela", "ceci", "celui", "celle"]),
        StringSet(["questo", "questa", "quello", "quella", "usarlo", "farlo", "usarla", "farla"]),
        StringSet(["det", "den", "dem", "detta", "denna", "dessa"]),
    ]

    /// Whether a short message points back at the last answer, by a
    /// pronoun or by asking one of the `aspects` of it.
    func refersBack(_ tokens: [AnalyzedToken], _ language: Language) -> Bool {
        let words = tokens.filter { $0.kind == .word }.map(\.word)
        if words.contains(where: { Self.backReferences[language.index].contains($0) }) { return true }
        return Self.aspects.contains { !$0.cues.isDisjoint(with: words) }
    }

    /// The passage of the last answer's items that a short question about it asks for.
    func passageAbout(_ items: Set<String>, intent: String, tokens: [AnalyzedToken], language: Language) -> PassageIndex.Match? {
        var query = passageQuery(intent, tokens: tokens, slots: [:], language: language, items: items)
        let words = Set(tokens.filter { $0.kind == .word }.map(\.word))
        for aspect in Self.aspects where !aspect.cues.isDisjoint(with: words) {
            for token in index.analyzer.analyze(aspect.hints.joined(separator: " "), language, correctTypos: false) {
                query.terms.append((token.stem, 0.5))
            }
        }
        return bestPassage(query, coverage: 0, score: 0.5)
    }

    /// A term the knowledge explains: a passage holding nearly all of the question's weight.
    func explainsTerm(_ tokens: [AnalyzedToken], slots: Slots, language: Language) -> Bool {
        definitionPassage(tokens, slots: slots, language: language, coverage: 0.75) != nil
    }

    /// "«Title» — Heading: text…", within `passageLength` characters.
    func quote(_ match: PassageIndex.Match, language: Language) -> String {
        let p = match.passage
        var head = p.title
        if let heading = p.heading, !heading.isEmpty, heading.lowercased() != p.title.lowercased() { head += " — " + heading }
        var text = p.text
        // A short passage goes on with the next one of its item.
        if text.count < Self.passageLength / 2, let next = index.passages.next(after: match, language: language) {
            text += "\n" + next.text
        }
        return head + "\n" + Self.clip(text, to: Self.passageLength)
    }

    /// The first sentences of a text, within `limit` characters.
    static func clip(_ text: String, to limit: Int) -> String {
        // Characters never outnumber bytes.
        guard text.utf8.count > limit, text.count > limit else { return text }
        // The last sentence end (". ", "? ", "! ", a new line) in the first `limit` characters, past a third of them.
        var end: String.Index?
        var count = 0
        var i = text.startIndex
        while i < text.endIndex, count < limit {
            let c = text[i]
            let next = text.index(after: i)
            if count >= limit / 3, c == "\n" || ((c == "." || c == "?" || c == "!") && next < text.endIndex && (text[next] == " " || text[next] == "\n")) {
                end = c == "\n" ? i : next
            }
            count += 1
            i = next
        }
        if let end { return String(text[..<end]).trimmingSpaces + " …" }
        return String(text[..<i]) + "…"
    }

    /// The sentence of an intent's authored text that shares most of the
    /// message's words: the framing of a composed answer (nil: none shares one).
    func framing(_ text: String, tokens: [AnalyzedToken], language: Language) -> String? {
        var wanted = Set<String>()
        for t in tokens where t.kind == .word && !StopWords.contains(t.word, language) { wanted.insert(t.stem) }
        var best: (sentence: String, shared: Int)?
        let sentences = index.responseSentences[text]
            ?? Self.sentences(text).map { ($0, Set(index.analyzer.analyze($0, language, correctTypos: false).map(\.stem))) }
        for (sentence, stems) in sentences {
            let shared = stems.intersection(wanted).count
            if shared > 0, shared > (best?.shared ?? 0) { best = (sentence, shared) }
        }
        return best.map { Self.clip($0.sentence, to: 220) }
    }

    static func sentences(_ text: String) -> [String] {
        var out: [String] = []
        var current = ""
        var previous: Character = " "
        for c in text {
            if c == " ", [".", "?", "!"].contains(previous), current.count >= 20 {
                out.append(current)
                current = ""
            } else {
                current.append(c)
            }
            previous = c
        }
        if !current.trimmingSpaces.isEmpty { out.append(current.trimmingSpaces) }
        return out
    }


    /// Words that ask what something is or means (folded), per language.
    static let definitionWords: [StringSet] = [
        StringSet(["mean", "means", "meaning", "define", "definition", "difference", "differences"]),
        StringSet(["signifie", "signifient", "definition", "difference", "differences", "designe"]),
        StringSet(["significa", "significano", "definizione", "differenza", "differenze", "intende"]),
        StringSet(["betyder", "innebar", "definition", "skillnaden", "skillnad"]),
    ]
    /// Openings of a question of definition: "what is", "c'est quoi", "cos'è", "vad är".
    static let definitionOpenings: [[[String]]] = [
        [["what", "is"], ["what", "s"], ["what", "are"], ["whats"]],
        [["c", "est", "quoi"], ["qu", "est", "ce", "que"], ["qu", "est", "ce", "qu"], ["que", "veut", "dire"], ["ca", "veut", "dire"]],
        [["cos", "e"], ["che", "cos", "e"], ["cosa", "e"], ["che", "cosa", "e"], ["cosa", "vuol", "dire"], ["che", "vuol", "dire"]],
        [["vad", "ar"], ["vad", "menas", "med"], ["vad", "innebar"]],
    ]

    /// Words that make "what is…" a request for a recommendation, not a definition.
    static let evaluativeWords = StringSet([
        "best", "good", "better", "cheapest", "nicest", "favourite", "favorite", "right",
        "meilleur", "meilleure", "meilleurs", "bon", "bonne", "mieux", "moins",
        "migliore", "migliori", "buono", "buona", "buon", "meglio",
        "basta", "bra", "battre", "billigaste", "roligaste",
    ])

    /// The words of those openings: they say how a thing is asked, not what.
    static let openingWords: StringSet = StringSet(definitionOpenings.flatMap { $0.flatMap { $0 } })

    /// The passage that explains a term: the glossary first, then anything.
    func definitionPassage(_ tokens: [AnalyzedToken], slots: Slots, language: Language, coverage: Float) -> PassageIndex.Match? {
        var query = passageQuery("resource.search", tokens: tokens, slots: slots, language: language)
        // Every word of the term must occur in the knowledge: "hedersrelaterat
        // våld" is not explained by an entry that only says "våld".
        guard !query.terms.isEmpty, query.terms.allSatisfy({ index.passages.idf($0.stem, language) > 0 }) else { return nil }
        query.types = [.glossary]
        // A glossary entry opens with what the term is: quote that section.
        if let entry = bestPassage(query, coverage: coverage) { return index.passages.first(of: entry, language: language) }
        return bestPassage(passageQuery("resource.search", tokens: tokens, slots: slots, language: language), coverage: coverage)
    }

    /// Whether the message asks what something is or means.
    func asksForDefinition(_ tokens: [AnalyzedToken], _ language: Language) -> Bool {
        let words = tokens.filter { $0.kind == .word }.map(\.word)
        if words.contains(where: { Self.evaluativeWords.contains($0) }) { return false }
        if words.contains(where: { Self.definitionWords[language.index].contains($0) }) { return true }
        return Self.definitionOpenings[language.index].contains { opening in
            words.count > opening.count && Array(words.prefix(opening.count)) == opening
        }
    }
}
