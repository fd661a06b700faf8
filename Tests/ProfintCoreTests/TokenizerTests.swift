import Testing
@testable import ProfintCore

struct TokenizerTests {
    func texts(_ s: String) -> [String] {
        Tokenizer.tokenize(Folding.normalize(s)).map(\.text)
    }

    @Test func apostrophesSplitElisions() {
        #expect(texts("l'accueil") == ["l", "accueil"])
        #expect(texts("dell'ufficio") == ["dell", "ufficio"])
        #expect(texts("l’accueil") == ["l", "accueil"])
        #expect(texts("qu'est-ce") == ["qu", "est", "ce"])
    }

    @Test func hyphensSplitCompounds() {
        #expect(texts("burn-out") == ["burn", "out"])
        #expect(texts("ENIC-NARIC") == ["enic", "naric"])
    }

    @Test(arguments: [("8h30", "08:30"), ("08:30", "08:30"), ("8.30", "08:30"), ("14h", "14:00"), ("kl 8.15", "08:15"), ("à 9h15.", "09:15")])
    func clockTimesBecomeOneToken(input: String, time: String) {
        let tokens = Tokenizer.tokenize(Folding.normalize(input))
        #expect(tokens.contains(Token(time, .time)))
    }

    @Test func numbersThatAreNotTimesStayNumbers() {
        #expect(Tokenizer.tokenize("3.5 25:99 2018").map(\.kind) == [.number, .number, .number, .number])
        #expect(Tokenizer.tokenize("14hours").map(\.kind) == [.word])
    }

    @Test func emojiAreTokensOfTheirOwn() {
        let tokens = Tokenizer.tokenize(Folding.normalize("great 👍🏽 thanks👋"))
        #expect(tokens.map(\.text) == ["great", "👍", "thanks", "👋"])
        #expect(tokens[1].kind == .emoji)
    }

    @Test func emptyAndPunctuationOnlyMessagesGiveNoTokens() {
        #expect(Tokenizer.tokenize("").isEmpty)
        #expect(Tokenizer.tokenize("?!… — ...").isEmpty)
    }

    @Test func hugeMessagesAreTokenized() {
        let text = String(repeating: "interprète ", count: 10_000)
        #expect(Tokenizer.tokenize(Folding.normalize(text)).count == 10_000)
    }
}
