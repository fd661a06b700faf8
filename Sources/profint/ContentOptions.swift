import ArgumentParser
import Foundation
import ProfintContent
import ProfintCore
import ProfintStore

/// Where knowledge is searched.
enum KnowledgeIndexKind: String, ExpressibleByArgument, CaseIterable {
    /// SQLite FTS5 (the `--database` file, or an in-memory database).
    case sqlite
    /// The in-memory twin: the same ranking, no database.
    case memory
}

/// Where the content is: `Intents/` and `Knowledge/` in the working
/// directory unless told otherwise.
struct ContentOptions: ParsableArguments {
    @Option(help: "A folder of intent YAML, or a JSONL file of labelled examples ({\"text\", \"intent\"}; \"oos\" = out of scope).")
    var intents: String = "Intents"

    @Option(help: "The folder of knowledge items.")
    var knowledge: String = "Knowledge"

    @Option(help: "Out-of-scope threshold (probability below which a message is out of scope).")
    var threshold: Double?

    @Option(help: "SQLite database file for the knowledge index (default: an in-memory database).")
    var database: String?

    @Option(help: "Where knowledge is searched: sqlite (FTS5) or memory.")
    var knowledgeIndex: KnowledgeIndexKind?

    var isLabelledExamples: Bool {
        intents.hasSuffix(".jsonl") || intents.hasSuffix(".json")
    }

    /// Loads the content and builds the engine; loading problems go to
    /// standard error and the rest is used.
    func engine(explain: Bool = true, quiet: Bool = false, defaultIndex: KnowledgeIndexKind = .sqlite) throws -> (Engine, LoadedContent) {
        let knowledgePath: String? = isLabelledExamples && knowledge == "Knowledge" ? nil : knowledge
        let loaded = ContentLoader.load(intents: intents, knowledge: knowledgePath)
        if !quiet {
            for problem in loaded.problems { FileHandle.standardError.write(Data("warning: \(problem)\n".utf8)) }
        }
        guard !loaded.content.intents.isEmpty else {
            throw ValidationError("no intents could be loaded from \(intents) (run `profint check` for details)")
        }
        var configuration = EngineConfiguration()
        configuration.explain = explain
        if let threshold { configuration.threshold = threshold }
        // Tuning knobs for measurements (undocumented on purpose: the defaults are the product).
        let env = ProcessInfo.processInfo.environment
        if let v = env["PROFINT_TUNE_EPOCHS"].flatMap(Int.init) { configuration.model.epochs = v }
        if let v = env["PROFINT_TUNE_LR"].flatMap(Float.init) { configuration.model.learningRate = v }
        if let v = env["PROFINT_TUNE_L2"].flatMap(Float.init) { configuration.model.l2 = v }
        if let v = env["PROFINT_TUNE_OOS_MARGIN"].flatMap(Double.init) { configuration.outOfScopeMargin = v }
        if isLabelledExamples {
            configuration.threshold = threshold ?? 0.1
            configuration.clarifyBelow = 0
        }
        switch knowledgeIndex ?? (database != nil ? .sqlite : defaultIndex) {
        case .memory:
            return (Engine(content: loaded.content, configuration: configuration), loaded)
        case .sqlite:
            let store = try ProfintDatabase(path: database)
            let engine = try Engine(content: loaded.content, configuration: configuration) { analyzer, items in
                try SQLiteKnowledgeIndex.build(items: items, analyzer: analyzer, database: store)
            }
            return (engine, loaded)
        }
    }
}

enum Clock {
    static func parse(_ iso: String?) throws -> Double {
        guard let iso else { return Date().timeIntervalSince1970 }
        let formatter = ISO8601DateFormatter()
        guard let date = formatter.date(from: iso) else {
            throw ValidationError("--now must be an ISO 8601 instant such as 2026-11-30T08:30:00Z")
        }
        return date.timeIntervalSince1970
    }
}
