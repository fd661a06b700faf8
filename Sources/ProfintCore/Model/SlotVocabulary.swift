/// How slot values are said in each language (`Intents/slots.yml`).
public struct SlotVocabulary: Sendable, Hashable {
    /// slot → value → language → phrases.
    public var phrases: [SlotName: [String: [Language: [String]]]]
    /// Institution names that state a country (SFI, OFII, CPIA…).
    public var countryInstitutions: [String: [Language: [String]]]
    /// Words after which a country adjective names a language.
    public var languageCues: [Language: [String]]
    /// slot → value → language → display name.
    public var names: [SlotName: [String: [Language: String]]]

    public init(
        phrases: [SlotName: [String: [Language: [String]]]] = [:],
        countryInstitutions: [String: [Language: [String]]] = [:],
        languageCues: [Language: [String]] = [:],
        names: [SlotName: [String: [Language: String]]] = [:]
    ) {
        self.phrases = phrases
        self.countryInstitutions = countryInstitutions
        self.languageCues = languageCues
        self.names = names
    }

    /// The display name of a slot value, e.g. `country FR` in Italian → "Francia".
    public func name(of value: String, slot: SlotName, in language: Language) -> String {
        names[slot]?[value]?[language] ?? names[slot]?[value]?[.en] ?? value
    }
}
