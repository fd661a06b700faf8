/// The Snowball French stemmer (current revision: elisions, "y"/"i"/"u"
/// marking, diaeresis handling with "H", the "-oux" and "-issement" rules).
///
/// The word is processed as an array of Unicode scalar values. The prelude
/// marks some letters with upper-case stand-ins ("U", "I", "Y" for vowels
/// that act as consonants, "H" before a letter that carried a diaeresis) so
/// that they are not counted as vowels, and the postlude turns them back.
public struct FrenchStemmer: Stemmer {
    public init() {}

    public func stem(_ word: String) -> String {
        var work = FrenchWork(word)
        work.run()
        return frenchMakeString(work.w)
    }
}

// MARK: - Letters

private let frA: UInt32 = 0x61, frE: UInt32 = 0x65, frI: UInt32 = 0x69
private let frO: UInt32 = 0x6F, frUl: UInt32 = 0x75, frY: UInt32 = 0x79
private let frQ: UInt32 = 0x71, frS: UInt32 = 0x73, frT: UInt32 = 0x74
private let frMarkU: UInt32 = 0x55, frMarkI: UInt32 = 0x49
private let frMarkY: UInt32 = 0x59, frMarkH: UInt32 = 0x48
private let frApostrophe: UInt32 = 0x27
private let frEDiaeresis: UInt32 = 0xEB, frIDiaeresis: UInt32 = 0xEF
private let frEAcute: UInt32 = 0xE9, frEGrave: UInt32 = 0xE8
private let frCCedilla: UInt32 = 0xE7, frC: UInt32 = 0x63

/// v: a e i o u y â à ë é ê è ï î ô û ù, as bit masks over U+0040...U+007F
/// and U+00C0...U+00FF.
private let frVowelsASCII: UInt64 = 0x0220_8222_0000_0000
private let frVowelsLatin1: UInt64 = 0x0A10_CF05_0000_0000

@inline(__always)
private func frenchIsVowel(_ c: UInt32) -> Bool {
    if c &- 0x40 < 0x40 { return (frVowelsASCII >> UInt64(c &- 0x40)) & 1 != 0 }
    if c &- 0xC0 < 0x40 { return (frVowelsLatin1 >> UInt64(c &- 0xC0)) & 1 != 0 }
    return false
}

/// Letters after which a final "s" is kept: a i o u è s
@inline(__always)
private func frenchKeepsS(_ c: UInt32) -> Bool {
    switch c {
    case 0x61, 0x69, 0x6F, 0x75, 0xE8, 0x73: return true
    default: return false
    }
}

/// Letters before "-oux" that turn it into "-ou": b h j l n p
@inline(__always)
private func frenchIsOuxEnding(_ c: UInt32) -> Bool {
    switch c {
    case 0x62, 0x68, 0x6A, 0x6C, 0x6E, 0x70: return true
    default: return false
    }
}

/// Single letters that can be elided before an apostrophe: c d j l m n s t
@inline(__always)
private func frenchIsElisionChar(_ c: UInt32) -> Bool {
    switch c {
    case 0x63, 0x64, 0x6A, 0x6C, 0x6D, 0x6E, 0x73, 0x74: return true
    default: return false
    }
}

// MARK: - Suffix tables

/// A list of suffixes with the rule each one selects, searched for the
/// longest suffix that ends at a given position (the Snowball "among"
/// semantics). All letters live in one flat array; entries are grouped by
/// their last letter (all suffix letters are below U+0100) and sorted
/// longest first, so the first hit in a group is the longest match.
private struct FrenchSuffixTable: Sendable {
    private struct Entry: Sendable {
        var offset: Int32
        var length: Int32
        var rule: Int32
    }

    private let letters: [UInt32]
    private let entries: [Entry]
    private let groupStart: [Int32]  // 257 values: group k is entries[groupStart[k]..<groupStart[k+1]]

