import Foundation

/// A knowledge file cut in two: the YAML between its first line (`---`)
/// and the next `---` line, and the Markdown body after it, trimmed.
/// Lines are split at "\n" and lose a final "\r"; a `---` line may have
/// white space around the dashes.
struct FrontMatter {
    var yaml: String
    var body: String

    enum Missing: Error {
        /// The first line is not `---`.
        case start
        /// No `---` line closes the front matter.
        case end
    }

    static func split(_ text: String) -> Result<FrontMatter, Missing> {
        var text = text
        return text.withUTF8 { bytes in
            // With "\r" anywhere, the line-by-line way (rare).
            bytes.contains(13) ? splitByLines(String(decoding: bytes, as: UTF8.self)) : split(bytes: bytes)
        }
    }

    /// The same as `splitByLines` for a text without "\r", over its UTF-8
    /// bytes: no copy of the lines, the body's white space trimmed by byte.
    static func split(bytes b: UnsafeBufferPointer<UInt8>) -> Result<FrontMatter, Missing> {
        let n = b.count
        func lineEnd(_ s: Int) -> Int {
            var e = s
            while e < n, b[e] != 10 { e += 1 }
            return e
        }
        let firstEnd = lineEnd(0)
        guard isMarker(b, 0, firstEnd) else { return .failure(.start) }
        guard firstEnd < n else { return .failure(.end) }
        var start = firstEnd + 1
        while true {
            let end = lineEnd(start)
            if isMarker(b, start, end) { break }
            guard end < n else { return .failure(.end) }
            start = end + 1
        }
        let closingEnd = lineEnd(start)
        let yaml = start > firstEnd + 1 ? string(b, firstEnd + 1, start - 1) : ""
        guard closingEnd < n else { return .success(FrontMatter(yaml: yaml, body: "")) }
        return .success(FrontMatter(yaml: yaml, body: trimmed(b, closingEnd + 1, n)))
    }

    /// Whether the line `s..<e` is `---` once trimmed of `.whitespaces`.
    static func isMarker(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> Bool {
        var dashes = 0
        var other = false
        for k in s..<e {
            switch b[k] {
            case 45: dashes += 1
            case 32, 9: break
            case 0x80...: other = true
            default: return false
            }
        }
        guard dashes == 3 else { return false }
        let line = string(b, s, e)
        if other {
            // Non-ASCII white space around the dashes, perhaps: as Foundation trims.
            return line.trimmingCharacters(in: .whitespaces) == "---"
        }
        return line.trimmingCharacters(in: [" ", "\t"]) == "---"
    }

    /// `s..<e` trimmed of `.whitespacesAndNewlines`: by byte for ASCII
    /// white space, by Foundation when a non-ASCII character is at an end.
    static func trimmed(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> String {
        @inline(__always) func space(_ c: UInt8) -> Bool { c == 32 || (c >= 9 && c <= 13) }
        var s = s, e = e
        while s < e, space(b[s]) { s += 1 }
        while e > s, space(b[e - 1]) { e -= 1 }
        let text = string(b, s, e)
        guard s < e, b[s] < 0x80, b[e - 1] < 0x80 else {
            return text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return text
    }

    static func string(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: b[s..<e]), as: UTF8.self)
    }

    /// Line by line, as text.
    static func splitByLines(_ text: String) -> Result<FrontMatter, Missing> {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasSuffix("\r") ? String($0.dropLast()) : String($0)
        }
        guard lines.first?.trimmingCharacters(in: .whitespaces) == "---" else { return .failure(.start) }
        guard let end = lines.dropFirst().firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == "---" }) else {
            return .failure(.end)
        }
        let yaml = lines[1..<end].joined(separator: "\n")
        let body = lines[(end + 1)...].joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        return .success(FrontMatter(yaml: yaml, body: body))
    }
}
