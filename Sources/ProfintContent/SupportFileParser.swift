import Foundation
import ProfintCore

/// Reads `slots.yml`, `lexicon.yml` and `messages.yml`.
enum SupportFileParser {
    static func parseSlots(_ root: YAMLNode, path: String, into loaded: inout LoadedContent) {
        var problems: [ContentProblem] = []
        guard var top = MappingReader(root, path: path, what: "slots.yml", problems: &problems) else {
            loaded.problems += problems
            return
        }
        top.checkKnown(["topic", "target_group", "country", "language", "country_institutions", "language_cues", "names"], what: "slots.yml")
        var vocabulary = SlotVocabulary()
        func readValues(_ node: YAMLNode, slot: SlotName?, key: String) -> [String: [Language: [String]]] {
            var result: [String: [Language: [String]]] = [:]
            guard let pairs = node.mappingPairs else {
                problems.append(ContentProblem(path, node.line, "\"\(key)\" must map values to languages"))
                return [:]
            }
            let allowed = (slot ?? .country).allowedValues ?? []
            for (value, byLanguage, l) in pairs {
                if !allowed.contains(value) {
                    let hint = Suggestion.nearest(value, in: allowed).map { " (did you mean \"\($0)\"?)" } ?? ""
                    problems.append(ContentProblem(path, l, "unknown slot value \"\(value)\" for \(key)\(hint)"))
                    continue
                }
                loaded.slotLines["\(key).\(value)"] = l
                guard var r = MappingReader(byLanguage, path: path, what: "\(key).\(value)", problems: &problems) else { continue }
                for (code, list, ll) in r.pairs {
                    guard let language = Language(rawValue: code) else {
                        problems.append(ContentProblem(path, ll, "unknown language \"\(code)\" (use en, fr, it or sv)"))
                        continue
                    }
                    result[value, default: [:]][language] = MappingReader.strings(list, key: "\(key).\(value)", path: path, problems: &problems).map(\.0)
                }
                problems += r.problems
            }
            return result
        }
        for slot in [SlotName.topic, .targetGroup, .country, .language] {
            if let node = top.node(slot.rawValue) {
                vocabulary.phrases[slot] = readValues(node, slot: slot, key: slot.rawValue)
            }
        }
        if let node = top.node("country_institutions") {
            vocabulary.countryInstitutions = readValues(node, slot: .country, key: "country_institutions")
        }
        for (language, list, _) in top.perLanguage("language_cues") {
            vocabulary.languageCues[language] = MappingReader.strings(list, key: "language_cues", path: path, problems: &problems).map(\.0)
        }
        if let names = top.node("names"), let slots = names.mappingPairs {
            for (slotName, values, l) in slots {
                guard let slot = SlotName(rawValue: slotName), let allowed = slot.allowedValues else {
                    problems.append(ContentProblem(path, l, "unknown slot \"\(slotName)\" in names"))
                    continue
                }
                for (value, byLanguage, vl) in values.mappingPairs ?? [] {
                    guard allowed.contains(value) else {
                        let hint = Suggestion.nearest(value, in: allowed).map { " (did you mean \"\($0)\"?)" } ?? ""
                        problems.append(ContentProblem(path, vl, "unknown slot value \"\(value)\" for \(slotName)\(hint)"))
                        continue
                    }
                    for (code, name, nl) in byLanguage.mappingPairs ?? [] {
                        guard let language = Language(rawValue: code), let text = name.scalarString else {
                            problems.append(ContentProblem(path, nl, "names need a language code and a text"))
                            continue
                        }
                        vocabulary.names[slot, default: [:]][value, default: [:]][language] = text
                    }
                }
            }
        }
        problems += top.problems
        loaded.content.slots = vocabulary
        loaded.slotsPath = path
        loaded.problems += problems
    }

    static func parseOutOfScope(_ root: YAMLNode, path: String, into loaded: inout LoadedContent) {
        var problems: [ContentProblem] = []
        guard var top = MappingReader(root, path: path, what: "out-of-scope.yml", problems: &problems) else {
            loaded.problems += problems
            return
        }
        top.checkKnown(["out_of_scope"], what: "out-of-scope.yml")
        for (language, list, _) in top.perLanguage("out_of_scope") {
            loaded.content.outOfScopeExamples[language, default: []] +=
                MappingReader.strings(list, key: "out_of_scope", path: path, problems: &problems).map(\.0)
        }
        loaded.problems += problems + top.problems
    }

    static func parseLexicon(_ root: YAMLNode, path: String, into loaded: inout LoadedContent) {
        var problems: [ContentProblem] = []
        guard var top = MappingReader(root, path: path, what: "lexicon.yml", problems: &problems) else {
            loaded.problems += problems
            return
        }
        var lexicon = Lexicon()
        for (code, list, l) in top.pairs {
            guard let language = Language(rawValue: code) else {
                problems.append(ContentProblem(path, l, "unknown language \"\(code)\" (use en, fr, it or sv)"))
                continue
            }
            guard let groups = list.sequenceNodes else {
                problems.append(ContentProblem(path, list.line, "\(code) must be a list of synonym groups"))
                continue
            }
            for group in groups {
                let words = MappingReader.strings(group, key: "synonym group", path: path, problems: &problems).map(\.0)
                if words.count < 2 {
                    problems.append(ContentProblem(path, group.line, "a synonym group needs at least two entries"))
                    continue
                }
                lexicon.groups[language, default: []].append(words)
            }
        }
        problems += top.problems
        loaded.content.lexicon = lexicon
        loaded.problems += problems
    }

    static func parseMessages(_ root: YAMLNode, path: String, into loaded: inout LoadedContent) {
        var problems: [ContentProblem] = []
        guard var top = MappingReader(root, path: path, what: "messages.yml", problems: &problems) else {
            loaded.problems += problems
            return
        }
        top.checkKnown(Set(Messages.requiredKeys), what: "messages.yml")
        var messages = Messages()
        for (key, byLanguage, l) in top.pairs where Messages.requiredKeys.contains(key) {
            guard let pairs = byLanguage.mappingPairs else {
                problems.append(ContentProblem(path, l, "\"\(key)\" must map languages to texts"))
                continue
            }
            for (code, list, ll) in pairs {
                guard let language = Language(rawValue: code) else {
                    problems.append(ContentProblem(path, ll, "unknown language \"\(code)\" (use en, fr, it or sv)"))
                    continue
                }
                let texts = MappingReader.strings(list, key: key, path: path, problems: &problems).map(\.0)
                if texts.isEmpty || texts.contains(where: { $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
                    problems.append(ContentProblem(path, ll, "empty text for \"\(key)\" in \(code)"))
                }
                messages.texts[key, default: [:]][language] = texts
            }
        }
        for key in Messages.requiredKeys {
            for language in Language.allCases where messages.texts[key]?[language] == nil {
                problems.append(ContentProblem(path, top.lineOf(key), "message \"\(key)\" is missing in \(language.rawValue)"))
            }
        }
        problems += top.problems
        loaded.content.messages = messages
        loaded.problems += problems
    }
}
