/// Synonym groups per language (`Intents/lexicon.yml`): every entry of a
/// group is read as the group's first entry.
public struct Lexicon: Sendable, Hashable {
    public var groups: [Language: [[String]]]

    public init(groups: [Language: [[String]]] = [:]) {
        self.groups = groups
    }
}
