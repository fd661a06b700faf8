import ArgumentParser
import Foundation
import ProfintCore

/// `profint repl`: a local chat on the bundled content.
struct ReplCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repl",
        abstract: "Chat with the bot locally. :why shows the last trace, :lang xx sets the language, :reset, :quit.",
        discussion: "When standard input is not a terminal, each line is a message and each reply is printed."
    )

    @OptionGroup var content: ContentOptions

    func run() throws {
        let (engine, _) = try content.engine(explain: true)
        let interactive = isatty(0) == 1
        var state = DialogueState()
        var last: Turn?
        if interactive {
            print("PROFINT Guide — type a question in English, French, Italian or Swedish. :why explains the last answer, :quit leaves.")
        }
        while true {
            if interactive {
                print("> ", terminator: "")
                fflush(nil)
            }
            guard let line = readLine() else { break }
            let input = line.trimmingCharacters(in: .whitespaces)
            switch input {
            case ":quit", ":q", ":exit":
                return
            case ":why":
                print(last.map(TurnPrinter.trace) ?? "nothing yet")
                continue
            case ":reset":
                state = DialogueState()
                last = nil
                print("(conversation reset)")
                continue
            default:
                break
            }
            if input.hasPrefix(":lang") {
                let code = input.dropFirst(5).trimmingCharacters(in: .whitespaces)
                if let language = Language(rawValue: code) {
                    state.language = language
                    state.languageLocked = true
                    print("(language: \(language.rawValue))")
                } else {
                    print("(:lang takes en, fr, it or sv)")
                }
                continue
            }
            if input.hasPrefix(":") {
                print("(unknown REPL command; use :why, :lang xx, :reset or :quit)")
                continue
            }
            if !interactive { print("> \(line)") }
            let turn = engine.handle(IncomingMessage(text: line), state: state, now: Date().timeIntervalSince1970)
            state = turn.state
            last = turn
            print(TurnPrinter.reply(turn))
            print("")
        }
    }
}
