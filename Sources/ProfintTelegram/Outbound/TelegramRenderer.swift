import Foundation
import ProfintCore

/// Turns the engine's replies into Bot API calls (pure: no I/O).
public enum TelegramRenderer {
    /// Telegram's limits on inline keyboards.
    public static let maximumButtons = 100
    public static let maximumButtonLabel = 64
    /// `answerCallbackQuery` text: 0–200 characters.
    public static let maximumCallbackAnswer = 200

    /// `sendMessage` calls for a reply, in order: the text HTML-escaped and
    /// split at 4096 UTF-16 units of the unescaped text, the choices as an
    /// inline keyboard (one button a row, `callback_data` "c:<n>" with the
    /// 1-based choice number) on the last message only, and
    /// `reply_parameters` on the first only when `replyTo` is given. A reply
    /// with no text sends nothing unless it has choices ("…" then carries
    /// the keyboard). At most 100 choices are shown.
    public static func sendMessages(for reply: Reply, chat: Int64, replyTo: Int64? = nil) -> [TelegramCall] {
        var chunks = TelegramTextSplitter.split(reply.text)
        if chunks.isEmpty {
            guard !reply.choices.isEmpty else { return [] }
            chunks = ["…"]
        }
        return chunks.enumerated().map { index, chunk in
            var parameters: [String: TelegramValue] = [
                "chat_id": .int(chat),
                "text": .string(TelegramHTML.escape(chunk)),
                "parse_mode": "HTML",
            ]
            if index == 0, let replyTo {
                parameters["reply_parameters"] = [
                    "message_id": .int(replyTo),
                    "allow_sending_without_reply": true,
                ]
            }
            if index == chunks.count - 1, !reply.choices.isEmpty {
                parameters["reply_markup"] = keyboard(for: reply.choices)
            }
            return TelegramCall(method: "sendMessage", parameters: parameters)
        }
    }

    /// An `InlineKeyboardMarkup` with one button a row.
    static func keyboard(for choices: [Choice]) -> TelegramValue {
        let rows = choices.prefix(maximumButtons).enumerated().map { index, choice -> TelegramValue in
            let number = index + 1
            let label = buttonLabel(choice.label, number: number)
            return [["text": .string(label), "callback_data": .string(callbackData(forChoice: number))]]
        }
        return ["inline_keyboard": .array(rows)]
    }

    /// A label of at most 64 characters ("…" ends a shortened one); the
    /// choice number when the label is blank, as Telegram refuses empty ones.
    static func buttonLabel(_ label: String, number: Int) -> String {
        let trimmed = label.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return String(number) }
        guard trimmed.count > maximumButtonLabel else { return trimmed }
        return String(trimmed.prefix(maximumButtonLabel - 1)) + "…"
    }

    /// "c:<n>" for the n-th choice (1-based): at most 22 bytes.
    public static func callbackData(forChoice number: Int) -> String {
        "c:\(number)"
    }

    /// The choice number in callback data "c:<n>", or nil when the data is
    /// not of that form (n ≥ 1, decimal digits only).
    public static func choiceNumber(fromCallbackData data: String) -> Int? {
        guard data.hasPrefix("c:") else { return nil }
        let digits = data.dropFirst(2)
        guard !digits.isEmpty, digits.count <= 9, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
              let number = Int(digits), number >= 1
        else { return nil }
        return number
    }

    /// `answerCallbackQuery`, which stops the button's spinner; `text` (at
    /// most 200 characters) shows as a notification.
    public static func answerCallback(id: String, text: String? = nil) -> TelegramCall {
        var parameters: [String: TelegramValue] = ["callback_query_id": .string(id)]
        if let text {
            parameters["text"] = .string(String(text.prefix(maximumCallbackAnswer)))
        }
        return TelegramCall(method: "answerCallbackQuery", parameters: parameters)
    }

    /// `sendChatAction` "typing".
    public static func typing(chat: Int64) -> TelegramCall {
        TelegramCall(method: "sendChatAction", parameters: ["chat_id": .int(chat), "action": "typing"])
    }
}
