/// A sparse feature of a message: a hashed key and its weight.
public struct Feature: Sendable, Hashable {
    public var key: UInt64
    public var value: Float
}

/// Turns analyzed tokens into sparse features: stems, stem bigrams
/// ("cover letter", "case study") and character n-grams of the words,
/// which catch inflections and typos that stemming misses.
public struct FeatureExtractor: Sendable {
    public var unigramWeight: Float = 1.0
    public var bigramWeight: Float = 0.6
    public var charWeight: Float = 0.22
    public var charSizes: ClosedRange<Int> = 3...5

    public init() {}

    static let unigramSeed = FNV.hash("w")
    static let bigramSeed = FNV.hash("b")
    static let charSeed = FNV.hash("c")

    public static func unigramKey(_ stem: String) -> UInt64 {
        FNV.hash(stem, seed: unigramSeed)
    }

    /// The features of a message, L2-normalized, with readable names for
    /// word features when `names` is given.
    public func features(_ tokens: [AnalyzedToken], names: UnsafeMutablePointer<[UInt64: String]>? = nil) -> [Feature] {
        var raw: [Feature] = []
        raw.reserveCapacity(tokens.count * 14)
        var previous: UInt64?
        var previousStem = ""
        for token in tokens {
            let stem: String
            switch token.kind {
            case .word, .emoji: stem = token.stem
            case .number: stem = "<num>"
            case .time: stem = "<time>"
            }
            let u = FNV.hash(stem, seed: Self.unigramSeed)
            raw.append(Feature(key: u, value: unigramWeight))
            names?.pointee[u] = stem
            if let p = previous {
                let b = FNV.mix(p, u) ^ Self.bigramSeed
                raw.append(Feature(key: b, value: bigramWeight))
                names?.pointee[b] = previousStem + " " + stem
            }
            previous = u
            previousStem = stem
            if token.kind == .word {
                var bytes: [UInt8] = [60]
                bytes.append(contentsOf: token.word.utf8)
                bytes.append(62)
                for n in charSizes where bytes.count >= n {
                    for start in 0...(bytes.count - n) {
                        raw.append(Feature(key: FNV.hash(bytes: bytes[start..<(start + n)], seed: Self.charSeed), value: charWeight))
                    }
                }
            }
        }
        // Merge repeated keys (sorted, so the result and its norm are the same on every run).
        raw.sort { $0.key < $1.key }
        var features: [Feature] = []
        features.reserveCapacity(raw.count)
        for f in raw {
            if let last = features.last, last.key == f.key {
                features[features.count - 1].value += f.value
            } else {
                features.append(f)
            }
        }
        var norm: Float = 0
        for f in features { norm += f.value * f.value }
        let scale = norm > 0 ? 1 / norm.squareRoot() : 0
        for i in features.indices { features[i].value *= scale }
        return features
    }
}
