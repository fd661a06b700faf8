import ProfintCore

/// Turns the engine's replies into `m.room.message` contents (pure: no I/O).
public enum MatrixRenderer {
    /// Longest text of one event, in UTF-8 bytes: the HTML body can be about
    /// twice the plain one, and a whole event must stay under 65,536 bytes.
    public static let maximumChunkBytes = 16_000

    /// The contents to send for a reply, in order: the text (split at
    /// paragraph or line boundaries when very long) as `m.text` with a plain
    /// `body` and an escaped HTML `formatted_body`; the choices numbered on
    /// the last event ("1. …"), which the user answers with the number. The
    /// first event replies to `inReplyTo` (a busy room) and mentions
    /// `mention`; the others mention nobody.
    public static func contents(for reply: Reply, inReplyTo: String? = nil, mention: String? = nil) -> [MatrixJSON] {
        var chunks = split(reply.text)
        if chunks.isEmpty {
            guard !reply.choices.isEmpty else { return [] }
            chunks = [""]
        }
        return chunks.enumerated().map { index, chunk in
            var body = chunk
            var html = htmlParagraphs(chunk)
            if index == chunks.count - 1, !reply.choices.isEmpty {
                let lines = reply.choices.enumerated().map { "\($0.offset + 1). \(label($0.element.label, number: $0.offset + 1))" }
                body += (body.isEmpty ? "" : "\n\n") + lines.joined(separator: "\n")
                html += "<ol>" + reply.choices.enumerated().map {
                    "<li>\(escape(label($0.element.label, number: $0.offset + 1)))</li>"
                }.joined() + "</ol>"
            }
            var content: [String: MatrixJSON] = [
                "msgtype": "m.text",
                "body": .string(body),
                "format": "org.matrix.custom.html",
                "formatted_body": .string(html),
                "m.mentions": index == 0 && mention != nil ? ["user_ids": [.string(mention!)]] : [:],
            ]
            if index == 0, let inReplyTo {
                content["m.relates_to"] = ["m.in_reply_to": ["event_id": .string(inReplyTo)]]
            }
            return .object(content)
        }
    }

    /// A plain-text notice (no HTML), e.g. about encrypted rooms.
    public static func notice(_ text: String) -> MatrixJSON {
        ["msgtype": "m.notice", "body": .string(text), "m.mentions": [:]]
    }

    static func label(_ label: String, number: Int) -> String {
        let trimmed = label.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? "\(number)" : trimmed
    }

    /// HTML with the text escaped: paragraphs as `<p>`, line breaks as `<br>`.
    static func htmlParagraphs(_ text: String) -> String {
        let paragraphs = text.components(separatedBy: "\n\n").filter { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
        return paragraphs.map { paragraph in
            "<p>" + paragraph.split(separator: "\n", omittingEmptySubsequences: false).map { escape(String($0)) }
                .joined(separator: "<br>") + "</p>"
        }.joined()
    }

    /// Escapes the five characters that are markup in HTML.
    public static func escape(_ text: String) -> String {
        HTMLText.escape(text, quotes: true)
    }

    /// Chunks of at most `maximumChunkBytes` of UTF-8, at the best break.
    static func split(_ text: String) -> [String] {
        TextSplitter.split(text, limit: maximumChunkBytes) { $0.utf8.count }
    }
}
