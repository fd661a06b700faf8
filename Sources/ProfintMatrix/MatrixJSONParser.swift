import ProfintCore

/// A JSON reader for application-service transactions whose cost is linear
/// in the body: one pass, nesting limited to `maximumDepth` (as for
/// Telegram webhooks), numbers that do not fit a Double refused. Parts of a
/// body the bot does not read are skipped without building values.
struct MatrixJSONParser {
    struct Problem: Error, CustomStringConvertible {
        var description: String
    }

    /// Deeper nesting than any event a homeserver sends is refused.
    static let maximumDepth = 64
    /// A longer number literal is refused rather than converted.
    static let maximumNumberLength = 400

    let bytes: UnsafeBufferPointer<UInt8>
    var at = 0
    private var depth = 0

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    var current: UInt8? { at < bytes.count ? bytes[at] : nil }
    var isAtEnd: Bool { at >= bytes.count }

    func problem(_ what: String) -> Problem {
        Problem(description: at < bytes.count ? "\(what) at byte \(at)" : "\(what) at the end of the body")
    }

    /// Back to `offset` at the top level, after a value failed to parse.
    mutating func rewind(to offset: Int) {
        at = offset
        depth = 0
    }

    mutating func skipSpace() {
        while at < bytes.count {
            switch bytes[at] {
            case 0x20, 0x09, 0x0A, 0x0D: at += 1
            default: return
            }
        }
    }

    /// Skips spaces and consumes `byte` if it comes next.
    mutating func consume(_ byte: UInt8) -> Bool {
        skipSpace()
        guard current == byte else { return false }
        at += 1
        return true
    }

    mutating func expect(_ byte: UInt8, _ what: String) throws {
        guard consume(byte) else { throw problem("expected \(what)") }
    }

