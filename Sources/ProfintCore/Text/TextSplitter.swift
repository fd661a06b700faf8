/// Splits plain text into the messages a channel accepts: at most `limit`
/// units each, as `size` counts a character (UTF-16 units for Telegram,
/// UTF-8 bytes for Matrix), cut preferably at a paragraph break, then a line
/// break, then a space, and only then anywhere between two characters
/// (never inside a grapheme cluster). Chunks are trimmed and never empty.
/// `size` must not count more than a character's UTF-8 bytes.
public enum TextSplitter {
    public static func split(_ text: String, limit: Int, size: (Character) -> Int) -> [String] {
        precondition(limit > 0, "limit must be positive")
        var rest = Substring(text).trimmingWhitespace()
        var chunks: [String] = []
        while !rest.isEmpty {
            // `size` never exceeds the UTF-8 bytes: a text that short is not counted further.
            if rest.utf8.count <= limit || rest.reduce(0, { $0 + size($1) }) <= limit {
                chunks.append(String(rest))
                break
            }
            let (chunk, remainder) = cut(rest, limit: limit, size: size)
            chunks.append(String(chunk))
            rest = remainder.trimmingWhitespace()
        }
        return chunks
    }

    /// A non-empty head of at most `limit` units (a single character longer
    /// than that goes alone) and the rest.
    static func cut(_ text: Substring, limit: Int, size: (Character) -> Int) -> (Substring, Substring) {
        // The longest prefix that fits, in whole characters.
        var end = text.startIndex
        var units = 0
        for index in text.indices {
            let width = size(text[index])
            if units + width > limit { break }
            units += width
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
