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

struct MarkdownTextTests {
    @Test func headingsListsAndEmphasisBecomePlainText() {
        let markdown = "## What was tried\n\n- a **first** interview with an *interpreter*\n  - then `SFI`\n\nSee [the guide](https://example.org)."
        #expect(MarkdownText.plain(markdown) == "WHAT WAS TRIED\n\n• a first interview with an interpreter\n  • then SFI\n\nSee the guide (https://example.org).")
    }

    @Test func tablesKeepTheirCells() {
        #expect(MarkdownText.plain("| Step | Who |\n|---|---|\n| 1 | counsellor |") == "Step · Who\n1 · counsellor")
    }

    @Test func snakeCaseAndApostrophesSurvive() {
        #expect(MarkdownText.plain("l'accueil du public_cible") == "l'accueil du public_cible")
    }
}