    /// One value, built as a tree.
    mutating func value() throws -> JSONValue {
        skipSpace()
        guard let byte = current else { throw problem("expected a value") }
        switch byte {
        case UInt8(ascii: "{"):
            try enter()
            var object: [String: JSONValue] = [:]
            if !consume(UInt8(ascii: "}")) {
                repeat {
                    skipSpace()
                    let key = try string()
                    try expect(UInt8(ascii: ":"), "':'")
                    object[key] = try value()
                } while consume(UInt8(ascii: ","))
                try expect(UInt8(ascii: "}"), "',' or '}'")
            }
            depth -= 1
            return .object(object)
        case UInt8(ascii: "["):
            try enter()
            var array: [JSONValue] = []
            if !consume(UInt8(ascii: "]")) {
                repeat { array.append(try value()) } while consume(UInt8(ascii: ","))
                try expect(UInt8(ascii: "]"), "',' or ']'")
            }
            depth -= 1
            return .array(array)
        case UInt8(ascii: "\""):
            return .string(try string())
        case UInt8(ascii: "t"):
            try literal("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try literal("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try literal("null")
            return .null
        default:
            return try number()
        }
    }

    private mutating func enter() throws {
        depth += 1
        guard depth <= Self.maximumDepth else { throw problem("nested deeper than \(Self.maximumDepth)") }
        at += 1
    }

    private mutating func literal(_ word: StaticString) throws {
        let count = word.utf8CodeUnitCount
        guard at + count <= bytes.count else { throw problem("expected a value") }
        for i in 0..<count where bytes[at + i] != word.utf8Start[i] { throw problem("expected a value") }
        at += count
    }

    private mutating func digits() -> Int {
        let start = at
        while let byte = current, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") { at += 1 }
        return at - start
    }

    /// A number as RFC 8259 writes it: an integer that fits 64 bits, else a finite Double.
    mutating func number() throws -> JSONValue {
        let start = at
        if current == UInt8(ascii: "-") { at += 1 }
        guard let first = current, first >= UInt8(ascii: "0"), first <= UInt8(ascii: "9") else { throw problem("expected a value") }
        if first == UInt8(ascii: "0") { at += 1 } else { _ = digits() }
        var integral = true
        if current == UInt8(ascii: ".") {
            at += 1
            integral = false
            guard digits() > 0 else { throw problem("expected a digit") }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            at += 1
            integral = false
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { at += 1 }
            guard digits() > 0 else { throw problem("expected a digit") }
        }
        guard at - start <= Self.maximumNumberLength else { throw problem("number too long") }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<at]), as: UTF8.self)
        if integral, let value = Int64(text) { return .int(value) }
        guard let value = Double(text), value.isFinite else { throw problem("number out of range") }
        return .double(value)
    }

    /// A string (the cursor on its opening quote), escapes decoded, UTF-8 checked.
    mutating func string() throws -> String {
        guard current == UInt8(ascii: "\"") else { throw problem("expected a string") }
        at += 1
        let start = at
        // Fast path: no escapes.
        while let byte = current, byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\") {
            guard byte >= 0x20 else { throw problem("control character in a string") }
            at += 1
        }
        guard let stop = current else { throw problem("unterminated string") }
        if stop == UInt8(ascii: "\"") {
            at += 1
            return try text(UnsafeBufferPointer(rebasing: bytes[start..<(at - 1)]))
        }
        var buffer = Array(UnsafeBufferPointer(rebasing: bytes[start..<at]))
        while true {
            guard let byte = current else { throw problem("unterminated string") }
            at += 1
            switch byte {
            case UInt8(ascii: "\""):
                return try buffer.withUnsafeBufferPointer { try text($0) }
            case UInt8(ascii: "\\"):
                guard let escaped = current else { throw problem("unterminated string") }
                at += 1
                switch escaped {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): buffer.append(escaped)
                case UInt8(ascii: "b"): buffer.append(0x08)
                case UInt8(ascii: "f"): buffer.append(0x0C)
                case UInt8(ascii: "n"): buffer.append(0x0A)
                case UInt8(ascii: "r"): buffer.append(0x0D)
                case UInt8(ascii: "t"): buffer.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800..<0xDC00).contains(scalar) {
                        guard current == UInt8(ascii: "\\"), at + 1 < bytes.count, bytes[at + 1] == UInt8(ascii: "u") else {
                            throw problem("unpaired surrogate")
                        }
                        at += 2
                        let low = try hex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw problem("unpaired surrogate") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00..<0xE000).contains(scalar) {
                        throw problem("unpaired surrogate")
                    }
                    buffer.append(contentsOf: String(Character(Unicode.Scalar(scalar)!)).utf8)
                default:
                    throw problem("invalid escape")
                }
            default:
                guard byte >= 0x20 else { throw problem("control character in a string") }
                buffer.append(byte)
            }
        }
    }

    private mutating func hex4() throws -> UInt32 {
        guard at + 4 <= bytes.count else { throw problem("invalid \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[at]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw problem("invalid \\u escape")
            }
            value = value << 4 | UInt32(digit)
            at += 1
        }
        return value
    }

    private func text(_ slice: UnsafeBufferPointer<UInt8>) throws -> String {
        guard let text = String(validating: slice, as: UTF8.self) else { throw problem("invalid UTF-8 in a string") }
        return text
    }

    /// Moves past one value without building it: brackets matched, strings
    /// skipped (escapes included), scalars up to the next delimiter. Any depth,
    /// linear cost.
    mutating func skipValue() throws {
        var open: [UInt8] = []
        repeat {
            skipSpace()
            guard let byte = current else { throw problem("expected a value") }
            switch byte {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                open.append(byte == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]"))
                at += 1
                continue
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                guard open.last == byte else { throw problem("unexpected '\(Character(Unicode.Scalar(byte)))'") }
                open.removeLast()
                at += 1
            case UInt8(ascii: "\""):
                try skipString()
            case UInt8(ascii: ","), UInt8(ascii: ":"):
                guard !open.isEmpty else { throw problem("expected a value") }
                at += 1
                continue
            default:
                let start = at
                while let next = current, !Self.isDelimiter(next) { at += 1 }
                guard at > start else { throw problem("expected a value") }
            }
        } while !open.isEmpty
    }

    private mutating func skipString() throws {
        at += 1
        while let byte = current {
            at += 1
            if byte == UInt8(ascii: "\"") { return }
            if byte == UInt8(ascii: "\\") { at += 1 }
        }
        throw problem("unterminated string")
    }

    static func isDelimiter(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x20, 0x09, 0x0A, 0x0D, UInt8(ascii: ","), UInt8(ascii: ":"), UInt8(ascii: "]"), UInt8(ascii: "}"),
             UInt8(ascii: "["), UInt8(ascii: "{"), UInt8(ascii: "\""):
            return true
        default:
            return false
        }
    }
}
