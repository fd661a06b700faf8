/// The Snowball Swedish stemmer, written from the published algorithm
/// description (Snowball 3 revision: `-et`/`-ets` removal guarded by a list
/// of exceptional endings, and `-öst` -> `-ös` after i k l n p r t u v).
///
/// Every step only shortens the word, so the stem is always a prefix of the
/// input; the work is done on Unicode scalar values in a stack buffer.
public struct SwedishStemmer: Stemmer {
    public init() {}

    public func stem(_ word: String) -> String {
        let utf8Count = word.utf8.count
        if utf8Count < 2 { return word }
        return withUnsafeTemporaryAllocation(of: UInt32.self, capacity: utf8Count) { buffer in
            let base = buffer.baseAddress!
            var n = 0
            for scalar in word.unicodeScalars {
                base[n] = scalar.value
                n += 1
            }
            var w = SwedishWord(s: base, n: n)
            w.run()
            if w.n == n { return word }
            return swedishMakeString(base, w.n)
        }
    }
}

// MARK: - Letters

private let swedishOUmlaut: UInt32 = 0xF6   // ö

@inline(__always)
private func swedishIsVowel(_ c: UInt32) -> Bool {
    switch c {
    case 0x61, 0x65, 0x69, 0x6F, 0x75, 0x79,  // a e i o u y
         0xE4, 0xE5, 0xF6:                    // ä å ö
        return true
    default:
        return false
    }
}

/// Valid s-ending: b c d f g h j k l m n o p r t v y
@inline(__always)
private func swedishIsSEnding(_ c: UInt32) -> Bool {
    switch c {
    case 0x62, 0x63, 0x64, 0x66, 0x67, 0x68, 0x6A, 0x6B, 0x6C, 0x6D, 0x6E,
         0x6F, 0x70, 0x72, 0x74, 0x76, 0x79:
        return true
    default:
        return false
    }
}

/// Letters after which -öst becomes -ös: i k l n p r t u v
@inline(__always)
private func swedishIsOstEnding(_ c: UInt32) -> Bool {
    switch c {
    case 0x69, 0x6B, 0x6C, 0x6E, 0x70, 0x72, 0x74, 0x75, 0x76:
        return true
    default:
        return false
    }
}

// MARK: - Suffix tables (longest first within each group)

private let swedishSuffixesA: [StaticString] = ["heterna", "arna", "erna", "orna", "a"]
private let swedishSuffixesD: [StaticString] = ["ad"]
private let swedishSuffixesE: [StaticString] = ["aste", "ande", "arne", "are", "ade", "e"]
private let swedishSuffixesN: [StaticString] = ["heten", "anden", "aren", "ern", "en"]
private let swedishSuffixesR: [StaticString] = ["heter", "ar", "er", "or"]
private let swedishSuffixesS: [StaticString] = [
    "hetens", "arnas", "ernas", "ornas", "arens", "andes",
    "ades", "erns", "ens", "as", "es", "s",
]
private let swedishSuffixesT: [StaticString] = ["andet", "het", "ast", "at", "et"]

/// Word endings (just before "et") that keep their "-et": frihet, societet,
/// alfabet, kapacitet, komet, paket, ...
private let swedishEtExceptions: [StaticString] = [
    "h", "iet", "uit", "fab", "cit", "dit", "alit", "ilit", "mit", "nit",
    "pit", "rit", "sit", "tit", "ivit", "kvit", "xit", "kom", "rak", "pak", "stak",
]

// MARK: - Working word

private struct SwedishWord {
    let s: UnsafeMutablePointer<UInt32>
    var n: Int
    var p1 = 0

    init(s: UnsafeMutablePointer<UInt32>, n: Int) {
        self.s = s
        self.n = n
    }

    /// Does s[0..<end] end with the ASCII string `suffix`?
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

    mutating func run() {
        markRegions()
        mainSuffix()
        consonantPair()
        otherSuffix()
    }

