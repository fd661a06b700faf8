import Foundation
import ProfintCore
import Testing
@testable import ProfintMatrix

/// Transactions are read in one pass: a bad event is skipped and counted,
/// hostile bodies cost time linear in their size.
struct MatrixTransactionDecodingTests {
    static func event(_ id: String, content: String = #"{"msgtype": "m.text", "body": "hello"}"#) -> String {
        #"{"type": "m.room.message", "event_id": "\#(id)", "room_id": "!r:localhost", "sender": "@ana:localhost", "content": \#(content)}"#
    }

    static func decode(_ body: String) throws -> MatrixTransaction {
        try MatrixTransaction.decode(Data(body.utf8))
    }

    static func nested(_ depth: Int) -> String {
        String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
    }

    @Test func theRecordedTransactionReadsAsFoundationReadsIt() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/transaction.json")
        let data = try Data(contentsOf: url)
        let expected = try JSONDecoder().decode(JSONValue.self, from: data)
        let transaction = try MatrixTransaction.decode(data)
        let expectedEvents = expected["events"]!.array!.compactMap(MatrixEvent.init(json:))
        #expect(transaction.events == expectedEvents)
        #expect(transaction.malformed == 0)
        for event in expectedEvents {
            #expect(transaction.raw[event.eventID]?.jsonData() == expected["events"]!.array!.first { $0["event_id"]?.string == event.eventID }?.jsonData())
        }
    }

    @Test func aNumberOutOfRangeSkipsOnlyItsEvent() throws {
        let body = #"{"events": [\#(Self.event("$a")), \#(Self.event("$bad", content: #"{"body": "x", "n": 1e400}"#)), \#(Self.event("$c"))]}"#
        let transaction = try Self.decode(body)
        #expect(transaction.events.map(\.eventID) == ["$a", "$c"])
        #expect(transaction.malformed == 1)
        #expect(transaction.skipped == 1)
    }

    @Test func nestingIsLimitedToSixtyFourPerEvent() throws {
        // The event object is one level, its content another: 62 more fit.
        let deepest = Self.event("$ok", content: #"{"body": "x", "deep": \#(Self.nested(62))}"#)
        let tooDeep = Self.event("$deep", content: #"{"body": "x", "deep": \#(Self.nested(63))}"#)
        let transaction = try Self.decode(#"{"events": [\#(deepest), \#(tooDeep), \#(Self.event("$after"))]}"#)
        #expect(transaction.events.map(\.eventID) == ["$ok", "$after"])
        #expect(transaction.malformed == 1)
    }

    @Test func stringsAreDecodedWithTheirEscapes() throws {
        let content = #"{"body": "caf\u00e9 \ud83d\ude00 \"q\" \\ \/ \n\t end", "formatted_body": "é"}"#
        let transaction = try Self.decode(#"{"events": [\#(Self.event("$s", content: content))]}"#)
        #expect(transaction.events.first?.content["body"]?.string == "café 😀 \"q\" \\ / \n\t end")
        #expect(transaction.events.first?.content["formatted_body"]?.string == "é")
    }

    @Test func unpairedSurrogatesAndControlCharactersSkipTheEvent() throws {
        let bad = [#"{"body": "\ud83d"}"#, "{\"body\": \"a\u{01}b\"}", #"{"body": "\x"}"#, #"{"body": 01}"#, #"{"body": tru}"#]
        for content in bad {
            let transaction = try Self.decode(#"{"events": [\#(Self.event("$bad", content: content)), \#(Self.event("$ok"))]}"#)
            #expect(transaction.events.map(\.eventID) == ["$ok"], "\(content)")
            #expect(transaction.malformed == 1, "\(content)")
        }
    }

    @Test func bodiesThatAreNotTransactionsAreRefused() {
        for body in ["{not json", #"{"events": 3}"#, "[]", #"{"events": [}"#, #"{"events": [[}]]}"#, #"{"events": []} x"#,
                     #"{"events": ["#, #"{"other": [1, 2]}"#, String(repeating: "[", count: 100_000)] {
            #expect(throws: MatrixTransaction.Malformed.self, "\(body.prefix(40))") { try Self.decode(body) }
        }
        #expect((try? Self.decode(#"{"events": [], "ephemeral": [{"a": [[[[[[[[1e999]]]]]]]]}], "n": -1.5e3}"#))?.events.isEmpty == true)
    }

    @Test func hostileBodiesCostTimeLinearInTheirSize() throws {
        // Ten 500-deep arrays in 10 KB (7.5 s of CPU before), and a megabyte of [].
        let deep = #"{"events": [\#((0..<10).map { _ in Self.nested(500) }.joined(separator: ","))]}"#
        var started = Date()
        let first = try Self.decode(deep)
        let deepSeconds = Date().timeIntervalSince(started)
        #expect(first.malformed == 10)
        let empties = #"{"events": [\#(Array(repeating: "[]", count: 350_000).joined(separator: ","))]}"#
        started = Date()
        let second = try Self.decode(empties)
        let emptiesSeconds = Date().timeIntervalSince(started)
        #expect(second.skipped == 350_000)
        // Generous bounds for an unoptimized build on a shared machine.
        #expect(deepSeconds < 0.1)
        #expect(emptiesSeconds < 2)
    }
}
