import ArgumentParser
import Foundation
import ProfintContent
import ProfintCore
import Logging
import ProfintServer
import ProfintStore

/// `profint bench`: the speed and memory figures of docs/BENCHMARKS.md.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure loading, per-message cost and memory on the bundled content and on a labelled set."
    )

    @OptionGroup var content: ContentOptions

    @Option(help: "Messages to classify: a JSONL file with \"text\" (default: the intents' own examples).")
    var messages: String?

    @Option(help: "Repetitions over the messages.")
    var repetitions: Int = 5

    @Option(help: "Also time one daily-prompt scheduler pass over this many subscriptions, all due (SQLite file in a temporary folder).")
    var subscriptions: Int?

    @Option(help: "With --subscriptions: every chat is already this many prompts into its round through the bank.")
    var promptsUsed: Int = 0

    func run() throws {
        let t0 = DispatchTime.now().uptimeNanoseconds
        let loaded = ContentLoader.load(intents: content.intents, knowledge: content.isLabelledExamples ? nil : content.knowledge)
        let t1 = DispatchTime.now().uptimeNanoseconds
        var configuration = EngineConfiguration()
        configuration.explain = false
        if let t = content.threshold { configuration.threshold = t }
        let engine = Engine(content: loaded.content, configuration: configuration)
        let t2 = DispatchTime.now().uptimeNanoseconds
        var texts: [String] = []
        if let messages, let data = FileManager.default.contents(atPath: messages) {
            for raw in data.split(separator: 10) {
                if let object = try? JSONSerialization.jsonObject(with: Data(raw)) as? [String: Any], let text = object["text"] as? String {
                    texts.append(text)
                }
            }
        } else {
            texts = loaded.content.intents.flatMap { $0.examples.values.flatMap { $0 } }
        }
        guard !texts.isEmpty else { throw ValidationError("no messages to measure") }
        var samples: [Double] = []
        samples.reserveCapacity(texts.count * repetitions)
        let state = DialogueState()
        for _ in 0..<max(1, repetitions) {
            for text in texts {
                let s = DispatchTime.now().uptimeNanoseconds
                let turn = engine.handle(IncomingMessage(text: text), state: state, now: 1_800_000_000)
                let e = DispatchTime.now().uptimeNanoseconds
                if turn.confidence.isNaN { print("") }
                samples.append(Double(e - s) / 1000)
            }
        }
        samples.sort()
        let median = samples[samples.count / 2]
        let p99 = samples[min(samples.count - 1, samples.count * 99 / 100)]
        print(String(format: "content          %d intents, %d examples, %d knowledge files", loaded.content.intents.count,
                     loaded.content.intents.reduce(0) { $0 + $1.examples.values.reduce(0) { $0 + $1.count } }, loaded.content.knowledge.count))
        print(String(format: "load files       %.1f ms", Double(t1 - t0) / 1e6))
        print(String(format: "build index      %.1f ms", Double(t2 - t1) / 1e6))
        print(String(format: "load + index     %.1f ms", Double(t2 - t0) / 1e6))
        print(String(format: "messages         %d × %d", texts.count, repetitions))
        print(String(format: "median per msg   %.1f µs", median))
        print(String(format: "p99 per msg      %.1f µs", p99))
        if !loaded.content.knowledge.isEmpty {
            let i0 = DispatchTime.now().uptimeNanoseconds
            let store = try ProfintDatabase(path: nil)
            let sqlite = try SQLiteKnowledgeIndex.build(items: loaded.content.knowledge, analyzer: engine.analyzer, database: store)
            let i1 = DispatchTime.now().uptimeNanoseconds
            print(String(format: "sqlite index     %.1f ms (FTS5, in-memory database)", Double(i1 - i0) / 1e6))
            let queries = KnowledgeBench.queries(engine: engine)
            for (name, index) in [("memory", engine.knowledge), ("sqlite", sqlite as any KnowledgeSearching)] {
                var costs: [Double] = []
                for query in queries {
                    let s = DispatchTime.now().uptimeNanoseconds
                    _ = index.search(query)
                    costs.append(Double(DispatchTime.now().uptimeNanoseconds - s) / 1000)
                }
                costs.sort()
                print(String(format: "knowledge query  %@: median %.1f µs, p99 %.1f µs (%d queries)", name as NSString,
                             costs[costs.count / 2], costs[min(costs.count - 1, costs.count * 99 / 100)], costs.count))
            }
        }
        if let count = subscriptions {
            try PromptBench.run(count: count, engine: engine, used: promptsUsed)
        }
        print("peak memory      \(Memory.peakResidentMegabytes()) MB (VmHWM)")
    }
}

