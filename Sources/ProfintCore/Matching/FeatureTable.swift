/// An open-addressing hash table from feature keys (already well-mixed
/// 64-bit hashes) to row numbers: a probe is a mask and a compare, much
/// cheaper than `Dictionary`'s seeded hashing on the per-message path.
/// Key and row share a slot, so a probe touches one cache line.
struct FeatureTable: Sendable {
    struct Slot: Sendable {
        var key: UInt64
        var row: Int32
    }
    private var slots: [Slot]
    private var mask: Int
    private(set) var count = 0

    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [Slot](repeating: Slot(key: 0, row: -1), count: size)
        mask = size - 1
    }

    @inline(__always) private static func stored(_ key: UInt64) -> UInt64 { key == 0 ? 1 : key }
    @inline(__always) private static func start(_ k: UInt64) -> Int { Int(truncatingIfNeeded: k ^ (k >> 29)) }

    /// The row of `key`, inserting it with the next row number if absent.
    mutating func insert(_ key: UInt64) -> Int32 {
        if count * 2 >= slots.count { resize(slots.count * 2) }
        let k = Self.stored(key)
        var i = Self.start(k) & mask
        while slots[i].key != 0 {
            if slots[i].key == k { return slots[i].row }
            i = (i + 1) & mask
        }
        slots[i] = Slot(key: k, row: Int32(count))
        count += 1
        return slots[i].row
    }

    @inline(__always) func row(_ key: UInt64) -> Int32? {
        let k = Self.stored(key)
        return slots.withUnsafeBufferPointer { S in
            var i = Self.start(k) & mask
            while true {
                let stored = S[i].key
                if stored == k { return S[i].row }
                if stored == 0 { return nil }
                i = (i + 1) & mask
            }
        }
    }

    /// Drops spare room once every key is in (at most half full, as `insert` keeps it).
    mutating func compact() {
        var size = 16
        while size < count * 2 { size <<= 1 }
        if size < slots.count { resize(size) }
    }

    private mutating func resize(_ size: Int) {
        let old = slots
        slots = [Slot](repeating: Slot(key: 0, row: -1), count: size)
        mask = size - 1
        for slot in old where slot.key != 0 {
            var i = Self.start(slot.key) & mask
            while slots[i].key != 0 { i = (i + 1) & mask }
            slots[i] = slot
        }
    }
}
