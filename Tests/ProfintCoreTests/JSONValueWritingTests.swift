import Foundation
import Testing
@testable import ProfintCore

/// The byte writer behind every outgoing call body gives the same bytes as
/// Foundation's encoder with sorted keys, and text that parses back to the value.
struct JSONValueWritingTests {
    static func reference(_ value: JSONValue) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return [UInt8](try encoder.encode(value))
    }

    /// Deterministic pseudo-random values over the characters that need care.
    static func value(_ seed: inout UInt64, depth: Int = 0) -> JSONValue {
        func next(_ n: UInt64) -> Int {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Int((seed >> 33) % n)
        }
        let pieces = ["a", "Ä", "é", "\"", "\\", "/", "\n", "\r", "\t", "\u{08}", "\u{0C}", "\u{01}", "\u{1F}", "<b>", "&amp;", "👍", "ß", " ", "0", "_id", "\u{7F}"]
        func text() -> String { (0..<next(6)).map { _ in pieces[next(UInt64(pieces.count))] }.joined() }
        switch depth > 2 ? next(5) : next(7) {
        case 0: return .null
        case 1: return .bool(next(2) == 0)
        case 2: return .int(Int64(next(2_000_000)) - 1_000_000)
        case 3: return .string(text())
        case 4: return .double(Double(next(1000)) / 8)
        case 5: return .array((0..<next(4)).map { _ in value(&seed, depth: depth + 1) })
        default:
            var object: [String: JSONValue] = [:]
            for _ in 0..<next(5) { object[["chat_id", "text", "parse_mode", "reply_markup", "inline_keyboard", "callback_data", "body", "m.mentions", "user_ids", text()][next(10)]] = value(&seed, depth: depth + 1) }
            return .object(object)
        }
    }

    @Test func theBytesAreFoundationsForTwoThousandValues() throws {
        var seed: UInt64 = 2026
        for _ in 0..<2000 {
            let value = Self.value(&seed)
            let written = value.jsonBytes
            #expect(written == (try Self.reference(value)), "\(String(decoding: written, as: UTF8.self))")
            #expect(try JSONDecoder().decode(JSONValue.self, from: Data(written)) == value || value.containsDouble)
        }
    }

    @Test func aTelegramLikeBodyReadsAsExpected() {
        let body: JSONValue = ["text": "<b>Cas</b>\n\"l'accueil\"", "chat_id": 42, "parse_mode": "HTML"]
        #expect(String(decoding: body.jsonBytes, as: UTF8.self) == #"{"chat_id":42,"parse_mode":"HTML","text":"<b>Cas</b>\n\"l'accueil\""}"#)
    }
}

extension JSONValue {
    /// Doubles such as 2.0 read back as integers: compared by bytes only.
    var containsDouble: Bool {
        switch self {
        case .double: return true
        case .array(let values): return values.contains { $0.containsDouble }
        case .object(let members): return members.values.contains { $0.containsDouble }
        default: return false
        }
    }
}
