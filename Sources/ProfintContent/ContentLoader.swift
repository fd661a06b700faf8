import Foundation
import ProfintCore
import Yams

/// Loads `Intents/` and `Knowledge/` (or a JSONL file of labelled examples)
/// into `EngineContent`. Broken files are reported and skipped; the rest loads.
public enum ContentLoader {
    /// Loads both trees. Paths in problems are given as passed in.
    public static func load(intents: String, knowledge: String?) -> LoadedContent {
        var loaded = LoadedContent(content: EngineContent(intents: []))
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: intents, isDirectory: &isDirectory), !isDirectory.boolValue {
            if intents.hasSuffix(".jsonl") || intents.hasSuffix(".json") {
                loadLabelledExamples(intents, into: &loaded)
            } else {
                loadIntentFile(intents, into: &loaded)
            }
        } else if isDirectory.boolValue {
            for file in files(in: intents, extensions: ["yml", "yaml"]) {
                loadIntentFile(file, into: &loaded)
            }
        } else {
            loaded.problems.append(ContentProblem(intents, 1, "no such file or folder"))
        }
        if let knowledge {
            if FileManager.default.fileExists(atPath: knowledge) {
                // Parsed in parallel, each file on its own; merged in path order.
                let paths = files(in: knowledge, extensions: ["md"])
                let parts = (0..<paths.count).map { _ in Box<LoadedContent>() }
                DispatchQueue.concurrentPerform(iterations: paths.count) { i in
                    var part = LoadedContent(content: EngineContent(intents: []))
                    loadKnowledgeFile(paths[i], root: knowledge, into: &part)
                    parts[i].value = part
                }
                for part in parts.compactMap(\.value) {
                    for item in part.content.knowledge {
                        let key = "\(item.id)/\(item.language.rawValue)"
                        if let existing = loaded.knowledgeSources[key], let source = part.knowledgeSources[key] {
                            loaded.problems.append(ContentProblem(source.path, source.fieldLines["id"] ?? 2,
                                "item \"\(item.id)\" in \(item.language.rawValue) is already defined in \(existing.path)"))
                            continue
                        }
                        loaded.content.knowledge.append(item)
                        loaded.knowledgeSources[key] = part.knowledgeSources[key]
                    }
                    loaded.problems += part.problems
                }
            } else {
                loaded.problems.append(ContentProblem(knowledge, 1, "no such folder"))
            }
        }
        return loaded
    }

    static func files(in folder: String, extensions: Set<String>) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: folder) else { return [] }
        var out: [String] = []
        while let name = enumerator.nextObject() as? String {
            let ext = (name as NSString).pathExtension.lowercased()
            if extensions.contains(ext) { out.append((folder as NSString).appendingPathComponent(name)) }
        }
        return out.sorted()
    }

    static func read(_ path: String, into loaded: inout LoadedContent) -> String? {
        guard let data = FileManager.default.contents(atPath: path) else {
            loaded.problems.append(ContentProblem(path, 1, "cannot read the file"))
            return nil
        }
        guard let text = String(data: data, encoding: .utf8) else {
            loaded.problems.append(ContentProblem(path, 1, "the file is not valid UTF-8"))
            return nil
        }
        return text
    }

    static func loadIntentFile(_ path: String, into loaded: inout LoadedContent) {
        guard let text = read(path, into: &loaded) else { return }
        let root: Node
        switch YAMLReader.parse(text, path: path) {
        case .failure(let problem):
            loaded.problems.append(problem)
            return
        case .success(let node):
            guard let node else {
                loaded.problems.append(ContentProblem(path, 1, "the file is empty"))
                return
            }
            root = node
        }
        switch (path as NSString).lastPathComponent.lowercased() {
        case "slots.yml", "slots.yaml": SupportFileParser.parseSlots(root, path: path, into: &loaded)
        case "lexicon.yml", "lexicon.yaml": SupportFileParser.parseLexicon(root, path: path, into: &loaded)
        case "messages.yml", "messages.yaml": SupportFileParser.parseMessages(root, path: path, into: &loaded)
        case "out-of-scope.yml", "out-of-scope.yaml": SupportFileParser.parseOutOfScope(root, path: path, into: &loaded)
        default: IntentFileParser.parse(root, path: path, into: &loaded)
        }
    }

    static func loadKnowledgeFile(_ path: String, root: String, into loaded: inout LoadedContent) {
        let relative = path.hasPrefix(root) ? String(path.dropFirst(root.count)).trimmingCharacters(in: CharacterSet(charactersIn: "/")) : path
        let parts = relative.split(separator: "/")
        guard parts.count >= 2, let language = Language(rawValue: String(parts[0])) else {
            loaded.problems.append(ContentProblem(path, 1, "knowledge files go in Knowledge/<en|fr|it|sv>/<type>/<id>.md"))
            return
        }
        guard let text = read(path, into: &loaded) else { return }
        let before = loaded.content.knowledge.count
        KnowledgeFileParser.parse(text, path: path, language: language, into: &loaded)
        guard loaded.content.knowledge.count > before, let item = loaded.content.knowledge.last else { return }
        let fileID = ((parts.last.map(String.init) ?? "") as NSString).deletingPathExtension
        if fileID != item.id {
            loaded.problems.append(ContentProblem(path, loaded.knowledgeSources["\(item.id)/\(language.rawValue)"]?.fieldLines["id"] ?? 2,
                                                  "id \"\(item.id)\" does not match the file name \"\(fileID).md\""))
        }
        if parts.count >= 3, String(parts[1]) != item.type.rawValue {
            loaded.problems.append(ContentProblem(path, loaded.knowledgeSources["\(item.id)/\(language.rawValue)"]?.fieldLines["type"] ?? 2,
                                                  "type \"\(item.type.rawValue)\" does not match the folder \"\(parts[1])\""))
        }
    }

    /// `{"text": …, "intent": …}` per line; one intent per distinct label,
    /// `oos` marking out-of-scope examples. An optional `lang` gives the language.
    static func loadLabelledExamples(_ path: String, into loaded: inout LoadedContent) {
        guard let text = read(path, into: &loaded) else { return }
        var order: [String] = []
        var examples: [String: [Language: [String]]] = [:]
        for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            guard let object = (try? JSONSerialization.jsonObject(with: Data(trimmed.utf8))) as? [String: Any] else {
                loaded.problems.append(ContentProblem(path, n + 1, "not a JSON object"))
                continue
            }
            guard let example = object["text"] as? String, let label = object["intent"] as? String ?? (object["intent"] is NSNull ? "oos" : nil) else {
                loaded.problems.append(ContentProblem(path, n + 1, "needs \"text\" and \"intent\""))
                continue
            }
            let language = (object["lang"] as? String).flatMap(Language.init(rawValue:)) ?? .en
            if label == "oos" || label.isEmpty {
                loaded.content.outOfScopeExamples[language, default: []].append(example)
                continue
            }
            if examples[label] == nil { order.append(label) }
            examples[label, default: [:]][language, default: []].append(example)
        }
        for label in order {
            loaded.content.intents.append(IntentDefinition(id: label, examples: examples[label] ?? [:]))
        }
    }
}
