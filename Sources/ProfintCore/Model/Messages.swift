/// The texts said outside any intent (`Intents/messages.yml`), by key and
/// language, each with its variations.
public struct Messages: Sendable, Hashable {
    public var texts: [String: [Language: [String]]]

    public init(texts: [String: [Language: [String]]] = [:]) {
        self.texts = texts
    }

    /// The keys the engine and the channels use.
    public static let requiredKeys = [
        "fallback", "clarify", "ask_country", "nothing_more", "no_results", "related_intro",
        "text_only", "empty_message", "too_long", "unknown_command", "lang_usage",
        "subscribe_invalid_time", "subscribe_invalid_timezone", "status_subscribed",
        "status_not_subscribed", "introduction", "choice_related", "choice_narrow_group",
        "choice_narrow_country", "prompt_ack", "encrypted_room", "personal_data_notice", "safety_which_country", "no_specific",
    ]

    /// One variation of a message, chosen by `seed`, with `{placeholders}` filled.
    public func text(_ key: String, _ language: Language, seed: Int = 0, _ values: [String: String] = [:]) -> String {
        let variants = texts[key]?[language] ?? texts[key]?[.en] ?? []
        guard !variants.isEmpty else { return "" }
        let chosen = variants[abs(seed) % variants.count]
        return Template.fill(chosen, values)
    }
}

/// `{name}` placeholder filling.
public enum Template {
    public static func fill(_ template: String, _ values: [String: String]) -> String {
        guard !values.isEmpty, Folding.contains(UInt8(ascii: "{"), in: template) else { return template }
        var result = ""
        var rest = template[...]
        while let open = rest.firstIndex(of: "{") {
            result += rest[..<open]
            let after = rest.index(after: open)
            if let close = rest[after...].firstIndex(of: "}"), let value = values[String(rest[after..<close])] {
                result += value
                rest = rest[rest.index(after: close)...]
            } else {
                result += "{"
                rest = rest[after...]
            }
        }
        result += rest
        return result
    }
}
