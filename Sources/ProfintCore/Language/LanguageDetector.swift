import Foundation

/// Detects en, fr, it or sv with a naive Bayes model over folded words and
/// character trigrams, learned from the content's own texts in each
/// language plus built-in function words, with the conversation's language
/// as a prior. Letters that belong to one language (å ä ö, ç œ, ì ò) count as
/// evidence too. Robust for one to three words because the prior decides
/// when the words do not.
public struct LanguageDetector: Sendable {
    /// folded word → row of `wordLogProb` (4 log-probabilities per row).
    private var wordRows: StringTable<Int32>
    private var wordLogProb: [Float]
    private var unknownWordLogProb: [Float]
    /// trigram hash → row of `trigramLogProb` (4 per row).
    private var trigramRows: FeatureTable
    private var trigramLogProb: [Float]
    private var unknownTrigramLogProb: [Float]

    /// How much the conversation's language weighs, in nats.
    public var priorWeight: Double = 1.5

    public init(texts: [Language: [String]]) {
        let languages = Language.allCases
        // Counts per word and per trigram, 4 per row (one per language).
        var wordRows = StringTable<Int32>()
        var wordCounts: [Float] = []
        var trigramRows = FeatureTable(capacity: 1 << 14)
        var triCounts: [Float] = []
        var wordTotals = [Float](repeating: 0, count: 4)
        var triTotals = [Float](repeating: 0, count: 4)
        func add(_ word: String, _ l: Int, weight: Float) {
            let entry = wordRows.entry(word, default: Int32(wordCounts.count / 4))
            if entry * 4 == wordCounts.count { wordCounts += [0, 0, 0, 0] }
            wordCounts[entry * 4 + l] += weight
            wordTotals[l] += weight
            _ = Self.forEachTrigram(word) { tri in
                let row = Int(trigramRows.insert(tri))
                if row * 4 == triCounts.count { triCounts += [0, 0, 0, 0] }
                triCounts[row * 4 + l] += weight
                triTotals[l] += weight
            }
        }
        for language in languages {
            let l = language.index
            // Each distinct word once, with its number of occurrences, in order of
            // first occurrence: the counts are whole numbers (far below 2^24), so
            // their float sums, and the rows' order, are those of a word at a time.
            var occurrences = StringTable<Int>()
            for text in texts[language] ?? [] {
                for token in Tokenizer.tokenize(Folding.normalize(text)) where token.kind == .word {
                    let e = occurrences.entry(Folding.fold(token.text), default: 0)
                    occurrences.update(at: e) { $0 += 1 }
                }
            }
            for entry in occurrences.entries {
                add(entry.key, l, weight: Float(entry.value))
            }
            for word in StopWords.words(language).sorted() {
                add(word, l, weight: 3)
            }
        }
        let vocabulary = Float(max(wordRows.count, 1))
        let alpha: Float = 0.1
        var wordLogProb = [Float](repeating: 0, count: wordCounts.count)
        for row in 0..<wordRows.count {
            for l in 0..<4 { wordLogProb[row * 4 + l] = log((wordCounts[row * 4 + l] + alpha) / (wordTotals[l] + alpha * vocabulary)) }
        }
        self.wordRows = wordRows
        self.wordLogProb = wordLogProb
        unknownWordLogProb = (0..<4).map { log(alpha / (wordTotals[$0] + alpha * vocabulary)) }
        let triVocabulary = Float(max(trigramRows.count, 1))
        var trigramLogProb = [Float](repeating: 0, count: triCounts.count)
        for row in 0..<trigramRows.count {
            for l in 0..<4 { trigramLogProb[row * 4 + l] = log((triCounts[row * 4 + l] + 0.5) / (triTotals[l] + 0.5 * triVocabulary)) }
        }
        trigramRows.compact()
        self.trigramRows = trigramRows
        self.trigramLogProb = trigramLogProb
        unknownTrigramLogProb = (0..<4).map { log(0.5 / (triTotals[$0] + 0.5 * triVocabulary)) }
    }

