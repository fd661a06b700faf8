/// Escaping for `parse_mode: "HTML"`.
public enum TelegramHTML {
    /// Plain text as HTML text: `&`, `<` and `>` become entities (quotes
    /// need no escaping outside attributes).
    public static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            default: result.append(character)
            }
        }
        return result
    }
}
