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
    ///
    /// Repeated keys are merged (their values summed in the order they
    /// occur) and the features come sorted by key, so the result and its
    /// norm are the same on every run.
    public func features(_ tokens: [AnalyzedToken], names: UnsafeMutablePointer<[UInt64: String]>? = nil) -> [Feature] {
        // Exactly as many as are made: a unigram and a bigram per token, the n-grams of "<word>".
        var capacity = 0
        for token in tokens {
            capacity += 2
            if token.kind == .word {
                let count = token.word.utf8.count + 2
                for n in charSizes where count >= n { capacity += count - n + 1 }
            }
        }
        var raw: [Feature] = []
        raw.reserveCapacity(capacity)
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
            if let names { names.pointee[u] = stem }
            if let p = previous {
                let b = FNV.mix(p, u) ^ Self.bigramSeed
                raw.append(Feature(key: b, value: bigramWeight))
                if let names { names.pointee[b] = previousStem + " " + stem }
            }
            previous = u
            if names != nil { previousStem = stem }
            if token.kind == .word {
                // "<word>" in bytes, on the stack.
                let count = token.word.utf8.count + 2
                withUnsafeTemporaryAllocation(of: UInt8.self, capacity: count) { bytes in
                    bytes[0] = 60
                    var i = 1
                    for b in token.word.utf8 { bytes[i] = b; i += 1 }
                    bytes[count - 1] = 62
                    if charSizes == 3...5 {
                        // All n-grams of one start in one pass (FNV extends a byte at a
                        // time), written where the loop by size puts them: the 3-grams,
                        // then the 4-grams, then the 5-grams.
                        let n3 = count >= 3 ? count - 2 : 0, n4 = count >= 4 ? count - 3 : 0, n5 = count >= 5 ? count - 4 : 0
                        let first = raw.count
                        let filler = Feature(key: 0, value: charWeight)
                        raw.append(contentsOf: repeatElement(filler, count: n3 + n4 + n5))
                        raw.withUnsafeMutableBufferPointer { out in
                            for start in 0..<n3 {
                                var h = Self.charSeed
                                h ^= UInt64(bytes[start]); h &*= FNV.prime
                                h ^= UInt64(bytes[start + 1]); h &*= FNV.prime
                                h ^= UInt64(bytes[start + 2]); h &*= FNV.prime
                                out[first + start].key = h
                                guard start < n4 else { continue }
                                h ^= UInt64(bytes[start + 3]); h &*= FNV.prime
                                out[first + n3 + start].key = h
                                guard start < n5 else { continue }
                                h ^= UInt64(bytes[start + 4]); h &*= FNV.prime
                                out[first + n3 + n4 + start].key = h
                            }
                        }
                    } else {
                        for n in charSizes where count >= n {
                            for start in 0...(count - n) {
                                var h = Self.charSeed
                                for k in start..<(start + n) {
                                    h ^= UInt64(bytes[k])
                                    h &*= FNV.prime
                                }
                                raw.append(Feature(key: h, value: charWeight))
                            }
                        }
                    }
                }
            }
        }
        var features = Self.mergeSorted(raw)
        var norm: Float = 0
        for f in features { norm += f.value * f.value }
        let scale = norm > 0 ? 1 / norm.squareRoot() : 0
        for i in features.indices { features[i].value *= scale }
        return features
    }

    /// Repeated keys merged (values summed in order of occurrence), sorted
    /// by key: a stable sort by key followed by a merge of neighbours. The
    /// keys are well-mixed hashes, so a stable bucket pass on their top
    /// bits leaves a few keys per bucket for a (stable) insertion sort:
    /// far fewer mispredicted branches than a comparison sort.
    static func mergeSorted(_ raw: [Feature]) -> [Feature] {
        let n = raw.count
        guard n > 1 else { return raw }
        var bits = 4
        while (1 << bits) < n * 2 { bits += 1 }
        let shift = UInt64(64 - bits)
        let buckets = 1 << bits
        var sorted = [Feature](unsafeUninitializedCapacity: n) { out, initialized in
            withUnsafeTemporaryAllocation(of: Int32.self, capacity: buckets + 1) { starts in
                starts.initialize(repeating: 0)
                raw.withUnsafeBufferPointer { R in
                    for f in R { starts[Int(truncatingIfNeeded: f.key >> shift) + 1] += 1 }
                    for b in 0..<buckets { starts[b + 1] += starts[b] }
                    for f in R {
                        let b = Int(truncatingIfNeeded: f.key >> shift)
                        out.initializeElement(at: Int(starts[b]), to: f)
                        starts[b] += 1
                    }
                }
            }
            initialized = n
        }
        var count = 0
        sorted.withUnsafeMutableBufferPointer { a in
            // Stable insertion sort: keys only move within their bucket.
            for i in 1..<n {
                let x = a[i]
                var j = i
                while j > 0, a[j - 1].key > x.key {
                    a[j] = a[j - 1]
                    j -= 1
                }
                if j != i { a[j] = x }
            }
            // Merge neighbours with the same key, in order.
            count = 1
            for i in 1..<n {
                if a[i].key == a[count - 1].key {
                    a[count - 1].value += a[i].value
                } else {
                    a[count] = a[i]
                    count += 1
                }
            }
        }
        sorted.removeLast(n - count)
        return sorted
    }
}
