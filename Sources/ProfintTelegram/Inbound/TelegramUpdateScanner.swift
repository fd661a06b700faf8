/// A first look at a webhook body, enough to acknowledge it before it is
/// decoded: the body must be well-formed JSON (RFC 8259, UTF-8) whose top
/// level is an object with an integer `update_id`. One pass over the bytes,
/// no allocation; nesting is limited so that a hostile body cannot exhaust
/// the stack.
public enum TelegramUpdateScanner {
    /// Why a body was refused, for the 400 response.
    public struct Problem: Error, Equatable, CustomStringConvertible {
        public var description: String
    }

    /// Deeper nesting than any update Telegram sends is refused.
    public static let maximumDepth = 64

    /// The update's id, or a problem naming what is wrong at which byte.
    public static func updateID(in bytes: UnsafeRawBufferPointer) throws -> Int64 {
        guard String(validating: bytes.bindMemory(to: UInt8.self), as: UTF8.self) != nil else {
            throw Problem(description: "the body is not valid UTF-8")
        }
        var scanner = Cursor(bytes: bytes.bindMemory(to: UInt8.self))
        let id = try scanner.update()
        return id
    }

    public static func updateID(in bytes: [UInt8]) throws -> Int64 {
        try bytes.withUnsafeBytes { try updateID(in: $0) }
    }

    struct Cursor {
        let bytes: UnsafeBufferPointer<UInt8>
        var at = 0
        var depth = 0

        init(bytes: UnsafeBufferPointer<UInt8>) {
            self.bytes = bytes
        }

        func problem(_ what: String) -> Problem {
            Problem(description: at < bytes.count ? "\(what) at byte \(at)" : "\(what) at the end of the body")
        }

        var current: UInt8? { at < bytes.count ? bytes[at] : nil }

        mutating func skipSpace() {
            while at < bytes.count {
                switch bytes[at] {
                case 0x20, 0x09, 0x0A, 0x0D: at += 1
                default: return
                }
            }
        }

        mutating func expect(_ byte: UInt8, _ what: String) throws {
            skipSpace()
            guard current == byte else { throw problem("expected \(what)") }
            at += 1
        }

        /// The top-level object, looking for `update_id` among its members.
        mutating func update() throws -> Int64 {
            skipSpace()
            guard current == UInt8(ascii: "{") else { throw problem("expected an object") }
            at += 1
            depth = 1
            var id: Int64?
            skipSpace()
            if current == UInt8(ascii: "}") {
                at += 1
            } else {
                while true {
                    skipSpace()
                    let key = try string()
                    try expect(UInt8(ascii: ":"), "':'")
                    skipSpace()
                    if id == nil, Self.isUpdateIDKey(bytes, key) {
                        id = try integer()
                    } else {
                        try value()
                    }
                    skipSpace()
                    if current == UInt8(ascii: ",") { at += 1; continue }
                    try expect(UInt8(ascii: "}"), "',' or '}'")
                    break
                }
            }
            skipSpace()
            guard at == bytes.count else { throw problem("unexpected data after the object") }
            guard let id else { throw Problem(description: "no integer update_id") }
            return id
        }

        static func isUpdateIDKey(_ bytes: UnsafeBufferPointer<UInt8>, _ key: Range<Int>) -> Bool {
            let name: StaticString = "update_id"
            guard key.count == name.utf8CodeUnitCount else { return false }
            return name.withUTF8Buffer { name in zip(bytes[key], name).allSatisfy { $0 == $1 } }
        }

        mutating func value() throws {
            skipSpace()
            guard let byte = current else { throw problem("expected a value") }
            switch byte {
            case UInt8(ascii: "{"):
                try nested(close: UInt8(ascii: "}")) { cursor in
                    _ = try cursor.string()
                    try cursor.expect(UInt8(ascii: ":"), "':'")
                    try cursor.value()
                }
            case UInt8(ascii: "["):
                try nested(close: UInt8(ascii: "]")) { try $0.value() }
            case UInt8(ascii: "\""):
                _ = try string()
            case UInt8(ascii: "t"): try literal("true")
            case UInt8(ascii: "f"): try literal("false")
            case UInt8(ascii: "n"): try literal("null")
            default:
                _ = try number()
            }
        }

