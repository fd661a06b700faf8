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
    /// Where the keys whose top `directoryBits` bits are `b` start in
    /// `keys` (sorted): a lookup reads one bucket of a few keys instead of
    /// binary-searching the whole array (a cache miss per step).
    private var directory: [UInt32] = []
    private var directoryBits = 0

    /// Shorter words are too often valid words the content never used.
    public static let minimumLength = 5
    /// Longer words are not corrected: a lookup costs about n² hashes of n
    /// letters, and no word a user means is this long (the longest Swedish
    /// compounds of the content have under 30 letters).
    public static let maximumLength = 32

    public init(words vocabulary: [String: Int]) {
        self.init(sortedWords: vocabulary.keys.sorted().map { ($0, vocabulary[$0] ?? 1) })
    }

    /// From a table of folded words and their counts.
    init(counts: StringTable<Int>) {
        self.init(sortedWords: counts.entries.map { ($0.key, $0.value) }.sorted { $0.0 < $1.0 })
    }

    /// From (word, count) pairs sorted by word.
    init(sortedWords: [(String, Int)]) {
        var variantKeys: [UInt64] = []
        var variantIDs: [Int32] = []
        for (word, count) in sortedWords {
            let bytes = Array(word.utf8)
            guard bytes.count >= Self.minimumLength, bytes.count <= Self.maximumLength,
                  bytes.allSatisfy({ $0 >= 97 && $0 <= 122 }) else { continue }
            let id = Int32(words.count)
            words.append(bytes)
            frequencies.append(count)
            for variant in Self.deletions(of: bytes, upTo: Self.maxDistance(bytes.count)) {
                variantKeys.append(variant)
                variantIDs.append(id)
            }
        }
        // By key, then id: a stable radix sort by key of pairs made in id order.
        Self.radixSort(&variantKeys, &variantIDs)
        // Repeated pairs dropped, in place.
        var unique = 0
        for i in variantKeys.indices where unique == 0 || variantKeys[i] != variantKeys[unique - 1] || variantIDs[i] != variantIDs[unique - 1] {
            variantKeys[unique] = variantKeys[i]
            variantIDs[unique] = variantIDs[i]
            unique += 1
        }
        variantKeys.removeLast(variantKeys.count - unique)
        variantIDs.removeLast(variantIDs.count - unique)
        keys = variantKeys
        ids = variantIDs
        var bits = 1
        while bits < 30, (1 << bits) < keys.count / 2 { bits += 1 }
        directoryBits = bits
        let buckets = 1 << bits
        var directory = [UInt32](repeating: 0, count: buckets + 1)
        let shift = UInt64(64 - bits)
        for key in keys { directory[Int(key >> shift) + 1] += 1 }
        for b in 0..<buckets { directory[b + 1] += directory[b] }
        self.directory = directory
    }

    /// Stable sort of `keys`, `ids` moved along: one pass into buckets by
    /// the keys' top bits (about one key per bucket: the keys are
    /// well-mixed hashes), then a stable insertion sort within each bucket.
    static func radixSort(_ keys: inout [UInt64], _ ids: inout [Int32]) {
        let n = keys.count
        guard n > 1 else { return }
        var bits = 4
        while bits < 24, (1 << bits) < n { bits += 1 }
        let shift = UInt64(64 - bits)
        let buckets = 1 << bits
        var starts = [Int32](repeating: 0, count: buckets + 1)
        var keys2 = [UInt64](repeating: 0, count: n)
        var ids2 = [Int32](repeating: 0, count: n)
        starts.withUnsafeMutableBufferPointer { S in
            keys.withUnsafeBufferPointer { K in
                ids.withUnsafeBufferPointer { I in
                    keys2.withUnsafeMutableBufferPointer { K2 in
                        ids2.withUnsafeMutableBufferPointer { I2 in
                            for k in K { S[Int(truncatingIfNeeded: k >> shift) + 1] += 1 }
                            for b in 0..<buckets { S[b + 1] += S[b] }
                            for i in 0..<n {
                                let b = Int(truncatingIfNeeded: K[i] >> shift)
                                let at = Int(S[b])
                                K2[at] = K[i]
                                I2[at] = I[i]
                                S[b] = Int32(at + 1)
                            }
                            // Keys only move within their bucket; equal keys keep their order.
                            for i in 1..<n {
                                let key = K2[i], id = I2[i]
                                var j = i
                                while j > 0, K2[j - 1] > key {
                                    K2[j] = K2[j - 1]
                                    I2[j] = I2[j - 1]
                                    j -= 1
                                }
                                if j != i {
                                    K2[j] = key
                                    I2[j] = id
                                }
                            }
                        }
                    }
                }
            }
        }
        swap(&keys, &keys2)
        swap(&ids, &ids2)
    }

    static func maxDistance(_ length: Int) -> Int {
        length >= 9 ? 2 : (length >= Self.minimumLength ? 1 : 0)
    }

    /// Words this short are corrected only to a word the content uses
    /// often, and only when no other word is as near: "skils" → "skills",
    /// but a rare or ambiguous short word is left as typed.
    static let shortLength = 5
    static let shortMinimumFrequency = 3

    /// The nearest vocabulary word within the allowed distance, or nil.
    /// Ties go to the more frequent word, then to alphabetical order.
    public func correct(_ word: String) -> String? {
        let bytes = Array(word.utf8)
        guard bytes.count >= Self.minimumLength, bytes.count <= Self.maximumLength,
              bytes.allSatisfy({ $0 >= 97 && $0 <= 122 }) else { return nil }
        let limit = Self.maxDistance(bytes.count)
        var best: (distance: Int, frequency: Int, id: Int32)?
        // Another word as near as the best one, and not of its family
        // ("skill" and "skills" are one family; "lunch" and "bunch" are not).
        var tied = false
        // Candidates are few: a list is cheaper than a set.
        var seen: [Int32] = []
        for variant in Self.deletions(of: bytes, upTo: limit) {
            var lo = lowerBound(variant)
            while lo < keys.count, keys[lo] == variant {
                let id = ids[lo]
                lo += 1
                guard !seen.contains(id) else { continue }
                seen.append(id)
                let candidate = words[Int(id)]
                let allowed = min(limit, Self.maxDistance(candidate.count))
                guard abs(candidate.count - bytes.count) <= allowed else { continue }
                let d = Self.distance(bytes, candidate, limit: allowed)
                guard d <= allowed else { continue }
                let f = frequencies[Int(id)]
                if let b = best {
                    if d < b.distance {
                        tied = false
                    } else if d == b.distance, !Self.sameFamily(candidate, words[Int(b.id)]) {
                        tied = true
                    }
                    if d < b.distance || (d == b.distance && (f > b.frequency || (f == b.frequency && id < b.id))) {
                        best = (d, f, id)
                    }
                } else {
                    best = (d, f, id)
                }
            }
        }
        guard let b = best, b.distance > 0 else { return nil }
        if bytes.count <= Self.shortLength, tied || b.frequency < Self.shortMinimumFrequency { return nil }
        return String(decoding: words[Int(b.id)], as: UTF8.self)
    }

    /// Two words that differ only after the shorter one's last letter but one.
    static func sameFamily(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        let n = min(a.count, b.count) - 1
        return n > 0 && a.prefix(n) == b.prefix(n)
    }

    private func lowerBound(_ key: UInt64) -> Int {
        guard !directory.isEmpty else { return keys.count }
        let bucket = Int(key >> UInt64(64 - directoryBits))
        var lo = Int(directory[bucket])
        var hi = Int(directory[bucket + 1])
        while lo < hi {
            let mid = (lo + hi) >> 1
            if keys[mid] < key { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// Hashes of the word and of every variant with up to `depth` letters
    /// deleted (repeats possible; callers deduplicate).
    static func deletions(of word: [UInt8], upTo depth: Int) -> [UInt64] {
        let n = word.count
        var result: [UInt64] = [FNV.hash(bytes: word)]
        guard depth > 0, n > 1 else { return result }
        result.reserveCapacity(1 + n + (depth > 1 ? n * (n - 1) / 2 : 0))
        word.withUnsafeBufferPointer { w in
            for i in 0..<n {
                // Without letter i: the hash of the prefix, then the rest.
                var prefix = FNV.offset
                for k in 0..<i { prefix ^= UInt64(w[k]); prefix &*= FNV.prime }
                var h = prefix
                for k in (i + 1)..<n { h ^= UInt64(w[k]); h &*= FNV.prime }
                result.append(h)
                // Without letters i and j (i < j), while at least one letter remains.
                guard depth > 1, n - 1 > 1 else { continue }
                var middle = prefix
                for j in (i + 1)..<n {
                    var h2 = middle
                    for k in (j + 1)..<n { h2 ^= UInt64(w[k]); h2 &*= FNV.prime }
                    result.append(h2)
                    middle ^= UInt64(w[j])
                    middle &*= FNV.prime
                }
            }
        }
        return result
    }

    /// Optimal string alignment distance (Damerau–Levenshtein with adjacent
    /// transpositions), stopping early past `limit`.
    static func distance(_ a: [UInt8], _ b: [UInt8], limit: Int) -> Int {
        let n = a.count, m = b.count
        if n == 0 { return m }
        if m == 0 { return n }
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: 3 * (m + 1)) { rows in
            var prev2 = UnsafeMutableBufferPointer(rebasing: rows[0..<(m + 1)])
            var prev = UnsafeMutableBufferPointer(rebasing: rows[(m + 1)..<(2 * m + 2)])
            var cur = UnsafeMutableBufferPointer(rebasing: rows[(2 * m + 2)..<(3 * m + 3)])
            prev2.initialize(repeating: 0)
            for j in 0...m { prev[j] = j }
            cur.initialize(repeating: 0)
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
}
