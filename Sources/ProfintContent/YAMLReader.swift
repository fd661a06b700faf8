import Yams

/// Parses YAML into nodes that remember their line, and turns syntax errors
/// into `ContentProblem`s. Refuses absurdly deep nesting before parsing.
struct YAMLReader {
    static let maximumDepth = 64

    static func parse(_ text: String, path: String, lineOffset: Int = 0) -> Result<Node?, ContentProblem> {
        if let line = tooDeep(text) {
            return .failure(ContentProblem(path, line + lineOffset, "nesting deeper than \(maximumDepth) levels"))
        }
        do {
            return .success(try Yams.compose(yaml: text))
        } catch let error as YamlError {
            return .failure(problem(error, path: path, lineOffset: lineOffset))
        } catch {
            return .failure(ContentProblem(path, 1 + lineOffset, "YAML: \(error)"))
        }
    }

    static func problem(_ error: YamlError, path: String, lineOffset: Int) -> ContentProblem {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            let where_ = context.map { " (\($0.text))" } ?? ""
            return ContentProblem(path, mark.line + lineOffset, "YAML syntax error: \(problem)\(where_)")
        case let .duplicatedKeysInMapping(duplicates, context):
            return ContentProblem(path, context.mark.line + lineOffset, "duplicate keys: \(duplicates.joined(separator: ", "))")
        default:
            return ContentProblem(path, 1 + lineOffset, "YAML: \(error)")
        }
    }

    /// The line where bracket or indentation nesting passes the limit.
    static func tooDeep(_ text: String) -> Int? {
        var line = 1
        var brackets = 0
        var atLineStart = true
        var indent = 0
        var inQuote: Character?
        for c in text {
            if c == "\n" {
                line += 1
                atLineStart = true
                indent = 0
                continue
            }
            if atLineStart {
                if c == " " || c == "-" {
                    indent += 1
                    if indent / 2 > maximumDepth * 2 { return line }
                    continue
                }
                atLineStart = false
            }
            if let q = inQuote {
                if c == q { inQuote = nil }
                continue
            }
            switch c {
            case "\"", "'":
                // Only quotes opening a scalar matter; apostrophes inside words do not.
                if brackets > 0 { inQuote = c }
            case "[", "{":
                brackets += 1
                if brackets > maximumDepth { return line }
            case "]", "}":
                brackets = max(0, brackets - 1)
            default:
                break
            }
        }
        return nil
    }
}

extension Node {
    var line: Int { mark?.line ?? 1 }

    var mappingPairs: [(String, Node, Int)]? {
        guard case let .mapping(m) = self else { return nil }
        return m.map { ($0.key.string ?? "", $0.value, $0.key.line) }
    }

    var sequenceNodes: [Node]? {
        guard case let .sequence(s) = self else { return nil }
        return Array(s)
    }

    var scalarString: String? {
        guard case let .scalar(s) = self else { return nil }
        return s.string
    }
}
