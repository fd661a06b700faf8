import Foundation
import ProfintCore

/// Mentions of the bot in a message, and the text without them.
public enum MatrixMentions {
    /// Whether the message mentions the bot: in `m.mentions.user_ids`, by its
    /// user id or display name in the text, or as a pill (a matrix.to link)
    /// in the HTML body.
    public static func mentions(bot: MatrixBotIdentity, displayName: String, content: MatrixJSON, text: String,
                                formattedBody: String?) -> Bool {
        if let ids = content["m.mentions"]?["user_ids"]?.array, ids.contains(where: { $0.string == bot.userID }) {
            return true
        }
        if text.range(of: bot.userID, options: .caseInsensitive) != nil { return true }
        if !displayName.isEmpty, containsWord(displayName, in: text) { return true }
        if leadingName(bot: bot, displayName: displayName, in: text) != nil { return true }
        if let html = formattedBody {
            let link = "matrix.to/#/" + bot.userID
            let encoded = "matrix.to/#/" + (bot.userID.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? bot.userID)
            if html.contains(link) || html.contains(encoded) { return true }
        }
        return false
    }

    /// The text without the bot's user id (anywhere), its display name
    /// (anywhere) and its name at the start ("profint: …", "@profint, …").
    public static func removing(bot: MatrixBotIdentity, displayName: String, from text: String) -> String {
        var result = text.replacingOccurrences(of: bot.userID, with: " ", options: .caseInsensitive)
        if !displayName.isEmpty {
            result = result.replacingOccurrences(of: displayName, with: " ", options: .caseInsensitive)
        }
        if let range = leadingName(bot: bot, displayName: displayName, in: result) {
            result.removeSubrange(range)
        }
        // What separated the name from the question.
        var trimmed = result.trimmingCharacters(in: .whitespaces)
        while let first = trimmed.first, [":", ",", "-", "—"].contains(first) {
            trimmed.removeFirst()
            trimmed = trimmed.trimmingCharacters(in: .whitespaces)
        }
        return trimmed
    }

    /// The range of the bot's localpart ("profint" or "@profint") at the start
    /// of the text, followed by a separator or the end.
    static func leadingName(bot: MatrixBotIdentity, displayName: String, in text: String) -> Range<String.Index>? {
        let trimmed = text.drop(while: { $0.isWhitespace })
        for name in ["@" + bot.localpart, bot.localpart] {
            guard trimmed.lowercased().hasPrefix(name.lowercased()) else { continue }
            let end = trimmed.index(trimmed.startIndex, offsetBy: name.count)
            if end == trimmed.endIndex { return trimmed.startIndex..<end }
            let next = trimmed[end]
            if [":", ",", " ", "\n"].contains(next) { return trimmed.startIndex..<end }
        }
        return nil
    }

    static func containsWord(_ word: String, in text: String) -> Bool {
        var searchRange = text.startIndex..<text.endIndex
        while let found = text.range(of: word, options: .caseInsensitive, range: searchRange) {
            let before = found.lowerBound == text.startIndex ? nil : text[text.index(before: found.lowerBound)]
            let after = found.upperBound == text.endIndex ? nil : text[found.upperBound]
            let isBoundary: (Character?) -> Bool = { $0 == nil || !($0!.isLetter || $0!.isNumber) }
            if isBoundary(before), isBoundary(after) { return true }
            searchRange = found.upperBound..<text.endIndex
        }
        return false
    }

    /// The body without a reply fallback (the "> <@user> quoted" lines and
    /// the blank line after them), and the quoted sender if there was one.
    public static func strippingReplyFallback(_ body: String) -> (text: String, quotedSender: String?) {
        guard body.hasPrefix("> ") else { return (body, nil) }
        var lines = body.split(separator: "\n", omittingEmptySubsequences: false)[...]
        var sender: String?
        if let first = lines.first, first.hasPrefix("> <"), let close = first.firstIndex(of: ">", after: 3) {
            sender = String(first[first.index(first.startIndex, offsetBy: 3)..<close])
        }
        while let line = lines.first, line.hasPrefix(">") { lines.removeFirst() }
        while let line = lines.first, line.trimmingCharacters(in: .whitespaces).isEmpty { lines.removeFirst() }
        return (lines.joined(separator: "\n"), sender)
    }
}

private extension Substring {
    func firstIndex(of character: Character, after offset: Int) -> Index? {
        guard count > offset else { return nil }
        return self[index(startIndex, offsetBy: offset)...].firstIndex(of: character)
    }
}
