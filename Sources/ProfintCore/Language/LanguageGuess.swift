/// The detected language of a message and how sure the detector is (0…1).
public struct LanguageGuess: Sendable, Hashable {
    public var language: Language
    public var score: Double
    /// Posterior per language, in `Language.allCases` order.
    public var scores: [Double]

    public init(language: Language, score: Double, scores: [Double]) {
        self.language = language
        self.score = score
        self.scores = scores
    }
}
