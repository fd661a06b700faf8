/// A compiled pattern of an intent: keywords with alternatives, optional
/// words and wildcards, matched on stems (see docs/CONTENT.md).
public struct IntentPattern: Sendable, Hashable {
    public enum Element: Sendable, Hashable {
        /// One of these stem sequences; skippable when optional.
        case words([[String]], optional: Bool)
        /// Any number of tokens, zero included.
        case wildcard
    }

    public var intent: String
    public var language: Language
    public var source: String
    public var elements: [Element]

    /// A problem in a pattern's syntax, with the position in the pattern.
    public struct SyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// Parses a pattern; `analyze` turns a word sequence into stems.
    public init(intent: String, language: Language, source: String, analyze: (String) -> [String]) throws {
        self.intent = intent
        self.language = language
        self.source = source
        self.elements = []
        var i = source.startIndex
        var word = ""
        func flushWord() {
            guard !word.isEmpty else { return }
            let stems = analyze(word)
            if !stems.isEmpty { elements.append(.words([stems], optional: false)) }
            word = ""
        }
        while i < source.endIndex {
            let c = source[i]
            switch c {
            case "(", "[":
                flushWord()
                let close: Character = c == "(" ? ")" : "]"
                guard let end = source[i...].firstIndex(of: close) else {
                    throw SyntaxError(message: "pattern \"\(source)\": missing \"\(close)\"")
                }
                let inner = source[source.index(after: i)..<end]
                if inner.contains("(") || inner.contains("[") {
                    throw SyntaxError(message: "pattern \"\(source)\": groups cannot be nested")
                }
                let alternatives = inner.split(separator: "|", omittingEmptySubsequences: false)
                    .map { analyze(String($0)) }
                if alternatives.contains(where: \.isEmpty) {
                    throw SyntaxError(message: "pattern \"\(source)\": empty alternative in \"\(c)\(inner)\(close)\"")
                }
                elements.append(.words(alternatives, optional: c == "["))
                i = source.index(after: end)
                continue
            case ")", "]", "|":
                throw SyntaxError(message: "pattern \"\(source)\": unexpected \"\(c)\"")
            case "*":
                flushWord()
                if elements.last != .wildcard { elements.append(.wildcard) }
            case " ", "\t":
                flushWord()
            default:
                word.append(c)
            }
            i = source.index(after: i)
        }
        flushWord()
        while elements.first == .wildcard { elements.removeFirst() }
        while elements.last == .wildcard { elements.removeLast() }
        guard elements.contains(where: { if case .words(_, false) = $0 { true } else { false } }) else {
            throw SyntaxError(message: "pattern \"\(source)\": needs at least one required word")
        }
    }

    /// Whether the pattern matches anywhere in the stems.
    public func matches(_ stems: [String]) -> Bool {
        for start in 0..<max(stems.count, 1) where match(0, start, stems) {
            return true
        }
        return false
    }

    private func match(_ e: Int, _ t: Int, _ stems: [String]) -> Bool {
        if e == elements.count { return true }
        switch elements[e] {
        case .wildcard:
            for next in t...stems.count where match(e + 1, next, stems) { return true }
            return false
        case .words(let alternatives, let optional):
            for alt in alternatives where t + alt.count <= stems.count {
                var ok = true
                for k in 0..<alt.count where stems[t + k] != alt[k] {
                    ok = false
                    break
                }
                if ok, match(e + 1, t + alt.count, stems) { return true }
            }
            return optional ? match(e + 1, t, stems) : false
        }
    }
}
