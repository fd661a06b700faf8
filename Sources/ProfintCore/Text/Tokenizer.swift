/// Splits normalized text into tokens.
///
/// Apostrophes split elisions ("l'accueil" → "l", "accueil";
/// "dell'ufficio" → "dell", "ufficio"); hyphens split compounds
/// ("burn-out" → "burn", "out"); clock times become one `HH:MM` token
/// ("8h30", "08:30", "8.30", "14h"); emoji become tokens of their own;
/// other punctuation separates words.
public enum Tokenizer {
    public static func tokenize(_ normalized: String) -> [Token] {
        if let tokens = normalized.utf8.withContiguousStorageIfAvailable({ bytes -> [Token] in
            bytes.allSatisfy({ $0 < 0x80 }) ? tokenizeASCII(bytes) : tokenizeUTF8(bytes, normalized)
        }) {
            return tokens
        }
        let scalars = Array(normalized.unicodeScalars)
        var tokens: [Token] = []
        var i = 0
        let n = scalars.count
        while i < n {
            let s = scalars[i]
            if isDigit(s) {
                if let (time, end) = readTime(scalars, i) {
                    tokens.append(Token(time, .time))
                    i = end
                    continue
                }
                var j = i
                var text = String.UnicodeScalarView()
                var hasLetter = false
                while j < n {
                    let c = scalars[j]
                    if isDigit(c) || isLetter(c) {
                        if isLetter(c) { hasLetter = true }
                        text.append(c)
                        j += 1
                    } else if (c == "." || c == ","), j + 1 < n, isDigit(scalars[j + 1]), !hasLetter {
                        text.append(c)
                        j += 1
                    } else {
                        break
                    }
                }
                tokens.append(Token(String(text), hasLetter ? .word : .number))
                i = j
            } else if isLetter(s) {
                var j = i
                var text = String.UnicodeScalarView()
                while j < n, isLetter(scalars[j]) || isDigit(scalars[j]) || isMark(scalars[j]) {
                    text.append(scalars[j])
                    j += 1
                }
                tokens.append(Token(String(text), .word))
                i = j
            } else if isEmoji(s) {
                tokens.append(Token(String(s), .emoji))
                i += 1
            } else {
                i += 1
            }
        }
        return tokens
    }

    /// The same rules on any text in contiguous UTF-8: scalars decoded
    /// once with their byte offsets, each token's text sliced from the bytes
    /// (a token is a run of consecutive scalars).
    static func tokenizeUTF8(_ bytes: UnsafeBufferPointer<UInt8>, _ normalized: String) -> [Token] {
        var scalars: [Unicode.Scalar] = []
        var offsets: [Int] = []
        scalars.reserveCapacity(bytes.count)
        offsets.reserveCapacity(bytes.count + 1)
        var offset = 0
        for scalar in normalized.unicodeScalars {
            scalars.append(scalar)
            offsets.append(offset)
            offset += UTF8.width(scalar)
        }
        offsets.append(offset)
        @inline(__always) func text(_ from: Int, _ to: Int) -> String {
            String(decoding: UnsafeBufferPointer(rebasing: bytes[offsets[from]..<offsets[to]]), as: UTF8.self)
        }
        var tokens: [Token] = []
        var i = 0
        let n = scalars.count
        while i < n {
            let s = scalars[i]
            if isDigit(s) {
                if let (time, end) = readTime(scalars, i) {
                    tokens.append(Token(time, .time))
                    i = end
                    continue
                }
                var j = i
                var hasLetter = false
                while j < n {
                    let c = scalars[j]
                    if isDigit(c) || isLetter(c) {
                        if isLetter(c) { hasLetter = true }
                        j += 1
                    } else if (c == "." || c == ","), j + 1 < n, isDigit(scalars[j + 1]), !hasLetter {
                        j += 1
                    } else {
                        break
                    }
                }
                tokens.append(Token(text(i, j), hasLetter ? .word : .number))
                i = j
            } else if isLetter(s) {
                var j = i
                while j < n, isLetter(scalars[j]) || isDigit(scalars[j]) || isMark(scalars[j]) {
                    j += 1
                }
                tokens.append(Token(text(i, j), .word))
                i = j
            } else if isEmoji(s) {
                tokens.append(Token(String(s), .emoji))
                i += 1
            } else {
                i += 1
            }
        }
        return tokens
    }

