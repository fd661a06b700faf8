import ProfintCore

/// Escaping for `parse_mode: "HTML"`.
public enum TelegramHTML {
    /// Plain text as HTML text: `&`, `<` and `>` become entities (quotes
    /// need no escaping outside attributes).
    public static func escape(_ text: String) -> String {
        HTMLText.escape(text)
    }
}
