/// What the user sees: text, choices (buttons or numbered options) and the
/// knowledge items cited.
public struct Reply: Sendable, Hashable, Codable {
    public var text: String
    public var choices: [Choice]
    public var resources: [String]

    public init(text: String, choices: [Choice] = [], resources: [String] = []) {
        self.text = text
        self.choices = choices
        self.resources = resources
    }
}

/// A next step offered to the user. `payload` comes back as
/// `IncomingMessage.choice` when chosen: `intent:<id>`, `item:<id>`,
/// `related:<id>`, `group:<value>`, `country:<value>`.
public struct Choice: Sendable, Hashable, Codable {
    public var label: String
    public var payload: String

    public init(label: String, payload: String) {
        self.label = label
        self.payload = payload
    }
}

/// A message from a user: typed text, or a choice they picked.
public struct IncomingMessage: Sendable, Hashable {
    public var text: String
    public var choice: String?
    /// The chat's country when the caller knows it from outside the
    /// conversation (the time zone of its prompt subscription): safety
    /// replies use it when neither the message nor the conversation names one.
    public var country: String?

    public init(text: String, choice: String? = nil, country: String? = nil) {
        self.text = text
        self.choice = choice
        self.country = country
    }

    public static func choice(_ payload: String) -> IncomingMessage {
        IncomingMessage(text: "", choice: payload)
    }
}
