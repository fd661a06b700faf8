/// An open-addressing hash table from strings to values, hashed with FNV-1a
/// over the UTF-8 bytes: built once at load time, read on the message path,
/// where `Dictionary<String, _>`'s seeded SipHash (set-up, finalization and
/// the `Hashable` witness calls) cost more than the lookups themselves.
///
/// Lookups never depend on insertion order or on a per-process seed; the
/// table is never iterated on the message path.
struct StringTable<Value: Sendable>: Sendable {
    struct Entry: Sendable {
        var key: String
        var value: Value
    }
    /// Per slot: 0 when empty, else the entry's index + 1 in the low 32 bits
    /// and 32 bits of the key's hash in the high ones (one load per probe).
    private var slots: [UInt64]
    private(set) var entries: [Entry] = []
    private var mask: Int

    init(minimumCapacity: Int = 8) {
        var size = 16
        while size < minimumCapacity * 2 { size <<= 1 }
        slots = [UInt64](repeating: 0, count: size)
        mask = size - 1
    }

    init<S: Sequence>(_ pairs: S) where S.Element == (String, Value) {
        self.init(minimumCapacity: pairs.underestimatedCount)
        for (key, value) in pairs { self[key] = value }
    }

    var count: Int { entries.count }
    var isEmpty: Bool { entries.isEmpty }
    var keys: [String] { entries.map(\.key) }
    var values: [Value] { entries.map(\.value) }

    /// Eight bytes at a time, each word mixed by a multiply: a few cycles
    /// for a word, where FNV-1a waits on one multiply per byte. Only
    /// lookups depend on it (the table is never read in hash order).
    @inline(__always) static func hash(_ key: String) -> UInt64 {
        if let h = key.utf8.withContiguousStorageIfAvailable({ hash(bytes: $0) }) { return h }
        var copy = key
        return copy.withUTF8 { hash(bytes: $0) }
    }

    @inline(__always) static func hash(bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        let n = bytes.count
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: n)
        guard let base = bytes.baseAddress else { return h }
        var i = 0
        while i + 8 <= n {
            h = (h ^ UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 32
            i += 8
        }
        if i < n {
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while i < n {
                tail |= UInt64(base[i]) << shift
                shift += 8
                i += 1
            }
            h = (h ^ tail) &* 0xC4CE_B9FE_1A85_EC53
        }
        h ^= h >> 29
        h &*= 0xFF51_AFD7_ED55_8CCD
        return h ^ (h >> 32)
    }

    @inline(__always) private static func start(_ h: UInt64) -> Int {
        Int(truncatingIfNeeded: h ^ (h >> 32))
    }

    /// The entry index of `key`, or -1.
    @inline(__always) func find(_ key: String) -> Int {
        let h = Self.hash(key)
        let tag = h >> 32
        return slots.withUnsafeBufferPointer { S in
            entries.withUnsafeBufferPointer { E in
                var i = Self.start(h) & mask
                while true {
                    let slot = S[i]
                    if slot == 0 { return -1 }
                    if slot >> 32 == tag {
                        let e = Int(truncatingIfNeeded: slot & 0xFFFF_FFFF) - 1
                        if E[e].key == key { return e }
                    }
                    i = (i + 1) & mask
                }
            }
        }
    }

    @inline(__always) func contains(_ key: String) -> Bool { find(key) >= 0 }

    @inline(__always) func value(at entry: Int) -> Value { entries[entry].value }

    subscript(key: String) -> Value? {
        get {
            let e = find(key)
            return e < 0 ? nil : entries[e].value
        }
        set {
            let e = find(key)
            if e >= 0 {
                if let newValue { entries[e].value = newValue } else { remove(at: e) }
                return
            }
            guard let newValue else { return }
            insertNew(key, newValue)
        }
    }

    /// The entry of `key`, inserting `makeDefault()` first if absent.
    @discardableResult
    mutating func entry(_ key: String, default makeDefault: @autoclosure () -> Value) -> Int {
        let e = find(key)
        if e >= 0 { return e }
        insertNew(key, makeDefault())
        return entries.count - 1
    }

    mutating func update(at entry: Int, _ body: (inout Value) -> Void) {
        body(&entries[entry].value)
    }

    private mutating func insertNew(_ key: String, _ value: Value) {
        if (entries.count + 1) * 2 > slots.count { grow() }
        place(Self.hash(key), entries.count)
        entries.append(Entry(key: key, value: value))
    }

    private mutating func place(_ h: UInt64, _ entry: Int) {
        var i = Self.start(h) & mask
        while slots[i] != 0 { i = (i + 1) & mask }
        slots[i] = (h & 0xFFFF_FFFF_0000_0000) | UInt64(entry + 1)
    }

    private mutating func remove(at entry: Int) {
        // Rare (build time only): rebuild without the entry.
        var entries = self.entries
        entries.remove(at: entry)
        var fresh = StringTable(minimumCapacity: entries.count)
        for e in entries { fresh.insertNew(e.key, e.value) }
        self = fresh
    }

    private mutating func grow() {
        let size = slots.count * 2
        slots = [UInt64](repeating: 0, count: size)
        mask = size - 1
        for (e, entry) in entries.enumerated() { place(Self.hash(entry.key), e) }
    }
}

/// A set of strings with the same hashing as `StringTable`.
struct StringSet: Sendable {
    private var table: StringTable<Bool>

    init<S: Sequence>(_ strings: S) where S.Element == String {
        table = StringTable(minimumCapacity: strings.underestimatedCount)
        for s in strings { table[s] = true }
    }

    init() { table = StringTable() }

    @inline(__always) func contains(_ s: String) -> Bool { table.find(s) >= 0 }
    mutating func insert(_ s: String) { table[s] = true }
    var count: Int { table.count }
    var isEmpty: Bool { table.isEmpty }
    var elements: [String] { table.keys }
}
