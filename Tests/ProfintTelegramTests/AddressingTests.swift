import Foundation
import Testing
@testable import ProfintTelegram

/// Which group messages are for the bot, and what text it gets.
struct AddressingTests {
    static let group: Int64 = -1_001_234_567_890

    private func event(_ text: String, chatType: String = "supergroup", entities: [TelegramMessageEntity]? = [],
                       from: TelegramUser = TelegramUser(id: 5, firstName: "Ali"), senderChat: TelegramChat? = nil,
                       replyTo: TelegramMessage? = nil) -> TelegramEvent {
        let chat = TelegramChat(id: Self.group, type: chatType)
        let message = TelegramMessage(messageID: 10, from: from, senderChat: senderChat, chat: chat, date: 1,
                                      text: text, entities: entities, replyToMessage: replyTo)
        return TelegramInbound.event(for: TelegramUpdate(updateID: 1, message: message), bot: Fixture.bot)
    }

    private func message(_ text: String, isReplyToBot: Bool = false) -> TelegramEvent {
        .message(chat: Self.group, chatType: "supergroup", text: text, messageID: 10, isReplyToBot: isReplyToBot)
    }

    /// A `mention` entity over `mention` in `text`, offsets in UTF-16 units.
    private func mentionEntity(_ mention: String, in text: String) -> TelegramMessageEntity {
        let range = text.range(of: mention)!
        let offset = text.utf16.distance(from: text.startIndex, to: range.lowerBound)
        return TelegramMessageEntity(type: "mention", offset: offset, length: mention.utf16.count)
    }

    @Test func commandWithoutSuffixIsForEveryBot() {
        #expect(event("/today") == message("/today"))
    }

    @Test func commandSuffixMatchesTheUsernameInAnyCase() {
        #expect(event("/help@PROFINT_Test_Bot") == message("/help"))
        #expect(event("/subscribe@profint_test_bot 08:30 Europe/Rome") == message("/subscribe 08:30 Europe/Rome"))
    }

    @Test func commandForAnotherBotIsIgnoredEvenInPrivate() {
        #expect(event("/start@otherbot", chatType: "private") == .ignored(reason: "command for another bot"))
    }

    @Test func slashInsideTextIsNotACommand() {
        #expect(event("1/2 of the group") == .ignored(reason: "not addressed to the bot"))
        #expect(event("/ 8h30") == .ignored(reason: "not addressed to the bot"))
    }

    @Test func mentionAfterEmojiIsFoundByUTF16Offset() {
        let text = "🇮🇹👩🏾‍💼 @profint_test_bot quali strumenti?"
        let entity = mentionEntity("@profint_test_bot", in: text)
        #expect(entity.offset == 12)  // 4 for the flag, 7 for the counsellor, 1 for the space
        #expect(event(text, entities: [entity]) == message("🇮🇹👩🏾‍💼 quali strumenti?"))
    }

    @Test func mentionInTheMiddleLeavesOneSpace() {
        let text = "Ciao @profint_test_bot come stai"
        #expect(event(text, entities: [mentionEntity("@profint_test_bot", in: text)]) == message("Ciao come stai"))
    }

    @Test func mentionOfSomeoneElseDoesNotAddressTheBot() {
        let text = "@karin_l can you ask the bot?"
        #expect(event(text, entities: [mentionEntity("@karin_l", in: text)]) == .ignored(reason: "not addressed to the bot"))
    }

    @Test func mentionOnlyGivesAnEmptyText() {
        let text = "@profint_test_bot"
        #expect(event(text, entities: [mentionEntity(text, in: text)]) == message(""))
    }

    @Test func withoutEntitiesTheUsernameIsFoundAsAWord() {
        #expect(event("@Profint_Test_Bot, what is SAI?", entities: nil) == message("what is SAI?"))
        #expect(event("mail me at x@profint_test_bot.org", entities: nil) == .ignored(reason: "not addressed to the bot"))
    }

