/// What `PersonalDataDetector` found in a message: the kinds of personal
/// data and the message without them, which the engine reads instead, so
/// that the question is answered as if the data were not there.
public struct PersonalDataScan: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case dateOfBirth = "date of birth"
        case phone
        case email = "e-mail"
        case address
        case identifier = "identity or file number"
        case name = "name with a title"
    }

    /// In the order found, each kind once.
    public var kinds: [Kind]
    /// The message with every span of personal data replaced by a space.
    public var scrubbed: String

    public var isEmpty: Bool { kinds.isEmpty }

    public init(kinds: [Kind] = [], scrubbed: String) {
        self.kinds = kinds
        self.scrubbed = scrubbed
    }
}
