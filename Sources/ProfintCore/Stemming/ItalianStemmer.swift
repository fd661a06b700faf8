/// The Snowball Italian stemmer.
///
/// The word is processed as an array of Unicode scalar values. The prelude
/// turns acute accents into grave ones, and marks "u" after "q" and "u"/"i"
/// between vowels with the upper-case stand-ins "U"/"I" so that they are not
/// counted as vowels; the postlude turns them back.
public struct ItalianStemmer: Stemmer {
    public init() {}

    public func stem(_ word: String) -> String {
        var work = ItalianWork(word)
        work.run()
        return italianMakeString(work.w)
    }
}

// MARK: - Letters

private let itA: UInt32 = 0x61, itE: UInt32 = 0x65, itI: UInt32 = 0x69
private let itO: UInt32 = 0x6F, itU: UInt32 = 0x75, itQ: UInt32 = 0x71
private let itC: UInt32 = 0x63, itG: UInt32 = 0x67, itH: UInt32 = 0x68
private let itMarkU: UInt32 = 0x55, itMarkI: UInt32 = 0x49

/// v: a e i o u à è ì ò ù, as bit masks over U+0040...U+007F and
/// U+00C0...U+00FF.
private let itVowelsASCII: UInt64 = 0x0020_8222_0000_0000
private let itVowelsLatin1: UInt64 = 0x0204_1101_0000_0000

@inline(__always)
private func italianIsVowel(_ c: UInt32) -> Bool {
    if c &- 0x40 < 0x40 { return (itVowelsASCII >> UInt64(c &- 0x40)) & 1 != 0 }
    if c &- 0xC0 < 0x40 { return (itVowelsLatin1 >> UInt64(c &- 0xC0)) & 1 != 0 }
    return false
}

/// AEIO: a e i o à è ì ò
@inline(__always)
private func italianIsAEIO(_ c: UInt32) -> Bool {
    switch c {
    case 0x61, 0x65, 0x69, 0x6F, 0xE0, 0xE8, 0xEC, 0xF2: return true
    default: return false
    }
}

// MARK: - Suffix tables

/// A list of suffixes with the rule each one selects, searched for the
/// longest suffix that ends at a given position (the Snowball "among"
/// semantics). All letters live in one flat array; entries are grouped by
/// their last letter (all suffix letters are below U+0100) and sorted
/// longest first, so the first hit in a group is the longest match.
private struct ItalianSuffixTable: Sendable {
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

private enum ItalianRule {
    // attached_pronoun, second part
    static let gerund = 1, infinitive = 2
    // standard_suffix
    static let plainR2 = 10, azione = 11, logia = 12, uzione = 13, enza = 14
    static let amento = 15, amente = 16, ita = 17, ivo = 18
    // after -amente
    static let iv = 20, osIcAbil = 21
}

private enum ItalianTables {
    static func rules(_ words: String, _ rule: Int) -> [(String, Int)] {
        words.split(separator: " ").map { (String($0), rule) }
    }

    static let pronoun = ItalianSuffixTable(rules(
        "ci gli la le li lo mi ne si ti vi sene gliela gliele glieli glielo gliene "
        + "mela mele meli melo mene tela tele teli telo tene cela cele celi celo cene "
        + "vela vele veli velo vene", 0))

    static let beforePronoun = ItalianSuffixTable(
        rules("ando endo", ItalianRule.gerund)
        + rules("ar er ir", ItalianRule.infinitive)
    )

    static let standard = ItalianSuffixTable(
        rules("anza anze ico ici ica ice iche ichi ismo ismi abile abili ibile ibili ista iste isti "
              + "ist\u{E0} ist\u{E8} ist\u{EC} oso osi osa ose mente atrice atrici ante anti",
              ItalianRule.plainR2)
        + rules("azione azioni atore atori", ItalianRule.azione)
        + rules("logia logie", ItalianRule.logia)
        + rules("uzione uzioni usione usioni", ItalianRule.uzione)
        + rules("enza enze", ItalianRule.enza)
        + rules("amento amenti imento imenti", ItalianRule.amento)
        + rules("amente", ItalianRule.amente)
        + rules("it\u{E0}", ItalianRule.ita)
        + rules("ivo ivi iva ive", ItalianRule.ivo)
    )

