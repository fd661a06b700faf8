import ArgumentParser
import Foundation
import ProfintCore

/// `profint eval`: accuracy report of a labelled JSONL set.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Report accuracy, out-of-scope recall and precision, slot accuracy, per-language accuracy, per-intent F1 and confusions.",
        discussion: "Lines: {\"text\", \"intent\" (null or \"oos\" = out of scope), \"slots\"?, \"lang\"?, \"conversation\"?}."
    )

    @OptionGroup var content: ContentOptions

    @Argument(help: "The labelled JSONL file (not needed with --cross-validate).")
    var file: String?

    @Option(name: .customLong("cross-validate"),
            help: "Instead of a file: K folds over the intents' own examples (and the out-of-scope examples); each fold holds out every K-th example of every intent and language, trains on the rest and is scored on what it held out.")
    var folds: Int?

    @Flag(help: "Also print in-scope accuracy and out-of-scope recall for a range of thresholds.")
    var sweep = false

    @Option(help: "How many confused pairs and intents to list.")
    var top = 10

    func run() throws {
        let (engine, loaded) = try content.engine(explain: false, defaultIndex: .memory)
        if let folds {
            guard folds >= 2 else { throw ValidationError("--cross-validate needs at least 2 folds") }
            try crossValidate(loaded.content, configuration: engine.configuration, folds: folds)
            return
        }
        guard let file else { throw ValidationError("give a labelled JSONL file, or --cross-validate K") }
        guard let data = FileManager.default.contents(atPath: file) else {
            throw ValidationError("cannot read \(file)")
        }
        var gold: [LabelledLine] = []
        for (n, raw) in data.split(separator: 10).enumerated() {
            guard let line = try? JSONDecoder().decode(LabelledLine.self, from: Data(raw)) else {
                StandardInput.error("\(file):\(n + 1): not a labelled JSON object; skipped")
                continue
            }
            gold.append(line)
        }
        let report = Evaluation.run(engine: engine, gold: gold)
        print(report.summary(top: top))
        if sweep {
            print("\nthreshold  in-scope  oos-recall  accuracy")
            var results: [(Double, Evaluation)] = []
            for step in 0...16 {
                let t = Double(step) * 0.05
                let r = Evaluation.run(engine: engine.with(threshold: t), gold: gold)
                print(String(format: "%9.2f  %8.3f  %10.3f  %8.3f", t, r.inScopeAccuracy, r.oosRecall, r.accuracy))
                results.append((t, r))
            }
            // The rule: the highest threshold whose in-scope accuracy stays within
            // one point of the best in-scope accuracy of the sweep.
            let bestInScope = results.map(\.1.inScopeAccuracy).max() ?? 0
            if let (t, r) = results.last(where: { $0.1.inScopeAccuracy >= bestInScope - 0.01 }) {
                print(String(format: "chosen (highest threshold with in-scope accuracy within 0.01 of its best): --threshold %.2f → in-scope %.3f, out-of-scope recall %.3f",
                             t, r.inScopeAccuracy, r.oosRecall))
            }
        }
    }
}

extension EvalCommand {
    /// K folds over the content's own examples: general changes measured
    /// without tuning to the lines of a dev set.
    func crossValidate(_ content: EngineContent, configuration: EngineConfiguration, folds: Int) throws {
        var accuracies: [Double] = [], inScope: [Double] = [], recall: [Double] = []
        for fold in 0..<folds {
            var training = content
            var held: [LabelledLine] = []
            for (i, intent) in content.intents.enumerated() {
                for (language, examples) in intent.examples {
                    var kept: [String] = []
                    for (n, example) in examples.enumerated() {
                        if n % folds == fold {
                            held.append(LabelledLine(text: example, intent: intent.id, lang: language.rawValue))
                        } else {
                            kept.append(example)
                        }
                    }
                    training.intents[i].examples[language] = kept
                }
            }
            for (language, examples) in content.outOfScopeExamples {
                var kept: [String] = []
                for (n, example) in examples.enumerated() {
                    if n % folds == fold {
                        held.append(LabelledLine(text: example, intent: nil, lang: language.rawValue))
                    } else {
                        kept.append(example)
                    }
                }
                training.outOfScopeExamples[language] = kept
            }
            let engine = Engine(content: training, configuration: configuration)
            let report = Evaluation.run(engine: engine, gold: held)
            print(String(format: "fold %d/%d: %d lines, accuracy %.3f, in-scope %.3f, out-of-scope recall %.3f",
                         fold + 1, folds, report.lines, report.accuracy, report.inScopeAccuracy, report.oosRecall))
            accuracies.append(report.accuracy)
            inScope.append(report.inScopeAccuracy)
            recall.append(report.oosRecall)
        }
        let mean = { (values: [Double]) in values.reduce(0, +) / Double(max(1, values.count)) }
        print(String(format: "mean of %d folds: accuracy %.3f, in-scope %.3f, out-of-scope recall %.3f",
                     folds, mean(accuracies), mean(inScope), mean(recall)))
    }
}

struct LabelledLine: Decodable {
    init(id: String? = nil, text: String, intent: String?, slots: [String: String]? = nil, lang: String? = nil,
         conversation: String? = nil) {
        self.id = id
        self.text = text
        self.intent = intent
        self.slots = slots
        self.lang = lang
        self.conversation = conversation
    }

