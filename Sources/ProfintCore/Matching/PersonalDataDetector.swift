/// Spots personal data about an identified person in a message: an
/// honorific with a name ("Mme D.", "Mr Haddad", "signora Rossi"), a date of
/// birth or any full date, "born/née/nato/född", a file or case number. Such
/// a message is about one person's case: the bot refers and asks not to
/// share personal data (`safety.individual_case`).
public enum PersonalDataDetector {
    static let honorifics: Set<String> = [
        "mr", "mrs", "ms", "miss", "mme", "mlle", "m", "monsieur", "madame", "sig", "sigra", "signor", "signora",
        "signorina", "herr", "fru", "fröken", "froken", "dr",
    ]
    static let birthWords: Set<String> = ["born", "nee", "ne", "nata", "nato", "fodd", "född"]
    static let fileWords: [[String]] = [
        ["case", "no"], ["case", "number"], ["file", "number"], ["file", "no"], ["dossier", "n"], ["numero", "de", "dossier"],
        ["numero", "di", "pratica"], ["pratica", "n"], ["arendenummer"], ["personnummer"], ["codice", "fiscale"],
    ]

    /// What was found, for the trace; empty when nothing was.
    public static func signals(in text: String, words: [String]? = nil) -> [String] {
        var found: [String] = []
        var hasUpper = false, hasDigit = false
        for (i, u) in text.utf8.enumerated() {
            if u >= 48 && u <= 57 { hasDigit = true }
            if i > 0, u >= 65 && u <= 90 { hasUpper = true }
        }
        // Raw words keep their case: a name is capitalised.
        let raw = !hasUpper ? [] : text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "," || $0 == ":" || $0 == ";" })
            .map { String($0) }
        for (i, word) in raw.enumerated() where i + 1 < raw.count {
            let bare = Folding.fold(Folding.normalize(String(word.filter { $0 != "." && $0 != "'" && $0 != "’" })))
            guard honorifics.contains(bare), word.first?.isUppercase == true || bare.count > 2 else { continue }
            let next = raw[i + 1]
            if let first = next.first, first.isUppercase, next.count <= 20, !next.allSatisfy({ $0.isUppercase && $0.isLetter && next.count > 3 }) {
                found.append("name: \(word) \(next.prefix(1)).")
            }
        }
        let tokens = words ?? Tokenizer.tokenize(Folding.normalize(text)).map { Folding.fold($0.text) }
        if hasDigit, containsFullDate(text) { found.append("date") }
        for (i, t) in tokens.enumerated() where birthWords.contains(t) {
            let rest = tokens.dropFirst(i + 1).prefix(3)
            // "née le …", "born on …", "nato a …", "född i …"
            if !rest.isEmpty, t != "ne" || rest.first == "le" || rest.first == "en" { found.append("birth") }
        }
        for phrase in fileWords where tokens.count >= phrase.count {
            for start in 0...(tokens.count - phrase.count) where Array(tokens[start..<(start + phrase.count)]) == phrase {
                found.append("file number")
            }
        }
        return found
    }

    /// dd/mm/yyyy, dd.mm.yyyy, dd-mm-yyyy or yyyy-mm-dd.
    static func containsFullDate(_ text: String) -> Bool {
        let chars = Array(text.unicodeScalars)
        var i = 0
        func digits(_ at: Int) -> Int {
            var j = at
            while j < chars.count, chars[j].value >= 48, chars[j].value <= 57 { j += 1 }
            return j - at
        }
        while i < chars.count {
            let a = digits(i)
            if a > 0 {
                var j = i + a
                var groups = [a]
                while groups.count < 3, j < chars.count, ["/", ".", "-"].contains(chars[j]) {
                    let n = digits(j + 1)
                    guard n > 0 else { break }
                    groups.append(n)
                    j += 1 + n
                }
                if groups == [2, 2, 4] || groups == [1, 2, 4] || groups == [2, 1, 4] || groups == [1, 1, 4] || groups == [4, 2, 2] {
                    return true
                }
                i = j
            } else {
                i += 1
            }
        }
        return false
    }
}
