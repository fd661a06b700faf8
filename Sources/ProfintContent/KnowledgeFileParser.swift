import Foundation
import ProfintCore

/// Reads one knowledge item: YAML front matter between `---` lines, then
/// the Markdown body. The language comes from the folder
/// (`Knowledge/<lang>/<type>/<id>.md`).
enum KnowledgeFileParser {
    static let fields: Set<String> = [
        "id", "type", "title", "summary", "topics", "target_groups", "countries", "related", "sources",
        "reviewed", "review_due", "stage", "factor", "follow_up", "lines",
    ]
    static let lineFields: Set<String> = ["number", "name", "for", "what", "hours", "url", "source"]

    static func parse(_ text: String, path: String, language: Language, into loaded: inout LoadedContent) {
        var problems: [ContentProblem] = []
        defer { loaded.problems += problems }
        let yaml: String, body: String
        switch FrontMatter.split(text) {
        case .failure(.start):
            problems.append(ContentProblem(path, 1, "a knowledge item starts with a \"---\" line and YAML front matter"))
            return
        case .failure(.end):
            problems.append(ContentProblem(path, 1, "front matter is not closed by a \"---\" line"))
            return
        case .success(let parts):
            (yaml, body) = (parts.yaml, parts.body)
        }
        let node: YAMLNode
        switch YAMLReader.parse(yaml, path: path, lineOffset: 1) {
        case .failure(let problem):
            problems.append(problem)
            return
        case .success(let n):
            guard let n else {
                problems.append(ContentProblem(path, 2, "front matter is empty"))
                return
            }
            node = n
        }
        guard var r = MappingReader(node, path: path, what: "front matter", problems: &problems) else { return }
        func line(_ key: String) -> Int { r.lineOf(key) + 1 }
        r.checkKnown(fields, what: "front matter")
        guard let id = r.string("id", required: true), let typeName = r.string("type", required: true) else {
            problems += r.problems.map { ContentProblem($0.path, $0.line + 1, $0.message) }
            return
        }
        guard let type = KnowledgeType(rawValue: typeName) else {
            let hint = Suggestion.nearest(typeName, in: KnowledgeType.allCases.map(\.rawValue)).map { " (did you mean \"\($0)\"?)" } ?? ""
            problems.append(ContentProblem(path, line("type"), "unknown type \"\(typeName)\"\(hint)"))
            return
        }
        var item = KnowledgeItem(id: id, language: language, type: type, title: r.string("title", required: true) ?? "",
                                 summary: r.string("summary", required: true) ?? "")
        item.body = body
        func values(_ key: String, _ slot: SlotName) -> [String] {
            var out: [String] = []
            for (value, l) in r.strings(key) {
                if slot.allowedValues?.contains(value) == true {
                    out.append(value)
                } else {
                    let hint = Suggestion.nearest(value, in: slot.allowedValues ?? []).map { " (did you mean \"\($0)\"?)" } ?? ""
                    problems.append(ContentProblem(path, l + 1, "unknown slot value \"\(value)\" for \(slot.rawValue)\(hint)"))
                }
            }
            return out
        }
        item.topics = values("topics", .topic)
        item.targetGroups = values("target_groups", .targetGroup)
        item.countries = values("countries", .country)
        item.related = r.strings("related").map(\.0)
        item.sources = r.strings("sources").map(\.0)
        item.reviewed = r.string("reviewed")
        item.reviewDue = r.string("review_due")
        if let node = r.node("lines") {
            item.lines = Self.lines(node, path: path, problems: &problems)
        }
        if type == .helplines, item.lines.isEmpty {
            problems.append(ContentProblem(path, line("type"), "a helplines item needs \"lines\": number, name, for, what"))
        }
        item.stage = r.string("stage")
        item.factor = r.string("factor")
        item.followUp = r.string("follow_up")
        problems += r.problems.map { ContentProblem($0.path, $0.line + 1, $0.message) }

        var source = KnowledgeSource(path: path)
        for (key, _, l) in r.pairs { source.fieldLines[key] = l + 1 }
        let key = "\(id)/\(language.rawValue)"
        if let existing = loaded.knowledgeSources[key] {
            problems.append(ContentProblem(path, line("id"), "item \"\(id)\" in \(language.rawValue) is already defined in \(existing.path)"))
            return
        }
        loaded.knowledgeSources[key] = source
        loaded.content.knowledge.append(item)
    }

    /// The `lines:` of a helplines item: each a mapping with `name`, `for`
    /// and `what`, optionally `number`, `hours`, `url` and `source`.
    static func lines(_ node: YAMLNode, path: String, problems: inout [ContentProblem]) -> [Helpline] {
        guard let entries = node.sequenceNodes else {
            problems.append(ContentProblem(path, node.line + 1, "\"lines\" must be a list of mappings"))
            return []
        }
        var out: [Helpline] = []
        for entry in entries {
            guard var r = MappingReader(entry, path: path, what: "a line", problems: &problems) else { continue }
            r.checkKnown(lineFields, what: "a line")
            let name = r.string("name", required: true) ?? ""
            let purpose = r.string("what", required: true) ?? ""
            var uses: [String] = []
            for (use, l) in r.strings("for") {
                if HelplineUse(rawValue: use) != nil {
                    uses.append(use)
                } else {
                    let hint = Suggestion.nearest(use, in: HelplineUse.allCases.map(\.rawValue)).map { " (did you mean \"\($0)\"?)" } ?? ""
                    r.problems.append(ContentProblem(path, l, "unknown use \"\(use)\" in \"for\"\(hint)"))
                }
            }
            if uses.isEmpty { r.problems.append(ContentProblem(path, r.line, "a line needs \"for\": the situations it serves")) }
            let number = r.string("number")
            if let number, number.contains(where: { !($0.isNumber || $0 == " " || $0 == "-" || $0 == "+") }) {
                r.problems.append(ContentProblem(path, r.lineOf("number"), "\"number\" holds digits, spaces, \"-\" and \"+\" only: \"\(number)\""))
            }
            out.append(Helpline(number: number, name: name, uses: uses, purpose: purpose, hours: r.string("hours"),
                                url: r.string("url"), source: r.string("source")))
            problems += r.problems.map { ContentProblem($0.path, $0.line + 1, $0.message) }
        }
        return out
    }
}