    var id: String?
    var text: String
    var intent: String?
    var slots: [String: String]?
    var lang: String?
    var conversation: String?

    var goldIntent: String? {
        guard let intent, intent != "oos", !intent.isEmpty else { return nil }
        return intent
    }
}

/// The figures of one evaluation run.
struct Evaluation {
    var lines = 0
    var correct = 0
    var inScope = 0, inScopeCorrect = 0
    var oos = 0, oosHit = 0
    var predictedOOS = 0, predictedOOSCorrect = 0
    var slotLines = 0, slotCorrect = 0
    var byLanguage: [String: (Int, Int)] = [:]
    var truePositive: [String: Int] = [:], falsePositive: [String: Int] = [:], falseNegative: [String: Int] = [:]
    var confusions: [String: Int] = [:]
    var microseconds: [Double] = []

    var accuracy: Double { ratio(correct, lines) }
    var inScopeAccuracy: Double { ratio(inScopeCorrect, inScope) }
    var oosRecall: Double { ratio(oosHit, oos) }
    var oosPrecision: Double { ratio(predictedOOSCorrect, predictedOOS) }
    var slotAccuracy: Double { ratio(slotCorrect, slotLines) }

    static func run(engine: Engine, gold: [LabelledLine]) -> Evaluation {
        var e = Evaluation()
        var states: [String: DialogueState] = [:]
        var now = 1_800_000_000.0
        for line in gold {
            now += 1
            let state = line.conversation.flatMap { states[$0] } ?? DialogueState()
            let t0 = DispatchTime.now().uptimeNanoseconds
            let turn = engine.handle(IncomingMessage(text: line.text), state: state, now: now)
            e.microseconds.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1000)
            if let c = line.conversation { states[c] = turn.state }
            e.add(gold: line, predicted: turn.intent, slots: turn.slots)
        }
        return e
    }

    mutating func add(gold line: LabelledLine, predicted: String?, slots: Slots) {
        let g = line.goldIntent
        let ok = g == predicted
        lines += 1
        if ok { correct += 1 }
        let language = line.lang ?? "?"
        var l = byLanguage[language] ?? (0, 0)
        l.0 += 1
        if ok { l.1 += 1 }
        byLanguage[language] = l
        if g == nil {
            oos += 1
            if ok { oosHit += 1 }
        } else {
            inScope += 1
            if ok { inScopeCorrect += 1 }
        }
        if predicted == nil {
            predictedOOS += 1
            if ok { predictedOOSCorrect += 1 }
        }
        let gs = (line.slots ?? [:]).mapValues { $0.lowercased() }
        var ps = Dictionary(uniqueKeysWithValues: slots.map { ($0.key.rawValue, $0.value.lowercased()) })
        if let p = predicted, p.hasPrefix("practice."), ps["topic"] == String(p.dropFirst("practice.".count)) {
            ps["topic"] = nil
        }
        if ok, g != nil, !(gs.isEmpty && ps.isEmpty) {
            slotLines += 1
            if gs == ps { slotCorrect += 1 }
        }
        let gName = g ?? "null", pName = predicted ?? "null"
        if ok {
            truePositive[gName, default: 0] += 1
        } else {
            falseNegative[gName, default: 0] += 1
            falsePositive[pName, default: 0] += 1
            confusions["\(gName) -> \(pName)", default: 0] += 1
        }
    }

    func ratio(_ a: Int, _ b: Int) -> Double { b == 0 ? 0 : Double(a) / Double(b) }

    func summary(top: Int) -> String {
        var out: [String] = []
        out.append(String(format: "lines                  %d", lines))
        out.append(String(format: "accuracy               %.3f", accuracy))
        out.append(String(format: "in-scope accuracy      %.3f", inScopeAccuracy))
        out.append(String(format: "out-of-scope recall    %.3f", oosRecall))
        out.append(String(format: "out-of-scope precision %.3f", oosPrecision))
        out.append(String(format: "slot accuracy          %.3f  (%d lines with slots)", slotAccuracy, slotLines))
        let sorted = microseconds.sorted()
        if !sorted.isEmpty {
            out.append(String(format: "median µs per message  %.1f", sorted[sorted.count / 2]))
        }
        out.append("accuracy by language")
        for (language, (n, ok)) in byLanguage.sorted(by: { $0.key < $1.key }) {
            out.append(String(format: "  %-4@ %.3f  (%d)", language as NSString, ratio(ok, n), n))
        }
        out.append("per-intent F1 (lowest first)")
        let intents = Set(truePositive.keys).union(falsePositive.keys).union(falseNegative.keys)
        let f1s = intents.map { id -> (String, Double, Int) in
            let tp = Double(truePositive[id] ?? 0), fp = Double(falsePositive[id] ?? 0), fn = Double(falseNegative[id] ?? 0)
            let f1 = tp == 0 ? 0 : 2 * tp / (2 * tp + fp + fn)
            return (id, f1, Int(tp + fn))
        }.sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }
        for (id, f1, support) in f1s.prefix(top) {
            out.append(String(format: "  %-32@ %.3f  (%d)", id as NSString, f1, support))
        }
        out.append("most confused (gold -> predicted)")
        for (pair, count) in confusions.sorted(by: { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }).prefix(top) {
            out.append("  \(pair): \(count)")
        }
        return out.joined(separator: "\n")
    }
}
