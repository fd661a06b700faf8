/// Splits plain text into messages Telegram accepts: at most `limit` UTF-16
/// code units each (what the Bot API counts after entity parsing), cut
/// preferably at a paragraph break, then a line break, then a space, and
/// only then anywhere between two characters (never inside a grapheme
/// cluster, so never inside a surrogate pair). Chunks are trimmed and
/// never empty.
public enum TelegramTextSplitter {
    public static let messageLimit = 4096

    public static func split(_ text: String, limit: Int = messageLimit) -> [String] {
        precondition(limit > 0, "limit must be positive")
        var rest = Substring(text).trimmingWhitespace()
        var chunks: [String] = []
        while !rest.isEmpty {
            if rest.utf16.count <= limit {
                chunks.append(String(rest))
                break
            }
            let (chunk, remainder) = cut(rest, limit: limit)
            chunks.append(String(chunk))
            rest = remainder.trimmingWhitespace()
        }
        return chunks
    }

    /// A non-empty head of at most `limit` UTF-16 units (a single character
    /// longer than that goes alone) and the rest.
    static func cut(_ text: Substring, limit: Int) -> (Substring, Substring) {
        // The longest prefix that fits, in whole characters.
        var end = text.startIndex
        var units = 0
        for index in text.indices {
            let size = text[index].utf16.count
            if units + size > limit { break }
            units += size
            end = text.index(after: index)
        }
        if end == text.startIndex {
            end = text.index(after: text.startIndex)
        }
        let window = text[text.startIndex..<end]
        let half = text.index(text.startIndex, offsetBy: window.count / 2)
        let separators: [(Substring) -> Range<Substring.Index>?] = [
            { $0.lastParagraphBreak() },
            { $0.lastIndex(where: \.isNewline).map { $0..<$0 } },
            { $0.lastIndex(where: { $0.isWhitespace && !$0.isNewline }).map { $0..<$0 } },
        ]
        // A good break in the second half of the window, else any break.
        for minimum in [half, text.startIndex] {
            for separator in separators {
                if let range = separator(window), range.lowerBound >= minimum {
                    let head = text[text.startIndex..<range.lowerBound].trimmingWhitespace()
                    if !head.isEmpty {
                        return (head, text[range.lowerBound...])
                    }
                }
            }
        }
        return (window, text[end...])
    }
}
