import Foundation
import ProfintCore

extension ConversationScript {
    /// The knowledge ids the transcript's replies cite.
    public func citations(engine: Engine) -> Set<String> {
        var state = DialogueState()
        var cited = Set<String>()
        var last: Turn?
        for (i, step) in steps.enumerated() {
            let message: IncomingMessage
            if let n = step.choose, let choices = last?.reply.choices, n >= 1, n <= choices.count {
                message = .choice(choices[n - 1].payload)
            } else {
                message = IncomingMessage(text: step.say ?? "")
            }
            let turn = engine.handle(message, state: state, now: 1_800_000_000 + Double(i) * 10)
            cited.formUnion(turn.reply.resources)
            state = turn.state
            last = turn
        }
        return cited
    }

    /// Every transcript of a folder, loaded (broken ones are skipped).
    public static func all(in folder: String) -> [ConversationScript] {
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
        return files.filter { $0.hasSuffix(".yml") || $0.hasSuffix(".yaml") }.compactMap {
            try? load(folder + "/" + $0).get()
        }
    }
}
