import Foundation

/// Unicode normalization and case/diacritic folding.
///
/// `normalize` gives NFKC, lower-cased text with accents kept (what the
/// stemmers read); `fold` removes diacritics so that "perché" and "perche",
/// "à" and "a", "interprète" and "interprete" meet.
public enum Folding {
    /// NFKC + lower case. ASCII text takes a fast path.
    public static func normalize(_ text: String) -> String {
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
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return text }
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
