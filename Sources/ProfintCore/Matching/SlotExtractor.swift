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
    private var languageWords = StringSet()

    /// Phrases per language, indexed by their first stem.
    private var phrases: [StringTable<[Phrase]>]
    private var institutions: [StringTable<[Phrase]>]
    private var cues: [StringSet]

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
        func table(_ d: [String: [Phrase]]) -> StringTable<[Phrase]> {
            StringTable(d.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
        }
        self.phrases = phrases.map(table)
        self.institutions = institutions.map(table)
        self.cues = cues.map { StringSet($0.sorted()) }
        var languageWords = Set<String>()
        for (_, byLanguage) in vocabulary.phrases[.language] ?? [:] {
            for (_, texts) in byLanguage {
                for text in texts {
                    for token in Tokenizer.tokenize(Folding.normalize(text)) { languageWords.insert(Folding.fold(token.text)) }
                }
            }
        }
        self.languageWords = StringSet(languageWords.sorted())
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
        let first = scan(tokens, phrases[language.index], language, preferLanguage: preferLanguage, into: &slots)
        if !first.isEmpty { covered.formUnion(first) }
        if includeInstitutions, slots[.country] == nil {
            covered.formUnion(scan(tokens, institutions[language.index], language, preferLanguage: false, into: &slots))
        }
        return (slots, covered)
    }

    @discardableResult
    private func scan(_ tokens: [AnalyzedToken], _ table: StringTable<[Phrase]>, _ language: Language,
                      preferLanguage: Bool, into slots: inout Slots) -> [Int] {
        var covered: [Int] = []
        var i = 0
        let count = tokens.count
        while i < count {
            var advanced = false
            let entry = table.find(tokens[i].stem)
            guard entry >= 0 else {
                i += 1
                continue
            }
            for phrase in table.value(at: entry) where i + phrase.stems.count <= count {
                var same = true
                for k in 0..<phrase.stems.count where phrase.stems[k] != tokens[i + k].stem {
                    same = false
                    break
                }
                if !same { continue }
                if phrase.ambiguousWithLanguage, languageWords.contains(tokens[i].word),
                   preferLanguage || (i > 0 && cues[language.index].contains(tokens[i - 1].word)) {
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