    init(_ list: [(String, Int)]) {
        var byLast = [[([UInt32], Int)]](repeating: [], count: 256)
        for (s, r) in list {
            let scalars = s.unicodeScalars.map { $0.value }
            precondition(scalars.last! < 256)
            byLast[Int(scalars.last!)].append((scalars, r))
        }
        var letters: [UInt32] = []
        var entries: [Entry] = []
        var starts: [Int32] = []
        for group in byLast {
            starts.append(Int32(entries.count))
            for (scalars, r) in group.sorted(by: { $0.0.count > $1.0.count }) {
                entries.append(Entry(offset: Int32(letters.count), length: Int32(scalars.count), rule: Int32(r)))
                letters += scalars
            }
        }
        starts.append(Int32(entries.count))
        self.letters = letters
        self.entries = entries
        self.groupStart = starts
    }

    /// Longest entry that ends at `end` and starts at or after `lb`:
    /// returns (rule, start) or nil.
    @inline(__always)
    func find(_ w: [UInt32], end: Int, lb: Int) -> (rule: Int, start: Int)? {
        guard end > lb else { return nil }
        let last = w[end - 1]
        guard last < 256 else { return nil }
        var e = Int(groupStart[Int(last)])
        let stop = Int(groupStart[Int(last) + 1])
        next: while e < stop {
            let entry = entries[e]
            e += 1
            let length = Int(entry.length)
            let start = end - length
            if start < lb { continue }
            let offset = Int(entry.offset)
            var k = length - 2
            while k >= 0 {
                if w[start + k] != letters[offset + k] { continue next }
                k -= 1
            }
            return (Int(entry.rule), start)
        }
        return nil
    }
}

private enum FrenchRule {
    // standard_suffix
    static let plainR2 = 1, ation = 2, logie = 3, usion = 4, ence = 5
    static let ement = 6, ite = 7, ive = 8, eaux = 9, aux = 10, oux = 11
    static let euse = 12, issement = 13, amment = 14, emment = 15, ment = 16
    // after -ement
    static let iv = 20, eus = 21, ablIqu = 22, ier = 23
    // after -ité
    static let abil = 30, ic = 31, ivIte = 32
    // verb_suffix
    static let ions = 40, plainVerb = 41, aVerb = 42, ais = 43, eais = 44
    // residual_suffix
    static let ion = 50, ierRes = 51, e = 52
}

private enum FrenchTables {
    static func rules(_ words: String, _ rule: Int) -> [(String, Int)] {
        words.split(separator: " ").map { (String($0), rule) }
    }

    static let standard = FrenchSuffixTable(
        rules("ance iqUe isme able iste eux ances iqUes ismes ables istes", FrenchRule.plainR2)
        + rules("atrice ateur ation atrices ateurs ations", FrenchRule.ation)
        + rules("logie logies", FrenchRule.logie)
        + rules("usion ution usions utions", FrenchRule.usion)
        + rules("ence ences", FrenchRule.ence)
        + rules("ement ements", FrenchRule.ement)
        + rules("it\u{E9} it\u{E9}s", FrenchRule.ite)
        + rules("if ive ifs ives", FrenchRule.ive)
        + rules("eaux", FrenchRule.eaux)
        + rules("aux", FrenchRule.aux)
        + rules("oux", FrenchRule.oux)
        + rules("euse euses", FrenchRule.euse)
        + rules("issement issements", FrenchRule.issement)
        + rules("amment", FrenchRule.amment)
        + rules("emment", FrenchRule.emment)
        + rules("ment ments", FrenchRule.ment)
    )

    static let afterEment = FrenchSuffixTable(
        rules("iv", FrenchRule.iv)
        + rules("eus", FrenchRule.eus)
        + rules("abl iqU", FrenchRule.ablIqu)
        + rules("i\u{E8}r I\u{E8}r", FrenchRule.ier)
    )

    static let afterIte = FrenchSuffixTable(
        rules("abil", FrenchRule.abil)
        + rules("ic", FrenchRule.ic)
        + rules("iv", FrenchRule.ivIte)
    )

