import Foundation
import Testing

/// `check`, `repl`, `test` and `eval` on the bundled content, end to end.
@Suite(.serialized)
struct CommandLineTests {
    /// K folds over the intents' own examples: every example is held out once.
    @Test func crossValidationScoresEachFoldOnWhatItHeldOut() throws {
        let output = try ProfintBinary.run(["eval", "--cross-validate", "2"])
        #expect(output.status == 0, "\(output.stderr)")
        let lines = output.stdout.split(separator: "\n").map(String.init)
        let folds = lines.filter { $0.hasPrefix("fold ") }
        #expect(folds.count == 2, "\(output.stdout)")
        // The two folds together hold out every example once.
        let held = folds.compactMap { line in line.split(separator: " ")[2].split(separator: ",").first.flatMap { Int($0) } }
        let loaded = try ProfintBinary.run(["check"])
        let examples = loaded.stdout.split(separator: "\n").last.flatMap { line in
            line.split(separator: ",").dropFirst().first?.split(separator: " ").first.flatMap { Int($0) }
        }
        #expect(held.reduce(0, +) > examples ?? 0, "every example plus the out-of-scope ones: \(held) vs \(examples ?? 0)")
        let mean = try #require(lines.last(where: { $0.hasPrefix("mean of 2 folds") }))
        let accuracy = try #require(mean.split(separator: " ").firstIndex(of: "accuracy").map { Double(mean.split(separator: " ")[$0 + 1].dropLast())! })
        // Far above chance among 53 intents: the held-out examples are recognised.
        #expect(accuracy > 0.4, "\(mean)")
        #expect(try ProfintBinary.run(["eval", "--cross-validate", "1"]).status != 0)
    }

    @Test func checkPassesOnTheBundledContent() throws {
        let output = try ProfintBinary.run(["check"])
        #expect(output.status == 0, "\(output.stdout)")
        // Warnings (a review date that has passed on the day the check runs) do not fail it.
        let lines = output.stdout.split(separator: "\n")
        #expect(lines.last?.hasPrefix("ok: ") == true, "\(output.stdout)")
        #expect(lines.dropLast().allSatisfy { $0.hasPrefix("warning: ") }, "\(output.stdout)")
    }

    @Test func checkFailsWithPathAndLineOnABrokenCopy() throws {
        let root = ProfintBinary.repositoryRoot
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("profint-broken-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: root.appendingPathComponent("Intents"), to: dir.appendingPathComponent("Intents"))
        try FileManager.default.copyItem(at: root.appendingPathComponent("Knowledge"), to: dir.appendingPathComponent("Knowledge"))
        defer { try? FileManager.default.removeItem(at: dir) }
        // Break a YAML file and a knowledge link.
        let greet = dir.appendingPathComponent("Intents/conversation.yml")
        var text = try String(contentsOf: greet, encoding: .utf8)
        text += "\n  - id: [unclosed\n"
        try text.write(to: greet, atomically: true, encoding: .utf8)
        let item = dir.appendingPathComponent("Knowledge/en/success_factor/sf-coordination.md")
        let itemText = try String(contentsOf: item, encoding: .utf8)
        try itemText.replacingOccurrences(of: "related: [", with: "related: [no-such-item, ").write(to: item, atomically: true, encoding: .utf8)
        let output = try ProfintBinary.run(["check", "--intents", dir.appendingPathComponent("Intents").path,
                                            "--knowledge", dir.appendingPathComponent("Knowledge").path])
        #expect(output.status != 0)
        let lines = output.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.range(of: #"Intents/conversation\.yml:\d+: YAML syntax error"#, options: .regularExpression) != nil })
        #expect(lines.contains { $0.range(of: #"sf-coordination\.md:\d+: related id "no-such-item" does not exist"#, options: .regularExpression) != nil })
    }

    @Test func replReadsAScriptFromStandardInput() throws {
        let output = try ProfintBinary.run(["repl"], input: "hej!\nHar ni något praktikfall om samverkan?\n:why\n:quit\nnever read\n")
        #expect(output.status == 0)
        #expect(output.stdout.contains("> hej!"))
        #expect(output.stdout.contains("rule:"))
        #expect(output.stdout.contains("intent:     resource.case"))
        #expect(output.stdout.contains("language:   sv"))
        #expect(!output.stdout.contains("never read"))
    }

    @Test func conversationTranscriptsPass() throws {
        let output = try ProfintBinary.run(["test", "Tests/Conversations"])
        #expect(output.status == 0, "\(output.stdout.suffix(4_000))")
        #expect(output.stdout.contains(" passed, 0 failed"))
    }
}

/// `profint matrix registration`: a registration a homeserver can load.
struct MatrixRegistrationCommandTests {
    @Test func printsFreshTokensAndTheMatchingSettings() throws {
        let first = try ProfintBinary.run(["matrix", "registration", "--url", "http://10.0.0.5:8080", "--server-name", "matrix.example.org"])
        #expect(first.status == 0, "\(first.stderr)")
        let text = first.stdout
        func value(_ key: String) -> String? {
            text.split(separator: "\n").first(where: { $0.hasPrefix(key + ": ") })
                .map { String($0.dropFirst(key.count + 2)).trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
        }
        #expect(value("url") == "http://10.0.0.5:8080")
        #expect(value("sender_localpart") == "profint")
        let asToken = try #require(value("as_token"))
        let hsToken = try #require(value("hs_token"))
        #expect(asToken.count == 64 && hsToken.count == 64 && asToken != hsToken)
        #expect(text.contains("regex: '@profint.*:matrix\\.example\\.org'"))
        #expect(text.contains("PROFINT_MATRIX_AS_TOKEN=\(asToken)"))
        #expect(text.contains("PROFINT_MATRIX_HS_TOKEN=\(hsToken)"))
        #expect(text.contains("PROFINT_MATRIX_SERVER_NAME=matrix.example.org"))
        let second = try ProfintBinary.run(["matrix", "registration", "--url", "http://10.0.0.5:8080"])
        #expect(!second.stdout.contains(asToken), "fresh tokens every time")
        let bad = try ProfintBinary.run(["matrix", "registration", "--url", "not a url"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("--url"))
    }
}