    static let afterAmente = ItalianSuffixTable(
        rules("iv", ItalianRule.iv)
        + rules("os ic abil", ItalianRule.osIcAbil)
    )

    static let afterIta = ItalianSuffixTable(rules("abil ic iv", 0))

    static let verb = ItalianSuffixTable(rules(
        "ammo ando ano are arono asse assero assi assimo ata ate ati ato ava avamo avano avate "
        + "avi avo emmo enda ende endi endo er\u{E0} erai eranno ere erebbe erebbero erei eremmo "
        + "eremo ereste eresti erete er\u{F2} erono essero ete eva evamo evano evate evi evo Yamo "
        + "iamo immo ir\u{E0} irai iranno ire irebbe irebbero irei iremmo iremo ireste iresti "
        + "irete ir\u{F2} irono isca iscano isce isci isco iscono issero ita ite iti ito iva "
        + "ivamo ivano ivate ivi ivo ono uta ute uti uto ar ir", 0))

    static let log: [UInt32] = [0x6C, 0x6F, 0x67]
    static let ente: [UInt32] = [0x65, 0x6E, 0x74, 0x65]
    static let u: [UInt32] = [0x75]
    static let e: [UInt32] = [0x65]
}

// MARK: - The algorithm

private struct ItalianWork {
    var w: [UInt32]
    var pV = 0
    var p1 = 0
    var p2 = 0

    init(_ word: String) {
        w = []
        w.reserveCapacity(word.utf8.count + 2)
        for s in word.unicodeScalars { w.append(s.value) }
    }

