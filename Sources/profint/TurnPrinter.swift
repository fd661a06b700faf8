import Foundation
import ProfintCore

/// How the REPL and `profint test` show a turn.
enum TurnPrinter {
    static func reply(_ turn: Turn) -> String {
        var lines = [turn.reply.text]
        for (i, choice) in turn.reply.choices.enumerated() {
            lines.append("  [\(i + 1)] \(choice.label)")
        }
        return lines.joined(separator: "\n")
    }

    static func trace(_ turn: Turn) -> String {
        let t = turn.trace
        var lines: [String] = []
        lines.append("tokens:     \(t.tokens.joined(separator: " "))")
        if !t.corrections.isEmpty { lines.append("typos:      \(t.corrections.joined(separator: ", "))") }
        lines.append(String(format: "language:   %@ (%.2f)", t.language.rawValue, t.languageScore))
        lines.append("rule:       \(t.rule.rawValue)\(t.pattern.map { " — \($0)" } ?? "")")
        lines.append("intent:     \(turn.intent ?? "null") (\(String(format: "%.3f", turn.confidence)))")
        lines.append("candidates: " + t.candidates.map { "\($0.intent) \(String(format: "%.3f", $0.score))" }.joined(separator: ", "))
        if !t.evidence.isEmpty { lines.append("evidence:   \(t.evidence.joined(separator: ", "))") }
        if let example = t.nearestExample { lines.append("example:    \(example)") }
        let slots = turn.slots.sorted { $0.key < $1.key }.map { "\($0.key.rawValue)=\($0.value)" }
        lines.append("slots:      \(slots.isEmpty ? "-" : slots.joined(separator: " "))")
        let s = turn.state
        let carried = s.slots.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        lines.append("state:      language=\(s.language?.rawValue ?? "-")\(s.languageLocked ? " (set)" : "") last=\(s.lastIntent ?? "-") slots=[\(carried)] results=\(s.cursor)/\(s.results.count) contexts=\(s.contexts.keys.sorted().joined(separator: ","))")
        if !turn.reply.resources.isEmpty { lines.append("resources:  \(turn.reply.resources.joined(separator: ", "))") }
        if let action = turn.action { lines.append("action:     \(action)") }
        return lines.joined(separator: "\n")
    }
}
