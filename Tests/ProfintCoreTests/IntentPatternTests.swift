import Testing
@testable import ProfintCore

struct IntentPatternTests {
    let analyzer = TextAnalyzer(vocabulary: [:], lexicon: Lexicon())

    func pattern(_ source: String, _ language: Language = .en) throws -> IntentPattern {
        try IntentPattern(intent: "x", language: language, source: source) {
            analyzer.analyze($0, language, correctTypos: false).map(\.stem)
        }
    }

    func stems(_ text: String, _ language: Language = .en) -> [String] {
        analyzer.analyze(text, language).map(\.stem)
    }

    @Test func alternativesOptionalWordsAndWildcards() throws {
        let p = try pattern("(case study|real example) [about] * (coordination|networks)")
        #expect(p.matches(stems("Do you have a case study about coordination?")))
        #expect(p.matches(stems("any real examples of good coordination")))
        #expect(p.matches(stems("case studies on networks")))
        #expect(!p.matches(stems("coordination case study")))
        #expect(!p.matches(stems("a phone case")))
    }

    @Test func wordsMatchAnyInflection() throws {
        let p = try pattern("interview grid")
        #expect(p.matches(stems("interview grids for newcomers")))
        let it = try pattern("(farla finita|togliersi la vita)", .it)
        #expect(it.matches(stems("ha detto che vuole farla finita stanotte", .it)))
    }

    @Test(arguments: ["(a|b", "a )", "[]", "*", "(a|)", "[(a)]"])
    func syntaxErrorsAreReported(source: String) {
        #expect(throws: IntentPattern.SyntaxError.self) { try pattern(source) }
    }
}
