/// What the engine remembers of one conversation between two messages.
/// Codable so that channels can persist it; it expires (see
/// `EngineConfiguration.contextLifetime`).
public struct DialogueState: Sendable, Codable, Hashable {
    /// The conversation's language: the prior for detection and the reply language.
    public var language: Language?
    /// Set by `/lang` or "answer in French": wins over detection unless a
    /// message is clearly in another language.
    public var languageLocked: Bool = false
    public var lastIntent: String?
    /// Slots of the last turn (topic, target group, country…), by slot name.
    public var slots: [String: String] = [:]
    /// The last knowledge query's ranked result ids and how many were shown.
    public var results: [String] = []
    public var cursor: Int = 0
    /// How many items a page of the last answer shows.
    public var page: Int = 0
    /// Choices offered in the last reply, by number (Matrix, REPL).
    public var choices: [String] = []
    /// Active contexts and their remaining turns.
    public var contexts: [String: Int] = [:]
    /// How many turns the conversation has had.
    public var turn: Int = 0
    /// When the last turn happened (seconds since 1970).
    public var updatedAt: Double?
    /// The chat's country as the caller knows it (`IncomingMessage.country`).
    public var chatCountry: String?

    public init(language: Language? = nil) {
        self.language = language
    }

    var slotValues: Slots {
        var s: Slots = [:]
        for (k, v) in slots { if let name = SlotName(rawValue: k) { s[name] = v } }
        return s
    }

    mutating func setSlots(_ s: Slots) {
        slots = Dictionary(uniqueKeysWithValues: s.map { ($0.key.rawValue, $0.value) })
    }
}
