import Foundation
import Testing

/// `profint classify` follows the contract of the spec, end to end.
@Suite(.serialized)
struct ClassifyCommandTests {
    func lines(_ input: String) throws -> [[String: Any]] {
        let output = try ProfintBinary.run(["classify", "--now", "2026-11-30T08:00:00Z"], input: input)
        #expect(output.status == 0, "stderr: \(output.stderr)")
        return output.stdout.split(separator: "\n").map {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any] ?? [:]
        }
    }

    @Test func oneLineOutPerLineInWithTheContractFields() throws {
        let out = try lines("""
        {"id": "q1", "text": "Do you have a case study on coordination between a job counsellor and a training centre?"}
        {"id": 7, "text": "what's the weather like in Lyon tomorrow?"}
        {"id": "q3", "text": "/lang sv"}
        """)
        #expect(out.count == 3)
        #expect(out[0]["id"] as? String == "q1")
        #expect(out[0]["intent"] as? String == "resource.case")
        #expect((out[0]["slots"] as? [String: String])?["topic"] == "coordination")
        #expect(out[0]["language"] as? String == "en")
        #expect(!(out[0]["resources"] as? [String] ?? []).isEmpty)
        let confidence = out[0]["confidence"] as? Double ?? -1
        #expect(confidence > 0 && confidence <= 1)
        #expect(out[1]["id"] as? Int == 7)
        #expect(out[1]["intent"] is NSNull)
        #expect(!(out[1]["reply"] as? String ?? "").isEmpty)
        #expect(out[2]["intent"] as? String == "language.set")
        #expect((out[2]["slots"] as? [String: String]) == ["language": "sv"])
    }

    @Test func linesOfAConversationShareState() throws {
        let out = try lines("""
        {"id": "a", "text": "Tu as un cas concret sur la coordination entre acteurs ?", "conversation": "c1"}
        {"id": "b", "text": "et en Italie ?", "conversation": "c1"}
        {"id": "c", "text": "et en Italie ?"}
        """)
        #expect(out[0]["intent"] as? String == "resource.case")
        #expect(out[1]["intent"] as? String == "resource.case")
        #expect((out[1]["slots"] as? [String: String]) == ["topic": "coordination", "country": "IT"])
        #expect(out[1]["language"] as? String == "fr")
        #expect((out[2]["slots"] as? [String: String])?["topic"] == nil, "a line without conversation starts fresh")
    }

    @Test func badLinesGetAnErrorLineAndTheRestIsProcessed() throws {
        var input = Data("{\"id\": \"ok1\", \"text\": \"merci beaucoup\"}\n".utf8)
        input.append(contentsOf: [0x7B, 0x22, 0x69, 0x64, 0x22, 0x3A, 0xFF, 0xFE, 0x7D, 0x0A])  // invalid UTF-8
        input.append(Data("[1, 2, 3]\n{\"id\": \"x\"}\n\n{\"id\": \"ok2\", \"text\": \"grazie mille\"}\n".utf8))
        let output = try ProfintBinary.run(["classify"], input: input)
        #expect(output.status == 0)
        let out = output.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any] ?? [:]
        }
        #expect(out.count == 6)
        #expect(out[0]["intent"] as? String == "thanks")
        #expect((out[1]["error"] as? String)?.contains("not valid UTF-8") == true)
        #expect((out[2]["error"] as? String)?.contains("JSON object") == true)
        #expect(out[3]["id"] as? String == "x" && out[3]["error"] != nil)
        #expect(out[4]["error"] != nil)
        #expect(out[5]["intent"] as? String == "thanks" && out[5]["language"] as? String == "it")
        #expect(output.stderr.contains("line 2: not valid UTF-8"))
    }

    @Test func hugeAndEmptyMessagesDoNotCrash() throws {
        let huge = String(repeating: "interprète ", count: 10_000)
        let out = try lines("{\"id\": \"big\", \"text\": \"\(huge)\"}\n{\"id\": \"empty\", \"text\": \"\"}\n")
        #expect(out.count == 2)
        #expect(out[0]["intent"] is NSNull && !(out[0]["reply"] as? String ?? "").isEmpty)
        #expect(out[1]["intent"] is NSNull && !(out[1]["reply"] as? String ?? "").isEmpty)
    }

    @Test func labelledExamplesReplaceTheBundledIntents() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("profint-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var set = ""
        for i in 0..<12 {
            set += "{\"text\": \"book a flight to city \(i)\", \"intent\": \"book_flight\"}\n"
            set += "{\"text\": \"what is the weather in town \(i)\", \"intent\": \"weather\"}\n"
        }
        let file = dir.appendingPathComponent("set.jsonl")
        try set.write(to: file, atomically: true, encoding: .utf8)
        let output = try ProfintBinary.run(["classify", "--intents", file.path], input: "{\"id\": 1, \"text\": \"please book me a flight to Rome\"}\n")
        #expect(output.stdout.contains("\"intent\":\"book_flight\""))
    }
}