    static let iVerb = FrenchSuffixTable(rules(
        "\u{EE}mes \u{EE}t \u{EE}tes i ie ies ir ira irai iraIent irais irait iras irent irez iriez "
        + "irions irons iront is issaIent issais issait issant issante issantes issants isse "
        + "issent isses issez issiez issions issons it", 0))

    static let verb = FrenchSuffixTable(
        rules("ions", FrenchRule.ions)
        + rules("\u{E9} \u{E9}e \u{E9}es \u{E9}s \u{E8}rent er era erai eraIent erais erait eras "
                + "erez eriez erions erons eront ez iez", FrenchRule.plainVerb)
        + rules("\u{E2}mes \u{E2}t \u{E2}tes a ai aIent ait ant ante antes ants as asse "
                + "assent asses assiez assions", FrenchRule.aVerb)
        + rules("ais aise aises", FrenchRule.ais)
        + rules("eais", FrenchRule.eais)
    )

    static let residual = FrenchSuffixTable(
        rules("ion", FrenchRule.ion)
        + rules("ier i\u{E8}re Ier I\u{E8}re", FrenchRule.ierRes)
        + rules("e", FrenchRule.e)
    )

    static let iqU: [UInt32] = [0x69, 0x71, 0x55]
    static let log: [UInt32] = [0x6C, 0x6F, 0x67]
    static let ent: [UInt32] = [0x65, 0x6E, 0x74]
    static let ant: [UInt32] = [0x61, 0x6E, 0x74]
    static let eux: [UInt32] = [0x65, 0x75, 0x78]
    static let eau: [UInt32] = [0x65, 0x61, 0x75]
    static let abl: [UInt32] = [0x61, 0x62, 0x6C]
    static let al: [UInt32] = [0x61, 0x6C]
    static let ou: [UInt32] = [0x6F, 0x75]
    static let u: [UInt32] = [0x75]
    static let i: [UInt32] = [0x69]
}

// MARK: - The algorithm

private struct FrenchWork {
    var w: [UInt32]
    var pV = 0
    var p1 = 0
    var p2 = 0

    init(_ word: String) {
        w = []
        w.reserveCapacity(word.utf8.count + 4)
        for s in word.unicodeScalars { w.append(s.value) }
    }

    mutating func run() {
        elisions()
        prelude()
        markRegions()

        if standardSuffix() || iVerbSuffix() || verbSuffix() {
            if let last = w.last {
                if last == frMarkY {
                    w[w.count - 1] = frI
                } else if last == frCCedilla {
                    w[w.count - 1] = frC
                }
            }
        } else {
            residualSuffix()
        }
        unDouble()
        unAccent()
        postlude()
    }

    // MARK: helpers

    @inline(__always)
    func endsWith(_ a: UInt32, _ b: UInt32) -> Bool {
        let n = w.count
        return n >= 2 && w[n - 2] == a && w[n - 1] == b
    }

    @inline(__always)
    mutating func truncate(_ start: Int) {
        w.removeSubrange(start..<w.count)
    }

    @inline(__always)
    mutating func replaceTail(from start: Int, with s: [UInt32]) {
        w.replaceSubrange(start..<w.count, with: s)
    }

    // MARK: forward steps

    /// Removes a leading elided article/pronoun (l', d', qu', ...) when
    /// something follows it.
    mutating func elisions() {
        let n = w.count
        var cut = 0
        if n >= 2, frenchIsElisionChar(w[0]), w[1] == frApostrophe {
            cut = 2
        } else if n >= 3, w[0] == frQ, w[1] == frUl, w[2] == frApostrophe {
            cut = 3
        }
        if cut > 0 && n > cut { w.removeFirst(cut) }
    }

    /// Marks vowels acting as consonants and splits diaeresis letters:
    /// at each position the rules are retried until none applies, then the
    /// scan moves one letter on.
    mutating func prelude() {
        var i = 0
        while i < w.count {
            if preludeRule(at: i) { continue }
            i += 1
        }
    }

