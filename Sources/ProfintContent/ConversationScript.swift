import Foundation
import ProfintCore

/// A conversation test: turns with the expected intent, slots, reply
/// language and words the reply must contain (`Tests/Conversations/*.yml`).
public struct ConversationScript: Sendable {
    public struct Step: Sendable {
        public var say: String?
        /// Pick a choice of the last reply by number (1-based).
        public var choose: Int?
        public var line: Int
        /// `.some(nil)` expects out of scope.
        public var intent: String??
        public var slots: [String: String]?
        public var language: String?
        public var replyContains: [String] = []
        public var resourcesInclude: [String] = []
        public var resourceType: String?
    }

    public var path: String
    public var name: String
    public var steps: [Step]

    public static func load(_ path: String) -> Result<ConversationScript, ContentProblem> {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            return .failure(ContentProblem(path, 1, "cannot read the file as UTF-8"))
        }
        switch YAMLReader.parse(text, path: path) {
        case .failure(let problem):
            return .failure(problem)
        case .success(let node):
            var problems: [ContentProblem] = []
            guard let node, var top = MappingReader(node, path: path, what: "a conversation test", problems: &problems) else {
                return .failure(problems.first ?? ContentProblem(path, 1, "a conversation test is a mapping with name and turns"))
            }
            top.checkKnown(["name", "turns"], what: "a conversation test")
            let name = top.string("name") ?? path
            guard let turns = top.node("turns")?.sequenceNodes else {
                return .failure(ContentProblem(path, top.line, "missing \"turns\" list"))
            }
            var steps: [Step] = []
            for turn in turns {
                guard var r = MappingReader(turn, path: path, what: "a turn", problems: &problems) else { continue }
                r.checkKnown(["say", "choose", "intent", "slots", "language", "reply_contains", "resources_include", "resource_type"], what: "a turn")
                var step = Step(line: turn.line)
                step.say = r.string("say")
                step.choose = r.string("choose").flatMap(Int.init)
                if step.say == nil, step.choose == nil {
                    problems.append(ContentProblem(path, turn.line, "a turn needs \"say\" or \"choose\""))
                }
                if let n = r.node("intent") {
                    let value = n.scalarString
                    step.intent = (value == nil || value == "null" || value == "~" || value == "") ? .some(nil) : .some(value)
                }
                if let slots = r.node("slots")?.mappingPairs {
                    step.slots = Dictionary(slots.map { ($0.0, $0.1.scalarString ?? "") }, uniquingKeysWith: { a, _ in a })
                }
                step.language = r.string("language")
                step.replyContains = r.strings("reply_contains").map(\.0)
                step.resourcesInclude = r.strings("resources_include").map(\.0)
                step.resourceType = r.string("resource_type")
                problems += r.problems
                steps.append(step)
            }
            problems += top.problems
            if let first = problems.first { return .failure(first) }
            return .success(ConversationScript(path: path, name: name, steps: steps))
        }
    }
}
