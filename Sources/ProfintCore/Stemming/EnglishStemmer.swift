/// The Snowball English ("Porter2") stemmer, written from the published
/// algorithm description (Snowball 3 revision: `past`/`univers`/`later`/
/// `emerg`/`organ`/`inter` region exceptions, `-ogist`, and the `-eed`/`-ing`
/// exceptions handled inside step 1b).
///
/// The word is processed as an array of Unicode scalar values held in a
/// temporary stack buffer, so one call does no heap work apart from building
/// the returned string.
public struct EnglishStemmer: Stemmer {
    public init() {}

    public func stem(_ word: String) -> String {
        let utf8Count = word.utf8.count
        // Words of fewer than three letters are left alone (checked before
        // anything else, so "'s" stays "'s").
        if utf8Count < 3 { return word }
        // Whole-word exceptions.
        if utf8Count <= 6, let special = englishException(word) { return special }

        // Room for the scalars plus the one letter step 1b may add.
        let capacity = utf8Count + 2
        return withUnsafeTemporaryAllocation(of: UInt32.self, capacity: capacity) { buffer in
            let base = buffer.baseAddress!
            var n = 0
            for scalar in word.unicodeScalars {
                base[n] = scalar.value
                n += 1
            }
            if n < 3 { return word }
            var w = EnglishWord(s: base, n: n)
            w.run()
            return englishMakeString(base, w.n)
        }
    }
}

// MARK: - Letters

private let englishA: UInt32 = 0x61       // a
private let englishE: UInt32 = 0x65       // e
private let englishI: UInt32 = 0x69       // i
private let englishL: UInt32 = 0x6C       // l
private let englishS: UInt32 = 0x73       // s
private let englishT: UInt32 = 0x74       // t
private let englishY: UInt32 = 0x79       // y
private let englishCapY: UInt32 = 0x59    // Y (consonant y marker)
private let englishApostrophe: UInt32 = 0x27

@inline(__always)
private func englishIsVowel(_ c: UInt32) -> Bool {
    switch c {
    case 0x61, 0x65, 0x69, 0x6F, 0x75, 0x79: return true  // a e i o u y
    default: return false
    }
}

/// Non-vowel other than w, x and Y (the last letter of a short syllable).
@inline(__always)
private func englishIsNonVowelWXY(_ c: UInt32) -> Bool {
    if englishIsVowel(c) { return false }
    return c != 0x77 && c != 0x78 && c != englishCapY
}

/// c d e g h k m n r t
@inline(__always)
private func englishIsValidLiEnding(_ c: UInt32) -> Bool {
    switch c {
    case 0x63, 0x64, 0x65, 0x67, 0x68, 0x6B, 0x6D, 0x6E, 0x72, 0x74: return true
    default: return false
    }
}

/// bb dd ff gg mm nn pp rr tt (the letter that is doubled)
@inline(__always)
private func englishIsDoubleLetter(_ c: UInt32) -> Bool {
    switch c {
    case 0x62, 0x64, 0x66, 0x67, 0x6D, 0x6E, 0x70, 0x72, 0x74: return true
    default: return false
    }
}

// MARK: - Whole-word exceptions

private func englishException(_ word: String) -> String? {
    switch word {
    case "skis": return "ski"
    case "skies": return "sky"
    case "idly": return "idl"
    case "gently": return "gentl"
    case "ugly": return "ugli"
    case "early": return "earli"
    case "only": return "onli"
    case "singly": return "singl"
    case "sky", "news", "howe", "atlas", "cosmos", "bias", "andes": return word
    default: return nil
    }
}

// MARK: - Working word

private struct EnglishWord {
    let s: UnsafeMutablePointer<UInt32>
    var n: Int
    var p1 = 0
    var p2 = 0
    var yFound = false

    init(s: UnsafeMutablePointer<UInt32>, n: Int) {
        self.s = s
        self.n = n
    }

    // MARK: helpers

    /// Does the word (up to `end`) end with the ASCII string `suffix`?
    @inline(__always)
    func ends(_ suffix: StaticString, at end: Int) -> Bool {
        let k = suffix.utf8CodeUnitCount
        if k > end { return false }
        let p = suffix.utf8Start
        let start = end - k
        for i in 0..<k where s[start + i] != UInt32(p[i]) {
            return false
        }
        return true
    }

    @inline(__always)
    func ends(_ suffix: StaticString) -> Bool { ends(suffix, at: n) }

