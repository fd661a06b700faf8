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

    static let honorificTable = StringSet(honorifics.sorted())

    /// What was found, for the trace; empty when nothing was.
    public static func signals(in text: String, words: [String]? = nil) -> [String] {
        var found: [String] = []
        var hasUpper = false, hasDigit = false
        if let flags = text.utf8.withContiguousStorageIfAvailable({ bytes -> (Bool, Bool) in
            var upper = false, digit = false
            for i in bytes.indices {
                let u = bytes[i]
                if u >= 48 && u <= 57 { digit = true }
                if i > 0, u >= 65 && u <= 90 { upper = true }
            }
            return (upper, digit)
        }) {
            (hasUpper, hasDigit) = flags
        } else {
            var i = 0
            for u in text.utf8 {
                if u >= 48 && u <= 57 { hasDigit = true }
                if i > 0, u >= 65 && u <= 90 { hasUpper = true }
                i += 1
            }
        }
        // Raw words keep their case: a name is capitalised.
        if hasUpper {
            let raw = rawWords(text)
            for (i, word) in raw.enumerated() where i + 1 < raw.count {
                if cannotBeHonorific(word) { continue }
                // Dots and apostrophes dropped ("Mme.", "M'"), then normalized and folded.
                let stripped = word.utf8.contains { $0 == 46 || $0 == 39 || $0 == 0xE2 }
                    ? String(word.filter { $0 != "." && $0 != "'" && $0 != "’" }) : String(word)
                let bare = Folding.fold(Folding.normalize(stripped))
                guard honorificTable.contains(bare), word.first?.isUppercase == true || bare.count > 2 else { continue }
                let next = raw[i + 1]
                if let first = next.first, first.isUppercase, next.count <= 20, !next.allSatisfy({ $0.isUppercase && $0.isLetter && next.count > 3 }) {
                    found.append("name: \(word) \(next.prefix(1)).")
                }
            }
        }
        let tokens = words ?? Tokenizer.tokenize(Folding.normalize(text)).map { Folding.fold($0.text) }
        if hasDigit, containsFullDate(text) { found.append("date") }
        // One lookup per word: a birth word, or the first word of a file-number phrase.
        var fileStarts: [(start: Int, entry: Int)] = []
        for (i, t) in tokens.enumerated() {
            let entry = signalWords.find(t)
            guard entry >= 0 else { continue }
            let kind = signalWords.value(at: entry)
            if kind.birth {
                let rest = tokens.dropFirst(i + 1).prefix(3)
                // "née le …", "born on …", "nato a …", "född i …"
                if !rest.isEmpty, t != "ne" || rest.first == "le" || rest.first == "en" { found.append("birth") }
            }
            if kind.file >= 0 { fileStarts.append((i, kind.file)) }
        }
        // Every match adds the same signal, so the order of the search does not matter.
        for (start, entry) in fileStarts {
            for phrase in fileWordsByFirst.value(at: entry) where start + phrase.count <= tokens.count {
                var same = true
                for k in 1..<phrase.count where tokens[start + k] != phrase[k] {
                    same = false
                    break
                }
                if same { found.append("file number") }
            }
        }
        return found
    }

    /// Words that start a signal: birth words, first words of file-number
    /// phrases (with their entry in `fileWordsByFirst`, else -1).
    static let signalWords: StringTable<(birth: Bool, file: Int)> = {
        var table = StringTable<(birth: Bool, file: Int)>()
        for word in birthWords.sorted() { table[word] = (true, fileWordsByFirst.find(word)) }
        for first in fileWordsByFirst.keys where table[first] == nil { table[first] = (false, fileWordsByFirst.find(first)) }
        return table
    }()

    static let fileWordsByFirst: StringTable<[[String]]> = {
        var table = StringTable<[[String]]>()
        for phrase in fileWords { table[phrase[0]] = (table[phrase[0]] ?? []) + [phrase] }
        return table
    }()

    /// An ASCII word without its dots and apostrophes is its own folded
    /// form in lower case: no honorific is longer than 9 letters or starts
    /// with another letter than d, f, h, m or s.
    @inline(__always) static func cannotBeHonorific(_ word: Substring) -> Bool {
        word.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
            var count = 0
            var first: UInt8 = 0
            for b in bytes {
                if b >= 0x80 { return false }
                if b == 46 || b == 39 { continue }
                if count == 0 { first = b }
                count += 1
            }
            if count == 0 { return false }
            if count > 9 { return true }
            switch first | 0x20 {
            case 100, 102, 104, 109, 115: return false // d f h m s
            default: return true
            }
        } ?? false
    }

    /// The text split at spaces, new lines, tabs, commas, colons and
    /// semicolons (as `Character`s). On bytes when that gives the same
    /// words: no carriage return, and no separator next to a non-ASCII
    /// byte (a combining mark or a prepended character would join it to
    /// a neighbouring character).
    static func rawWords(_ text: String) -> [Substring] {
        @inline(__always) func separator(_ b: UInt8) -> Bool {
            b == 32 || b == 10 || b == 9 || b == 44 || b == 58 || b == 59
        }
        let utf8 = text.utf8
        let ranges = utf8.withContiguousStorageIfAvailable { bytes -> [Range<Int>]? in
            let n = bytes.count
            var ranges: [Range<Int>] = []
            var start = -1
            for i in 0..<n {
                let b = bytes[i]
                if b == 13 { return nil }
                if separator(b) {
                    if (i > 0 && bytes[i - 1] >= 0x80) || (i + 1 < n && bytes[i + 1] >= 0x80) { return nil }
                    if start >= 0 {
                        ranges.append(start..<i)
                        start = -1
                    }
                } else if start < 0 {
                    start = i
                }
            }
            if start >= 0 { ranges.append(start..<n) }
            return ranges
        }
        guard let found = ranges, let found else {
            return text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "," || $0 == ":" || $0 == ";" })
        }
        var words: [Substring] = []
        words.reserveCapacity(found.count)
        var index = utf8.startIndex
        var offset = 0
        for r in found {
            let lower = utf8.index(index, offsetBy: r.lowerBound - offset)
            let upper = utf8.index(lower, offsetBy: r.count)
            words.append(text[lower..<upper])
            index = upper
            offset = r.upperBound
        }
        return words
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
