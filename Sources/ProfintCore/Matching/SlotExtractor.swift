/// Finds the slot values a message states, from the phrases of
/// `Intents/slots.yml` matched on stems. Never guesses: a value is reported
/// only when one of its phrases is in the message.
public struct SlotExtractor: Sendable {
    struct Phrase: Sendable {
        var stems: [String]
        var slot: SlotName
        var value: String
        /// A country adjective that is also a language name.
        var ambiguousWithLanguage: Bool
    }

    /// Folded words that name a language in any language ("italien", "svenska").
    private var languageWords: Set<String> = []

    /// Phrases per language, indexed by their first stem.
    private var phrases: [[String: [Phrase]]]
    private var institutions: [[String: [Phrase]]]
    private var cues: [Set<String>]

    public init(vocabulary: SlotVocabulary, analyzer: TextAnalyzer) {
        var phrases = [[String: [Phrase]]](repeating: [:], count: 4)
        var institutions = [[String: [Phrase]]](repeating: [:], count: 4)
        var cues = [Set<String>](repeating: [], count: 4)
        for language in Language.allCases {
            let l = language.index
            func stems(_ text: String) -> [String] {
                analyzer.analyze(text, language, correctTypos: false).map(\.stem)
            }
            func words(_ text: String) -> [String] {
                Tokenizer.tokenize(Folding.normalize(text)).map { Folding.fold($0.text) }
            }
            for (slot, values) in vocabulary.phrases.sorted(by: { $0.key < $1.key }) {
                for (value, byLanguage) in values.sorted(by: { $0.key < $1.key }) {
                    for text in byLanguage[language] ?? [] {
                        let s = stems(text)
                        guard !s.isEmpty else { continue }
                        // Whether the word typed is a language name is decided on the message.
                        let ambiguous = slot == .country
                        phrases[l][s[0], default: []].append(Phrase(stems: s, slot: slot, value: value, ambiguousWithLanguage: ambiguous))
                    }
                }
            }
            for (value, byLanguage) in vocabulary.countryInstitutions.sorted(by: { $0.key < $1.key }) {
                for text in byLanguage[language] ?? [] {
                    let s = stems(text)
                    guard !s.isEmpty else { continue }
                    institutions[l][s[0], default: []].append(Phrase(stems: s, slot: .country, value: value, ambiguousWithLanguage: false))
                }
            }
            // Longest phrase first; ties in a fixed order.
            func order(_ a: Phrase, _ b: Phrase) -> Bool {
                a.stems.count != b.stems.count ? a.stems.count > b.stems.count
                    : (a.slot != b.slot ? a.slot < b.slot : (a.value != b.value ? a.value < b.value : a.stems.lexicographicallyPrecedes(b.stems)))
            }
            for key in phrases[l].keys { phrases[l][key]!.sort(by: order) }
            for key in institutions[l].keys { institutions[l][key]!.sort(by: order) }
            for cue in vocabulary.languageCues[language] ?? [] {
                for w in words(cue) { cues[l].insert(w) }
            }
        }
        self.phrases = phrases
        self.institutions = institutions
        self.cues = cues
        for (_, byLanguage) in vocabulary.phrases[.language] ?? [:] {
            for (_, texts) in byLanguage {
                for text in texts {
                    for token in Tokenizer.tokenize(Folding.normalize(text)) { languageWords.insert(Folding.fold(token.text)) }
                }
            }
        }
    }

    /// The slot values stated in the tokens, first mention first.
    /// - Parameter preferLanguage: read "Swedish", "italien" as languages,
    ///   never as countries (for "answer in Swedish").
    public func extract(_ tokens: [AnalyzedToken], _ language: Language, includeInstitutions: Bool = false,
                        preferLanguage: Bool = false) -> Slots {
        extractWithCoverage(tokens, language, includeInstitutions: includeInstitutions, preferLanguage: preferLanguage).slots
    }

    /// The slot values and the positions of the tokens their phrases cover.
    public func extractWithCoverage(_ tokens: [AnalyzedToken], _ language: Language, includeInstitutions: Bool = false,
                                    preferLanguage: Bool = false) -> (slots: Slots, covered: Set<Int>) {
        var slots: Slots = [:]
        var covered = Set<Int>()
        let stems = tokens.map(\.stem)
        let words = tokens.map(\.word)
        covered.formUnion(scan(stems, words, phrases[language.index], language, preferLanguage: preferLanguage, into: &slots))
        if includeInstitutions, slots[.country] == nil {
            covered.formUnion(scan(stems, words, institutions[language.index], language, preferLanguage: false, into: &slots))
        }
        return (slots, covered)
    }

    @discardableResult
    private func scan(_ stems: [String], _ words: [String], _ table: [String: [Phrase]], _ language: Language,
                      preferLanguage: Bool, into slots: inout Slots) -> [Int] {
        var covered: [Int] = []
        var i = 0
        while i < stems.count {
            var advanced = false
            for phrase in table[stems[i]] ?? [] where i + phrase.stems.count <= stems.count {
                if !zip(phrase.stems, stems[i..<(i + phrase.stems.count)]).allSatisfy({ $0 == $1 }) { continue }
                if phrase.ambiguousWithLanguage, languageWords.contains(words[i]),
                   preferLanguage || (i > 0 && cues[language.index].contains(words[i - 1])) {
                    // "learn Italian", "en italien": a language, not a country.
                    continue
                }
                if slots[phrase.slot] == nil { slots[phrase.slot] = phrase.value }
                covered += Array(i..<(i + phrase.stems.count))
                i += phrase.stems.count
                advanced = true
                break
            }
            if !advanced { i += 1 }
        }
        return covered
    }
}
