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
            var languageNames = Set<[String]>()
            for (_, byLanguage) in vocabulary.phrases[.language] ?? [:] {
                for text in byLanguage[language] ?? [] { languageNames.insert(stems(text)) }
            }
            for (slot, values) in vocabulary.phrases {
                for (value, byLanguage) in values.sorted(by: { $0.key < $1.key }) {
                    for text in byLanguage[language] ?? [] {
                        let s = stems(text)
                        guard !s.isEmpty else { continue }
                        let ambiguous = slot == .country && languageNames.contains(s)
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
            for key in phrases[l].keys { phrases[l][key]!.sort { $0.stems.count > $1.stems.count } }
            for key in institutions[l].keys { institutions[l][key]!.sort { $0.stems.count > $1.stems.count } }
            for cue in vocabulary.languageCues[language] ?? [] {
                for s in stems(cue) { cues[l].insert(s) }
            }
        }
        self.phrases = phrases
        self.institutions = institutions
        self.cues = cues
    }

    /// The slot values stated in the tokens, first mention first.
    public func extract(_ tokens: [AnalyzedToken], _ language: Language, includeInstitutions: Bool = false) -> Slots {
        var slots: Slots = [:]
        let stems = tokens.map(\.stem)
        scan(stems, phrases[language.index], language, into: &slots)
        if includeInstitutions, slots[.country] == nil {
            scan(stems, institutions[language.index], language, into: &slots)
        }
        return slots
    }

    private func scan(_ stems: [String], _ table: [String: [Phrase]], _ language: Language, into slots: inout Slots) {
        var i = 0
        while i < stems.count {
            var advanced = false
            for phrase in table[stems[i]] ?? [] where i + phrase.stems.count <= stems.count {
                if !zip(phrase.stems, stems[i..<(i + phrase.stems.count)]).allSatisfy({ $0 == $1 }) { continue }
                if phrase.ambiguousWithLanguage, i > 0, cues[language.index].contains(stems[i - 1]) {
                    // "learn Italian", "en italien": a language, not a country.
                    continue
                }
                if slots[phrase.slot] == nil { slots[phrase.slot] = phrase.value }
                i += phrase.stems.count
                advanced = true
                break
            }
            if !advanced { i += 1 }
        }
    }
}
