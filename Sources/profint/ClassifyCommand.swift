import ArgumentParser
import Foundation
import ProfintCore

/// `profint classify`: JSON Lines in, JSON Lines out (the contract in the spec).
struct ClassifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract: "Read {\"id\", \"text\", \"conversation\"?} lines on stdin; write one prediction line per input line."
    )

    @OptionGroup var content: ContentOptions

    @Option(help: "The instant the messages are handled at (ISO 8601); default now.")
    var now: String?

    func run() throws {
        let (engine, _) = try content.engine(explain: false, defaultIndex: .memory)
        let start = try Clock.parse(now)
        let classifier = Classifier(engine: engine, start: start)
        for (n, line) in StandardInput.lines().enumerated() {
            StandardInput.write(classifier.classify(line: line, number: n + 1))
        }
    }
}

/// Classifies JSONL lines, keeping one dialogue state per `conversation`.
final class Classifier {
    let engine: Engine
    let start: Double
    var states: [String: DialogueState] = [:]
    var count = 0

    init(engine: Engine, start: Double) {
        self.engine = engine
        self.start = start
    }

    struct Input: Decodable {
        var id: JSONValue?
        var text: String
        var conversation: String?
    }

    func classify(line: ArraySlice<UInt8>, number: Int) -> String {
        guard let text = String(validating: line, as: UTF8.self) else {
            StandardInput.error("line \(number): not valid UTF-8")
            return Self.errorLine("line \(number): not valid UTF-8")
        }
        if text.trimmingCharacters(in: .whitespaces).isEmpty {
            return Self.errorLine("line \(number): empty line")
        }
        let input: Input
        do {
            input = try JSONDecoder().decode(Input.self, from: Data(text.utf8))
        } catch {
            StandardInput.error("line \(number): expected a JSON object with \"text\" (\(Self.reason(error)))")
            return Self.errorLine("line \(number): expected a JSON object with \"text\"", id: Self.id(in: text))
        }
        let (output, _) = classify(input)
        return output
    }

    func classify(_ input: Input) -> (String, Turn) {
        count += 1
        let key = input.conversation
        let state = key.flatMap { states[$0] } ?? DialogueState()
        let turn = engine.handle(IncomingMessage(text: input.text), state: state, now: start + Double(count))
        if let key { states[key] = turn.state }
        let prediction = Prediction(
            id: input.id ?? .null, intent: turn.intent, confidence: (turn.confidence * 1000).rounded() / 1000,
            slots: Dictionary(uniqueKeysWithValues: turn.slots.map { ($0.key.rawValue, $0.value) }),
            language: turn.language.rawValue, reply: turn.reply.text, resources: turn.reply.resources,
            personalData: turn.personalData)
        return (Self.encode(prediction), turn)
    }

    static func encode<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    static func errorLine(_ message: String, id: JSONValue? = nil) -> String {
        encode(ErrorLine(id: id ?? .null, error: message))
    }

    static func id(in text: String) -> JSONValue? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { return nil }
        if let s = object["id"] as? String { return .string(s) }
        if let n = object["id"] as? Double { return .number(n) }
        return nil
    }

    static func reason(_ error: Error) -> String {
        switch error {
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context),
             DecodingError.keyNotFound(_, let context), DecodingError.dataCorrupted(let context):
            return context.debugDescription
        default:
            return "\(error)"
        }
    }
}

struct Prediction: Encodable {
    var id: JSONValue
    var intent: String?
    var confidence: Double
    var slots: [String: String]
    var language: String
    var reply: String
    var resources: [String]
    /// The message held personal data (taken out before matching, never kept).
    var personalData: Bool

    enum CodingKeys: String, CodingKey {
        case id, intent, confidence, slots, language, reply, resources
        case personalData = "personal_data"
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        if let intent { try c.encode(intent, forKey: .intent) } else { try c.encodeNil(forKey: .intent) }
        try c.encode(confidence, forKey: .confidence)
        try c.encode(slots, forKey: .slots)
        try c.encode(language, forKey: .language)
        try c.encode(reply, forKey: .reply)
        try c.encode(resources, forKey: .resources)
        try c.encode(personalData, forKey: .personalData)
    }
}

struct ErrorLine: Encodable {
    var id: JSONValue
    var error: String
}

/// An `id` echoed as given: a string, a number or null.
enum JSONValue: Codable, Hashable {
    case string(String)
    case number(Double)
    case null

    init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null } else if let s = try? c.decode(String.self) { self = .string(s) } else {
            self = .number(try c.decode(Double.self))
        }
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .string(let s): try c.encode(s)
        case .number(let n):
            if n == n.rounded(), abs(n) < 1e15 { try c.encode(Int64(n)) } else { try c.encode(n) }
        case .null: try c.encodeNil()
        }
    }
}