        mutating func nested(close: UInt8, _ member: (inout Cursor) throws -> Void) throws {
            depth += 1
            guard depth <= TelegramUpdateScanner.maximumDepth else { throw problem("nested too deeply") }
            at += 1
            skipSpace()
            if current == close {
                at += 1
            } else {
                while true {
                    skipSpace()
                    try member(&self)
                    skipSpace()
                    if current == UInt8(ascii: ",") { at += 1; continue }
                    guard current == close else { throw problem("expected ',' or '\(Character(Unicode.Scalar(close)))'") }
                    at += 1
                    break
                }
            }
            depth -= 1
        }

        mutating func literal(_ word: StaticString) throws {
            let count = word.utf8CodeUnitCount
            let matches = word.withUTF8Buffer { w in at + count <= bytes.count && zip(bytes[at..<(at + count)], w).allSatisfy { $0 == $1 } }
            guard matches else { throw problem("unexpected character") }
            at += count
        }

        /// A string; returns the range of its contents (escapes left as they are).
        mutating func string() throws -> Range<Int> {
            guard current == UInt8(ascii: "\"") else { throw problem("expected a string") }
            at += 1
            let start = at
            while true {
                guard let byte = current else { throw problem("unterminated string") }
                switch byte {
                case UInt8(ascii: "\""):
                    at += 1
                    return start..<(at - 1)
                case UInt8(ascii: "\\"):
                    at += 1
                    guard let escaped = current else { throw problem("unterminated string") }
                    if escaped == UInt8(ascii: "u") {
                        for offset in 1...4 {
                            guard at + offset < bytes.count, Self.isHexDigit(bytes[at + offset]) else { throw problem("bad \\u escape") }
                        }
                        at += 5
                    } else {
                        switch escaped {
                        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                             UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                            break
                        default:
                            throw problem("bad escape")
                        }
                        at += 1
                    }
                case 0x00..<0x20:
                    throw problem("control character in a string")
                default:
                    at += 1
                }
            }
        }

        static func isHexDigit(_ b: UInt8) -> Bool {
            (0x30...0x39).contains(b) || (0x41...0x46).contains(b) || (0x61...0x66).contains(b)
        }

        static func isDigit(_ b: UInt8?) -> Bool {
            b.map { (0x30...0x39).contains($0) } ?? false
        }

        /// A number; returns its bytes and whether it is an integer.
        mutating func number() throws -> (Range<Int>, isInteger: Bool) {
            let start = at
            if current == UInt8(ascii: "-") { at += 1 }
            guard Self.isDigit(current) else { throw problem("unexpected character") }
            if current == UInt8(ascii: "0") {
                at += 1
            } else {
                while Self.isDigit(current) { at += 1 }
            }
            var isInteger = true
            if current == UInt8(ascii: ".") {
                isInteger = false
                at += 1
                guard Self.isDigit(current) else { throw problem("bad number") }
                while Self.isDigit(current) { at += 1 }
            }
            if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
                isInteger = false
                at += 1
                if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { at += 1 }
                guard Self.isDigit(current) else { throw problem("bad number") }
                while Self.isDigit(current) { at += 1 }
            }
            return (start..<at, isInteger)
        }

        /// An integer that fits in 64 bits (the update id).
        mutating func integer() throws -> Int64 {
            let (range, isInteger) = try number()
            guard isInteger else { throw Problem(description: "update_id is not an integer") }
            var value: Int64 = 0
            let negative = bytes[range.lowerBound] == UInt8(ascii: "-")
            for byte in bytes[(negative ? range.lowerBound + 1 : range.lowerBound)..<range.upperBound] {
                let (times, o1) = value.multipliedReportingOverflow(by: 10)
                let (plus, o2) = times.addingReportingOverflow(Int64(byte - 0x30))
                guard !o1, !o2 else { throw Problem(description: "update_id is out of range") }
                value = plus
            }
            return negative ? -value : value
        }
    }
}
