import ArgumentParser
import Foundation
import ProfintContent
import ProfintCore

/// `profint check`: validates Intents/ and Knowledge/.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate Intents/ and Knowledge/; print every problem as path:line: message."
    )

    @OptionGroup var content: ContentOptions

    @Flag(help: "Also list knowledge items that no intent answer, conversation test or related link reaches.")
    var coverage = false

    @Option(help: "Conversation tests whose cited items count as reached (with --coverage).")
    var conversations: String = "Tests/Conversations"

    @Flag(help: "Treat warnings (review dates passed, rules without a legal source, near-duplicate examples) as errors.")
    var strict = false

    func run() throws {
        let loaded = ContentLoader.load(intents: content.intents, knowledge: content.isLabelledExamples ? nil : content.knowledge)
        var problems = ContentValidator.validate(loaded, intentsPath: content.intents, requireCatalogue: !content.isLabelledExamples)
        if coverage, problems.isEmpty {
            let engine = Engine(content: loaded.content)
            let cited = ConversationScript.all(in: conversations).reduce(into: Set<String>()) {
                $0.formUnion($1.citations(engine: engine))
            }
            for id in Coverage.unreached(engine: engine, content: loaded.content, cited: cited) {
                let path = loaded.knowledgeSources["\(id)/en"]?.path ?? id
                problems.append(ContentProblem(path, 1, "item \"\(id)\" is reached by no intent answer, conversation test or related link"))
            }
        }
        let warnings = content.isLabelledExamples ? [] : ContentValidator.warnings(loaded, today: Self.today())
        if strict { problems += warnings } else { for warning in warnings { print("warning: \(warning)") } }
        for problem in problems { print(problem) }
        let c = loaded.content
        let examples = c.intents.reduce(0) { $0 + $1.examples.values.reduce(0) { $0 + $1.count } }
        let items = Set(c.knowledge.map(\.id)).count
        if problems.isEmpty {
            print("ok: \(c.intents.count) intents, \(examples) examples, \(items) knowledge items in \(Set(c.knowledge.map(\.language)).count) languages")
        } else {
            print("\(problems.count) problem\(problems.count == 1 ? "" : "s") in \(content.intents) and \(content.knowledge)")
            throw ExitCode.failure
        }
    }

    /// Today in UTC, `YYYY-MM-DD`.
    static func today() -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day], from: Date())
        return String(format: "%04d-%02d-%02d", c.year ?? 1970, c.month ?? 1, c.day ?? 1)
    }
}