enum Memory {
    /// Peak resident set size of this process, from /proc/self/status.
    static func peakResidentMegabytes() -> String {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return "?" }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let kb = line.split(separator: " ").compactMap { Int($0) }.first ?? 0
            return String(format: "%.1f", Double(kb) / 1024)
        }
        return "?"
    }
}

/// Knowledge queries for the benchmark: every type × topic × language, with
/// the topic's name as words.
enum KnowledgeBench {
    static func queries(engine: Engine) -> [KnowledgeQuery] {
        var out: [KnowledgeQuery] = []
        for language in Language.allCases {
            for type in [KnowledgeType.caseStudy, .tool, .goodPractice, .module] {
                for topic in SlotName.topic.allowedValues ?? [] {
                    let words = engine.slotVocabulary.name(of: topic, slot: .topic, in: language)
                    let terms = engine.analyzer.analyze(words, language).map(\.stem)
                    out.append(KnowledgeQuery(language: language, types: [type], topic: topic, terms: terms))
                }
            }
        }
        return out
    }
}

/// A scheduler pass over many subscriptions, all due at the same instant.
enum PromptBench {
    static func run(count: Int, engine: Engine, used: Int = 0) throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("profint-prompt-bench-\(UUID().uuidString).sqlite").path
        defer { for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + s) } }
        let database = try ProfintDatabase(path: path)
        let zones = ["Europe/Paris", "Europe/Rome", "Europe/Stockholm", "Europe/London", "America/New_York"]
        try database.writer.write { db in
            let insert = try db.makeStatement(sql: """
                INSERT INTO subscription (channel, chat, time, timezone, language, every_day, created_at) VALUES ('telegram', ?, ?, ?, ?, 0, 0)
                """)
            for i in 0..<count {
                let time = String(format: "%02d:%02d", 6 + i % 4, (i * 7) % 60)
                try insert.execute(arguments: ["\(1_000_000 + i)", time, zones[i % zones.count], ["en", "fr", "it", "sv"][i % 4]])
            }
        }
        if used > 0 {
            // Late in a round: the same history for every chat, as for chats that subscribed together.
            let cycle = engine.promptIDs.prefix(used).joined(separator: ",")
            let reference = try database.writer.write { db -> String in
                try db.execute(sql: "INSERT INTO prompt_cycle (ids) VALUES (?)", arguments: [cycle])
                return "@\(db.lastInsertedRowID)"
            }
            try database.writer.write { db in try db.execute(sql: "UPDATE subscription SET cycle = ?", arguments: [reference]) }
        }
        let scheduler = PromptScheduler(prompts: PromptStore(database: database), engine: engine, sender: nil,
                                        channels: ["telegram"], logger: Logger(label: "bench"))
        // Monday 2026-11-30 at 12:00 UTC: every subscription is due.
        let now = 1_796_040_000.0
        let start = DispatchTime.now().uptimeNanoseconds
        let claimed = try scheduler.pass(now: now)
        let first = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
        let again = DispatchTime.now().uptimeNanoseconds
        let second = try scheduler.pass(now: now + 60)
        let repeatPass = Double(DispatchTime.now().uptimeNanoseconds - again) / 1e6
        let nextDay = DispatchTime.now().uptimeNanoseconds
        let third = try scheduler.pass(now: now + 86_400)
        let nextDayPass = Double(DispatchTime.now().uptimeNanoseconds - nextDay) / 1e6
        print(String(format: "prompt pass      %d subscriptions: %.0f ms, %d prompts claimed and queued", count, first, claimed.count))
        print(String(format: "prompt pass      again at the same day: %.0f ms, %d claimed", repeatPass, second.count))
        print(String(format: "prompt pass      the next day (rotation under way): %.0f ms, %d claimed", nextDayPass, third.count))
    }
}