    /// R1 as in the German stemmer, but starting no earlier than the fourth letter.
    mutating func markRegions() {
        p1 = n
        if n < 3 { return }
        var i = 0
        while i < n && !swedishIsVowel(s[i]) { i += 1 }
        if i >= n { return }
        i += 1
        while i < n && swedishIsVowel(s[i]) { i += 1 }
        if i >= n { return }
        p1 = max(i + 1, 3)
    }

    /// The "-et" condition, with `e` the position where "et" starts: the
    /// preceding part ends non-vowel after vowel with something before, and
    /// does not end with one of the exceptional endings.
    func etCondition(_ e: Int) -> Bool {
        guard e >= 3, !swedishIsVowel(s[e - 1]), swedishIsVowel(s[e - 2]) else { return false }
        for ending in swedishEtExceptions where ends(ending, at: e) {
            return false
        }
        return true
    }

    mutating func mainSuffix() {
        if n == 0 { return }
        let table: [StaticString]
        switch s[n - 1] {
        case 0x61: table = swedishSuffixesA
        case 0x64: table = swedishSuffixesD
        case 0x65: table = swedishSuffixesE
        case 0x6E: table = swedishSuffixesN
        case 0x72: table = swedishSuffixesR
        case 0x73: table = swedishSuffixesS
        case 0x74: table = swedishSuffixesT
        default: return
        }
        let room = n - p1   // letters available in R1
        for suffix in table {
            let k = suffix.utf8CodeUnitCount
            if k > room || !ends(suffix, at: n) { continue }
            // Longest suffix lying in R1 found.
            if k == 1 && s[n - 1] == 0x73 {          // "s"
                if ends("et", at: n - 1) && etCondition(n - 3) {
                    n -= 3                            // "-ets"
                } else if n >= 2 && swedishIsSEnding(s[n - 2]) {
                    n -= 1
                }
            } else if k == 2 && ends("et", at: n) {    // "et"
                if etCondition(n - 2) { n -= 2 }
            } else {
                n -= k
            }
            return
        }
    }

    mutating func consonantPair() {
        if n - 2 < p1 { return }
        let a = s[n - 2], b = s[n - 1]
        let pair: Bool
        switch b {
        case 0x64: pair = a == 0x64 || a == 0x67                     // dd gd
        case 0x6E: pair = a == 0x6E                                  // nn
        case 0x74: pair = a == 0x64 || a == 0x67 || a == 0x6B || a == 0x74  // dt gt kt tt
        default: pair = false
        }
        if pair { n -= 1 }
    }

    mutating func otherSuffix() {
        let room = n - p1
        if room < 2 { return }
        switch s[n - 1] {
        case 0x67: // g
            if room >= 3 && ends("lig", at: n) {
                n -= 3
            } else if ends("ig", at: n) {
                n -= 2
            }
        case 0x73: // s
            if room >= 3 && ends("els", at: n) { n -= 3 }
        case 0x74: // t
            if room >= 5 && ends("fullt", at: n) {
                n -= 1                                // -> "full"
            } else if room >= 3 && s[n - 2] == 0x73 && s[n - 3] == swedishOUmlaut {
                // "öst" -> "ös" when preceded by an öst-ending letter.
                if n >= 4 && swedishIsOstEnding(s[n - 4]) { n -= 1 }
            }
        default:
            break
        }
    }
}

// MARK: - Output

/// Build a String from `n` scalar values (UTF-8 encoded).
private func swedishMakeString(_ p: UnsafePointer<UInt32>, _ n: Int) -> String {
    var bytes = 0
    for i in 0..<n {
        let c = p[i]
        bytes += c < 0x80 ? 1 : (c < 0x800 ? 2 : (c < 0x10000 ? 3 : 4))
    }
    return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(bytes, 1)) { out in
        let o = out.baseAddress!
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
        return String(decoding: UnsafeBufferPointer(start: o, count: bytes), as: UTF8.self)
    }
}
