/// A fast parser for the part of YAML the content is written in: block
/// mappings and sequences (indentless ones too), plain and quoted one-line
/// scalars, flow sequences and flow mappings of scalars (over several lines
/// too), comments. It gives the nodes, lines included, that Yams gives.
///
/// Anything else (block scalars, multi-line plain or quoted scalars,
/// anchors, tags, directives, tabs, duplicate keys, syntax errors…) makes
/// `parse` return nil, and the caller parses the text with Yams instead,
/// so errors keep Yams's messages.
struct SimpleYAMLParser {
    /// Thrown wherever the text leaves the subset.
    private struct Unsupported: Error {}

    private let b: UnsafeBufferPointer<UInt8>
    private let n: Int
    /// The position, its line (1-based) and where that line starts.
    private var i = 0
    private var line = 1
    private var lineStart = 0
    private var depth = 0
    static let maximumDepth = 100

    private init(_ bytes: UnsafeBufferPointer<UInt8>) {
        b = bytes
        n = bytes.count
    }

    /// The document's root node, or nil when the text is outside the subset
    /// (an empty document included).
    static func parse(_ text: String) -> YAMLNode? {
        var text = text
        return text.withUTF8 { bytes in
            guard acceptsCharacters(bytes) else { return nil }
            var parser = SimpleYAMLParser(bytes)
            return try? parser.document()
        }
    }

    /// Characters the subset allows: no tab, carriage return or other control
    /// character, none of the characters libyaml refuses or reads as line
    /// breaks (U+0080–U+009F, U+2028, U+2029, U+FEFF, U+FFFE, U+FFFF), and
    /// no line starting with a document marker (`---`, `...`).
    static func acceptsCharacters(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = b.count
        @inline(__always) func marker(at s: Int) -> Bool {
            guard s + 2 < n, b[s] == 45 || b[s] == 46, b[s + 1] == b[s], b[s + 2] == b[s] else { return false }
            return s + 3 == n || b[s + 3] == 32 || b[s + 3] == 10
        }
        if marker(at: 0) { return false }
        var k = 0
        while k < n {
            let c = b[k]
            if c >= 32 && c < 127 {
                k += 1
                continue
            }
            switch c {
            case 10:
                if marker(at: k + 1) { return false }
            case 0xC2:
                if k + 1 < n, b[k + 1] < 0xA0 { return false }
            case 0xE2:
                if k + 2 < n, b[k + 1] == 0x80, b[k + 2] == 0xA8 || b[k + 2] == 0xA9 { return false }
            case 0xEF:
                if k + 2 < n, b[k + 1] == 0xBB, b[k + 2] == 0xBF { return false }
                if k + 2 < n, b[k + 1] == 0xBF, b[k + 2] >= 0xBE { return false }
            case 0x80...0xFF:
                break
            default:
                return false
            }
            k += 1
        }
        return true
    }

    // MARK: Lines

    @inline(__always) private func at(_ k: Int) -> UInt8 { k < n ? b[k] : 0 }
    @inline(__always) private var atLineEnd: Bool { i >= n || b[i] == 10 }
    @inline(__always) private var column: Int { i - lineStart }
    /// Space, line break or the end.
    @inline(__always) private func blank(_ k: Int) -> Bool { k >= n || b[k] == 32 || b[k] == 10 }

    private mutating func skipSpaces() {
        while i < n, b[i] == 32 { i += 1 }
    }

    /// From the end of a line to the first character of the next line with
    /// content (not blank, not a comment), or to the end of the text.
    private mutating func advance() {
        while i < n {
            // At a line break.
            i += 1
            line += 1
            lineStart = i
            skipSpaces()
            if i < n, b[i] == 35 { // #
                while i < n, b[i] != 10 { i += 1 }
                continue
            }
            if i < n, b[i] == 10 { continue }
            return
        }
    }

    /// After a value: spaces, then a comment (after a space) or the line's end.
    private mutating func finishLine() throws {
        let start = i
        skipSpaces()
        if i < n, b[i] == 35, i > start {
            while i < n, b[i] != 10 { i += 1 }
        }
        guard atLineEnd else { throw Unsupported() }
    }

    // MARK: Block structure

    private mutating func document() throws -> YAMLNode {
        // To the first line with content.
        skipSpaces()
        if i < n, b[i] == 35 {
            while i < n, b[i] != 10 { i += 1 }
        }
        if atLineEnd { advance() }
        guard i < n else { throw Unsupported() }
        let root = try blockNode(parentIndent: -1)
        guard i >= n else { throw Unsupported() }
        return root
    }

