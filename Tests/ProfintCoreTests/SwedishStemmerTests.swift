import Testing
import Foundation
@testable import ProfintCore

struct SwedishStemmerTests {
    /// Lines of a fixture file: split on "\n" only, dropping the single empty
    /// element after the final newline.
    private static func lines(_ name: String) throws -> [String] {
        let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()
            .appendingPathComponent("Fixtures/stemming/swedish/\(name)")
        let text = try String(contentsOf: url, encoding: .utf8)
        var result = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if result.last == "" { result.removeLast() }
        return result
    }

    @Test func reproducesSnowballReferenceVocabulary() throws {
        let words = try Self.lines("voc.txt")
        let stems = try Self.lines("output.txt")
        #expect(words.count == stems.count)
        #expect(words.count == 30738)

        let stemmer = SwedishStemmer()
        var mismatches: [String] = []
        for (word, expected) in zip(words, stems) {
            let actual = stemmer.stem(word)
            if actual != expected {
                mismatches.append("\(word): expected \(expected), got \(actual)")
            }
        }
        #expect(mismatches.isEmpty,
                "\(mismatches.count) mismatches, first 20: \(mismatches.prefix(20).joined(separator: "; "))")
    }

    @Test(arguments: [
        ("jaktkarlarne", "jaktkarl"),
        ("klockornas", "klock"),
        ("klokheten", "klok"),
        ("jemförelser", "jemför"),
        ("klostergården", "klostergård"),
        ("kloliknande", "klolikn"),
        ("friskt", "frisk"),
        ("möjlighet", "möj"),
        ("huset", "hus"),
        ("arbetets", "arbet"),
        ("hemmets", "hemmet"),
        ("komet", "komet"),
        ("trohet", "trohet"),
        ("barnlöst", "barnlös"),
        ("löst", "löst"),
        ("kärlek", "kärlek"),
    ])
    func stemsKnownWords(word: String, stem: String) {
        #expect(SwedishStemmer().stem(word) == stem)
    }
}
