import ProfintCore

/// Checks that do not stop the content from loading, printed as warnings by
/// `profint check` (errors with `--strict`): facts past their review date,
/// rules without a legal source, near-duplicate examples across intents.
extension ContentValidator {
    /// - Parameter today: `YYYY-MM-DD`, the day the check runs.
    public static func warnings(_ loaded: LoadedContent, today: String) -> [ContentProblem] {
        var warnings: [ContentProblem] = []
        for item in loaded.content.knowledge {
            let source = loaded.knowledgeSources["\(item.id)/\(item.language.rawValue)"]
            let path = source?.path ?? item.id
            func line(_ key: String) -> Int { source?.fieldLines[key] ?? 2 }
            if let due = item.reviewDue, due < today {
                warnings.append(ContentProblem(path, line("review_due"), "review_due \(due) has passed: check the facts against the sources, then update reviewed: and review_due:"))
            }
            if [.countryGuide, .rights].contains(item.type), !item.sources.contains(where: isLegalSource) {
                warnings.append(ContentProblem(path, line("sources"), "a \(item.type.rawValue) item needs a legal text or official page in sources:"))
            }
            if [.countryGuide, .rights, .helplines].contains(item.type), item.reviewDue == nil {
                warnings.append(ContentProblem(path, line("reviewed"), "a \(item.type.rawValue) item needs review_due: (at most 12 months after reviewed:)"))
            }
        }
        warnings += nearDuplicateExamples(loaded)
        return warnings.sorted()
    }

    /// A law, a decree or an official page (a URL).
    static func isLegalSource(_ source: String) -> Bool {
        let s = Folding.fold(source)
        let marks = ["http", "www.", ".gouv", ".gov", "loi ", "law ", "legge", "lag (", "lagen", "decret", "decreto", "d.lgs", "dlgs",
                     "ceseda", "directive", "direttiva", "regulation", "regolamento", "forordning", "sfs ", "code ", "codice",
                     "socialtjanstlag", "utlanningslag", "testo unico"]
        return marks.contains { s.contains($0) }
    }

    /// Examples of different intents with the same words, whatever their
    /// order, case, accents and punctuation.
    static func nearDuplicateExamples(_ loaded: LoadedContent) -> [ContentProblem] {
        var seen: [String: String] = [:]
        var out: [ContentProblem] = []
        for intent in loaded.content.intents {
            let source = loaded.intentSources[intent.id]
            for language in Language.allCases {
                for example in intent.examples[language] ?? [] {
                    let words = Tokenizer.tokenize(Folding.normalize(example))
                        .filter { $0.kind == .word }.map { Folding.fold($0.text) }
                    guard words.count >= 3 else { continue }
                    let key = language.rawValue + ":" + Set(words).sorted().joined(separator: " ")
                    if let other = seen[key], other != intent.id {
                        out.append(ContentProblem(source?.path ?? intent.id, source?.fieldLines["examples"] ?? source?.line ?? 1,
                                                  "example \"\(example)\" of \"\(intent.id)\" has the same words as one of \"\(other)\""))
                    } else {
                        seen[key] = intent.id
                    }
                }
            }
        }
        return out
    }
}
