import Foundation

/// Finds and removes mentions of the bot in a message text.
enum TelegramMentions {
    /// The ranges of `text` that mention the bot, in order: `mention`
    /// entities equal to "@username" (any case) and `text_mention` entities
    /// of the bot's id. Without entities at all (hand-built updates), a
    /// whole-word "@username" is searched for in the text instead.
    static func ranges(in text: String, entities: [TelegramMessageEntity]?, bot: TelegramBotIdentity)
        -> [Range<String.Index>] {
        let handle = "@" + bot.normalizedUsername
        guard let entities else {
            return textualRanges(of: handle, in: text)
        }
        let found = entities.compactMap { entity -> Range<String.Index>? in
            guard let range = entity.range(in: text) else { return nil }
            switch entity.type {
            case "mention": return text[range].lowercased() == handle ? range : nil
            case "text_mention": return entity.user?.id == bot.id ? range : nil
            default: return nil
            }
        }
        return found.sorted { $0.lowerBound < $1.lowerBound }
    }

    static func textualRanges(of handle: String, in text: String) -> [Range<String.Index>] {
        var result: [Range<String.Index>] = []
        var searchStart = text.startIndex
        while let range = text.range(of: handle, options: .caseInsensitive, range: searchStart..<text.endIndex) {
            let before = range.lowerBound > text.startIndex ? text[text.index(before: range.lowerBound)] : nil
            let after = range.upperBound < text.endIndex ? text[range.upperBound] : nil
            if before.map(isWordCharacter) != true && after.map(isWordCharacter) != true {
                result.append(range)
            }
            searchStart = range.upperBound
        }
        return result
    }

    /// `text` without `ranges` (sorted, not overlapping) and the "," or ":"
    /// right after each ("@bot, how…" → "how…", "Ciao @bot, come…" →
    /// "Ciao come…"), the blanks left behind collapsed, trimmed.
    static func removing(_ ranges: [Range<String.Index>], from text: String) -> String {
        var result = ""
        var cursor = text.startIndex
        for range in ranges where range.lowerBound >= cursor {
            appendCollapsing(text[cursor..<range.lowerBound], to: &result)
            cursor = range.upperBound
            if cursor < text.endIndex, text[cursor] == "," || text[cursor] == ":" {
                cursor = text.index(after: cursor)
            }
        }
        appendCollapsing(text[cursor...], to: &result)
        return result.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private static func appendCollapsing(_ piece: Substring, to result: inout String) {
        if result.last?.isWhitespace == true {
            result += piece.drop(while: { $0 == " " })
        } else {
            result += piece
        }
    }

    static func isWordCharacter(_ character: Character) -> Bool {
        character == "_" || (character.isASCII && (character.isLetter || character.isNumber))
    }
}
