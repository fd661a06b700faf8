import Foundation
import Testing
@testable import ProfintContent
@testable import ProfintCore

/// Broken content gives `path:line: message` problems and the rest still loads.
struct ContentLoaderTests {
    /// A fresh temporary folder with Intents/ and Knowledge/en/case/.
    func tree(_ files: [String: String]) throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("profint-\(UUID().uuidString)").path
        for (path, text) in files {
            let full = root + "/" + path
            try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: full, atomically: true, encoding: .utf8)
        }
        return root
    }

    func problems(_ files: [String: String]) throws -> [String] {
        let root = try tree(files)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let loaded = ContentLoader.load(intents: root + "/Intents", knowledge: root + "/Knowledge")
        return ContentValidator.validate(loaded, intentsPath: root + "/Intents", requireCatalogue: false)
            .map { $0.description.replacingOccurrences(of: root + "/", with: "") }
    }

    static let goodIntent = """
    intents:
      - id: greet
        label: {en: Hi, fr: Salut, it: Ciao, sv: Hej}
        examples:
          en: [hello, hi, hey there, good morning, hello bot, hi all, morning, hey, good afternoon, greetings, hiya, hello again, yo, good evening, hi team]
          fr: [bonjour, salut, coucou, bonsoir, bonjour à tous, salut le bot, hello, bjr, bonne journée à toi, re bonjour, bonjour bonjour, salut salut, wesh, allô, bien le bonjour]
          it: [ciao, buongiorno, salve, buonasera, ciao a tutti, ehi, ciao bot, buondì, hola, ciao ciao, salve a tutti, buon pomeriggio, ehilà, ciao di nuovo, eccomi]
          sv: [hej, hallå, god morgon, tjena, hej hej, hejsan, god kväll, tja, morrn, hej alla, god dag, hej på dig, halloj, hallå där, tjenare]
        responses: {en: [Hello!], fr: [Bonjour !], it: [Ciao!], sv: [Hej!]}
    """

    @Test func yamlSyntaxErrorsNameTheLine() throws {
        let found = try problems(["Intents/broken.yml": "intents:\n  - id: greet\n    examples: [unclosed\n", "Intents/greet.yml": Self.goodIntent])
        #expect(found.contains { $0.hasPrefix("Intents/broken.yml:") && $0.contains("YAML syntax error") })
    }

    @Test func unknownFieldsAndSlotValuesSuggestTheNearest() throws {
        let text = Self.goodIntent.replacingOccurrences(of: "    label:", with: "    topic: langauge\n    exmaples: {}\n    label:")
        let found = try problems(["Intents/greet.yml": text])
        #expect(found.contains("Intents/greet.yml:3: unknown slot value \"langauge\" for topic (did you mean \"language\"?)"))
        #expect(found.contains("Intents/greet.yml:4: unknown field \"exmaples\" in an intent (did you mean \"examples\"?)"))
    }

    @Test func duplicateExamplesAcrossIntentsAreReported() throws {
        let other = Self.goodIntent.replacingOccurrences(of: "id: greet", with: "id: thanks")
        let found = try problems(["Intents/a.yml": Self.goodIntent, "Intents/b.yml": other])
        #expect(found.contains { $0.hasPrefix("Intents/b.yml:5: example \"hello\" is also in intent \"greet\" (") })
    }

    @Test func emptyResponsesAndMissingLanguagesAreReported() throws {
        let text = Self.goodIntent.replacingOccurrences(of: "responses: {en: [Hello!], fr: [Bonjour !], it: [Ciao!], sv: [Hej!]}",
                                                        with: "responses: {en: [\"  \"], fr: [Bonjour !], it: [Ciao!]}")
        let found = try problems(["Intents/greet.yml": text])
        #expect(found.contains { $0.contains("empty response in \"greet\" (en)") })
        #expect(found.contains { $0.contains("intent \"greet\" has no responses in sv") })
    }

    @Test func aFileThatIsNotAMappingIsReported() throws {
        let found = try problems(["Intents/list.yml": "- just\n- a list\n", "Intents/greet.yml": Self.goodIntent])
        #expect(found.contains("Intents/list.yml:1: an intent file must be a mapping"))
    }

    @Test func deepNestingIsRefusedWithoutCrashing() throws {
        let deep = "intents: " + String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000) + "\n"
        let indented = (0..<10_000).map { String(repeating: " ", count: $0 * 2) + "a:" }.joined(separator: "\n") + " 1\n"
        let found = try problems(["Intents/deep.yml": deep, "Intents/indented.yml": indented, "Intents/greet.yml": Self.goodIntent])
        #expect(found.contains { $0.hasPrefix("Intents/deep.yml:1: nesting deeper than") })
        #expect(found.contains { $0.hasPrefix("Intents/indented.yml:") && $0.contains("nesting deeper than") })
    }

    @Test func knowledgeProblemsNameTheFieldLine() throws {
        let item = """
        ---
        id: case-a
        type: case
        title: A case
        summary: \(String(repeating: "x", count: 300))
        topics: [langauge]
        related: [case-b]
        ---
        Body.
        """
        let found = try problems(["Intents/greet.yml": Self.goodIntent, "Knowledge/en/case/case-a.md": item])
        #expect(found.contains("Knowledge/en/case/case-a.md:5: summary has 300 characters; the limit is 280"))
        #expect(found.contains("Knowledge/en/case/case-a.md:6: unknown slot value \"langauge\" for topic (did you mean \"language\"?)"))
        #expect(found.contains("Knowledge/en/case/case-a.md:7: related id \"case-b\" does not exist (did you mean \"case-a\"?)"))
        #expect(found.contains("Knowledge/en/case/case-a.md:1: item \"case-a\" has no translation in fr, it, sv"))
    }

    @Test func labelledExamplesLoadOneIntentPerLabelAndSkipBadLines() throws {
        let root = try tree(["set.jsonl": """
        {"text": "book a flight", "intent": "book_flight"}
        not json
        [1, 2]
        {"text": "what is the weather", "intent": "weather"}
        {"text": "tell me a joke", "intent": "oos"}
        """])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let loaded = ContentLoader.load(intents: root + "/set.jsonl", knowledge: nil)
        #expect(loaded.content.intents.map(\.id) == ["book_flight", "weather"])
        #expect(loaded.content.outOfScopeExamples == [.en: ["tell me a joke"]])
        #expect(loaded.problems.map(\.line) == [2, 3])
    }
}
