/// Why the engine answered as it did: everything `:why` prints.
public struct Trace: Sendable, Hashable {
    /// How the intent was decided.
    public enum Rule: String, Sendable, Hashable {
        case command, choice, pattern, examples, followUp = "follow-up", knowledge, clarify, fallback, empty, tooLong = "too-long"
    }

    public var tokens: [String] = []
    public var language: Language = .en
    public var languageScore: Double = 0
    public var candidates: [IntentCandidate] = []
    public var rule: Rule = .fallback
    public var pattern: String?
    /// The knowledge passage the answer quotes, and how well it fits.
    public var passage: String?
    /// Kinds of personal data taken out of the message before matching.
    public var personalData: [String] = []
    /// The features that weighed most for the chosen intent.
    public var evidence: [String] = []
    /// The chosen intent's example closest to the message.
    public var nearestExample: String?
    public var slots: Slots = [:]
    /// Words changed by typo correction: typed → corrected.
    public var corrections: [String] = []

    public init() {}
}
