import ProfintCore

/// Reads a YAML mapping field by field and reports unknown fields, wrong
/// types and unknown languages as `ContentProblem`s.
struct MappingReader {
    let path: String
    let pairs: [(String, YAMLNode, Int)]
    let line: Int
    var problems: [ContentProblem] = []

    init?(_ node: YAMLNode, path: String, what: String, problems: inout [ContentProblem]) {
        guard let pairs = node.mappingPairs else {
            problems.append(ContentProblem(path, node.line, "\(what) must be a mapping"))
            return nil
        }
        self.path = path
        self.pairs = pairs
        self.line = node.line
    }

    func node(_ key: String) -> YAMLNode? {
        pairs.first { $0.0 == key }?.1
    }

    func lineOf(_ key: String) -> Int {
        pairs.first { $0.0 == key }?.2 ?? line
    }

    mutating func checkKnown(_ allowed: Set<String>, what: String) {
        for (key, _, l) in pairs where !allowed.contains(key) {
            let hint = Suggestion.nearest(key, in: allowed).map { " (did you mean \"\($0)\"?)" } ?? ""
            problems.append(ContentProblem(path, l, "unknown field \"\(key)\" in \(what)\(hint)"))
        }
    }

    mutating func string(_ key: String, required: Bool = false) -> String? {
        guard let n = node(key) else {
            if required { problems.append(ContentProblem(path, line, "missing field \"\(key)\"")) }
            return nil
        }
        guard let s = n.scalarString else {
            problems.append(ContentProblem(path, n.line, "\"\(key)\" must be text"))
            return nil
        }
        return s
    }

    mutating func strings(_ key: String) -> [(String, Int)] {
        guard let n = node(key) else { return [] }
        return Self.strings(n, key: key, path: path, problems: &problems)
    }

    static func strings(_ n: YAMLNode, key: String, path: String, problems: inout [ContentProblem]) -> [(String, Int)] {
        if case let .scalar(s, line, nullTagged) = n {
            // `[]` and `~` are empty lists; one scalar is a list of one.
            if s.isEmpty || s == "~" || nullTagged { return [] }
            return [(s, line)]
        }
        guard let items = n.sequenceNodes else {
            problems.append(ContentProblem(path, n.line, "\"\(key)\" must be a list"))
            return []
        }
        var out: [(String, Int)] = []
        for item in items {
            if let s = item.scalarString {
                out.append((s, item.line))
            } else {
                problems.append(ContentProblem(path, item.line, "\"\(key)\" items must be text"))
            }
        }
        return out
    }

    /// A mapping from language codes to values.
    mutating func perLanguage(_ key: String) -> [(Language, YAMLNode, Int)] {
        guard let n = node(key) else { return [] }
        guard let pairs = n.mappingPairs else {
            problems.append(ContentProblem(path, n.line, "\"\(key)\" must map languages (en, fr, it, sv) to values"))
            return []
        }
        var out: [(Language, YAMLNode, Int)] = []
        for (code, value, l) in pairs {
            guard let language = Language(rawValue: code) else {
                problems.append(ContentProblem(path, l, "unknown language \"\(code)\" in \"\(key)\" (use en, fr, it or sv)"))
                continue
            }
            out.append((language, value, l))
        }
        return out
    }
}

/// "Did you mean …?" by edit distance, as swift-argument-parser does.
public enum Suggestion {
    public static func nearest<S: Sequence>(_ word: String, in candidates: S) -> String? where S.Element == String {
        let w = Array(word.lowercased().unicodeScalars)
        var best: (String, Int)?
        for candidate in candidates {
            let d = distance(w, Array(candidate.lowercased().unicodeScalars))
            if d <= max(2, w.count / 3), best == nil || d < best!.1 || (d == best!.1 && candidate < best!.0) {
                best = (candidate, d)
            }
        }
        return best?.0
    }

    static func distance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var prev = Array(0...b.count)
        var cur = prev
        for i in 1...a.count {
            cur[0] = i
            for j in 1...b.count {
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&prev, &cur)
        }
        return prev[b.count]
    }
}
