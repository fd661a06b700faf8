import Foundation
import Testing
import Yams
@testable import ProfintContent

/// The fast parser gives what Yams gives, or nothing (and Yams is used).
struct SimpleYAMLParserTests {
    /// The bundled content (the repository's Intents/ and Knowledge/).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// Yams's nodes, converted; nil for an empty document or an error.
    func yams(_ text: String) -> YAMLNode? {
        (try? Yams.compose(yaml: text)).flatMap { $0.map(YAMLNode.init) }
    }

    /// The YAML texts of the bundled content: intent files, knowledge front matter.
    static func bundledTexts() throws -> [(String, String)] {
        var out: [(String, String)] = []
        for path in ContentLoader.files(in: root + "/Intents", extensions: ["yml", "yaml"]) {
            out.append((path, try String(contentsOfFile: path, encoding: .utf8)))
        }
        for path in ContentLoader.files(in: root + "/Knowledge", extensions: ["md"]) {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            guard case let .success(parts) = FrontMatter.split(text) else {
                Issue.record("\(path): no front matter")
                continue
            }
            out.append((path, parts.yaml))
        }
        return out
    }

    @Test func everyBundledFileParsesFastAndAsYamsDoes() throws {
        let texts = try Self.bundledTexts()
        #expect(texts.count > 800)
        for (path, text) in texts {
            let fast = SimpleYAMLParser.parse(text)
            #expect(fast != nil, "\(path) is outside the fast parser's subset")
            #expect(fast == yams(text), "\(path) parses differently")
        }
    }

    /// Texts inside the subset: the same nodes and lines as Yams.
    @Test(arguments: [
        "a: 1\nb: two words\n",
        "# comment\n\n  a: x # trailing\n  b:   y  \n",
        "a:\n  - x\n  - 'it''s'\n  -\n  - \"q \\\" \\\\ \\/ \\n \\t \\u00e9 \\x41 \\U0001F600 \\N \\_ \\L \\P \\0 \\e\"\nb: z\n",
        "a:\n- x\n- y: 1\n  z: 2\n-   w: 3\nc: d\n",
        "list:\n  - id: one\n    examples:\n      en: [a, b c, \"d, e\", 'f']\n      fr: []\n    label: {en: A, fr: \"B\", it: 'C', sv: D}\n  - id: two\n",
        "a: [x,\n    y, # comment\n    z]\nb: {k: v,\n    l: w}\n",
        "a:\nb: ~\nc: null\nd: ''\ne:\n  # only a comment\nf: -1\ng: a#b\nh: a, b [c] {d}\n",
        "\"quoted key\": 1\n'single': 2\nkey with spaces  : 3\nurl: http://example.org/a?b=c\n",
        "- a\n- b\n",
        "just text\n",
        "[a, b]\n",
        "a:\n  b:\n    c:\n      - d\n      -\n        e: f\n",
        "a: ünïcödé ✓ 😀\nb: [été, été]\nc: \"l'été\"\n",
        "seq:\n  - [a, b]\n  - {k: v}\n",
        "a: 'x' # c\nb: \"y\"   # c\n",
        "a: -x\nb: x-\nc: x: \n",
    ])
    func subsetTextsParseAsYamsDoes(_ text: String) {
        let fast = SimpleYAMLParser.parse(text)
        let reference = yams(text)
        if let fast {
            #expect(fast == reference, "\(text)")
        } else {
            // Outside the subset is allowed only where Yams fails or the text is unusual.
            #expect(reference == nil || text.contains("x: \n"), "\(text) fell back")
        }
    }

    /// Texts outside the subset: the fast parser declines them (Yams then
    /// reads them, errors included).
    @Test(arguments: [
        "", "# only a comment\n",
        "a: |\n  block\n",
        "a: >-\n  folded\n",
        "a: multi\n  line\n",
        "a: \"multi\n  line\"\n",
        "a: &anchor x\nb: *anchor\n",
        "a: !!null\n",
        "a: !!str 1\n",
        "---\na: 1\n",
        "a: 1\n...\n",
        "%YAML 1.1\n---\na: 1\n",
        "a: 1\na: 2\n",
        "a: {k: 1, k: 2}\n",
        "\ta: 1\n",
        "a: 1\r\nb: 2\r\n",
        "a: b: c\n",
        "a: [unclosed\n",
        "a: [x, ]\n",
        "a: [[nested]]\n",
        "a: [k: v]\n",
        "a: \"bad \\q escape\"\n",
        "a: \"\\ud800\"\n",
        "- - nested\n",
        "a:\n  - x\n   - y\n",
        "a: 1\n - b\n",
        "a: 1\n- b\n",
        "? complex\n: key\n",
        "a: x\u{85}y\n",
        "a: x\u{2028}y\n",
        "\u{FEFF}a: 1\n",
        "a: @x\n",
        "a: `x`\n",
        "a: \"x\"y\n",
        "a: [x]y\n",
    ])
    func textsOutsideTheSubsetFallBack(_ text: String) {
        #expect(SimpleYAMLParser.parse(text) == nil, "\(text)")
    }

    /// Errors keep Yams's messages and lines; absurd input never crashes.
    @Test func badInputGivesClearProblems() {
        func problem(_ text: String) -> String? {
            if case .failure(let p) = YAMLReader.parse(text, path: "f.yml") { return p.description }
            return nil
        }
        #expect(problem("a: 1\na: 2\n") == "f.yml:1: duplicate keys: a")
        #expect(problem("a: b: c\n")?.hasPrefix("f.yml:1: YAML syntax error: mapping values are not allowed") == true)
        #expect(problem("a:\n  - id: x\n   bad: indent\n")?.hasPrefix("f.yml:3: YAML syntax error") == true)
        // Outside the subset but valid: Yams reads it ("x - y", a plain scalar on two lines).
        #expect(problem("a:\n  - x\n   - y\n") == nil)
        #expect(problem("a: [x,\n  y\n")?.contains("YAML syntax error") == true)
        #expect(problem("intents: " + String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000))
            == "f.yml:1: nesting deeper than 64 levels")
        let indented = (0..<10_000).map { String(repeating: " ", count: $0 * 2) + "a:" }.joined(separator: "\n") + " 1\n"
        #expect(problem(indented)?.hasSuffix("nesting deeper than 64 levels") == true)
        let dashes = (0..<10_000).map { String(repeating: " ", count: $0 * 2) + "-" }.joined(separator: "\n") + " 1\n"
        #expect(problem(dashes)?.hasSuffix("nesting deeper than 64 levels") == true)
        // Nesting the depth check lets through is refused by the fast parser's own limit, then read by Yams.
        let nested = (0..<120).map { String(repeating: " ", count: $0) + "a:" }.joined(separator: "\n") + " 1\n"
        #expect(SimpleYAMLParser.parse(nested) == nil)
        #expect(problem(nested) == nil)
    }

    /// The byte-level depth check agrees with the character-level one.
    @Test(arguments: [
        "a: [[[x]]]\n", "a: [\"[[[\"]\n", "- - - x\n", "a: ['it''s', \"[\"]\n",
        "a: [\u{301}[\u{301}]\n", "a: [\"\u{301}x\"]\n", "\r\n  - [x]\r\n",
    ])
    func depthCheckAgreesWithCharacters(_ text: String) {
        #expect(YAMLReader.tooDeep(text) == YAMLReader.tooDeep(characters: text))
        let deep = String(repeating: "[", count: 70) + text
        #expect(YAMLReader.tooDeep(deep) == YAMLReader.tooDeep(characters: deep))
    }
}