    /// Detects the language of normalized tokens; `prior` is the
    /// conversation's language, if any.
    public func detect(_ tokens: [Token], prior: Language?) -> LanguageGuess {
        detect(tokens, folded: tokens.map { Folding.fold($0.text) }, prior: prior)
    }

    /// `detect` with each token's folded text already computed.
    func detect(_ tokens: [Token], folded foldedTexts: [String], prior: Language?) -> LanguageGuess {
        var score = SIMD4<Double>(repeating: 0)
        var evidence = 0
        for (index, token) in tokens.enumerated() where token.kind == .word {
            let folded = foldedTexts[index]
            let row = wordRows[folded]
            if let row {
                let base = Int(row) * 4
                for l in 0..<4 { score[l] += Double(wordLogProb[base + l]) }
            } else {
                // Unknown word: spell it in character trigrams, weighed as one word.
                var s = (0.0, 0.0, 0.0, 0.0)
                let count = Self.forEachTrigram(folded) { tri in
                    if let r = trigramRows.row(tri) {
                        let b = Int(r) * 4
                        s.0 += Double(trigramLogProb[b]); s.1 += Double(trigramLogProb[b + 1])
                        s.2 += Double(trigramLogProb[b + 2]); s.3 += Double(trigramLogProb[b + 3])
                    } else {
                        s.0 += Double(unknownTrigramLogProb[0]); s.1 += Double(unknownTrigramLogProb[1])
                        s.2 += Double(unknownTrigramLogProb[2]); s.3 += Double(unknownTrigramLogProb[3])
                    }
                }
                if count > 0 {
                    let k = Double(count)
                    score[0] += s.0 / k * 1.5
                    score[1] += s.1 / k * 1.5
                    score[2] += s.2 / k * 1.5
                    score[3] += s.3 / k * 1.5
                }
            }
            evidence += 1
            guard !Folding.isASCII(token.text) else { continue }
            for scalar in token.text.unicodeScalars {
                switch scalar {
                case "å", "ä", "ö": score[3] += 2.5
                case "ç", "œ", "ê", "î", "û", "ë", "ï", "ù", "â": score[1] += 2
                case "é": score[1] += 1; score[2] += 0.3
                case "è", "à": score[1] += 0.8; score[2] += 1
                case "ì", "ò": score[2] += 2.5
                default: break
                }
            }
        }
        if let prior {
            score[prior.index] += priorWeight
        } else {
            score[0] += 0.05 // English when nothing else can tell
        }
        let scores = [score[0], score[1], score[2], score[3]]
        let maxScore = scores.max() ?? 0
        let exps = scores.map { exp($0 - maxScore) }
        let total = exps.reduce(0, +)
        let posterior = exps.map { $0 / total }
        var best = 0
        for l in 1..<4 where posterior[l] > posterior[best] { best = l }
        if evidence == 0, let prior {
            return LanguageGuess(language: prior, score: posterior[prior.index], scores: posterior)
        }
        return LanguageGuess(language: Language.allCases[best], score: posterior[best], scores: posterior)
    }

    /// Calls `body` with the hash of each trigram of "^word$" (as `trigrams`); returns how many.
    @inline(__always)
    static func forEachTrigram(_ word: String, _ body: (UInt64) -> Void) -> Int {
        let n = word.utf8.count + 2
        guard n >= 3 else { return 0 }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: n) { buffer in
            buffer[0] = 94 // ^
            var i = 1
            for b in word.utf8 { buffer[i] = b; i += 1 }
            buffer[n - 1] = 36 // $
            for start in 0...(n - 3) {
                var h = FNV.offset
                h ^= UInt64(buffer[start]); h &*= FNV.prime
                h ^= UInt64(buffer[start + 1]); h &*= FNV.prime
                h ^= UInt64(buffer[start + 2]); h &*= FNV.prime
                body(h)
            }
            return n - 2
        }
    }

    static func trigrams(_ word: String) -> [UInt64] {
        let bytes = Array(("^" + word + "$").utf8)
        guard bytes.count >= 3 else { return [] }
        return (0...(bytes.count - 3)).map { FNV.hash(bytes: bytes[$0..<($0 + 3)]) }
    }
}