    @inline(__always)
    mutating func preludeRule(at i: Int) -> Bool {
        let n = w.count
        let c = w[i]
        if frenchIsVowel(c) && i + 1 < n {
            let d = w[i + 1]
            if d == frUl && i + 2 < n && frenchIsVowel(w[i + 2]) {
                w[i + 1] = frMarkU; return true
            }
            if d == frI && i + 2 < n && frenchIsVowel(w[i + 2]) {
                w[i + 1] = frMarkI; return true
            }
            if d == frY {
                w[i + 1] = frMarkY; return true
            }
        }
        if c == frEDiaeresis {
            w[i] = frMarkH; w.insert(frE, at: i + 1); return true
        }
        if c == frIDiaeresis {
            w[i] = frMarkH; w.insert(frI, at: i + 1); return true
        }
        if c == frY && i + 1 < n && frenchIsVowel(w[i + 1]) {
            w[i] = frMarkY; return true
        }
        if c == frQ && i + 1 < n && w[i + 1] == frUl {
            w[i + 1] = frMarkU; return true
        }
        return false
    }

    /// Index just past the first vowel at or after `from`.
    @inline(__always)
    func pastVowel(from: Int) -> Int? {
        var i = from
        while i < w.count {
            if frenchIsVowel(w[i]) { return i + 1 }
            i += 1
        }
        return nil
    }

    /// Index just past the first non-vowel at or after `from`.
    @inline(__always)
    func pastNonVowel(from: Int) -> Int? {
        var i = from
        while i < w.count {
            if !frenchIsVowel(w[i]) { return i + 1 }
            i += 1
        }
        return nil
    }

    @inline(__always)
    func hasPrefix(_ p: StaticString) -> Bool {
        let count = p.utf8CodeUnitCount
        guard w.count >= count else { return false }
        return p.withUTF8Buffer { buf in
            for k in 0..<count where w[k] != UInt32(buf[k]) { return false }
            return true
        }
    }

    mutating func markRegions() {
        let n = w.count
        pV = n; p1 = n; p2 = n

        if n >= 3 && frenchIsVowel(w[0]) && frenchIsVowel(w[1]) {
            pV = 3
        } else if hasPrefix("par") || hasPrefix("col") || hasPrefix("tap") {
            pV = 3
        } else if hasPrefix("ni") && n >= 3 && frenchIsVowel(w[2]) {
            pV = 3
        } else if n >= 1, let j = pastVowel(from: 1) {
            pV = j
        }

        if let a = pastVowel(from: 0), let b = pastNonVowel(from: a) {
            p1 = b
            if let c = pastVowel(from: b), let d = pastNonVowel(from: c) {
                p2 = d
            }
        }
    }

    mutating func postlude() {
        var i = 0
        var out: [UInt32] = []
        guard w.contains(where: { $0 == frMarkU || $0 == frMarkI || $0 == frMarkY || $0 == frMarkH })
        else { return }
        out.reserveCapacity(w.count)
        while i < w.count {
            let c = w[i]
            switch c {
            case frMarkI: out.append(frI)
            case frMarkU: out.append(frUl)
            case frMarkY: out.append(frY)
            case frMarkH:
                if i + 1 < w.count && w[i + 1] == frE {
                    out.append(frEDiaeresis); i += 1
                } else if i + 1 < w.count && w[i + 1] == frI {
                    out.append(frIDiaeresis); i += 1
                }
                // a lone "H" is dropped
            default: out.append(c)
            }
            i += 1
        }
        w = out
    }

    // MARK: backward steps

