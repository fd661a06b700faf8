import ArgumentParser
import Foundation
import ProfintContent
import ProfintCore

/// `profint test`: runs conversation transcripts and reports failures with the trace.
struct TestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run conversation tests (YAML transcripts of turns with expected intents, slots and reply words)."
    )

    @OptionGroup var content: ContentOptions

    @Argument(help: "Transcript files or folders (default Tests/Conversations).")
    var paths: [String] = ["Tests/Conversations"]

    func run() throws {
        let (engine, _) = try content.engine(explain: true, quiet: true)
        var files: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw ValidationError("no such file or folder: \(path)")
            }
            if isDirectory.boolValue {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
                files += names.filter { $0.hasSuffix(".yml") || $0.hasSuffix(".yaml") }.sorted().map { "\(path)/\($0)" }
            } else {
                files.append(path)
            }
        }
        var passed = 0, failed = 0
        for file in files {
            switch ConversationScript.load(file) {
            case .failure(let problem):
                print("FAIL \(problem)")
                failed += 1
            case .success(let script):
                let failures = ConversationRunner.run(script, engine: engine)
                if failures.isEmpty {
                    passed += 1
                } else {
                    failed += 1
                    print("FAIL \(script.path): \(script.name)")
                    for failure in failures { print(failure) }
                }
            }
        }
        print("\(passed) passed, \(failed) failed")
        if failed > 0 { throw ExitCode.failure }
    }
}

/// Plays a transcript through the engine and lists what did not match.
enum ConversationRunner {

    static func run(_ script: ConversationScript, engine: Engine) -> [String] {
        var state = DialogueState()
        var last: Turn?
        var failures: [String] = []
        var now = 1_800_000_000.0
        for step in script.steps {
            now += 10
            let message: IncomingMessage
            if let n = step.choose {
                guard let choices = last?.reply.choices, n >= 1, n <= choices.count else {
                    failures.append("  \(script.path):\(step.line): no choice \(n) in the last reply")
                    break
                }
                message = .choice(choices[n - 1].payload)
            } else {
                message = IncomingMessage(text: step.say ?? "")
            }
            let turn = engine.handle(message, state: state, now: now)
            state = turn.state
            last = turn
            var problems: [String] = []
            if let expected = step.intent, expected != turn.intent {
                problems.append("intent \(turn.intent ?? "null"), expected \(expected ?? "null")")
            }
            if let expected = step.slots {
                let got = Dictionary(uniqueKeysWithValues: turn.slots.map { ($0.key.rawValue, $0.value) })
                    .filter { !($0.key == "topic" && turn.intent?.hasPrefix("practice.") == true && expected["topic"] == nil) }
                if got != expected { problems.append("slots \(got), expected \(expected)") }
            }
            if let language = step.language, language != turn.language.rawValue {
                problems.append("language \(turn.language.rawValue), expected \(language)")
            }
            let folded = Folding.fold(Folding.normalize(turn.reply.text))
            for word in step.replyContains where !folded.contains(Folding.fold(Folding.normalize(word))) {
                problems.append("reply lacks \"\(word)\"")
            }
            for id in step.resourcesInclude where !turn.reply.resources.contains(id) {
                problems.append("resources \(turn.reply.resources) lack \(id)")
            }
            if let type = step.resourceType {
                let types = turn.reply.resources.compactMap { engine.knowledge.item(id: $0, language: turn.language)?.type.rawValue }
                if types.isEmpty || !types.contains(type) { problems.append("no \(type) among the resources \(turn.reply.resources)") }
            }
            if !problems.isEmpty {
                failures.append("  \(script.path):\(step.line): \"\(step.say ?? "choice \(step.choose ?? 0)")\": " + problems.joined(separator: "; "))
                failures.append(TurnPrinter.trace(turn).split(separator: "\n").map { "      " + $0 }.joined(separator: "\n"))
            }
        }
        return failures
    }
}