    /// The node starting at the position (the first character with content
    /// on its line), more indented than its parent.
    private mutating func blockNode(parentIndent: Int) throws -> YAMLNode {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maximumDepth else { throw Unsupported() }
        if entryAhead { return try blockSequence(indentless: false) }
        if try key() != nil { return try blockMapping() }
        let value = try inlineValue(parentIndent: parentIndent)
        try finishLine()
        advance()
        return value
    }

    /// `-` followed by a space or the line's end.
    private var entryAhead: Bool { i < n && b[i] == 45 && blank(i + 1) }

    private mutating func blockSequence(indentless: Bool) throws -> YAMLNode {
        let indent = column
        let start = line
        var items: [YAMLNode] = []
        while true {
            let itemLine = line
            i += 1 // -
            let spaced = i
            skipSpaces()
            if i < n, b[i] == 35, i > spaced {
                while i < n, b[i] != 10 { i += 1 }
            }
            if atLineEnd {
                advance()
                if i < n, column > indent {
                    items.append(try blockNode(parentIndent: indent))
                } else {
                    items.append(.scalar("", line: itemLine, nullTagged: false))
                }
            } else if entryAhead {
                throw Unsupported() // "- - x"
            } else if try key() != nil {
                depth += 1
                defer { depth -= 1 }
                guard depth <= Self.maximumDepth else { throw Unsupported() }
                items.append(try blockMapping())
            } else {
                items.append(try inlineValue(parentIndent: indent))
                try finishLine()
                advance()
            }
            guard i < n else { break }
            if column == indent, entryAhead { continue }
            if column < indent || (column == indent && indentless) { break }
            throw Unsupported()
        }
        return .sequence(items, line: start)
    }

    private mutating func blockMapping() throws -> YAMLNode {
        let indent = column
        let start = line
        var pairs: [YAMLNode.Pair] = []
        while true {
            guard let (name, after) = try key() else { throw Unsupported() }
            let keyLine = line
            if pairs.contains(where: { $0.key == name }) { throw Unsupported() }
            i = after
            let spaced = i
            skipSpaces()
            if i < n, b[i] == 35, i > spaced {
                while i < n, b[i] != 10 { i += 1 }
            }
            let value: YAMLNode
            if atLineEnd {
                advance()
                if i < n, column > indent {
                    value = try blockNode(parentIndent: indent)
                } else if i < n, column == indent, entryAhead {
                    depth += 1
                    defer { depth -= 1 }
                    guard depth <= Self.maximumDepth else { throw Unsupported() }
                    value = try blockSequence(indentless: true)
                } else {
                    value = .scalar("", line: keyLine, nullTagged: false)
                }
            } else {
                value = try inlineValue(parentIndent: indent)
                try finishLine()
                advance()
            }
            pairs.append(YAMLNode.Pair(key: name, value: value, line: keyLine))
            guard i < n else { break }
            if column < indent { break }
            guard column == indent, !entryAhead else { throw Unsupported() }
        }
        return .mapping(pairs, line: start)
    }

    /// The key at the position (`key:` followed by a space or the line's
    /// end) and where its `:` ends; nil when the line holds no key there.
    private func key() throws -> (String, Int)? {
        var k = i
        let name: String
        switch b[k] {
        case 34, 39: // " '
            guard let (text, end) = try quoted(at: k) else { return nil }
            name = text
            k = end
            while k < n, b[k] == 32 { k += 1 }
            guard k < n, b[k] == 58 else { return nil }
        default:
            guard plainStart(at: k, flow: false) else { return nil }
            let (end, stop) = try plainEnd(from: k, flow: false)
            guard stop == .colon else { return nil }
            name = string(k, end)
            while k < n, b[k] != 58 || !blank(k + 1) { k += 1 }
        }
        // libyaml's simple keys are at most 1024 characters long.
        guard k - i < 1000, blank(k + 1) else { throw Unsupported() }
        return (name, k + 1)
    }

    // MARK: Values on one line

    /// A scalar or a flow collection starting at the position.
    private mutating func inlineValue(parentIndent: Int) throws -> YAMLNode {
        let start = line
        switch b[i] {
        case 34, 39: // " '
            guard let (text, end) = try quoted(at: i) else { throw Unsupported() }
            i = end
            return .scalar(text, line: start, nullTagged: false)
        case 91: // [
            return try flowSequence(parentIndent: parentIndent)
        case 123: // {
            return try flowMapping(parentIndent: parentIndent)
        default:
            guard plainStart(at: i, flow: false) else { throw Unsupported() }
            let (end, stop) = try plainEnd(from: i, flow: false)
            guard stop != .colon else { throw Unsupported() }
            let text = string(i, end)
            i = end
            return .scalar(text, line: start, nullTagged: false)
        }
    }

