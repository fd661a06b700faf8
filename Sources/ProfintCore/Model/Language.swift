/// The four languages PROFINT Guide speaks.
public enum Language: String, CaseIterable, Sendable, Codable, Hashable, Comparable {
    case en, fr, it, sv

    public static func < (lhs: Language, rhs: Language) -> Bool {
        lhs.index < rhs.index
    }

    /// A stable position, used for arrays indexed by language.
    public var index: Int {
        switch self {
        case .en: 0
        case .fr: 1
        case .it: 2
        case .sv: 3
        }
    }

    /// The Snowball stemmer of this language.
    public var stemmer: any Stemmer {
        switch self {
        case .en: EnglishStemmer()
        case .fr: FrenchStemmer()
        case .it: ItalianStemmer()
        case .sv: SwedishStemmer()
        }
    }
}
