/// Turns a message into analyzed tokens for one language: normalization,
/// tokenization, typo correction against the content's vocabulary,
/// Snowball stemming, diacritic folding and synonym rewriting.
///
/// Built once from the content; immutable and safe to share.
public struct TextAnalyzer: Sendable {
    /// normalized word → folded stem, per language, for the known vocabulary.
    private var stemCache: [StringTable<String>]
    /// folded word → one normalized (accented) spelling, to stem corrections.
    private var spellings: StringTable<String>
    private var typoIndex: TypoIndex
    /// Stems of the known vocabulary per language: a word whose stem is
    /// known ("connaissez" → "connaiss") is an inflection, not a typo.
    private var knownStems: [StringSet]
    private var synonyms: [SynonymTable]

    /// - Parameters:
    ///   - vocabulary: texts whose words make the known vocabulary (examples,
    ///     slot phrases, titles…), per language.
    ///   - lexicon: synonym groups.
    public init(vocabulary: [Language: [String]], lexicon: Lexicon) {
        var counts: StringTable<Int>? = nil
        self.init(vocabulary: vocabulary, lexicon: lexicon, deferringTypoIndex: &counts)
        self.typoIndex = TypoIndex(counts: counts!)
    }

    /// The analyzer without its typo index, which `setTypoIndex` adds
    /// (built elsewhere, meanwhile, from `counts`: folded word → occurrences).
    init(vocabulary: [Language: [String]], lexicon: Lexicon, deferringTypoIndex typoCounts: inout StringTable<Int>?) {
        var counts = StringTable<Int>()
        var spellings = StringTable<String>()
        var perLanguage = [[String]](repeating: [], count: Language.allCases.count)
        for (language, texts) in vocabulary.sorted(by: { $0.key < $1.key }) {
            for text in texts {
                for token in Tokenizer.tokenize(Folding.normalize(text)) where token.kind == .word {
                    let folded = Folding.fold(token.text)
                    let count = counts.entry(folded, default: 0)
                    counts.update(at: count) { $0 += 1 }
                    // Prefer an accented spelling; among several, the smallest, so runs agree.
                    let entry = spellings.entry(folded, default: token.text)
                    let current = spellings.value(at: entry)
                    let better = token.text != folded && (current == folded || token.text < current)
                    if better { spellings.update(at: entry) { $0 = token.text } }
                    perLanguage[language.index].append(token.text)
                }
            }
        }
        var caches = [StringTable<String>](repeating: StringTable(), count: Language.allCases.count)
        var known = [StringSet](repeating: StringSet(), count: Language.allCases.count)
        for language in Language.allCases {
            let stemmer = language.stemmer
            var cache = StringTable<String>()
            var stems = StringSet()
            for word in perLanguage[language.index] where !cache.contains(word) {
                let stem = Folding.fold(stemmer.stem(word))
                cache[word] = stem
                stems.insert(stem)
            }
            caches[language.index] = cache
            known[language.index] = stems
        }
        self.stemCache = caches
        self.knownStems = known
        self.spellings = spellings
        self.typoIndex = TypoIndex(counts: StringTable())
        typoCounts = counts
        self.synonyms = []
        // Synonym tables are analyzed with the plain pipeline (no rewriting).
        var tables: [SynonymTable] = []
        for language in Language.allCases {
            var table = SynonymTable()
            for group in lexicon.groups[language] ?? [] {
                guard let canonical = group.first else { continue }
                let target = self.stems(canonical, language, correctTypos: false).map(\.stem)
                guard !target.isEmpty else { continue }
                for variant in group.dropFirst() {
                    let source = self.stems(variant, language, correctTypos: false).map(\.stem)
                    if !source.isEmpty, source != target { table.add(source, target) }
                }
            }
            tables.append(table)
        }
        self.synonyms = tables
    }

    /// Adds the typo index of an analyzer built with `deferringTypoIndex`.
    mutating func setTypoIndex(_ index: TypoIndex) {
        typoIndex = index
    }

    /// Splits an unknown compound into two known words, the longest known
    /// head first, allowing a linking "s" ("arbetsgivare" → "arbet" + "givare").
    func splitCompound(_ word: String) -> [String]? {
        let letters = Array(word)
        guard letters.count >= 9 else { return nil }
        for split in 3...(letters.count - 4) {
            let head = String(letters[split...])
            guard spellings[head] != nil else { continue }
            let left = String(letters[..<split])
            if left.count >= 3, spellings[left] != nil { return [left, head] }
            if left.count >= 4, left.hasSuffix("s"), spellings[String(left.dropLast())] != nil {
                return [String(left.dropLast()), head]
            }
        }
        return nil
    }

