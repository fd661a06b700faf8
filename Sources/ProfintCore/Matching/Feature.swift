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
        var weights: [UInt64: Float] = [:]
        weights.reserveCapacity(tokens.count * 12)
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
            weights[u] = max(weights[u] ?? 0, unigramWeight)
            names?.pointee[u] = stem
            if let p = previous {
                let b = FNV.mix(p, u) ^ Self.bigramSeed
                weights[b] = max(weights[b] ?? 0, bigramWeight)
                names?.pointee[b] = previousStem + " " + stem
            }
            previous = u
            previousStem = stem
            if token.kind == .word {
                let bytes = Array(("<" + token.word + ">").utf8)
                for n in charSizes where bytes.count >= n {
                    for start in 0...(bytes.count - n) {
                        let c = FNV.hash(bytes: bytes[start..<(start + n)], seed: Self.charSeed)
                        weights[c, default: 0] += charWeight
                    }
                }
            }
        }
        // Sorted first, so the norm is summed in the same order on every run.
        var features = weights.map { Feature(key: $0.key, value: $0.value) }.sorted { $0.key < $1.key }
        var norm: Float = 0
        for f in features { norm += f.value * f.value }
        let scale = norm > 0 ? 1 / norm.squareRoot() : 0
        for i in features.indices { features[i].value *= scale }
        return features
    }
}
