/// A chat command: `/help`, `/lang sv`, `/subscribe 08:30 Europe/Rome`,
/// also `/help@profint_bot` in groups and `!help` in Matrix rooms.
public struct Command: Sendable, Hashable {
    public var name: String
    public var arguments: [String]

    public static let known: Set<String> = ["start", "help", "lang", "today", "subscribe", "unsubscribe", "forget", "about"]

    /// Parses a message that starts with `/` or `!`; nil for anything else.
    public static func parse(_ text: String) -> Command? {
        // Most messages: the first byte is neither a separator to skip nor "/" or "!".
        if let first = text.utf8.first, first < 0x80,
           first != UInt8(ascii: " "), first != UInt8(ascii: "\n"), first != UInt8(ascii: "\t"),
           first != UInt8(ascii: "/"), first != UInt8(ascii: "!") {
            return nil
        }
        let trimmed = text.drop(while: { $0 == " " || $0 == "\n" || $0 == "\t" })
        guard let first = trimmed.first, first == "/" || first == "!" else { return nil }
        let parts = trimmed.dropFirst().split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" })
        guard let head = parts.first, !head.isEmpty else { return nil }
        var name = String(head)
        if let at = name.firstIndex(of: "@") { name = String(name[..<at]) }
        name = name.lowercased()
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0 == "_" }) else { return nil }
        return Command(name: name, arguments: parts.dropFirst().map(String.init))
    }

    /// The catalogue intent a known command stands for.
    public var intent: String? {
        switch name {
        case "start", "help": "help"
        case "lang": "language.set"
        case "today": "prompts.today"
        case "subscribe": "prompts.subscribe"
        case "unsubscribe": "prompts.unsubscribe"
        case "forget": "privacy.forget"
        case "about": "profint.about"
        default: nil
        }
    }
}