    /// The same rules on ASCII text, reading bytes (no scalar array, no
    /// scalar-by-scalar string building).
    static func tokenizeASCII(_ s: UnsafeBufferPointer<UInt8>) -> [Token] {
        @inline(__always) func digit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
        @inline(__always) func letter(_ c: UInt8) -> Bool { (c >= 97 && c <= 122) || (c >= 65 && c <= 90) }
        var tokens: [Token] = []
        var i = 0
        let n = s.count
        while i < n {
            let c = s[i]
            if digit(c) {
                if let (time, end) = readTimeASCII(s, i) {
                    tokens.append(Token(time, .time))
                    i = end
                    continue
                }
                var j = i
                var hasLetter = false
                while j < n {
                    let d = s[j]
                    if digit(d) || letter(d) {
                        if letter(d) { hasLetter = true }
                        j += 1
                    } else if (d == 46 || d == 44), j + 1 < n, digit(s[j + 1]), !hasLetter {
                        j += 1
                    } else {
                        break
                    }
                }
                tokens.append(Token(String(decoding: UnsafeBufferPointer(rebasing: s[i..<j]), as: UTF8.self), hasLetter ? .word : .number))
                i = j
            } else if letter(c) {
                var j = i
                while j < n, letter(s[j]) || digit(s[j]) { j += 1 }
                tokens.append(Token(String(decoding: UnsafeBufferPointer(rebasing: s[i..<j]), as: UTF8.self), .word))
                i = j
            } else {
                i += 1
            }
        }
        return tokens
    }

    /// `readTime` on ASCII bytes.
    private static func readTimeASCII(_ s: UnsafeBufferPointer<UInt8>, _ start: Int) -> (String, Int)? {
        @inline(__always) func digit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
        @inline(__always) func letter(_ c: UInt8) -> Bool { (c >= 97 && c <= 122) || (c >= 65 && c <= 90) }
        var i = start
        var hours = 0
        var digits = 0
        while i < s.count, digit(s[i]), digits < 3 {
            hours = hours * 10 + Int(s[i] - 48)
            digits += 1
            i += 1
        }
        guard digits >= 1, digits <= 2, i < s.count else { return nil }
        let sep = s[i]
        guard sep == 58 || sep == 104 || sep == 46 else { return nil } // : h .
        var j = i + 1
        var minutes = 0
        var minuteDigits = 0
        while j < s.count, digit(s[j]), minuteDigits < 3 {
            minutes = minutes * 10 + Int(s[j] - 48)
            minuteDigits += 1
            j += 1
        }
        if minuteDigits == 0 {
            guard sep == 104, j >= s.count || !letter(s[j]) else { return nil }
            guard hours < 24 else { return nil }
            return (format(hours, 0), j)
        }
        guard minuteDigits == 2, hours < 24, minutes < 60 else { return nil }
        if j < s.count, letter(s[j]) || digit(s[j]) { return nil }
        if sep == 46, j < s.count, s[j] == 46, j + 1 < s.count, digit(s[j + 1]) { return nil }
        return (format(hours, minutes), j)
    }

    /// Reads `H:MM`, `HH:MM`, `HHhMM`, `HHh`, `HH.MM` at `start`.
    private static func readTime(_ s: [Unicode.Scalar], _ start: Int) -> (String, Int)? {
        var i = start
        var hours = 0
        var digits = 0
        while i < s.count, isDigit(s[i]), digits < 3 {
            hours = hours * 10 + Int(s[i].value - 48)
            digits += 1
            i += 1
        }
        guard digits >= 1, digits <= 2, i < s.count else { return nil }
        let sep = s[i]
        guard sep == ":" || sep == "h" || sep == "." else { return nil }
        // "3.5" is a number, not a time: a dot needs exactly two digits after it.
        var j = i + 1
        var minutes = 0
        var minuteDigits = 0
        while j < s.count, isDigit(s[j]), minuteDigits < 3 {
            minutes = minutes * 10 + Int(s[j].value - 48)
            minuteDigits += 1
            j += 1
        }
        if minuteDigits == 0 {
            // "14h" alone, not followed by a letter ("14hours" is not a time).
            guard sep == "h", j >= s.count || !isLetter(s[j]) else { return nil }
            guard hours < 24 else { return nil }
            return (format(hours, 0), j)
        }
        guard minuteDigits == 2, hours < 24, minutes < 60 else { return nil }
        if j < s.count, isLetter(s[j]) || isDigit(s[j]) { return nil }
        if sep == ".", j < s.count, s[j] == ".", j + 1 < s.count, isDigit(s[j + 1]) { return nil }
        return (format(hours, minutes), j)
    }

    static func format(_ h: Int, _ m: Int) -> String {
        (h < 10 ? "0\(h)" : "\(h)") + ":" + (m < 10 ? "0\(m)" : "\(m)")
    }

    @inline(__always) static func isDigit(_ s: Unicode.Scalar) -> Bool {
        s.value >= 48 && s.value <= 57
    }

    @inline(__always) static func isLetter(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v < 0x80 { return (v >= 97 && v <= 122) || (v >= 65 && v <= 90) }
        // Latin-1 and Latin Extended-A letters (all alphabetic, none an emoji).
        if v >= 0xC0 && v <= 0x17F { return v != 0xD7 && v != 0xF7 }
        return s.properties.isAlphabetic && !isEmoji(s)
    }

    @inline(__always) static func isMark(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        return v >= 0x300 && v <= 0x36F
    }

    static func isEmoji(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        guard v >= 0x2190 else { return false }
        if v == 0xFE0F || v == 0x200D || (0x1F3FB...0x1F3FF).contains(v) { return false }
        return s.properties.isEmojiPresentation || (s.properties.isEmoji && v >= 0x2600)
    }
}
