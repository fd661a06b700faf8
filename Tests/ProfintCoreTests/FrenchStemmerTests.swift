import Testing
import Foundation
@testable import ProfintCore

struct FrenchStemmerTests {
    /// Reads a fixture file as lines split on "\n" only; the final newline
    /// does not produce an extra empty line.
    private static func fixtureLines(_ name: String) throws -> [String] {
        let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()
            .appendingPathComponent("Fixtures/stemming/french/\(name)")
        let text = try String(contentsOf: url, encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    @Test func reproducesSnowballReferenceVocabulary() throws {
        let words = try Self.fixtureLines("voc.txt")
        let stems = try Self.fixtureLines("output.txt")
        #expect(words.count == 21655)
        #expect(words.count == stems.count)

        let stemmer = FrenchStemmer()
        var mismatches: [String] = []
        for (word, expected) in zip(words, stems) {
            let got = stemmer.stem(word)
            if got != expected { mismatches.append("\(word): got \(got), expected \(expected)") }
        }
        #expect(
            mismatches.isEmpty,
            "\(mismatches.count) mismatches, first 20:\n\(mismatches.prefix(20).joined(separator: "\n"))")
    }

    @Test(arguments: [
        ("continuellement", "continuel"),
        ("française", "franc"),
        ("palais", "palais"),
        ("mauvais", "mauvais"),
        ("bijoux", "bijou"),
        ("courroux", "courroux"),
        ("chevaux", "cheval"),
        ("d'arrondissement", "arrond"),
        ("abaissement", "abaissement"),
        ("apparemment", "apparent"),
        ("aiguë", "aigu"),
        ("maïs", "maï"),
        ("essayer", "essai"),
        ("qu'il", "il"),
        ("jusqu'aux", "jusqu'al"),
        ("majestueusement", "majestu"),
    ])
    func stemsKnownWords(word: String, stem: String) {
        #expect(FrenchStemmer().stem(word) == stem)
    }
}
