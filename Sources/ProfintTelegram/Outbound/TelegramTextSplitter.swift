import ProfintCore

/// Splits plain text into messages Telegram accepts: at most `limit` UTF-16
/// code units each (what the Bot API counts after entity parsing), at the
/// best break (`TextSplitter`), never inside a surrogate pair.
public enum TelegramTextSplitter {
    public static let messageLimit = 4096

    public static func split(_ text: String, limit: Int = messageLimit) -> [String] {
        TextSplitter.split(text, limit: limit) { $0.utf16.count }
    }
}
