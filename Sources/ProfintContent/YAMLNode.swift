import Yams

/// A YAML node as the content parsers read it: text, a mapping or a
/// sequence, with the line it starts on (1-based). `SimpleYAMLParser` makes
/// these directly; anything it does not handle comes from Yams, converted.
enum YAMLNode: Equatable, Sendable {
    /// A key, its value and the key's line.
    struct Pair: Equatable, Sendable {
        var key: String
        var value: YAMLNode
        var line: Int
    }

    /// `nullTagged`: tagged `!!null` explicitly (the value is then no text).
    case scalar(String, line: Int, nullTagged: Bool)
    case mapping([Pair], line: Int)
    case sequence([YAMLNode], line: Int)
    /// Anything else Yams can give (an alias): neither text nor a collection.
    case other(line: Int)

    var line: Int {
        switch self {
        case .scalar(_, let line, _), .mapping(_, let line), .sequence(_, let line), .other(let line): line
        }
    }

    var mappingPairs: [(String, YAMLNode, Int)]? {
        guard case let .mapping(pairs, _) = self else { return nil }
        return pairs.map { ($0.key, $0.value, $0.line) }
    }

    var sequenceNodes: [YAMLNode]? {
        guard case let .sequence(items, _) = self else { return nil }
        return items
    }

    var scalarString: String? {
        guard case let .scalar(s, _, _) = self else { return nil }
        return s
    }
}

extension YAMLNode {
    /// The same node from Yams: lines from its marks (1 when it has none),
    /// keys as their text ("" for a key that is not text).
    init(_ node: Node) {
        switch node {
        case .scalar(let s):
            self = .scalar(s.string, line: node.line, nullTagged: s.tag.rawValue.hasSuffix("null"))
        case .mapping(let m):
            self = .mapping(m.map { Pair(key: $0.key.string ?? "", value: YAMLNode($0.value), line: $0.key.line) }, line: node.line)
        case .sequence(let s):
            self = .sequence(s.map(YAMLNode.init), line: node.line)
        case .alias:
            self = .other(line: node.line)
        }
    }
}

extension Node {
    var line: Int { mark?.line ?? 1 }
}
