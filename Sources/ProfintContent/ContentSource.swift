import ProfintCore

/// Where an intent came from, for `path:line` messages.
public struct IntentSource: Sendable {
    public var path: String
    public var line: Int
    /// Line of each example, per language, in order.
    public var exampleLines: [Language: [Int]] = [:]
    public var responseLines: [Language: Int] = [:]
    public var fieldLines: [String: Int] = [:]
}

/// Where a knowledge item came from.
public struct KnowledgeSource: Sendable {
    public var path: String
    public var fieldLines: [String: Int] = [:]
}

/// The content as loaded, with where each piece came from and the problems
/// met while reading it.
public struct LoadedContent: Sendable {
    public var content: EngineContent
    public var intentSources: [String: IntentSource] = [:]
    /// Keyed by "id/lang".
    public var knowledgeSources: [String: KnowledgeSource] = [:]
    public var slotsPath: String?
    public var slotLines: [String: Int] = [:]
    public var problems: [ContentProblem] = []

    public init(content: EngineContent) {
        self.content = content
    }
}
