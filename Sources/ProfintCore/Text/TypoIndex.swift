/// Finds the vocabulary word nearest to a misspelt one ("interpete" →
/// "interprete", "anstallningsinterjvu" → "anstallningsintervju") with a
/// symmetric-deletion index: every word's variants with up to one deletion
/// (words of 5–7 letters) or two (8 letters or more) are hashed and sorted,
/// so a lookup is a few dozen binary searches, not a scan of the vocabulary.
public struct TypoIndex: Sendable {
    private var words: [[UInt8]] = []
    private var frequencies: [Int] = []
    private var keys: [UInt64] = []
    private var ids: [Int32] = []

    /// Shorter words are too often valid words the content never used.
    public static let minimumLength = 6

    public init(words vocabulary: [String: Int]) {
        let sorted = vocabulary.keys.sorted()
        var pairs: [(UInt64, Int32)] = []
        for word in sorted {
            let bytes = Array(word.utf8)
            guard bytes.count >= Self.minimumLength, bytes.allSatisfy({ $0 >= 97 && $0 <= 122 }) else { continue }
            let id = Int32(words.count)
            words.append(bytes)
            frequencies.append(vocabulary[word] ?? 1)
            for variant in Self.deletions(of: bytes, upTo: Self.maxDistance(bytes.count)) {
                pairs.append((variant, id))
            }
        }
        pairs.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        var last: (UInt64, Int32)?
        for pair in pairs where last == nil || last! != pair {
            keys.append(pair.0)
            ids.append(pair.1)
            last = pair
        }
    }

    static func maxDistance(_ length: Int) -> Int {
        length >= 9 ? 2 : (length >= Self.minimumLength ? 1 : 0)
    }

    /// The nearest vocabulary word within the allowed distance, or nil.
    /// Ties go to the more frequent word, then to alphabetical order.
    public func correct(_ word: String) -> String? {
        let bytes = Array(word.utf8)
        guard bytes.count >= Self.minimumLength, bytes.allSatisfy({ $0 >= 97 && $0 <= 122 }) else { return nil }
        let limit = Self.maxDistance(bytes.count)
        var best: (distance: Int, frequency: Int, id: Int32)?
        var seen = Set<Int32>()
        for variant in Self.deletions(of: bytes, upTo: limit) {
            var lo = lowerBound(variant)
            while lo < keys.count, keys[lo] == variant {
                let id = ids[lo]
                lo += 1
                guard seen.insert(id).inserted else { continue }
                let candidate = words[Int(id)]
                let allowed = min(limit, Self.maxDistance(candidate.count))
                guard abs(candidate.count - bytes.count) <= allowed else { continue }
                let d = Self.distance(bytes, candidate, limit: allowed)
                guard d <= allowed else { continue }
                let f = frequencies[Int(id)]
                if let b = best {
                    if d < b.distance || (d == b.distance && (f > b.frequency || (f == b.frequency && id < b.id))) {
                        best = (d, f, id)
                    }
                } else {
                    best = (d, f, id)
                }
            }
        }
        guard let b = best, b.distance > 0 else { return nil }
        return String(decoding: words[Int(b.id)], as: UTF8.self)
    }

    private func lowerBound(_ key: UInt64) -> Int {
        var lo = 0
        var hi = keys.count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if keys[mid] < key { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// Hashes of the word and of every variant with up to `depth` letters
    /// deleted (repeats possible; callers deduplicate).
    static func deletions(of word: [UInt8], upTo depth: Int) -> [UInt64] {
        var result: [UInt64] = [FNV.hash(bytes: word)]
        var buffer = word
        func delete(from start: Int, remaining: Int) {
            guard remaining > 0, buffer.count > 1 else { return }
            for i in start..<buffer.count {
                let removed = buffer.remove(at: i)
                result.append(FNV.hash(bytes: buffer))
                // Deleting left to right from i on visits each combination once.
                delete(from: i, remaining: remaining - 1)
                buffer.insert(removed, at: i)
            }
        }
        delete(from: 0, remaining: depth)
        return result
    }

    /// Optimal string alignment distance (Damerau–Levenshtein with adjacent
    /// transpositions), stopping early past `limit`.
    static func distance(_ a: [UInt8], _ b: [UInt8], limit: Int) -> Int {
        let n = a.count, m = b.count
        if n == 0 { return m }
        if m == 0 { return n }
        var prev2 = [Int](repeating: 0, count: m + 1)
        var prev = Array(0...m)
        var cur = [Int](repeating: 0, count: m + 1)
        for i in 1...n {
            cur[0] = i
            var rowMin = cur[0]
            for j in 1...m {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var v = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    v = min(v, prev2[j - 2] + 1)
                }
                cur[j] = v
                rowMin = min(rowMin, v)
            }
            if rowMin > limit { return limit + 1 }
            swap(&prev2, &prev)
            swap(&prev, &cur)
        }
        return prev[m]
    }
}