    /// Is the word part before `end` exactly `prefix`?
    @inline(__always)
    func isExactly(_ prefix: StaticString, upTo end: Int) -> Bool {
        prefix.utf8CodeUnitCount == end && ends(prefix, at: end)
    }

    @inline(__always)
    func startsWith(_ prefix: StaticString) -> Bool {
        let k = prefix.utf8CodeUnitCount
        if k > n { return false }
        let p = prefix.utf8Start
        for i in 0..<k where s[i] != UInt32(p[i]) {
            return false
        }
        return true
    }

    /// Is there a vowel somewhere in s[0..<end]?
    @inline(__always)
    func hasVowel(before end: Int) -> Bool {
        var i = end - 1
        while i >= 0 {
            if englishIsVowel(s[i]) { return true }
            i -= 1
        }
        return false
    }

    /// Does the word part s[0..<end] end in a short syllable?
    func endsWithShortSyllable(_ end: Int) -> Bool {
        if end >= 3 {
            if englishIsNonVowelWXY(s[end - 1]) && englishIsVowel(s[end - 2]) && !englishIsVowel(s[end - 3]) {
                return true
            }
        }
        if end == 2 {
            if !englishIsVowel(s[1]) && englishIsVowel(s[0]) { return true }
        }
        return ends("past", at: end)
    }

    @inline(__always)
    mutating func append(_ c: UInt32) {
        s[n] = c
        n += 1
    }

    // MARK: algorithm

    mutating func run() {
        prelude()
        markRegions()
        step1a()
        step1b()
        step1c()
        step2()
        step3()
        step4()
        step5()
        if yFound {
            for i in 0..<n where s[i] == englishCapY { s[i] = englishY }
        }
    }

    mutating func prelude() {
        if s[0] == englishApostrophe {
            for i in 1..<n { s[i - 1] = s[i] }
            n -= 1
        }
        if n == 0 { return }
        if s[0] == englishY {
            s[0] = englishCapY
            yFound = true
        }
        if n >= 2 {
            for i in 1..<n where s[i] == englishY && englishIsVowel(s[i - 1]) {
                s[i] = englishCapY
                yFound = true
            }
        }
    }

    /// Position just after the first non-vowel that follows a vowel,
    /// searching from `from`; `n` if there is none.
    @inline(__always)
    func regionStart(from: Int) -> Int {
        var i = from
        while i < n && !englishIsVowel(s[i]) { i += 1 }
        if i >= n { return n }
        i += 1
        while i < n && englishIsVowel(s[i]) { i += 1 }
        if i >= n { return n }
        return i + 1
    }

    mutating func markRegions() {
        if startsWith("gener") || startsWith("arsen") || startsWith("later")
            || startsWith("emerg") || startsWith("organ") || startsWith("inter") {
            p1 = 5
        } else if startsWith("commun") {
            p1 = 6
        } else if startsWith("univers") {
            p1 = 7
        } else if startsWith("past") {
            p1 = 4
        } else {
            p1 = regionStart(from: 0)
        }
        p2 = p1 >= n ? n : regionStart(from: p1)
    }

    mutating func step1a() {
        // Possessive apostrophe endings.
        if n >= 3 && ends("'s'") {
            n -= 3
        } else if n >= 2 && ends("'s") {
            n -= 2
        } else if n >= 1 && s[n - 1] == englishApostrophe {
            n -= 1
        }
        if n == 0 { return }

        if ends("sses") {
            n -= 2
        } else if ends("ied") || ends("ies") {
            // More than one letter before: -> "i", otherwise -> "ie".
            n -= (n - 3 >= 2) ? 2 : 1
        } else if ends("us") || ends("ss") {
            // Leave alone.
        } else if s[n - 1] == englishS {
            // Delete if a vowel occurs before the letter preceding the s.
            if n >= 2 && hasVowel(before: n - 2) {
                n -= 1
            }
        }
    }

