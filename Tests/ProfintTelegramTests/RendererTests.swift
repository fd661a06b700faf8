import Foundation
import ProfintCore
import Testing
@testable import ProfintTelegram

struct RendererTests {
    @Test func escapesUserTextForHTML() {
        let calls = TelegramRenderer.sendMessages(for: Reply(text: "You wrote \"<b>&</b>\" > 3 & 'x'"), chat: 42)
        #expect(calls == [TelegramCall(method: "sendMessage", parameters: [
            "chat_id": 42,
            "text": "You wrote \"&lt;b&gt;&amp;&lt;/b&gt;\" &gt; 3 &amp; 'x'",
            "parse_mode": "HTML",
        ])])
    }

    @Test func rendersChoicesAndTheReplyExactly() {
        let reply = Reply(text: "Three tools for skills assessment:", choices: [
            Choice(label: "EU Skills Profile Tool", payload: "item:tool.eu-skills-profile"),
            Choice(label: "Open the case of Amina", payload: "item:case.amina"),
        ])
        let calls = TelegramRenderer.sendMessages(for: reply, chat: -1_001_234_567_890, replyTo: 1201)
        #expect(calls == [TelegramCall(method: "sendMessage", parameters: [
            "chat_id": -1_001_234_567_890,
            "text": "Three tools for skills assessment:",
            "parse_mode": "HTML",
            "reply_parameters": ["message_id": 1201, "allow_sending_without_reply": true],
            "reply_markup": ["inline_keyboard": [
                [["text": "EU Skills Profile Tool", "callback_data": "c:1"]],
                [["text": "Open the case of Amina", "callback_data": "c:2"]],
            ]],
        ])])
    }

    @Test func splitsALongReplyAtParagraphsWithTheKeyboardOnTheLastMessage() throws {
        let paragraphs = (1...24).map { number in
            let head = "Paragraph \(number) <&>:"
            return head + String(repeating: " word", count: (415 - head.count) / 5) + String(repeating: ".", count: (415 - head.count) % 5)
        }
        #expect(paragraphs.allSatisfy { $0.count == 415 })
        let text = paragraphs.joined(separator: "\n\n")
        #expect(text.utf16.count == 10_006)
        let reply = Reply(text: text, choices: [Choice(label: "More", payload: "intent:more")])

        let calls = TelegramRenderer.sendMessages(for: reply, chat: 7, replyTo: 99)

        let expected = [paragraphs[0..<9], paragraphs[9..<18], paragraphs[18..<24]]
            .map { TelegramHTML.escape($0.joined(separator: "\n\n")) }
        #expect(calls.map { $0.parameters["text"] } == expected.map { .string($0) })
        #expect(calls.map { $0.parameters["reply_markup"] != nil } == [false, false, true])
        #expect(calls.map { $0.parameters["reply_parameters"] != nil } == [true, false, false])
        #expect(calls.allSatisfy { $0.method == "sendMessage" && $0.parameters["parse_mode"] == "HTML" })
    }

    @Test func countsTheUnescapedText() {
        // 4096 "&" fit in one message although the HTML is five times longer.
        let calls = TelegramRenderer.sendMessages(for: Reply(text: String(repeating: "&", count: 4096)), chat: 1)
        #expect(calls.count == 1)
        #expect(calls.first?.parameters["text"] == .string(String(repeating: "&amp;", count: 4096)))
    }

    @Test func neverCutsAnEscapeSequence() {
        let calls = TelegramRenderer.sendMessages(for: Reply(text: String(repeating: "<", count: 5000)), chat: 1)
        #expect(calls.map { $0.parameters["text"] } == [
            .string(String(repeating: "&lt;", count: 4096)),
            .string(String(repeating: "&lt;", count: 904)),
        ])
    }

    @Test func truncatesLongLabelsAndKeepsCallbackDataSmall() throws {
        let choices = (1...12).map { Choice(label: String(repeating: "é", count: 10 * $0), payload: "item:\($0)") }
        let call = try #require(TelegramRenderer.sendMessages(for: Reply(text: "Pick one", choices: choices), chat: 1).last)
        guard case .object(let markup)? = call.parameters["reply_markup"],
              case .array(let rows)? = markup["inline_keyboard"] else {
            Issue.record("no inline keyboard")
            return
        }
        #expect(rows.count == 12)
        var labels: [String] = []
        for (index, row) in rows.enumerated() {
            guard case .array(let buttons) = row, buttons.count == 1, case .object(let button) = buttons[0],
                  case .string(let label)? = button["text"], case .string(let data)? = button["callback_data"] else {
                Issue.record("row \(index) is not one button")
                continue
            }
            labels.append(label)
            #expect(data == "c:\(index + 1)")
            #expect(data.utf8.count <= 64)
            #expect(label.count <= 64)
        }
        #expect(labels[5] == String(repeating: "é", count: 60))
        #expect(labels[6] == String(repeating: "é", count: 63) + "…")
        #expect(TelegramRenderer.callbackData(forChoice: Int.max).utf8.count <= 64)
    }

    @Test func blankLabelShowsTheChoiceNumber() {
        let calls = TelegramRenderer.sendMessages(for: Reply(text: "?", choices: [Choice(label: "  ", payload: "x")]), chat: 1)
        #expect(calls.first?.parameters["reply_markup"] == ["inline_keyboard": [[["text": "1", "callback_data": "c:1"]]]])
    }

    @Test func emptyReplySendsNothingUnlessItHasChoices() {
        #expect(TelegramRenderer.sendMessages(for: Reply(text: " \n\n "), chat: 1).isEmpty)
        let calls = TelegramRenderer.sendMessages(for: Reply(text: "", choices: [Choice(label: "Help", payload: "intent:help")]),
                                                  chat: 1)
        #expect(calls.count == 1)
        #expect(calls.first?.parameters["text"] == "…")
    }

    @Test(arguments: [("c:3", 3), ("c:1", 1), ("c:64", 64)])
    func readsTheChoiceNumber(data: String, number: Int) {
        #expect(TelegramRenderer.choiceNumber(fromCallbackData: data) == number)
    }

    @Test(arguments: ["c:0", "c:", "c:-1", "c:+3", "c: 3", "c:3a", "x:3", "3", "c:٣", "c:99999999999999999999"])
    func rejectsOtherCallbackData(data: String) {
        #expect(TelegramRenderer.choiceNumber(fromCallbackData: data) == nil)
    }

    @Test func answersCallbacksAndShowsTyping() {
        #expect(TelegramRenderer.answerCallback(id: "438") ==
            TelegramCall(method: "answerCallbackQuery", parameters: ["callback_query_id": "438"]))
        let long = TelegramRenderer.answerCallback(id: "438", text: String(repeating: "a", count: 300))
        #expect(long.parameters["text"] == .string(String(repeating: "a", count: 200)))
        #expect(TelegramRenderer.typing(chat: -100) ==
            TelegramCall(method: "sendChatAction", parameters: ["chat_id": -100, "action": "typing"]))
    }
}
