import Foundation

/// Unicode normalization and case/diacritic folding.
///
/// `normalize` gives NFKC, lower-cased text with accents kept (what the
/// stemmers read); `fold` removes diacritics so that "perché" and "perche",
/// "à" and "a", "interprète" and "interprete" meet.
public enum Folding {
    /// NFKC + lower case. ASCII text takes a fast path.
    public static func normalize(_ text: String) -> String {
        // Fast path, on bytes: ASCII, the Latin-1 letters (C3 xx), « » ° ·,
        // œ/Œ and common typographic punctuation (‐ ‒ – — ― ‘ ’ ‚ ‛ “ ” „ ‟ † ‡ •).
        // Each of these is its own NFKC form, and the text they make has no
        // combining mark to recompose; lower case changes only A–Z (+0x20),
        // À–Þ except × (+0x20 on the second byte) and Œ (→ œ).
        if let fast = text.utf8.withContiguousStorageIfAvailable({ bytes -> String?? in
            var upper = false
            var i = 0
            let n = bytes.count
            while i < n {
                let b = bytes[i]
                if b < 0x80 {
                    if b >= 65 && b <= 90 { upper = true }
                    i += 1
                    continue
                }
                guard let width = fastWidth(bytes, i, &upper) else { return .some(nil) }
                i += width
            }
            guard upper else { return .some(text) }
            return .some(String(unsafeUninitializedCapacity: n) { out in
                var i = 0
                while i < n {
                    let b = bytes[i]
                    if b < 0x80 {
                        out[i] = b >= 65 && b <= 90 ? b | 0x20 : b
                        i += 1
                    } else if b == 0xC3 {
                        let c = bytes[i + 1]
                        out[i] = b
                        out[i + 1] = c <= 0x9E && c != 0x97 ? c + 0x20 : c
                        i += 2
                    } else if b == 0xC5 {
                        out[i] = b
                        out[i + 1] = bytes[i + 1] == 0x92 ? 0x93 : bytes[i + 1]
                        i += 2
                    } else {
                        let width = b == 0xE2 ? 3 : 2
                        for k in 0..<width { out[i + k] = bytes[i + k] }
                        i += width
                    }
                }
                return n
            })
        }), let fast, let fast {
            return fast
        }
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            return text.lowercased()
        }
        // Precomposed Latin letters are already NFKC; only the compatibility
        // characters of Latin-1 (no-break space, ², ½, º…) and anything
        // beyond Latin Extended-B need the full normalization.
        if text.unicodeScalars.allSatisfy({ $0.value < 0x250 && !(0xA0...0xBF).contains($0.value) }) {
            return text.lowercased()
        }
        return text.precomposedStringWithCompatibilityMapping.lowercased()
    }

    /// Removes diacritics from lower-case text: "perché" → "perche",
    /// "språk" → "sprak", "œuvre" → "oeuvre", "straße" → "strasse".
    public static func fold(_ text: String) -> String {
        if isASCII(text) { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if v < 0x80 {
                out.append(scalar)
            } else if let mapped = latinFold[v] {
                out.append(contentsOf: mapped.unicodeScalars)
            } else if (0x300...0x36F).contains(v) {
                continue // combining diacritical mark
            } else if v < 0x2000, scalar.properties.isAlphabetic {
                // Other accented letters: decompose and keep the base letters.
                let decomposed = String(scalar).decomposedStringWithCanonicalMapping
                for s in decomposed.unicodeScalars where !(0x300...0x36F).contains(s.value) {
                    out.append(s)
                }
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// The width of the non-ASCII character at `i` when the fast path of
    /// `normalize` handles it (setting `upper` when lower case changes it), else nil.
    @inline(__always)
    private static func fastWidth(_ bytes: UnsafeBufferPointer<UInt8>, _ i: Int, _ upper: inout Bool) -> Int? {
        let n = bytes.count
        let b = bytes[i]
        guard i + 1 < n else { return nil }
        let c = bytes[i + 1]
        switch b {
        case 0xC3:
            guard c >= 0x80 && c <= 0xBF else { return nil }
            if c <= 0x9E && c != 0x97 { upper = true }
            return 2
        case 0xC2:
            // « » ° ·
            return c == 0xAB || c == 0xBB || c == 0xB0 || c == 0xB7 ? 2 : nil
        case 0xC5:
            if c == 0x92 { upper = true; return 2 }
            return c == 0x93 ? 2 : nil
        case 0xE2:
            guard c == 0x80, i + 2 < n else { return nil }
            let d = bytes[i + 2]
            return d == 0x90 || (d >= 0x92 && d <= 0x95) || (d >= 0x98 && d <= 0xA2) ? 3 : nil
        default:
            return nil
        }
    }

    /// Whether every byte of the text is ASCII (reads contiguous storage, 8 bytes at a time).
    @inline(__always) static func isASCII(_ text: String) -> Bool {
        if let ascii = text.utf8.withContiguousStorageIfAvailable({ bytes -> Bool in
            var i = 0
            let n = bytes.count
            if let base = bytes.baseAddress {
                while i + 8 <= n {
                    if UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return false }
                    i += 8
                }
            }
            while i < n {
                if bytes[i] >= 0x80 { return false }
                i += 1
            }
            return true
        }) {
            return ascii
        }
        return text.utf8.allSatisfy { $0 < 0x80 }
    }

    /// Whether the text's UTF-8 contains the byte (`memchr` on contiguous storage).
    @inline(__always) static func contains(_ byte: UInt8, in text: String) -> Bool {
        if let found = text.utf8.withContiguousStorageIfAvailable({ bytes -> Bool in
            guard let base = bytes.baseAddress, !bytes.isEmpty else { return false }
            return memchr(base, Int32(byte), bytes.count) != nil
        }) {
            return found
        }
        return text.utf8.contains(byte)
    }

    private static let latinFold: [UInt32: String] = {
        var table: [UInt32: String] = [:]
        let groups: [(String, String)] = [
            ("àáâãäåāăą", "a"), ("çćĉċč", "c"), ("ďđ", "d"), ("èéêëēĕėęě", "e"),
            ("ĝğġģ", "g"), ("ĥħ", "h"), ("ìíîïĩīĭįı", "i"), ("ĵ", "j"), ("ķ", "k"),
            ("ĺļľŀł", "l"), ("ñńņňŉ", "n"), ("òóôõöøōŏő", "o"), ("ŕŗř", "r"),
            ("śŝşš", "s"), ("ţťŧ", "t"), ("ùúûüũūŭůűų", "u"), ("ŵ", "w"), ("ýÿŷ", "y"),
            ("źżž", "z"),
        ]
        for (letters, base) in groups {
            for s in letters.unicodeScalars { table[s.value] = base }
        }
        table[0xDF] = "ss"  // ß
        table[0xE6] = "ae"  // æ
        table[0x153] = "oe" // œ
        table[0xFE] = "th"  // þ
        table[0xF0] = "d"   // ð
        // Typographic apostrophes and quotes become ASCII.
        table[0x2019] = "'"
        table[0x2018] = "'"
        table[0x2BC] = "'"
        return table
    }()
}