    mutating func step1b() {
        var k = 0          // suffix length
        var isEed = false
        var isPlainIng = false
        if ends("eedly") {
            k = 5; isEed = true
        } else if ends("edly") {
            k = 4
        } else if ends("eed") {
            k = 3; isEed = true
        } else if ends("ed") {
            k = 2
        } else if ends("ingly") {
            k = 5
        } else if ends("ing") {
            k = 3; isPlainIng = true
        } else {
            return
        }
        let start = n - k

        if isEed {
            if isExactly("proc", upTo: start) || isExactly("exc", upTo: start)
                || isExactly("succ", upTo: start) {
                return
            }
            if start >= p1 { n = start + 2 }   // -> "ee"
            return
        }

        if isPlainIng {
            // dying -> die, lying -> lie, tying -> tie, vying -> vie
            if start == 2 && s[1] == englishY && !englishIsVowel(s[0]) {
                s[1] = englishI
                s[2] = englishE
                n = 3
                return
            }
            if isExactly("inn", upTo: start) || isExactly("out", upTo: start)
                || isExactly("cann", upTo: start) || isExactly("herr", upTo: start)
                || isExactly("earr", upTo: start) || isExactly("even", upTo: start) {
                return
            }
        }

        // ed edly ing ingly: delete if the preceding part contains a vowel.
        if !hasVowel(before: start) { return }
        n = start
        if n >= 2 && (ends("at") || ends("bl") || ends("iz")) {
            append(englishE)
        } else if n >= 2 && s[n - 1] == s[n - 2] && englishIsDoubleLetter(s[n - 1]) {
            // Not if preceded by exactly a, e or o (add, egg, off).
            let c = s[0]
            if !(n == 3 && (c == 0x61 || c == 0x65 || c == 0x6F)) {
                n -= 1
            }
        } else if n == p1 && endsWithShortSyllable(n) {
            append(englishE)
        }
    }

    mutating func step1c() {
        if n < 3 { return }
        let c = s[n - 1]
        if (c == englishY || c == englishCapY) && !englishIsVowel(s[n - 2]) {
            s[n - 1] = englishI
        }
    }

    /// Replace the last `k` letters with `replacement`.
    @inline(__always)
    mutating func replace(_ k: Int, with replacement: StaticString) {
        n -= k
        let p = replacement.utf8Start
        for i in 0..<replacement.utf8CodeUnitCount { append(UInt32(p[i])) }
    }

    mutating func step2() {
        if n < 3 { return }
        switch s[n - 1] {
        case 0x6C: // l
            if ends("ational") {
                if n - 7 >= p1 { replace(7, with: "ate") }
            } else if ends("tional") {
                if n - 6 >= p1 { replace(6, with: "tion") }
            }
        case 0x69: // i
            if ends("lessli") {
                if n - 6 >= p1 { replace(6, with: "less") }
            } else if ends("entli") {
                if n - 5 >= p1 { replace(5, with: "ent") }
            } else if ends("ousli") {
                if n - 5 >= p1 { replace(5, with: "ous") }
            } else if ends("fulli") {
                if n - 5 >= p1 { replace(5, with: "ful") }
            } else if ends("abli") {
                if n - 4 >= p1 { replace(4, with: "able") }
            } else if ends("alli") {
                if n - 4 >= p1 { replace(4, with: "al") }
            } else if ends("bli") {
                if n - 3 >= p1 { replace(3, with: "ble") }
            } else if ends("li") {
                if n - 2 >= p1 && englishIsValidLiEnding(s[n - 3]) { n -= 2 }
            } else if ends("biliti") {
                if n - 6 >= p1 { replace(6, with: "ble") }
            } else if ends("aliti") {
                if n - 5 >= p1 { replace(5, with: "al") }
            } else if ends("iviti") {
                if n - 5 >= p1 { replace(5, with: "ive") }
            } else if ends("enci") {
                if n - 4 >= p1 { replace(4, with: "ence") }
            } else if ends("anci") {
                if n - 4 >= p1 { replace(4, with: "ance") }
            } else if ends("ogi") {
                if n - 3 >= p1 && n >= 4 && s[n - 4] == englishL { replace(3, with: "og") }
            }
        case 0x72: // r
            if ends("izer") {
                if n - 4 >= p1 { replace(4, with: "ize") }
            } else if ends("ator") {
                if n - 4 >= p1 { replace(4, with: "ate") }
            }
        case 0x6E: // n
            if ends("ization") {
                if n - 7 >= p1 { replace(7, with: "ize") }
            } else if ends("ation") {
                if n - 5 >= p1 { replace(5, with: "ate") }
            }
        case 0x6D: // m
            if ends("alism") {
                if n - 5 >= p1 { replace(5, with: "al") }
            }
        case 0x73: // s
            if ends("fulness") {
                if n - 7 >= p1 { replace(7, with: "ful") }
            } else if ends("ousness") {
                if n - 7 >= p1 { replace(7, with: "ous") }
            } else if ends("iveness") {
                if n - 7 >= p1 { replace(7, with: "ive") }
            }
        case 0x74: // t
            if ends("ogist") {
                if n - 5 >= p1 { replace(5, with: "og") }
            }
        default:
            break
        }
    }

