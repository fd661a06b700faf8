import Testing
@testable import ProfintTelegram

struct TextSplitterTests {
    @Test func shortTextIsOneTrimmedChunk() {
        #expect(TelegramTextSplitter.split("  Hello\n") == ["Hello"])
        #expect(TelegramTextSplitter.split("\n\n \n").isEmpty)
    }

    @Test func countsUTF16UnitsNotCharacters() {
        // 3000 emoji are 3000 characters but 6000 UTF-16 units.
        let chunks = TelegramTextSplitter.split(String(repeating: "😀", count: 3000))
        #expect(chunks == [String(repeating: "😀", count: 2048), String(repeating: "😀", count: 952)])
    }

    @Test func neverSplitsASurrogatePair() {
        let chunks = TelegramTextSplitter.split("a" + String(repeating: "😀", count: 3000))
        #expect(chunks == ["a" + String(repeating: "😀", count: 2047), String(repeating: "😀", count: 953)])
        #expect(chunks.allSatisfy { $0.utf16.count <= 4096 })
    }

    @Test func neverSplitsAGraphemeCluster() {
        let family = "👩‍👩‍👧‍👦"  // 11 UTF-16 units
        let chunks = TelegramTextSplitter.split(String(repeating: family, count: 3), limit: 20)
        #expect(chunks == [family, family, family])
    }

    @Test func prefersLineBreaksThenSpaces() {
        #expect(TelegramTextSplitter.split("first line\nsecond line here", limit: 20) == ["first line", "second line here"])
        #expect(TelegramTextSplitter.split("alpha beta gamma delta", limit: 12) == ["alpha beta", "gamma delta"])
    }

    @Test func prefersAParagraphInTheSecondHalfOverALaterLine() {
        let text = "one two three four\n\nfive\nsix seven eight nine ten"
        #expect(TelegramTextSplitter.split(text, limit: 30) == ["one two three four", "five\nsix seven eight nine ten"])
        // A paragraph break in the first half loses to a line break in the second.
        #expect(TelegramTextSplitter.split("one two three\n\nfour five\nsix seven eight nine", limit: 30)
            == ["one two three\n\nfour five", "six seven eight nine"])
    }

    @Test func earlyParagraphBreakDoesNotMakeATinyChunk() {
        let text = "Hi\n\n" + String(repeating: "word ", count: 10) + "end"
        let chunks = TelegramTextSplitter.split(text, limit: 30)
        #expect(chunks.first != "Hi")
        #expect(chunks.allSatisfy { !$0.isEmpty && $0.utf16.count <= 30 })
    }

    @Test func cutsAWordLongerThanTheLimit() {
        #expect(TelegramTextSplitter.split(String(repeating: "x", count: 25), limit: 10)
            == ["xxxxxxxxxx", "xxxxxxxxxx", "xxxxx"])
    }
}
