import Testing
@testable import ProfintCore

struct TypoIndexTests {
    let index = TypoIndex(words: [
        "interprete": 5, "interpreter": 3, "anstallningsintervju": 1, "recognition": 4, "working": 6,
        "computer": 2, "housing": 3, "trauma": 2,
    ])

    @Test(arguments: [
        ("interpete", "interprete"), ("anstallningsinterjvu", "anstallningsintervju"), ("recogntion", "recognition"),
        ("workign", "working"), ("compuetr", "computer"), ("housnig", "housing"),
    ])
    func correctsOneOrTwoTypos(typed: String, expected: String) {
        #expect(index.correct(typed) == expected)
    }

    @Test func leavesKnownShortAndFarWordsAlone() {
        #expect(index.correct("interprete") == nil)  // already known
        #expect(index.correct("traum") == nil)       // too short to correct
        #expect(index.correct("puppy") == nil)       // nothing close
        #expect(index.correct("ñandú") == nil)       // not plain letters
    }

    @Test func distanceCountsTranspositionsAsOne() {
        #expect(TypoIndex.distance(Array("intervju".utf8), Array("interjvu".utf8), limit: 3) == 1)
        #expect(TypoIndex.distance(Array("abc".utf8), Array("xyz".utf8), limit: 1) == 2)
    }
}
