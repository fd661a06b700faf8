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
        #expect(index.correct("traum") == nil)       // short, and "trauma" is rare
        #expect(index.correct("puppy") == nil)       // nothing close
        #expect(index.correct("ñandú") == nil)       // not plain letters
    }

    @Test func correctsShortWordsOnlyToFrequentUnambiguousWords() {
        let index = TypoIndex(words: ["skills": 70, "skill": 3, "assess": 8, "lunch": 5, "bunch": 5, "cards": 1])
        #expect(index.correct("skils") == "skills")  // "skill" is as near, but of the same family
        #expect(index.correct("asess") == "assess")
        #expect(index.correct("munch") == nil)       // "lunch" or "bunch": ambiguous
        #expect(index.correct("card") == nil)        // four letters: never corrected
        #expect(index.correct("carde") == nil)       // "cards" is rare
    }

    /// A lookup costs about n² hashes of n letters: past the cap, words are
    /// left as typed (a 4,096-letter word took 13 s before the cap).
    @Test func wordsPastTheLengthCapAreNotCorrected() {
        let atCap = String(repeating: "ab", count: TypoIndex.maximumLength / 2)
        let pastCap = atCap + "cd"
        let index = TypoIndex(words: [atCap: 5, pastCap: 5])
        #expect(index.correct(String(atCap.dropLast()) + "x") == atCap)
        #expect(index.correct(String(pastCap.dropLast()) + "x") == nil)
        #expect(index.correct(String(repeating: "interpreter", count: 400)) == nil)
    }

    @Test func distanceCountsTranspositionsAsOne() {
        #expect(TypoIndex.distance(Array("intervju".utf8), Array("interjvu".utf8), limit: 3) == 1)
        #expect(TypoIndex.distance(Array("abc".utf8), Array("xyz".utf8), limit: 1) == 2)
    }

    /// The variants' sort is stable by key: the same order as sorting (key, position).
    @Test func variantSortIsStableByKey() {
        var rng = SplitMix64(seed: 7)
        for count in [0, 1, 2, 17, 1_000, 50_000] {
            // Hashes, some repeated (with the top bits alike too), ids in order.
            var keys: [UInt64] = []
            for i in 0..<count {
                let k = rng.next()
                keys.append(i % 5 == 0 && i > 0 ? keys[Int(k % UInt64(i))] : (i % 7 == 0 ? k >> 40 : k))
            }
            var ids = (0..<count).map { Int32($0) }
            let expected = zip(keys, ids).sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
            TypoIndex.radixSort(&keys, &ids)
            #expect(keys == expected.map(\.0))
            #expect(ids == expected.map(\.1))
        }
    }
}