    mutating func run() {
        prelude()
        markRegions()
        _ = attachedPronoun()
        if !standardSuffix() { _ = verbSuffix() }
        vowelSuffix()
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
    mutating func replace(_ range: Range<Int>, with s: [UInt32]) {
        w.replaceSubrange(range, with: s)
    }

    // MARK: forward steps

    mutating func prelude() {
        let n = w.count
        var i = 0
        while i < n {
            switch w[i] {
            case 0xE1: w[i] = 0xE0  // á -> à
            case 0xE9: w[i] = 0xE8  // é -> è
            case 0xED: w[i] = 0xEC  // í -> ì
            case 0xF3: w[i] = 0xF2  // ó -> ò
            case 0xFA: w[i] = 0xF9  // ú -> ù
            case itQ where i + 1 < n && w[i + 1] == itU:
                w[i + 1] = itMarkU
                i += 1
            default: break
            }
            i += 1
        }
        // u or i between vowels
        if n >= 3 {
            for i in 0..<(n - 2) where italianIsVowel(w[i]) && italianIsVowel(w[i + 2]) {
                let d = w[i + 1]
                if d == itU {
                    w[i + 1] = itMarkU
                } else if d == itI {
                    w[i + 1] = itMarkI
                }
            }
        }
    }

    /// Index just past the first vowel at or after `from`.
    @inline(__always)
    func pastVowel(from: Int) -> Int? {
        var i = from
        while i < w.count {
            if italianIsVowel(w[i]) { return i + 1 }
            i += 1
        }
        return nil
    }

    /// Index just past the first non-vowel at or after `from`.
    @inline(__always)
    func pastNonVowel(from: Int) -> Int? {
        var i = from
        while i < w.count {
            if !italianIsVowel(w[i]) { return i + 1 }
            i += 1
        }
        return nil
    }

    mutating func markRegions() {
        let n = w.count
        pV = n; p1 = n; p2 = n

        var rv: Int?
        if n >= 2 && italianIsVowel(w[0]) {
            if !italianIsVowel(w[1]) {
                rv = pastVowel(from: 2)
            } else {
                rv = pastNonVowel(from: 2)
            }
        }
        if rv == nil && n >= 5 && w[0] == 0x64 && w[1] == 0x69 && w[2] == 0x76
            && w[3] == 0x61 && w[4] == 0x6E {  // "divan"
            rv = 5
        }
        if rv == nil && n >= 2 && !italianIsVowel(w[0]) {
            if !italianIsVowel(w[1]) {
                rv = pastVowel(from: 2)
            } else if n >= 3 {
                rv = 3
            }
        }
        if let rv { pV = rv }

        if let a = pastVowel(from: 0), let b = pastNonVowel(from: a) {
            p1 = b
            if let c = pastVowel(from: b), let d = pastNonVowel(from: c) {
                p2 = d
            }
        }
    }

    mutating func postlude() {
        for i in w.indices {
            if w[i] == itMarkI {
                w[i] = itI
            } else if w[i] == itMarkU {
                w[i] = itU
            }
        }
    }

    // MARK: backward steps

    mutating func attachedPronoun() -> Bool {
        let n = w.count
        guard let (_, s) = ItalianTables.pronoun.find(w, end: n, lb: 0) else { return false }
        guard let (rule, s2) = ItalianTables.beforePronoun.find(w, end: s, lb: 0) else { return false }
        guard s2 >= pV else { return false }
        if rule == ItalianRule.gerund {
            truncate(s)
        } else {
            replace(s..<n, with: ItalianTables.e)
        }
        return true
    }

    mutating func standardSuffix() -> Bool {
        let n = w.count
        guard let (rule, s) = ItalianTables.standard.find(w, end: n, lb: 0) else { return false }
        switch rule {
        case ItalianRule.plainR2:
            guard s >= p2 else { return false }
            truncate(s)
        case ItalianRule.azione:
            guard s >= p2 else { return false }
            truncate(s)
            if endsWith(itI, itC) && w.count - 2 >= p2 { truncate(w.count - 2) }  // "ic"
        case ItalianRule.logia:
            guard s >= p2 else { return false }
            replace(s..<n, with: ItalianTables.log)
        case ItalianRule.uzione:
            guard s >= p2 else { return false }
            replace(s..<n, with: ItalianTables.u)
        case ItalianRule.enza:
            guard s >= p2 else { return false }
            replace(s..<n, with: ItalianTables.ente)
        case ItalianRule.amento:
            guard s >= pV else { return false }
            truncate(s)
        case ItalianRule.amente:
            guard s >= p1 else { return false }
            truncate(s)
            if let (r2, s2) = ItalianTables.afterAmente.find(w, end: w.count, lb: 0), s2 >= p2 {
                truncate(s2)
                if r2 == ItalianRule.iv && endsWith(itA, 0x74) && w.count - 2 >= p2 {  // "at"
                    truncate(w.count - 2)
                }
            }
        case ItalianRule.ita:
            guard s >= p2 else { return false }
            truncate(s)
            if let (_, s2) = ItalianTables.afterIta.find(w, end: w.count, lb: 0), s2 >= p2 {
                truncate(s2)
            }
        default:  // ivo ivi iva ive
            guard s >= p2 else { return false }
            truncate(s)
            if endsWith(itA, 0x74) && w.count - 2 >= p2 {  // "at"
                truncate(w.count - 2)
                if endsWith(itI, itC) && w.count - 2 >= p2 { truncate(w.count - 2) }  // "ic"
            }
        }
        return true
    }

    mutating func verbSuffix() -> Bool {
        let n = w.count
        guard n >= pV else { return false }
        guard let (_, s) = ItalianTables.verb.find(w, end: n, lb: pV) else { return false }
        truncate(s)
        return true
    }

    mutating func vowelSuffix() {
        var n = w.count
        if n >= 1 && italianIsAEIO(w[n - 1]) && n - 1 >= pV {
            w.removeLast()
            n -= 1
            if n >= 1 && w[n - 1] == itI && n - 1 >= pV {
                w.removeLast()
                n -= 1
            }
        }
        if n >= 2 && w[n - 1] == itH && (w[n - 2] == itC || w[n - 2] == itG) && n - 2 >= pV {
            w.removeLast()
        }
    }
}

/// Builds a String from scalar values without going through Character.
private func italianMakeString(_ w: [UInt32]) -> String {
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
