/// FNV-1a, 64 bits: a fast, stable hash for feature keys and the typo index
/// (stable across runs, unlike `Hasher`).
enum FNV {
    static let offset: UInt64 = 0xcbf2_9ce4_8422_2325
    static let prime: UInt64 = 0x100_0000_01b3

    @inline(__always) static func hash(_ s: String, seed: UInt64 = offset) -> UInt64 {
        var h = seed
        for b in s.utf8 {
            h ^= UInt64(b)
            h &*= prime
        }
        return h
    }

    @inline(__always) static func hash<C: Collection>(bytes: C, seed: UInt64 = offset) -> UInt64 where C.Element == UInt8 {
        var h = seed
        for b in bytes {
            h ^= UInt64(b)
            h &*= prime
        }
        return h
    }

    @inline(__always) static func mix(_ a: UInt64, _ b: UInt64) -> UInt64 {
        var h = a ^ (b &+ 0x9e37_79b9_7f4a_7c15 &+ (a << 6) &+ (a >> 2))
        h &*= prime
        return h
    }
}