    @Test func entityOutsideTheTextIsSkipped() {
        let entity = TelegramMessageEntity(type: "mention", offset: 40, length: 17)
        #expect(event("short", entities: [entity]) == .ignored(reason: "not addressed to the bot"))
    }

    @Test func entityEndingInsideASurrogatePairIsSkipped() {
        let entity = TelegramMessageEntity(type: "mention", offset: 0, length: 1)
        #expect(event("😀 hello", entities: [entity]) == .ignored(reason: "not addressed to the bot"))
    }

    @Test func replyToTheBotIsAddressedWithoutMention() {
        let botMessage = TelegramMessage(messageID: 9, from: TelegramUser(id: Fixture.bot.id, isBot: true, firstName: "P"),
                                         chat: TelegramChat(id: Self.group, type: "supergroup"), date: 1, text: "…")
        #expect(event("and for women?", replyTo: botMessage) == message("and for women?", isReplyToBot: true))
    }

    @Test func replyToSomeoneElseIsNotAddressed() {
        let other = TelegramMessage(messageID: 9, from: TelegramUser(id: 6, firstName: "Karin"),
                                    chat: TelegramChat(id: Self.group, type: "supergroup"), date: 1, text: "…")
        #expect(event("agreed", replyTo: other) == .ignored(reason: "not addressed to the bot"))
    }

    @Test func anonymousAdministratorIsNotTreatedAsABot() {
        let anonymous = TelegramUser(id: 1_087_968_824, isBot: true, firstName: "Group", username: "GroupAnonymousBot")
        let chat = TelegramChat(id: Self.group, type: "supergroup", title: "Job counsellors Lyon")
        #expect(event("/help", from: anonymous, senderChat: chat) == message("/help"))
    }

    @Test func ownMessagesAreIgnored() {
        let me = TelegramUser(id: Fixture.bot.id, isBot: true, firstName: "PROFINT Guide")
        #expect(event("/help", from: me) == .ignored(reason: "own message"))
    }

    @Test func privateTextIsTrimmed() {
        let text = "  hej  "
        let chat = TelegramChat(id: 5, type: "private")
        let update = TelegramUpdate(updateID: 1, message: TelegramMessage(messageID: 3, chat: chat, date: 1, text: text))
        #expect(TelegramInbound.event(for: update, bot: Fixture.bot)
            == .message(chat: 5, chatType: "private", text: "hej", messageID: 3, isReplyToBot: false))
    }

    @Test func groupPhotoIsUnsupportedOnlyWhenAddressed() throws {
        func photo(caption: String, entities: String) -> String {
            """
            {"update_id": 1, "message": {"message_id": 2, "date": 1, "from": {"id": 5, "is_bot": false, "first_name": "Ali"},
             "chat": {"id": -100, "type": "group", "title": "T"},
             "photo": [{"file_id": "a", "file_unique_id": "b", "width": 1, "height": 1}],
             "caption": "\(caption)", "caption_entities": \(entities)}}
            """
        }
        #expect(try Fixture.event(json: photo(caption: "@profint_test_bot what is this form?",
                                              entities: #"[{"type": "mention", "offset": 0, "length": 17}]"#))
            == .unsupported(chat: -100, chatType: "group"))
        #expect(try Fixture.event(json: photo(caption: "our team", entities: "[]"))
            == .ignored(reason: "not addressed to the bot"))
    }

    @Test func serviceMessagesAreIgnored() throws {
        let event = try Fixture.event(json: """
            {"update_id": 1, "message": {"message_id": 2, "date": 1, "from": {"id": 5, "is_bot": false, "first_name": "Ali"},
             "chat": {"id": -100, "type": "group", "title": "T"},
             "new_chat_members": [{"id": 6, "is_bot": false, "first_name": "Karin"}]}}
            """)
        #expect(event == .ignored(reason: "service message"))
    }
}