    enum Stop { case lineEnd, colon, comment, flowIndicator }

    /// Whether a plain scalar may start here: not an indicator, except `-`
    /// before a character that is neither blank nor (in flow) an indicator.
    private func plainStart(at k: Int, flow: Bool) -> Bool {
        guard k < n else { return false }
        switch b[k] {
        case 32, 10, 63, 58, 44, 91, 93, 123, 125, 35, 38, 42, 33, 124, 62, 39, 34, 37, 64, 96:
            // space, break, ? : , [ ] { } # & * ! | > ' " % @ `
            return false
        case 45: // -
            guard !blank(k + 1) else { return false }
            if flow {
                switch at(k + 1) {
                case 44, 91, 93, 123, 125, 58, 35: return false
                default: return true
                }
            }
            return true
        default:
            return true
        }
    }

    /// Where a plain scalar from `k` ends on its line (trailing spaces left
    /// out) and what ends it: the line's end, `: `, ` #` or (in flow) a flow
    /// indicator. A `:` inside a flow scalar is left to Yams.
    private func plainEnd(from k: Int, flow: Bool) throws -> (Int, Stop) {
        var j = k
        var end = k
        while j < n {
            let c = b[j]
            switch c {
            case 10:
                return (end, .lineEnd)
            case 32:
                j += 1
                continue
            case 58: // :
                if blank(j + 1) { return (end, .colon) }
                if flow { throw Unsupported() }
            case 35: // #
                if b[j - 1] == 32 { return (end, .comment) }
            case 44, 91, 93, 123, 125: // , [ ] { }
                if flow { return (end, .flowIndicator) }
            default:
                break
            }
            j += 1
            end = j
        }
        return (end, .lineEnd)
    }

