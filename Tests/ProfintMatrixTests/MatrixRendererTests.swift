import Foundation
import ProfintCore
import Testing
@testable import ProfintMatrix

struct MatrixRendererTests {
    @Test func htmlIsEscapedAndBodyStaysPlain() throws {
        let reply = Reply(text: "Use <b>this</b> & \"that\" isn't bold\nsecond line\n\nNew paragraph")
        let contents = MatrixRenderer.contents(for: reply)
        #expect(contents.count == 1)
        let content = try #require(contents.first)
        #expect(content["msgtype"]?.string == "m.text")
        #expect(content["body"]?.string == "Use <b>this</b> & \"that\" isn't bold\nsecond line\n\nNew paragraph")
        #expect(content["format"]?.string == "org.matrix.custom.html")
        #expect(content["formatted_body"]?.string ==
            "<p>Use &lt;b&gt;this&lt;/b&gt; &amp; &quot;that&quot; isn&#39;t bold<br>second line</p><p>New paragraph</p>")
        #expect(content["m.relates_to"] == nil)
        #expect(content["m.mentions"] == [:], "an empty m.mentions pings nobody")
    }

    @Test func choicesAreNumbered() throws {
        let reply = Reply(text: "Pick one:", choices: [Choice(label: "Tools <new>", payload: "intent:a"), Choice(label: " ", payload: "b")])
        let content = try #require(MatrixRenderer.contents(for: reply).last)
        #expect(content["body"]?.string == "Pick one:\n\n1. Tools <new>\n2. 2")
        #expect(content["formatted_body"]?.string == "<p>Pick one:</p><ol><li>Tools &lt;new&gt;</li><li>2</li></ol>")
    }

    @Test func replyRelationAndMentionOnTheFirstEventOnly() {
        let long = String(repeating: "Paragraphe d'accompagnement. ", count: 700) + "\n\n" + String(repeating: "Suite du texte. ", count: 700)
        let contents = MatrixRenderer.contents(for: Reply(text: long, choices: [Choice(label: "Plus", payload: "x")]),
                                               inReplyTo: "$question", mention: "@alice:localhost")
        #expect(contents.count >= 2)
        #expect(contents[0]["m.relates_to"]?["m.in_reply_to"]?["event_id"]?.string == "$question")
        #expect(contents[0]["m.mentions"]?["user_ids"] == ["@alice:localhost"])
        #expect(contents[1]["m.relates_to"] == nil)
        #expect(contents.last?["body"]?.string?.hasSuffix("1. Plus") == true)
        for content in contents {
            #expect((content["body"]?.string?.utf8.count ?? 0) <= MatrixRenderer.maximumChunkBytes + 20)
            #expect(content.jsonData().count < 65_536)
        }
        // Nothing lost: the chunks hold all the words.
        let words = contents.compactMap { $0["body"]?.string }.joined(separator: " ").split(whereSeparator: \.isWhitespace)
        #expect(words.count == long.split(whereSeparator: \.isWhitespace).count + 2)
    }

    @Test func emptyReplySendsNothing() {
        #expect(MatrixRenderer.contents(for: Reply(text: "  ")).isEmpty)
        #expect(MatrixRenderer.contents(for: Reply(text: "", choices: [Choice(label: "A", payload: "a")])).count == 1)
    }

    @Test func noticeIsPlain() {
        let notice = MatrixRenderer.notice("I can't read encrypted rooms.")
        #expect(notice["msgtype"]?.string == "m.notice")
        #expect(notice["formatted_body"] == nil)
    }
}
