/// An open-addressing hash table from feature keys (already well-mixed
/// 64-bit hashes) to row numbers: a probe is a mask and a compare, much
/// cheaper than `Dictionary`'s seeded hashing on the per-message path.
struct FeatureTable: Sendable {
    private var keys: [UInt64]
    private var rows: [Int32]
    private var mask: Int
    private(set) var count = 0

    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        keys = [UInt64](repeating: 0, count: size)
        rows = [Int32](repeating: -1, count: size)
        mask = size - 1
    }

    @inline(__always) private static func stored(_ key: UInt64) -> UInt64 { key == 0 ? 1 : key }

    /// The row of `key`, inserting it with the next row number if absent.
    mutating func insert(_ key: UInt64) -> Int32 {
        if count * 2 >= keys.count { grow() }
        let k = Self.stored(key)
        var i = Int(truncatingIfNeeded: k ^ (k >> 29)) & mask
        while keys[i] != 0 {
            if keys[i] == k { return rows[i] }
            i = (i + 1) & mask
        }
        keys[i] = k
        rows[i] = Int32(count)
        count += 1
        return rows[i]
    }

    @inline(__always) func row(_ key: UInt64) -> Int32? {
        let k = Self.stored(key)
        var i = Int(truncatingIfNeeded: k ^ (k >> 29)) & mask
        while true {
            let stored = keys[i]
            if stored == k { return rows[i] }
            if stored == 0 { return nil }
            i = (i + 1) & mask
        }
    }

    private mutating func grow() {
        let oldKeys = keys, oldRows = rows
        let size = keys.count * 2
        keys = [UInt64](repeating: 0, count: size)
        rows = [Int32](repeating: -1, count: size)
        mask = size - 1
        for (k, r) in zip(oldKeys, oldRows) where k != 0 {
            var i = Int(truncatingIfNeeded: k ^ (k >> 29)) & mask
            while keys[i] != 0 { i = (i + 1) & mask }
            keys[i] = k
            rows[i] = r
        }
    }
}
