/// One unit of a message after tokenization.
public struct Token: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// Letters (and digits inside a word: "a2", "covid19").
        case word
        /// A number: "3", "2018", "4.5".
        case number
        /// A clock time, written `HH:MM`: "8h30", "08:30", "8.30", "14h".
        case time
        /// An emoji: 👍 👎 👋.
        case emoji
    }

    /// Normalized (NFKC, lower case) text with accents kept.
    public var text: String
    public var kind: Kind

    public init(_ text: String, _ kind: Kind) {
        self.text = text
        self.kind = kind
    }
}
