/// One problem found in the content, printed as `path:line: message`.
public struct ContentProblem: Error, Sendable, Hashable, CustomStringConvertible, Comparable {
    public var path: String
    public var line: Int
    public var message: String

    public init(_ path: String, _ line: Int, _ message: String) {
        self.path = path
        self.line = max(line, 1)
        self.message = message
    }

    public var description: String { "\(path):\(line): \(message)" }

    public static func < (a: ContentProblem, b: ContentProblem) -> Bool {
        (a.path, a.line, a.message) < (b.path, b.line, b.message)
    }
}