    mutating func step3() {
        if n < 3 { return }
        switch s[n - 1] {
        case 0x6C: // l
            if ends("ational") {
                if n - 7 >= p1 { replace(7, with: "ate") }
            } else if ends("tional") {
                if n - 6 >= p1 { replace(6, with: "tion") }
            } else if ends("ical") {
                if n - 4 >= p1 { replace(4, with: "ic") }
            } else if ends("ful") {
                if n - 3 >= p1 { n -= 3 }
            }
        case 0x65: // e
            if ends("alize") {
                if n - 5 >= p1 { replace(5, with: "al") }
            } else if ends("icate") {
                if n - 5 >= p1 { replace(5, with: "ic") }
            } else if ends("ative") {
                if n - 5 >= p1 && n - 5 >= p2 { n -= 5 }
            }
        case 0x69: // i
            if ends("iciti") {
                if n - 5 >= p1 { replace(5, with: "ic") }
            }
        case 0x73: // s
            if ends("ness") {
                if n - 4 >= p1 { n -= 4 }
            }
        default:
            break
        }
    }

    mutating func step4() {
        if n < 2 { return }
        var k = 0
        switch s[n - 1] {
        case 0x6C: // l
            if ends("al") { k = 2 }
        case 0x65: // e
            if ends("ance") || ends("ence") || ends("able") || ends("ible") {
                k = 4
            } else if ends("ate") || ends("ive") || ends("ize") {
                k = 3
            }
        case 0x72: // r
            if ends("er") { k = 2 }
        case 0x63: // c
            if ends("ic") { k = 2 }
        case 0x74: // t
            if ends("ement") {
                k = 5
            } else if ends("ment") {
                k = 4
            } else if ends("ant") || ends("ent") {
                k = 3
            }
        case 0x6D: // m
            if ends("ism") { k = 3 }
        case 0x69: // i
            if ends("iti") { k = 3 }
        case 0x73: // s
            if ends("ous") { k = 3 }
        case 0x6E: // n
            if ends("ion") {
                let start = n - 3
                if start >= p2 && start >= 1 && (s[start - 1] == englishS || s[start - 1] == englishT) {
                    n = start
                }
                return
            }
        default:
            break
        }
        if k > 0 && n - k >= p2 { n -= k }
    }

    mutating func step5() {
        if n == 0 { return }
        let c = s[n - 1]
        if c == englishE {
            let start = n - 1
            if start >= p2 || (start >= p1 && !endsWithShortSyllable(start)) {
                n = start
            }
        } else if c == englishL {
            let start = n - 1
            if start >= p2 && start >= 1 && s[start - 1] == englishL {
                n = start
            }
        }
    }
}

// MARK: - Output

/// Build a String from `n` scalar values (UTF-8 encoded).
private func englishMakeString(_ p: UnsafePointer<UInt32>, _ n: Int) -> String {
    var bytes = 0
    var ascii = true
    for i in 0..<n {
        let c = p[i]
        if c < 0x80 { bytes += 1 } else {
            ascii = false
            bytes += c < 0x800 ? 2 : (c < 0x10000 ? 3 : 4)
        }
    }
    return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(bytes, 1)) { out in
        let o = out.baseAddress!
        if ascii {
            for i in 0..<n { o[i] = UInt8(truncatingIfNeeded: p[i]) }
        } else {
            var j = 0
            for i in 0..<n {
                let c = p[i]
                if c < 0x80 {
                    o[j] = UInt8(c); j += 1
                } else if c < 0x800 {
                    o[j] = UInt8(0xC0 | (c >> 6)); o[j + 1] = UInt8(0x80 | (c & 0x3F)); j += 2
                } else if c < 0x10000 {
                    o[j] = UInt8(0xE0 | (c >> 12)); o[j + 1] = UInt8(0x80 | ((c >> 6) & 0x3F))
                    o[j + 2] = UInt8(0x80 | (c & 0x3F)); j += 3
                } else {
                    o[j] = UInt8(0xF0 | (c >> 18)); o[j + 1] = UInt8(0x80 | ((c >> 12) & 0x3F))
                    o[j + 2] = UInt8(0x80 | ((c >> 6) & 0x3F)); o[j + 3] = UInt8(0x80 | (c & 0x3F)); j += 4
                }
            }
        }
        return String(decoding: UnsafeBufferPointer(start: o, count: bytes), as: UTF8.self)
    }
}
