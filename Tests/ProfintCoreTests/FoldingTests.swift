import Testing
@testable import ProfintCore

struct FoldingTests {
    @Test(arguments: [
        ("perché", "perche"), ("À bientôt", "a bientot"), ("Språkinlärning", "sprakinlarning"),
        ("œuvre", "oeuvre"), ("Straße", "strasse"), ("interprète", "interprete"), ("ÅÄÖ", "aao"),
        ("ﬁche", "fiche"), ("Ｃｖ", "cv"), ("café", "cafe"),
    ])
    func foldsCaseAndDiacritics(input: String, expected: String) {
        #expect(Folding.fold(Folding.normalize(input)) == expected)
    }

    @Test func decomposedAndPrecomposedAccentsMeet() {
        let decomposed = "perche\u{0301}"  // e + combining acute
        #expect(Folding.fold(Folding.normalize(decomposed)) == Folding.fold(Folding.normalize("perché")))
    }

    @Test func asciiIsOnlyLowerCased() {
        #expect(Folding.normalize("Hello World") == "hello world")
        #expect(Folding.fold("hello") == "hello")
    }
}
