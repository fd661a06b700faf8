import Foundation
import Testing
@testable import ProfintTelegram

struct TelegramCallTests {
    @Test func encodesTheBodyWithSortedKeys() {
        let body = TelegramRenderer.typing(chat: -1_001_234_567_890).jsonBody()
        #expect(String(decoding: body, as: UTF8.self) == #"{"action":"typing","chat_id":-1001234567890}"#)
    }

    @Test func encodesNestedParametersAndUnicode() {
        let call = TelegramCall(method: "sendMessage", parameters: [
            "chat_id": 1, "text": "Perché? 👋🏽 a/b", "reply_parameters": ["message_id": 5, "allow_sending_without_reply": true],
            "ratio": 0.5, "list": [1, "x", false],
        ])
        #expect(String(decoding: call.jsonBody(), as: UTF8.self) ==
            #"{"chat_id":1,"list":[1,"x",false],"ratio":0.5,"reply_parameters":{"allow_sending_without_reply":true,"message_id":5},"text":"Perché? 👋🏽 a/b"}"#)
    }

    @Test func webhookResponseNamesTheMethod() {
        let body = TelegramRenderer.answerCallback(id: "9").webhookResponseBody()
        #expect(String(decoding: body, as: UTF8.self) == #"{"callback_query_id":"9","method":"answerCallbackQuery"}"#)
    }

    @Test func valuesDecodeBackFromJSON() throws {
        let call = TelegramRenderer.sendMessages(for: .init(text: "a", choices: [.init(label: "b", payload: "c")]),
                                                 chat: 3, replyTo: 4)[0]
        let decoded = try JSONDecoder().decode([String: TelegramValue].self, from: call.jsonBody())
        #expect(decoded == call.parameters)
    }
}
