/// Reads a clock time from a message, in any of the four languages:
/// "08:30", "8h30", "8.30", "kl 8.15", "at 9", "alle 14", "à 9h",
/// "1:30 pm", "9am", "noon". Returns `HH:MM` (24-hour) or nil: a time is
/// never guessed from "every morning".
public enum TimeParser {
    static let hourCues: Set<String> = ["at", "a", "alle", "all", "ore", "kl", "klockan", "vers", "verso", "around", "om", "till", "by", "dalle", "des", "from"]
    static let pm: Set<String> = ["pm", "p"]
    static let am: Set<String> = ["am"]
    static let hourWords: Set<String> = ["heure", "heures", "h", "ore", "oclock", "o", "uhr", "hours"]
    static let noon: Set<String> = ["noon", "midday", "midi", "mezzogiorno", "lunch", "lunchtid"]

    public static func time(in tokens: [Token]) -> String? {
        for (i, token) in tokens.enumerated() {
            let next = i + 1 < tokens.count ? Folding.fold(tokens[i + 1].text) : ""
            switch token.kind {
            case .time:
                let parts = token.text.split(separator: ":")
                guard parts.count == 2, var h = Int(parts[0]), let m = Int(parts[1]) else { continue }
                if pm.contains(next), h < 12 { h += 12 }
                if am.contains(next), h == 12 { h = 0 }
                return Tokenizer.format(h, m)
            case .number:
                guard let h = Int(token.text), h <= 24 else { continue }
                let previous = i > 0 ? Folding.fold(tokens[i - 1].text) : ""
                if pm.contains(next) { return Tokenizer.format(h < 12 ? h + 12 : h, 0) }
                if am.contains(next) { return Tokenizer.format(h == 12 ? 0 : h, 0) }
                if hourCues.contains(previous) || hourWords.contains(next), h < 24 { return Tokenizer.format(h, 0) }
            case .word:
                let w = Folding.fold(token.text)
                if noon.contains(w) { return "12:00" }
                // "9am", "1pm"
                if w.hasSuffix("am") || w.hasSuffix("pm"), let h = Int(w.dropLast(2)), h >= 1, h <= 12 {
                    let hour = w.hasSuffix("pm") ? (h == 12 ? 12 : h + 12) : (h == 12 ? 0 : h)
                    return Tokenizer.format(hour, 0)
                }
            case .emoji:
                continue
            }
        }
        return nil
    }
}
