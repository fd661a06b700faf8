import Foundation
import ProfintCore

/// Checks loaded content as a whole: the catalogue is complete in every
/// language, examples are not shared between intents, responses are not
/// empty, links point to items that exist, patterns compile.
public enum ContentValidator {
    public static let minimumExamples = 15
    static let placeholders: Set<String> = ["time", "language", "country", "topic", "target_group", "a", "b", "title", "command", "timezone", "days", "question", "lines"]

    public static func validate(_ loaded: LoadedContent, intentsPath: String, requireCatalogue: Bool = true) -> [ContentProblem] {
        var problems = loaded.problems
        let content = loaded.content
        let ids = Set(content.intents.map(\.id))
        if requireCatalogue {
            for id in IntentCatalogue.ids where !ids.contains(id) {
                problems.append(ContentProblem(intentsPath, 1, "intent \"\(id)\" of the catalogue is missing"))
            }
        }
        var seenExamples: [String: (String, String, Int)] = [:]
        for intent in content.intents {
            let source = loaded.intentSources[intent.id] ?? IntentSource(path: intentsPath, line: 1)
            for language in Language.allCases {
                let examples = intent.examples[language] ?? []
                if examples.isEmpty {
                    problems.append(ContentProblem(source.path, source.fieldLines["examples"] ?? source.line,
                                                   "intent \"\(intent.id)\" has no examples in \(language.rawValue)"))
                } else if examples.count < minimumExamples {
                    problems.append(ContentProblem(source.path, source.fieldLines["examples"] ?? source.line,
                                                   "intent \"\(intent.id)\" has \(examples.count) examples in \(language.rawValue); at least \(minimumExamples) are needed"))
                }
                let responses = intent.responses[language] ?? []
                let responseLine = source.responseLines[language] ?? source.fieldLines["responses"] ?? source.line
                if responses.isEmpty {
                    problems.append(ContentProblem(source.path, responseLine, "intent \"\(intent.id)\" has no responses in \(language.rawValue)"))
                }
                for response in responses {
                    if response.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                        problems.append(ContentProblem(source.path, responseLine, "empty response in \"\(intent.id)\" (\(language.rawValue))"))
                    }
                    for name in placeholderNames(response) where !placeholders.contains(name) {
                        problems.append(ContentProblem(source.path, responseLine, "unknown placeholder {\(name)} in a response of \"\(intent.id)\""))
                    }
                }
                if intent.labels[language] == nil {
                    problems.append(ContentProblem(source.path, source.fieldLines["label"] ?? source.line,
                                                   "intent \"\(intent.id)\" has no label in \(language.rawValue)"))
                }
                for (i, example) in examples.enumerated() {
                    let folded = Folding.fold(Folding.normalize(example))
                    let letters = folded.filter { $0.isLetter || $0.isNumber || $0 == " " }
                    let key = letters.trimmingCharacters(in: .whitespaces).isEmpty ? folded : letters
                    let line = source.exampleLines[language]?[safe: i] ?? source.line
                    if let (other, otherPath, otherLine) = seenExamples[key], other != intent.id {
                        problems.append(ContentProblem(source.path, line,
                                                       "example \"\(example)\" is also in intent \"\(other)\" (\(otherPath):\(otherLine))"))
                    } else if seenExamples[key] == nil {
                        seenExamples[key] = (intent.id, source.path, line)
                    }
                }
            }
            for next in intent.next where !ids.contains(next) {
                let hint = Suggestion.nearest(next, in: ids).map { " (did you mean \"\($0)\"?)" } ?? ""
                problems.append(ContentProblem(source.path, source.fieldLines["next"] ?? source.line, "next step \"\(next)\" is not an intent\(hint)"))
            }
        }
        // Patterns compile.
        let analyzer = TextAnalyzer(vocabulary: [:], lexicon: content.lexicon)
        for intent in content.intents {
            let source = loaded.intentSources[intent.id] ?? IntentSource(path: intentsPath, line: 1)
            for (language, patterns) in intent.patterns {
                for pattern in patterns {
                    do {
                        _ = try IntentPattern(intent: intent.id, language: language, source: pattern) {
                            analyzer.analyze($0, language, correctTypos: false).map(\.stem)
                        }
                    } catch {
                        problems.append(ContentProblem(source.path, source.fieldLines["patterns"] ?? source.line, "\(error)"))
                    }
                }
            }
        }
        problems += validateKnowledge(loaded)
        return Array(Set(problems)).sorted()
    }

    static func validateKnowledge(_ loaded: LoadedContent) -> [ContentProblem] {
        var problems: [ContentProblem] = []
        let items = loaded.content.knowledge
        let ids = Set(items.map(\.id))
        var languagesByID: [String: Set<Language>] = [:]
        var typeByID: [String: KnowledgeType] = [:]
        for item in items {
            languagesByID[item.id, default: []].insert(item.language)
            let source = loaded.knowledgeSources["\(item.id)/\(item.language.rawValue)"] ?? KnowledgeSource(path: item.id)
            func line(_ key: String) -> Int { source.fieldLines[key] ?? 2 }
            if let type = typeByID[item.id], type != item.type {
                problems.append(ContentProblem(source.path, line("type"), "type \"\(item.type.rawValue)\" differs from another translation (\(type.rawValue))"))
            }
            typeByID[item.id] = item.type
            if item.title.trimmingCharacters(in: .whitespaces).isEmpty {
                problems.append(ContentProblem(source.path, line("title"), "empty title"))
            }
            if item.summary.trimmingCharacters(in: .whitespaces).isEmpty {
                problems.append(ContentProblem(source.path, line("summary"), "empty summary"))
            } else if item.summary.count > 280 {
                problems.append(ContentProblem(source.path, line("summary"), "summary has \(item.summary.count) characters; the limit is 280"))
            }
            for related in item.related where !ids.contains(related) {
                let hint = Suggestion.nearest(related, in: ids).map { " (did you mean \"\($0)\"?)" } ?? ""
                problems.append(ContentProblem(source.path, line("related"), "related id \"\(related)\" does not exist\(hint)"))
            }
            if let factor = item.factor, !ids.contains(factor) {
                let hint = Suggestion.nearest(factor, in: ids).map { " (did you mean \"\($0)\"?)" } ?? ""
                problems.append(ContentProblem(source.path, line("factor"), "factor \"\(factor)\" does not exist\(hint)"))
            }
            if item.type == .prompt {
                if item.stage.map({ ["reflect", "try", "formalize"].contains($0) }) != true {
                    problems.append(ContentProblem(source.path, line("stage"), "a prompt needs stage: reflect, try or formalize"))
                }
                if item.factor == nil {
                    problems.append(ContentProblem(source.path, 2, "a prompt needs a factor (success factor or module id)"))
                }
                if item.followUp?.isEmpty ?? true {
                    problems.append(ContentProblem(source.path, 2, "a prompt needs a follow_up question"))
                }
            }
            if [.countryGuide, .rights, .helplines].contains(item.type), item.reviewed == nil {
                problems.append(ContentProblem(source.path, 2, "a \(item.type.rawValue) item needs a reviewed: date"))
            }
            if item.type == .helplines {
                for entry in item.lines where entry.number != nil && (entry.source ?? "").isEmpty {
                    problems.append(ContentProblem(source.path, line("lines"), "the number \(entry.number!) (\(entry.name)) needs the official source: it was checked against"))
                }
            }
        }
        for (id, languages) in languagesByID.sorted(by: { $0.key < $1.key }) where languages.count < Language.allCases.count {
            let missing = Language.allCases.filter { !languages.contains($0) }.map(\.rawValue).joined(separator: ", ")
            let any = items.first { $0.id == id }!
            let path = loaded.knowledgeSources["\(id)/\(any.language.rawValue)"]?.path ?? id
            problems.append(ContentProblem(path, 1, "item \"\(id)\" has no translation in \(missing)"))
        }
        return problems
    }

    static func placeholderNames(_ text: String) -> [String] {
        var names: [String] = []
        var current: String?
        for c in text {
            if c == "{" { current = "" } else if c == "}" {
                if let n = current, !n.isEmpty { names.append(n) }
                current = nil
            } else if current != nil {
                current!.append(c)
            }
        }
        return names
    }
}

extension Array {
    subscript(safe index: Int) -> Element? {
        indices.contains(index) ? self[index] : nil
    }
}
