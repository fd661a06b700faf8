/// A token after typo correction, stemming and synonym rewriting.
public struct AnalyzedToken: Sendable, Hashable {
    /// Folded surface form, after typo correction.
    public var word: String
    /// Folded stem, after synonym rewriting: what matching compares.
    public var stem: String
    public var kind: Token.Kind
    /// The folded word as typed, when typo correction changed it.
    public var typed: String?

    public init(word: String, stem: String, kind: Token.Kind, typed: String? = nil) {
        self.word = word
        self.stem = stem
        self.kind = kind
        self.typed = typed
    }
}
