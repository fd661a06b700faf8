import Yams

/// Parses YAML into nodes that remember their line, and turns syntax errors
/// into `ContentProblem`s. Refuses absurdly deep nesting before parsing.
struct YAMLReader {
    static let maximumDepth = 64

    static func parse(_ text: String, path: String, lineOffset: Int = 0) -> Result<YAMLNode?, ContentProblem> {
        if let line = tooDeep(text) {
            return .failure(ContentProblem(path, line + lineOffset, "nesting deeper than \(maximumDepth) levels"))
        }
        if let node = SimpleYAMLParser.parse(text) {
            return .success(node)
        }
        do {
            return .success(try Yams.compose(yaml: text).map(YAMLNode.init))
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
        var text = text
        return text.withUTF8 { tooDeep(bytes: $0) } ?? tooDeep(characters: text)
    }

    /// The same, character by character: for a text where an ASCII
    /// character that counts sits next to a non-ASCII one, which could
    /// join it into one character ("[" + U+0301).
    static func tooDeep(characters text: String) -> Int? {
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

    /// `tooDeep` over UTF-8 (the characters it looks at are all ASCII), or
    /// `.some(nil)`… nil when a character it looks at has a non-ASCII
    /// neighbour, so that only `tooDeep(characters:)` can tell.
    static func tooDeep(bytes: UnsafeBufferPointer<UInt8>) -> Int?? {
        var line = 1
        var brackets = 0
        var atLineStart = true
        var indent = 0
        var inQuote: UInt8 = 0
        var k = 0
        let n = bytes.count
        // Whether the byte at k - 1 may share a character with its neighbours.
        @inline(__always) func joined(_ k: Int) -> Bool {
            (k >= 2 && bytes[k - 2] >= 0x80) || (k < n && bytes[k] >= 0x80)
        }
        while k < n {
            var c = bytes[k]
            k += 1
            if c == 13, k < n, bytes[k] == 10 {
                // "\r\n" is one character, which is not "\n".
                c = 0
                k += 1
            } else if c == 10 {
                line += 1
                atLineStart = true
                indent = 0
                continue
            }
            if atLineStart {
                if c == 32 || c == 45 { // space, -
                    if joined(k) { return .none }
                    indent += 1
                    if indent / 2 > maximumDepth * 2 { return line }
                    continue
                }
                atLineStart = false
            }
            if inQuote != 0 {
                if c == inQuote {
                    if joined(k) { return .none }
                    inQuote = 0
                }
                continue
            }
            switch c {
            case 34, 39: // " '
                // Only quotes opening a scalar matter; apostrophes inside words do not.
                if brackets > 0 {
                    if joined(k) { return .none }
                    inQuote = c
                }
            case 91, 123: // [ {
                if joined(k) { return .none }
                brackets += 1
                if brackets > maximumDepth { return line }
            case 93, 125: // ] }
                if joined(k) { return .none }
                brackets = max(0, brackets - 1)
            default:
                break
            }
        }
        return .some(nil)
    }
}
