/// Picking one of the offered options in words: "the first one", "le
/// deuxième", "spiegami meglio il primo", "den sista", or the option's own
/// label ("self-care"). A digit alone is handled before this.
extension Engine {
    /// Ordinal words (folded) → option index; -1 is the last option.
    static let ordinalWords: [String: Int] = [
        "first": 0, "1st": 0, "second": 1, "2nd": 1, "third": 2, "3rd": 2, "fourth": 3, "fifth": 4, "last": -1,
        "premier": 0, "premiere": 0, "1er": 0, "1re": 0, "deuxieme": 1, "seconde": 1, "2e": 1,
        "troisieme": 2, "3e": 2, "quatrieme": 3, "dernier": -1, "derniere": -1,
        "primo": 0, "prima": 0, "secondo": 1, "seconda": 1, "terzo": 2, "terza": 2, "quarto": 3, "quarta": 3,
        "ultimo": -1, "ultima": -1,
        "forsta": 0, "andra": 1, "tredje": 2, "fjarde": 3, "femte": 4, "sista": -1,
    ]

    /// Words that may surround an ordinal or a number in a pick, in the
    /// four languages (folded). Any other word makes the message a
    /// question of its own ("the first interview is tomorrow").
    static let pickWords: Set<String> = [
        // English
        "the", "one", "option", "choice", "number", "no", "nr", "please", "pls", "i", "want", "take", "choose",
        "id", "like", "tell", "me", "more", "about", "explain", "show", "open", "go", "with", "that", "ok", "okay",
        "yes", "thanks", "thank", "you", "let", "s", "lets", "see",
        // French
        "le", "la", "l", "les", "un", "une", "celui", "celle", "numero", "choix", "je", "veux", "prends",
        "choisis", "plutot", "svp", "merci", "oui", "dis", "moi", "m", "en", "plus", "sur", "explique", "expliquez",
        "voir", "ouvre", "d", "accord", "s", "il", "vous", "plait", "va", "pour",
        // Italian
        "lo", "gli", "uno", "quello", "quella", "opzione", "scelta", "voglio", "prendo", "scelgo", "per",
        "favore", "grazie", "si", "dimmi", "di", "piu", "sul", "sulla", "spiegami", "meglio", "parlami",
        "del", "della", "mostrami", "apri", "bene", "vorrei",
        // Swedish
        "den", "det", "nummer", "alternativ", "alternativet", "valet", "jag", "vill", "ha", "tar", "valjer",
        "tack", "ja", "beratta", "mer", "om", "visa", "oppna", "forklara", "garna",
    ]

    /// The index in `offered` that a short message picks, if it picks one.
    func chosenOption(_ text: String, offered: [String], language: Language) -> Int? {
        let tokens = Tokenizer.tokenize(Folding.normalize(text))
        guard !tokens.isEmpty, tokens.count <= 8 else { return nil }
        let words = tokens.map { Folding.fold($0.text) }
        var picked: Int?
        var others = 0
        for (token, word) in zip(tokens, words) {
            if let n = Self.ordinalWords[word] {
                guard picked == nil else { return nil }
                picked = n < 0 ? offered.count - 1 : n
            } else if token.kind == .number, let n = Int(word), n >= 1 {
                guard picked == nil else { return nil }
                picked = n - 1
            } else if token.kind == .word, !Self.pickWords.contains(word) {
                others += 1
            }
        }
        if let picked, others == 0 {
            return picked < offered.count ? picked : nil
        }
        // The label of one option, or a part of it ("self-care", "Italy").
        guard picked == nil, others >= 1, others <= 4 else { return nil }
        let content = Set(words.enumerated().filter { tokens[$0.offset].kind == .word && !StopWords.contains($0.element, language) }.map(\.element))
        guard !content.isEmpty else { return nil }
        var matches: [Int] = []
        for (i, payload) in offered.enumerated() {
            guard let label = optionLabel(payload, language: language) else { continue }
            let labelWords = Set(Tokenizer.tokenize(Folding.normalize(label)).map { Folding.fold($0.text) })
            if content.isSubset(of: labelWords) { matches.append(i) }
        }
        return matches.count == 1 ? matches[0] : nil
    }

    /// What an option is called on its button.
    func optionLabel(_ payload: String, language: Language) -> String? {
        let parts = payload.split(separator: ":").map(String.init)
        guard parts.count >= 2 else { return nil }
        switch parts[0] {
        case "intent": return index.intents[parts[1]]?.label(in: language)
        case "item": return index.knowledge.item(id: parts[1], language: language)?.title
        case "safety" where parts.count == 3: return index.slotName(of: parts[2], slot: .country, in: language)
        default: return nil
        }
    }
}
