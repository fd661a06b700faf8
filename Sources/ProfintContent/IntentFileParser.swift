import ProfintCore

/// Reads one intent family file (`Intents/<family>.yml`).
struct IntentFileParser {
    static let fields: Set<String> = [
        "id", "description", "slots", "topic", "label", "examples", "patterns", "responses", "answer", "next", "follow_up",
    ]

    static func parse(_ root: YAMLNode, path: String, into loaded: inout LoadedContent) {
        var problems: [ContentProblem] = []
        guard var top = MappingReader(root, path: path, what: "an intent file", problems: &problems) else {
            loaded.problems += problems
            return
        }
        top.checkKnown(["intents"], what: "an intent file")
        guard let list = top.node("intents") else {
            problems.append(ContentProblem(path, root.line, "missing \"intents\" list"))
            loaded.problems += problems + top.problems
            return
        }
        guard let items = list.sequenceNodes else {
            problems.append(ContentProblem(path, list.line, "\"intents\" must be a list"))
            loaded.problems += problems + top.problems
            return
        }
        problems += top.problems
        for node in items {
            guard var r = MappingReader(node, path: path, what: "an intent", problems: &problems) else { continue }
            r.checkKnown(fields, what: "an intent")
            guard let id = r.string("id", required: true), !id.isEmpty else {
                problems += r.problems
                continue
            }
            var source = IntentSource(path: path, line: node.line)
            for (key, _, l) in r.pairs { source.fieldLines[key] = l }
            var intent = IntentDefinition(id: id)
            intent.description = r.string("description") ?? ""
            for (name, l) in r.strings("slots") {
                if let slot = SlotName(rawValue: name) {
                    intent.slots.append(slot)
                } else {
                    let hint = Suggestion.nearest(name, in: SlotName.allCases.map(\.rawValue)).map { " (did you mean \"\($0)\"?)" } ?? ""
                    problems.append(ContentProblem(path, l, "unknown slot \"\(name)\"\(hint)"))
                }
            }
            if let topic = r.string("topic") {
                let allowed = SlotName.topic.allowedValues ?? []
                if allowed.contains(topic) {
                    intent.topic = topic
                } else {
                    let hint = Suggestion.nearest(topic, in: allowed).map { " (did you mean \"\($0)\"?)" } ?? ""
                    problems.append(ContentProblem(path, r.lineOf("topic"), "unknown slot value \"\(topic)\" for topic\(hint)"))
                }
            }
            for (language, value, l) in r.perLanguage("label") {
                if let s = value.scalarString { intent.labels[language] = s } else {
                    problems.append(ContentProblem(path, l, "label must be text"))
                }
            }
            for (language, value, _) in r.perLanguage("examples") {
                let list = MappingReader.strings(value, key: "examples", path: path, problems: &problems)
                intent.examples[language] = list.map(\.0)
                source.exampleLines[language] = list.map(\.1)
            }
            for (language, value, _) in r.perLanguage("patterns") {
                intent.patterns[language] = MappingReader.strings(value, key: "patterns", path: path, problems: &problems).map(\.0)
            }
            for (language, value, l) in r.perLanguage("responses") {
                intent.responses[language] = MappingReader.strings(value, key: "responses", path: path, problems: &problems).map(\.0)
                source.responseLines[language] = l
            }
            if let answerNode = r.node("answer"), var a = MappingReader(answerNode, path: path, what: "answer", problems: &problems) {
                a.checkKnown(["types", "count"], what: "answer")
                var types: [KnowledgeType] = []
                for (name, l) in a.strings("types") {
                    if let t = KnowledgeType(rawValue: name) { types.append(t) } else {
                        let hint = Suggestion.nearest(name, in: KnowledgeType.allCases.map(\.rawValue)).map { " (did you mean \"\($0)\"?)" } ?? ""
                        problems.append(ContentProblem(path, l, "unknown knowledge type \"\(name)\"\(hint)"))
                    }
                }
                var count = 3
                if let c = a.string("count") {
                    if let n = Int(c), (1...3).contains(n) { count = n } else {
                        problems.append(ContentProblem(path, a.lineOf("count"), "answer count must be 1, 2 or 3"))
                    }
                }
                problems += a.problems
                intent.answer = AnswerQuery(types: types, count: count)
            }
            intent.next = r.strings("next").map(\.0)
            if let f = r.string("follow_up") {
                if f == "true" || f == "false" { intent.followUp = f == "true" } else {
                    problems.append(ContentProblem(path, r.lineOf("follow_up"), "follow_up must be true or false"))
                }
            }
            problems += r.problems
            if let existing = loaded.intentSources[id] {
                problems.append(ContentProblem(path, node.line, "intent \"\(id)\" is already defined at \(existing.path):\(existing.line)"))
                continue
            }
            loaded.content.intents.append(intent)
            loaded.intentSources[id] = source
        }
        loaded.problems += problems
    }
}