    /// A quoted scalar on one line: its text and the position after its
    /// closing quote; nil when the quote does not close on the line.
    private func quoted(at k: Int) throws -> (String, Int)? {
        let quote = b[k]
        var j = k + 1
        var bytes: [UInt8]?
        var runStart = j
        while true {
            guard j < n, b[j] != 10 else { return nil }
            let c = b[j]
            if c == quote {
                if quote == 39, j + 1 < n, b[j + 1] == 39 { // ''
                    if bytes == nil { bytes = [] }
                    bytes!.append(contentsOf: UnsafeBufferPointer(rebasing: b[runStart...j]))
                    j += 2
                    runStart = j
                    continue
                }
                break
            }
            if quote == 34, c == 92 { // backslash
                if bytes == nil { bytes = [] }
                bytes!.append(contentsOf: UnsafeBufferPointer(rebasing: b[runStart..<j]))
                j = try escape(at: j + 1, into: &bytes!)
                runStart = j
                continue
            }
            j += 1
        }
        let text: String
        if var bytes {
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: b[runStart..<j]))
            text = String(decoding: bytes, as: UTF8.self)
        } else {
            text = string(k + 1, j)
        }
        return (text, j + 1)
    }

    /// One escape of a double-quoted scalar (after the backslash), appended
    /// as UTF-8; the position after it.
    private func escape(at k: Int, into bytes: inout [UInt8]) throws -> Int {
        guard k < n else { throw Unsupported() }
        let simple: UInt8?
        switch b[k] {
        case 48: simple = 0 // 0
        case 97: simple = 7 // a
        case 98: simple = 8 // b
        case 116: simple = 9 // t
        case 110: simple = 10 // n
        case 118: simple = 11 // v
        case 102: simple = 12 // f
        case 114: simple = 13 // r
        case 101: simple = 27 // e
        case 32, 34, 47, 92: simple = b[k] // space " / backslash
        default: simple = nil
        }
        if let simple {
            bytes.append(simple)
            return k + 1
        }
        let scalar: UInt32
        var next = k + 1
        switch b[k] {
        case 78: scalar = 0x85 // N
        case 95: scalar = 0xA0 // _
        case 76: scalar = 0x2028 // L
        case 80: scalar = 0x2029 // P
        case 120, 117, 85: // x u U
            let digits = b[k] == 120 ? 2 : (b[k] == 117 ? 4 : 8)
            var value: UInt32 = 0
            for d in 0..<digits {
                guard k + 1 + d < n, let v = Self.hexValue(b[k + 1 + d]) else { throw Unsupported() }
                value = value << 4 | v
            }
            scalar = value
            next = k + 1 + digits
        default:
            throw Unsupported()
        }
        guard let u = Unicode.Scalar(scalar) else { throw Unsupported() }
        bytes.append(contentsOf: String(Character(u)).utf8)
        return next
    }

    private static func hexValue(_ c: UInt8) -> UInt32? {
        switch c {
        case 48...57: UInt32(c - 48)
        case 65...70: UInt32(c - 55)
        case 97...102: UInt32(c - 87)
        default: nil
        }
    }

    private func string(_ start: Int, _ end: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: b[start..<end]), as: UTF8.self)
    }

    // MARK: Flow collections

    /// Spaces, line breaks and comments inside a flow collection; a line
    /// with content must be more indented than the block around.
    private mutating func skipFlowSpace(parentIndent: Int) throws {
        while i < n {
            switch b[i] {
            case 32:
                i += 1
            case 10:
                i += 1
                line += 1
                lineStart = i
                skipSpaces()
                if i < n, b[i] != 10, b[i] != 35, column <= parentIndent { throw Unsupported() }
            case 35 where i == lineStart || b[i - 1] == 32:
                while i < n, b[i] != 10 { i += 1 }
            default:
                return
            }
        }
    }

    /// A scalar item of a flow collection.
    private mutating func flowScalar(parentIndent: Int) throws -> (String, Int, Stop) {
        let start = line
        switch at(i) {
        case 34, 39:
            guard let (text, end) = try quoted(at: i) else { throw Unsupported() }
            i = end
            return (text, start, .flowIndicator)
        default:
            guard plainStart(at: i, flow: true) else { throw Unsupported() }
            let (end, stop) = try plainEnd(from: i, flow: true)
            let text = string(i, end)
            i = end
            return (text, start, stop)
        }
    }

    private mutating func flowSequence(parentIndent: Int) throws -> YAMLNode {
        let start = line
        i += 1 // [
        var items: [YAMLNode] = []
        try skipFlowSpace(parentIndent: parentIndent)
        if at(i) == 93 { // ]
            i += 1
            return .sequence(items, line: start)
        }
        while true {
            let (text, itemLine, stop) = try flowScalar(parentIndent: parentIndent)
            // "a: b" in a flow sequence is a mapping of one pair.
            guard stop != .colon else { throw Unsupported() }
            items.append(.scalar(text, line: itemLine, nullTagged: false))
            try skipFlowSpace(parentIndent: parentIndent)
            switch at(i) {
            case 44: // ,
                i += 1
                try skipFlowSpace(parentIndent: parentIndent)
                guard at(i) != 93 else { throw Unsupported() }
            case 93:
                i += 1
                return .sequence(items, line: start)
            default:
                throw Unsupported()
            }
        }
    }

    private mutating func flowMapping(parentIndent: Int) throws -> YAMLNode {
        let start = line
        i += 1 // {
        var pairs: [YAMLNode.Pair] = []
        try skipFlowSpace(parentIndent: parentIndent)
        if at(i) == 125 { // }
            i += 1
            return .mapping(pairs, line: start)
        }
        while true {
            let (name, keyLine, stop) = try flowScalar(parentIndent: parentIndent)
            if stop != .colon {
                // A quoted key: spaces, then ": ".
                skipSpaces()
                guard at(i) == 58, blank(i + 1) else { throw Unsupported() }
            } else {
                while b[i] != 58 { i += 1 }
            }
            i += 1 // :
            if pairs.contains(where: { $0.key == name }) { throw Unsupported() }
            try skipFlowSpace(parentIndent: parentIndent)
            let (text, valueLine, valueStop) = try flowScalar(parentIndent: parentIndent)
            guard valueStop != .colon else { throw Unsupported() }
            pairs.append(YAMLNode.Pair(key: name, value: .scalar(text, line: valueLine, nullTagged: false), line: keyLine))
            try skipFlowSpace(parentIndent: parentIndent)
            switch at(i) {
            case 44:
                i += 1
                try skipFlowSpace(parentIndent: parentIndent)
                guard at(i) != 125 else { throw Unsupported() }
            case 125:
                i += 1
                return .mapping(pairs, line: start)
            default:
                throw Unsupported()
            }
        }
    }
}