    mutating func standardSuffix() -> Bool {
        let n = w.count
        guard let (rule, s) = FrenchTables.standard.find(w, end: n, lb: 0) else { return false }
        switch rule {
        case FrenchRule.plainR2:
            guard s >= p2 else { return false }
            truncate(s)
        case FrenchRule.ation:
            guard s >= p2 else { return false }
            truncate(s)
            if endsWith(0x69, 0x63) {  // "ic"
                let t = w.count - 2
                if t >= p2 { truncate(t) } else { replaceTail(from: t, with: FrenchTables.iqU) }
            }
        case FrenchRule.logie:
            guard s >= p2 else { return false }
            replaceTail(from: s, with: FrenchTables.log)
        case FrenchRule.usion:
            guard s >= p2 else { return false }
            replaceTail(from: s, with: FrenchTables.u)
        case FrenchRule.ence:
            guard s >= p2 else { return false }
            replaceTail(from: s, with: FrenchTables.ent)
        case FrenchRule.ement:
            guard s >= pV else { return false }
            truncate(s)
            if let (r2, s2) = FrenchTables.afterEment.find(w, end: w.count, lb: 0) {
                switch r2 {
                case FrenchRule.iv:
                    if s2 >= p2 {
                        truncate(s2)
                        if endsWith(0x61, 0x74) && w.count - 2 >= p2 { truncate(w.count - 2) }  // "at"
                    }
                case FrenchRule.eus:
                    if s2 >= p2 {
                        truncate(s2)
                    } else if s2 >= p1 {
                        replaceTail(from: s2, with: FrenchTables.eux)
                    }
                case FrenchRule.ablIqu:
                    if s2 >= p2 { truncate(s2) }
                default:  // ièr, Ièr
                    if s2 >= pV { replaceTail(from: s2, with: FrenchTables.i) }
                }
            }
        case FrenchRule.ite:
            guard s >= p2 else { return false }
            truncate(s)
            if let (r2, s2) = FrenchTables.afterIte.find(w, end: w.count, lb: 0) {
                switch r2 {
                case FrenchRule.abil:
                    if s2 >= p2 { truncate(s2) } else { replaceTail(from: s2, with: FrenchTables.abl) }
                case FrenchRule.ic:
                    if s2 >= p2 { truncate(s2) } else { replaceTail(from: s2, with: FrenchTables.iqU) }
                default:  // iv
                    if s2 >= p2 { truncate(s2) }
                }
            }
        case FrenchRule.ive:
            guard s >= p2 else { return false }
            truncate(s)
            if endsWith(0x61, 0x74) && w.count - 2 >= p2 {  // "at"
                truncate(w.count - 2)
                if endsWith(0x69, 0x63) {  // "ic"
                    let t = w.count - 2
                    if t >= p2 { truncate(t) } else { replaceTail(from: t, with: FrenchTables.iqU) }
                }
            }
        case FrenchRule.eaux:
            replaceTail(from: s, with: FrenchTables.eau)
        case FrenchRule.aux:
            guard s >= p1 else { return false }
            replaceTail(from: s, with: FrenchTables.al)
        case FrenchRule.oux:
            guard s > 0 && frenchIsOuxEnding(w[s - 1]) else { return false }
            replaceTail(from: s, with: FrenchTables.ou)
        case FrenchRule.euse:
            if s >= p2 {
                truncate(s)
            } else if s >= p1 {
                replaceTail(from: s, with: FrenchTables.eux)
            } else {
                return false
            }
        case FrenchRule.issement:
            guard s >= p1 && s > 0 && !frenchIsVowel(w[s - 1]) else { return false }
            truncate(s)
        case FrenchRule.amment:
            // Rewritten, then the verb suffixes still get their turn.
            if s >= pV { replaceTail(from: s, with: FrenchTables.ant) }
            return false
        case FrenchRule.emment:
            if s >= pV { replaceTail(from: s, with: FrenchTables.ent) }
            return false
        default:  // ment, ments
            if s > 0 && s - 1 >= pV && frenchIsVowel(w[s - 1]) { truncate(s) }
            return false
        }
        return true
    }

    mutating func iVerbSuffix() -> Bool {
        let n = w.count
        guard n >= pV else { return false }
        guard let (_, s) = FrenchTables.iVerb.find(w, end: n, lb: pV) else { return false }
        guard s - 1 >= pV else { return false }
        let before = w[s - 1]
        guard before != frMarkH && !frenchIsVowel(before) else { return false }
        truncate(s)
        return true
    }

