/// One line of a `helplines` item: a number to call or a service to refer
/// to, what it is for, and the safety situations it serves.
public struct Helpline: Sendable, Hashable {
    /// As dialled ("3919", "020-50 50 50"); nil for a service without one.
    public var number: String?
    public var name: String
    /// The situations it serves, in the order the item lists them
    /// (`HelplineUse` raw values: emergency, medical, police, self_harm, …).
    public var uses: [String]
    /// One line, in the item's language: what it is for.
    public var purpose: String
    public var hours: String?
    public var url: String?
    /// The official page the number was checked against.
    public var source: String?

    public init(number: String? = nil, name: String, uses: [String], purpose: String,
                hours: String? = nil, url: String? = nil, source: String? = nil) {
        self.number = number
        self.name = name
        self.uses = uses
        self.purpose = purpose
        self.hours = hours
        self.url = url
        self.source = source
    }
}

/// The situations a helpline serves: what `for:` may list.
public enum HelplineUse: String, CaseIterable, Sendable {
    case emergency, medical, police, deaf
    case selfHarm = "self_harm"
    case violence, exploitation, labour, child
    case missingChild = "missing_child"
    case homeless, legal, asylum, health, local
}
