import Foundation

/// Detects en, fr, it or sv with a naive Bayes model over folded words and
/// character trigrams, learned from the content's own texts in each
/// language plus built-in function words, with the conversation's language
/// as a prior. Letters that belong to one language (å ä ö, ç œ, ì ò) count as
/// evidence too. Robust for one to three words because the prior decides
/// when the words do not.
public struct LanguageDetector: Sendable {
    private var wordLogProb: [String: [Float]] = [:]
    private var unknownWordLogProb: [Float]
    private var trigramLogProb: [UInt64: [Float]] = [:]
    private var unknownTrigramLogProb: [Float]

    /// How much the conversation's language weighs, in nats.
    public var priorWeight: Double = 1.5

    public init(texts: [Language: [String]]) {
        let languages = Language.allCases
        var wordCounts: [String: [Float]] = [:]
        var triCounts: [UInt64: [Float]] = [:]
        var wordTotals = [Float](repeating: 0, count: 4)
        var triTotals = [Float](repeating: 0, count: 4)
        func add(_ word: String, _ l: Int, weight: Float) {
            wordCounts[word, default: [0, 0, 0, 0]][l] += weight
            wordTotals[l] += weight
            for tri in Self.trigrams(word) {
                triCounts[tri, default: [0, 0, 0, 0]][l] += weight
                triTotals[l] += weight
            }
        }
        for language in languages {
            let l = language.index
            for text in texts[language] ?? [] {
                for token in Tokenizer.tokenize(Folding.normalize(text)) where token.kind == .word {
                    add(Folding.fold(token.text), l, weight: 1)
                }
            }
            for word in StopWords.words(language) {
                add(word, l, weight: 3)
            }
        }
        let vocabulary = Float(max(wordCounts.count, 1))
        let alpha: Float = 0.1
        for (word, counts) in wordCounts {
            wordLogProb[word] = (0..<4).map { log((counts[$0] + alpha) / (wordTotals[$0] + alpha * vocabulary)) }
        }
        unknownWordLogProb = (0..<4).map { log(alpha / (wordTotals[$0] + alpha * vocabulary)) }
        let triVocabulary = Float(max(triCounts.count, 1))
        for (tri, counts) in triCounts {
            trigramLogProb[tri] = (0..<4).map { log((counts[$0] + 0.5) / (triTotals[$0] + 0.5 * triVocabulary)) }
        }
        unknownTrigramLogProb = (0..<4).map { log(0.5 / (triTotals[$0] + 0.5 * triVocabulary)) }
    }

    /// Detects the language of normalized tokens; `prior` is the
    /// conversation's language, if any.
    public func detect(_ tokens: [Token], prior: Language?) -> LanguageGuess {
        var score = [Double](repeating: 0, count: 4)
        var evidence = 0
        for token in tokens where token.kind == .word {
            let folded = Folding.fold(token.text)
            if let lp = wordLogProb[folded] {
                for l in 0..<4 { score[l] += Double(lp[l]) }
            } else {
                // Unknown word: spell it in character trigrams, weighed as one word.
                let tris = Self.trigrams(folded)
                if !tris.isEmpty {
                    var s = [Double](repeating: 0, count: 4)
                    for tri in tris {
                        let lp = trigramLogProb[tri] ?? unknownTrigramLogProb
                        for l in 0..<4 { s[l] += Double(lp[l]) }
                    }
                    let k = Double(tris.count)
                    for l in 0..<4 { score[l] += s[l] / k * 1.5 }
                }
            }
            evidence += 1
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
        let maxScore = score.max() ?? 0
        let exps = score.map { exp($0 - maxScore) }
        let total = exps.reduce(0, +)
        let posterior = exps.map { $0 / total }
        var best = 0
        for l in 1..<4 where posterior[l] > posterior[best] { best = l }
        if evidence == 0, let prior {
            return LanguageGuess(language: prior, score: posterior[prior.index], scores: posterior)
        }
        return LanguageGuess(language: Language.allCases[best], score: posterior[best], scores: posterior)
    }

    static func trigrams(_ word: String) -> [UInt64] {
        let bytes = Array(("^" + word + "$").utf8)
        guard bytes.count >= 3 else { return [] }
        return (0...(bytes.count - 3)).map { FNV.hash(bytes: bytes[$0..<($0 + 3)]) }
    }
}
