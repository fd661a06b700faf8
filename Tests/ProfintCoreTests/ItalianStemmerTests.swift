import Testing
import Foundation
@testable import ProfintCore

struct ItalianStemmerTests {
    /// Reads a fixture file as lines split on "\n" only; the final newline
    /// does not produce an extra empty line.
    private static func fixtureLines(_ name: String) throws -> [String] {
        let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()
            .appendingPathComponent("Fixtures/stemming/italian/\(name)")
        let text = try String(contentsOf: url, encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    @Test func reproducesSnowballReferenceVocabulary() throws {
        let words = try Self.fixtureLines("voc.txt")
        let stems = try Self.fixtureLines("output.txt")
        #expect(words.count == 35495)
        #expect(words.count == stems.count)

        let stemmer = ItalianStemmer()
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
        ("abbandonata", "abbandon"),
        ("aiutante", "aiut"),
        ("attività", "attiv"),
        ("qualità", "qualit"),
        ("cerchio", "cerc"),
        ("ricerche", "ricerc"),
        ("dicendogli", "dic"),
        ("divano", "divan"),
        ("divani", "divan"),
        ("diversi", "div"),
        ("dolcemente", "dolcement"),
        ("gioia", "gioi"),
        ("quaranta", "quarant"),
    ])
    func stemsKnownWords(word: String, stem: String) {
        #expect(ItalianStemmer().stem(word) == stem)
    }
}
