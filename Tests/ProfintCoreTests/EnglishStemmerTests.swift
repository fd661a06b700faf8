import Testing
import Foundation
@testable import ProfintCore

struct EnglishStemmerTests {
    /// Lines of a fixture file: split on "\n" only (words may contain
    /// apostrophes), dropping the single empty element after the final newline.
    private static func lines(_ name: String) throws -> [String] {
        let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()
            .appendingPathComponent("Fixtures/stemming/english/\(name)")
        let text = try String(contentsOf: url, encoding: .utf8)
        var result = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if result.last == "" { result.removeLast() }
        return result
    }

    @Test func reproducesSnowballReferenceVocabulary() throws {
        let words = try Self.lines("voc.txt")
        let stems = try Self.lines("output.txt")
        #expect(words.count == stems.count)
        #expect(words.count == 42649)

        let stemmer = EnglishStemmer()
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
        ("consistency", "consist"),
        ("generously", "generous"),
        ("hopping", "hop"),
        ("added", "add"),
        ("cries", "cri"),
        ("ties", "tie"),
        ("dying", "die"),
        ("inning", "inning"),
        ("herrings", "herring"),
        ("proceeding", "proceed"),
        ("succeeds", "succeed"),
        ("skies", "sky"),
        ("news", "news"),
        ("ugly", "ugli"),
        ("geologist", "geolog"),
        ("pasted", "paste"),
        ("university", "universiti"),
        ("organic", "organic"),
        ("'a'", "a"),
    ])
    func stemsKnownWords(word: String, stem: String) {
        #expect(EnglishStemmer().stem(word) == stem)
    }
}