    /// Only the suffix itself has to lie in RV; the checks around it do not.
    mutating func verbSuffix() -> Bool {
        let n = w.count
        guard n >= pV else { return false }
        guard let (rule, s) = FrenchTables.verb.find(w, end: n, lb: pV) else { return false }
        switch rule {
        case FrenchRule.ions:
            guard s >= p2 else { return false }
            truncate(s)
        case FrenchRule.plainVerb, FrenchRule.eais:
            truncate(s)
        case FrenchRule.ais:
            // Kept after a lone letter + "al" (palais, calais), after "auv"
            // (mauvais) and after "épl" (déplais).
            if s == 3 && w[1] == frA && w[2] == 0x6C { return false }
            if s >= 3 && w[s - 3] == frA && w[s - 2] == frUl && w[s - 1] == 0x76 { return false }
            if s >= 3 && w[s - 3] == frEAcute && w[s - 2] == 0x70 && w[s - 1] == 0x6C { return false }
            truncate(s)
        default:
            if s - 1 >= pV && w[s - 1] == frE { truncate(s - 1) } else { truncate(s) }
        }
        return true
    }

    mutating func residualSuffix() {
        let n = w.count
        if n >= 1 && w[n - 1] == frS {
            let hi = n >= 3 && w[n - 3] == frMarkH && w[n - 2] == frI
            if hi || (n >= 2 && !frenchKeepsS(w[n - 2])) { w.removeLast() }
        }
        let m = w.count
        guard m >= pV else { return }
        guard let (rule, s) = FrenchTables.residual.find(w, end: m, lb: pV) else { return }
        switch rule {
        case FrenchRule.ion:
            if s >= p2 && s - 1 >= pV && (w[s - 1] == frS || w[s - 1] == frT) { truncate(s) }
        case FrenchRule.ierRes:
            replaceTail(from: s, with: FrenchTables.i)
        default:  // e
            truncate(s)
        }
    }

    mutating func unDouble() {
        let n = w.count
        guard n >= 3 else { return }
        let a = w[n - 3], b = w[n - 2], c = w[n - 1]
        var hit = false
        if b == c && (c == 0x6E || c == 0x74 || c == 0x6C) {
            // enn onn ett ell eill
            if c == 0x6E {
                hit = a == frE || a == frO
            } else if c == 0x74 {
                hit = a == frE
            } else {
                hit = a == frE || (a == frI && n >= 4 && w[n - 4] == frE)
            }
        }
        if hit { w.removeLast() }
    }

    mutating func unAccent() {
        var k = w.count
        while k > 0 && !frenchIsVowel(w[k - 1]) { k -= 1 }
        guard k < w.count, k > 0 else { return }
        if w[k - 1] == frEAcute || w[k - 1] == frEGrave { w[k - 1] = frE }
    }
}

/// Builds a String from scalar values without going through Character.
private func frenchMakeString(_ w: [UInt32]) -> String {
    var bytes = 0
    for c in w {
        bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4
    }
    return String(unsafeUninitializedCapacity: bytes) { buf in
        var i = 0
        for c in w {
            if c < 0x80 {
                buf[i] = UInt8(c); i += 1
            } else if c < 0x800 {
                buf[i] = UInt8(0xC0 | (c >> 6)); buf[i + 1] = UInt8(0x80 | (c & 0x3F)); i += 2
            } else if c < 0x10000 {
                buf[i] = UInt8(0xE0 | (c >> 12))
                buf[i + 1] = UInt8(0x80 | ((c >> 6) & 0x3F))
                buf[i + 2] = UInt8(0x80 | (c & 0x3F)); i += 3
            } else {
                buf[i] = UInt8(0xF0 | (c >> 18))
                buf[i + 1] = UInt8(0x80 | ((c >> 12) & 0x3F))
                buf[i + 2] = UInt8(0x80 | ((c >> 6) & 0x3F))
                buf[i + 3] = UInt8(0x80 | (c & 0x3F)); i += 4
            }
        }
        return i
    }
}
