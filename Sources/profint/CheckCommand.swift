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

    func run() throws {
        let loaded = ContentLoader.load(intents: content.intents, knowledge: content.isLabelledExamples ? nil : content.knowledge)
        let problems = ContentValidator.validate(loaded, intentsPath: content.intents, requireCatalogue: !content.isLabelledExamples)
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
}