    /// The full analysis of a text in a language.
    public func analyze(_ text: String, _ language: Language, correctTypos: Bool = true) -> [AnalyzedToken] {
        let tokens = stems(text, language, correctTypos: correctTypos)
        return synonyms[language.index].rewrite(tokens)
    }

    /// Analysis of already tokenized text.
    public func analyze(tokens: [Token], _ language: Language, correctTypos: Bool = true) -> [AnalyzedToken] {
        synonyms[language.index].rewrite(stems(tokens: tokens, language, correctTypos: correctTypos))
    }

    /// Analysis of tokens whose folded texts are already computed.
    func analyze(tokens: [Token], folded: [String], _ language: Language, correctTypos: Bool = true) -> [AnalyzedToken] {
        synonyms[language.index].rewrite(stems(tokens: tokens, folded: folded, language, correctTypos: correctTypos))
    }

    func stems(_ text: String, _ language: Language, correctTypos: Bool) -> [AnalyzedToken] {
        stems(tokens: Tokenizer.tokenize(Folding.normalize(text)), language, correctTypos: correctTypos)
    }

    func stems(tokens: [Token], _ language: Language, correctTypos: Bool) -> [AnalyzedToken] {
        stems(tokens: tokens, folded: nil, language, correctTypos: correctTypos)
    }

    func stems(tokens: [Token], folded foldedTexts: [String]?, _ language: Language, correctTypos: Bool) -> [AnalyzedToken] {
        var out: [AnalyzedToken] = []
        out.reserveCapacity(tokens.count)
        let cache = stemCache[language.index]
        for (index, token) in tokens.enumerated() {
            switch token.kind {
            case .word:
                var folded = foldedTexts?[index] ?? Folding.fold(token.text)
                let spelling = spellings[folded]
                // Typed without accents: stem the accented spelling the content uses.
                var normalized = folded == token.text ? (spelling ?? token.text) : token.text
                var typed: String?
                if language == .sv, spelling == nil, let parts = splitCompound(folded) {
                    // Swedish compounds: "sjukskoterskeexamen" → "sjukskoterske" + "examen".
                    for part in parts {
                        let spelled = spellings[part] ?? part
                        let stem = cache[spelled] ?? Folding.fold(language.stemmer.stem(spelled))
                        out.append(AnalyzedToken(word: part, stem: stem, kind: .word))
                    }
                    continue
                }
                if correctTypos, spelling == nil,
                   !knownStems[language.index].contains(Folding.fold(language.stemmer.stem(normalized))),
                   let fixed = typoIndex.correct(folded) {
                    typed = folded
                    folded = fixed
                    normalized = spellings[fixed] ?? fixed
                }
                let stem = cache[normalized] ?? Folding.fold(language.stemmer.stem(normalized))
                out.append(AnalyzedToken(word: folded, stem: stem, kind: .word, typed: typed))
            case .number:
                out.append(AnalyzedToken(word: token.text, stem: token.text, kind: .number))
            case .time:
                out.append(AnalyzedToken(word: token.text, stem: token.text, kind: .time))
            case .emoji:
                out.append(AnalyzedToken(word: token.text, stem: token.text, kind: .emoji))
            }
        }
        return out
    }
}

/// Phrase → canonical phrase rewriting on stems, longest match first.
struct SynonymTable: Sendable {
    private var entries = StringTable<[([String], [String])]>()

    mutating func add(_ source: [String], _ target: [String]) {
        // Longest first; the first group listed wins among equals (stable insertion).
        var list = entries[source[0]] ?? []
        let position = list.firstIndex { $0.0.count < source.count } ?? list.count
        list.insert((source, target), at: position)
        entries[source[0]] = list
    }

    func rewrite(_ tokens: [AnalyzedToken]) -> [AnalyzedToken] {
        guard !entries.isEmpty else { return tokens }
        var out: [AnalyzedToken] = []
        var i = 0
        // Until a phrase matches, the output is the input: copied only from there.
        var copied = false
        while i < tokens.count {
            if let candidates = entries[tokens[i].stem] {
                var matched = false
                for (source, target) in candidates where i + source.count <= tokens.count {
                    var ok = true
                    for k in 1..<max(source.count, 1) where tokens[i + k].stem != source[k] {
                        ok = false
                        break
                    }
                    if ok {
                        if !copied {
                            out.reserveCapacity(tokens.count + target.count)
                            out.append(contentsOf: tokens[..<i])
                            copied = true
                        }
                        let first = tokens[i]
                        for t in target {
                            out.append(AnalyzedToken(word: first.word, stem: t, kind: .word, typed: first.typed))
                        }
                        i += source.count
                        matched = true
                        break
                    }
                }
                if matched { continue }
            }
            if copied { out.append(tokens[i]) }
            i += 1
        }
        return copied ? out : tokens
    }
}
