import Foundation
import ProfintCore

/// Loads `Intents/` and `Knowledge/` (or a JSONL file of labelled examples)
/// into `EngineContent`. Broken files are reported and skipped; the rest loads.
public enum ContentLoader {
    /// Loads both trees. Paths in problems are given as passed in.
    public static func load(intents: String, knowledge: String?) -> LoadedContent {
        var loaded = LoadedContent(content: EngineContent(intents: []))
        var isDirectory: ObjCBool = false
        var intentFiles: [String] = []
        if FileManager.default.fileExists(atPath: intents, isDirectory: &isDirectory), !isDirectory.boolValue {
            if intents.hasSuffix(".jsonl") || intents.hasSuffix(".json") {
                loadLabelledExamples(intents, into: &loaded)
            } else {
                intentFiles = [intents]
            }
        } else if isDirectory.boolValue {
            intentFiles = files(in: intents, extensions: ["yml", "yaml"])
        } else {
            loaded.problems.append(ContentProblem(intents, 1, "no such file or folder"))
        }
        var knowledgeFiles: [String] = []
        var knowledgeMissing = false
        if let knowledge {
            if FileManager.default.fileExists(atPath: knowledge) {
                knowledgeFiles = files(in: knowledge, extensions: ["md"])
            } else {
                knowledgeMissing = true
            }
        }
        // Every file parsed in parallel, the intent files (the largest) first;
        // then read into the content in path order, as one after the other.
        let parsedIntents = intentFiles.map { _ in Box<Result<YAMLNode, ContentProblem>>() }
        let parts = knowledgeFiles.map { _ in Box<LoadedContent>() }
        let (yamlFiles, markdownFiles, knowledgeRoot) = (intentFiles, knowledgeFiles, knowledge ?? "")
        DispatchQueue.concurrentPerform(iterations: yamlFiles.count + markdownFiles.count) { k in
            if k < yamlFiles.count {
                parsedIntents[k].value = parseIntentFile(yamlFiles[k])
            } else {
                var part = LoadedContent(content: EngineContent(intents: []))
                loadKnowledgeFile(markdownFiles[k - yamlFiles.count], root: knowledgeRoot, into: &part)
                parts[k - yamlFiles.count].value = part
            }
        }
        for (path, parsed) in zip(intentFiles, parsedIntents) {
            switch parsed.value! {
            case .failure(let problem): loaded.problems.append(problem)
            case .success(let root): readIntentFile(root, path: path, into: &loaded)
            }
        }
        if let knowledge, knowledgeMissing {
            loaded.problems.append(ContentProblem(knowledge, 1, "no such folder"))
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
        switch read(path) {
        case .success(let text): return text
        case .failure(let problem):
            loaded.problems.append(problem)
            return nil
        }
    }

    /// A file's text, as `String(data:encoding: .utf8)` gives it (a leading
    /// byte order mark dropped), without its slow conversion.
    static func read(_ path: String) -> Result<String, ContentProblem> {
        guard let data = FileManager.default.contents(atPath: path) else {
            return .failure(ContentProblem(path, 1, "cannot read the file"))
        }
        let text = data.withUnsafeBytes { raw -> String? in
            var bytes = raw.bindMemory(to: UInt8.self)
            if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
                bytes = UnsafeBufferPointer(rebasing: bytes[3...])
            }
            return String(validating: bytes, as: UTF8.self)
        }
        guard let text else { return .failure(ContentProblem(path, 1, "the file is not valid UTF-8")) }
        return .success(text)
    }

    /// An intent file's root node, or the problem that stops reading it.
    static func parseIntentFile(_ path: String) -> Result<YAMLNode, ContentProblem> {
        let text: String
        switch read(path) {
        case .failure(let problem): return .failure(problem)
        case .success(let t): text = t
        }
        switch YAMLReader.parse(text, path: path) {
        case .failure(let problem):
            return .failure(problem)
        case .success(let node):
            guard let node else { return .failure(ContentProblem(path, 1, "the file is empty")) }
            return .success(node)
        }
    }

    static func readIntentFile(_ root: YAMLNode, path: String, into loaded: inout LoadedContent) {
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
