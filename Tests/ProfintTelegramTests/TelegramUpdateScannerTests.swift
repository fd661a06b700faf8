import Foundation
import Testing
@testable import ProfintTelegram

/// The webhook's first look at a body: it accepts exactly the well-formed
/// JSON objects with an integer `update_id` (Foundation's parser is the referee).
struct TelegramUpdateScannerTests {
    static let update = """
        {"update_id": 912345678, "message": {"message_id": 7, "date": 1800000000,
         "from": {"id": 42, "is_bot": false, "first_name": "Åsa \\u00e9\\n\\"x\\""},
         "chat": {"id": -1001, "type": "supergroup", "title": "Équipe"},
         "text": "@profint_test_bot un cas sur l'accueil ? 👍", "entities": [{"type": "mention", "offset": 0, "length": 17}],
         "reply_to_message": null, "flags": [true, false, 1.5e3, -0.25, 0]}}
        """

    /// What Foundation says: the update id when the body is a JSON object with an integer update_id.
    struct IDOnly: Decodable { var update_id: Int64 }

    static func reference(_ bytes: [UInt8]) -> Int64? {
        guard String(validating: bytes, as: UTF8.self) != nil,
              (try? JSONSerialization.jsonObject(with: Data(bytes))) is [String: Any] else { return nil }
        return try? JSONDecoder().decode(IDOnly.self, from: Data(bytes)).update_id
    }

    @Test func aRealUpdateGivesItsID() throws {
        #expect(try TelegramUpdateScanner.updateID(in: Array(Self.update.utf8)) == 912_345_678)
    }

    @Test(arguments: [
        "{\"update_id\":1}", " {\"update_id\" : -5 , \"x\": {}} \n", "{\"a\":[[],[{}]],\"update_id\":0}",
        "{\"update_id\":1.5}", "{\"update_id\":\"1\"}", "{}", "[]", "[{\"update_id\":1}]", "1", "",
        "{\"update_id\":01}", "{\"update_id\":1} x", "{\"update_id\":1 \"b\":2}", "{'update_id':1}",
        "{\"update_id\":1,\"t\":\"tab\there\"}", "{\"update_id\":1,\"t\":\"\\x\"}", "{\"update_id\":1,\"t\":\"\\u12\"}",
        "{\"update_id\":1,\"t\":tru}", "{\"update_id\":1,\"t\":nul}", "{\"update_id\":1,\"n\":-}", "{\"update_id\":1,\"n\":2.}",
        "{\"update_id\":99999999999999999999}",
    ])
    func acceptsExactlyWhatAJSONParserAccepts(_ body: String) {
        let bytes = Array(body.utf8)
        let scanned = try? TelegramUpdateScanner.updateID(in: bytes)
        #expect(scanned == Self.reference(bytes), "\(body)")
    }

    /// Foundation's parser is lenient here; RFC 8259 (and Telegram) are not.
    @Test(arguments: ["{\"update_id\":1,}", "{\"update_id\":1e3}", "{\"update_id\":1,\"a\":[1,]}"])
    func trailingCommasAndExponentIDsAreRefused(_ body: String) {
        #expect((try? TelegramUpdateScanner.updateID(in: Array(body.utf8))) == nil)
    }

    @Test func everyTruncationOfAnUpdateIsRefused() {
        let bytes = Array(Self.update.utf8)
        for end in 0..<(bytes.count - 1) where bytes[end - (end > 0 ? 1 : 0)] != 0x20 {
            let cut = Array(bytes[..<end])
            #expect((try? TelegramUpdateScanner.updateID(in: cut)) == nil, "cut at \(end)")
            #expect(Self.reference(cut) == nil)
        }
    }

    @Test func invalidUTF8AndDeepNestingAreRefusedWithAReason() {
        var invalid = Array("{\"update_id\":1,\"text\":\"caf".utf8)
        invalid += [0xC3, 0x28] + Array("\"}".utf8)
        #expect(throws: TelegramUpdateScanner.Problem(description: "the body is not valid UTF-8")) {
            try TelegramUpdateScanner.updateID(in: invalid)
        }
        let deep = "{\"update_id\":1,\"x\":" + String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000) + "}"
        #expect(throws: TelegramUpdateScanner.Problem.self) { try TelegramUpdateScanner.updateID(in: Array(deep.utf8)) }
        let fine = "{\"update_id\":1,\"x\":" + String(repeating: "[", count: 60) + String(repeating: "]", count: 60) + "}"
        #expect((try? TelegramUpdateScanner.updateID(in: Array(fine.utf8))) == 1)
    }
}
