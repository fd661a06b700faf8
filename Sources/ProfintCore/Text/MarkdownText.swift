import Foundation

/// Knowledge bodies are Markdown; chat messages are plain text. This keeps
/// the structure readable without the syntax: headings stand alone, list
/// markers become bullets, emphasis and link markup disappear.
public enum MarkdownText {
    public static func plain(_ markdown: String) -> String {
        var lines: [String] = []
        for raw in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = Substring(raw)
            let trimmed = line.drop(while: { $0 == " " })
            if trimmed.hasPrefix("#") {
                line = trimmed.drop(while: { $0 == "#" }).drop(while: { $0 == " " })
                lines.append(inline(String(line)).uppercased())
                continue
            }
            if trimmed.hasPrefix("- ") || trimmed.hasPrefix("* ") {
                let indent = String(repeating: " ", count: line.count - trimmed.count)
                lines.append(indent + "• " + inline(String(trimmed.dropFirst(2))))
                continue
            }
            if trimmed.hasPrefix("|") {
                // Table rows: cells separated by " · ", separator rows dropped.
                let cells = trimmed.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                if cells.allSatisfy({ $0.allSatisfy { "-: ".contains($0) } }) { continue }
                lines.append(inline(cells.joined(separator: " · ")))
                continue
            }
            if trimmed.hasPrefix("> ") { line = trimmed.dropFirst(2) }
            lines.append(inline(String(line)))
        }
        return lines.joined(separator: "\n")
    }

    /// `**bold**`, `*em*`, `_em_`, `` `code` `` and `[text](url)` → their text (links keep the address in brackets).
    static func inline(_ text: String) -> String {
        // Without "[", "*", "`" or "_" every character is kept as it is.
        if let plain = text.utf8.withContiguousStorageIfAvailable({ bytes in
            !bytes.contains { $0 == UInt8(ascii: "[") || $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: "`") || $0 == UInt8(ascii: "_") }
        }), plain {
            return text
        }
        var out = ""
        var i = text.startIndex
        while i < text.endIndex {
            let c = text[i]
            if c == "[", let close = text[i...].firstIndex(of: "]"), text.index(after: close) < text.endIndex,
               text[text.index(after: close)] == "(", let end = text[close...].firstIndex(of: ")") {
                let label = text[text.index(after: i)..<close]
                let url = text[text.index(close, offsetBy: 2)..<end]
                out += label + (url.isEmpty || label == url ? "" : " (\(url))")
                i = text.index(after: end)
                continue
            }
            if c == "*" || c == "`" || (c == "_" && (i == text.startIndex || text[text.index(before: i)] == " ")) {
                i = text.index(after: i)
                continue
            }
            if c == "_", text.index(after: i) == text.endIndex || text[text.index(after: i)] == " " || text[text.index(after: i)].isPunctuation {
                i = text.index(after: i)
                continue
            }
            out.append(c)
            i = text.index(after: i)
        }
        return out
    }
}
