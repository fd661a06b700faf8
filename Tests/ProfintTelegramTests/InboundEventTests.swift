import Testing
@testable import ProfintTelegram

struct InboundEventTests {
    static let anna: Int64 = 111_222_333
    static let lyon: Int64 = -1_001_234_567_890
    static let trainers: Int64 = -4_012_345_678

    static let recorded: [(String, TelegramEvent)] = [
        ("private_text", .message(chat: anna, chatType: "private",
                                  text: "How do I assess the skills of a refugee with no diploma?",
                                  messageID: 42, isReplyToBot: false)),
        ("group_mention_after_emoji", .message(chat: lyon, chatType: "supergroup",
                                               text: "👋🏽 Ciao come funziona il sistema SAI?",
                                               messageID: 1201, isReplyToBot: false)),
        ("group_text_mention", .message(chat: trainers, chatType: "group", text: "🇸🇪 Hej kan du hjälpa mig?",
                                        messageID: 1207, isReplyToBot: false)),
        ("group_command_with_suffix", .message(chat: lyon, chatType: "supergroup", text: "/help",
                                               messageID: 1202, isReplyToBot: false)),
        ("group_command_other_bot", .ignored(reason: "command for another bot")),
        ("group_reply_to_bot", .message(chat: lyon, chatType: "supergroup", text: "and in Sweden?",
                                        messageID: 1204, isReplyToBot: true)),
        ("group_chatter", .ignored(reason: "not addressed to the bot")),
        ("group_other_bot", .ignored(reason: "from a bot")),
        ("callback_query", .choice(chat: anna, callbackQueryID: "4382927460184750123", data: "c:2", messageID: 77)),
        ("ptb_callback_query", .choice(chat: anna, callbackQueryID: "4382927460184750123", data: "c:2",
                                       messageID: 77)),
        ("private_photo_caption", .unsupported(chat: anna, chatType: "private")),
        ("private_sticker", .unsupported(chat: anna, chatType: "private")),
        ("edited_message", .ignored(reason: "edited")),
        ("channel_post", .ignored(reason: "channel post")),
        ("my_chat_member_added", .addedToGroup(chat: trainers, chatType: "group")),
        ("my_chat_member_removed", .removed(chat: lyon)),
        ("my_chat_member_blocked", .removed(chat: anna)),
        ("ptb_false_flags", .message(chat: anna, chatType: "private", text: "/lang fr", messageID: 45,
                                     isReplyToBot: false)),
        ("message_reaction", .ignored(reason: "unsupported update: message_reaction")),
    ]

    @Test(arguments: recorded)
    func recordedUpdateBecomesItsEvent(fixture: String, expected: TelegramEvent) throws {
        #expect(try Fixture.event(fixture) == expected)
    }

    @Test func callbackWithoutMessageAnswersTheUserDirectly() throws {
        let event = try Fixture.event(json: """
            {"update_id": 1, "callback_query": {"id": "q1", "chat_instance": "9", "data": "c:1",
             "from": {"id": 5, "is_bot": false, "first_name": "Ali"}, "inline_message_id": "AAA"}}
            """)
        #expect(event == .choice(chat: 5, callbackQueryID: "q1", data: "c:1", messageID: nil))
    }

    @Test func callbackWithoutDataIsIgnored() throws {
        let event = try Fixture.event(json: """
            {"update_id": 1, "callback_query": {"id": "q1", "chat_instance": "9", "game_short_name": "quiz",
             "from": {"id": 5, "is_bot": false, "first_name": "Ali"}}}
            """)
        #expect(event == .ignored(reason: "callback without data"))
    }

    @Test func promotionIsNotAJoin() throws {
        let event = try Fixture.event(json: membership(chatType: "supergroup", old: "member", new: "administrator"))
        #expect(event == .ignored(reason: "status change"))
    }

    @Test func restrictedWithoutMembershipIsARemoval() throws {
        let event = try Fixture.event(json: membership(chatType: "supergroup", old: "member", new: "restricted",
                                                       newIsMember: false))
        #expect(event == .removed(chat: -100))
    }

    @Test func unblockingInPrivateIsNotAGroupJoin() throws {
        let event = try Fixture.event(json: membership(chatType: "private", old: "kicked", new: "member"))
        #expect(event == .ignored(reason: "unblocked"))
    }

    @Test func addedToAChannelCarriesTheChatType() throws {
        let event = try Fixture.event(json: membership(chatType: "channel", old: "left", new: "administrator"))
        #expect(event == .addedToGroup(chat: -100, chatType: "channel"))
    }

    @Test func emptyUpdateIsIgnored() throws {
        #expect(try Fixture.event(json: #"{"update_id": 3}"#) == .ignored(reason: "empty update"))
    }

    private func membership(chatType: String, old: String, new: String, newIsMember: Bool? = nil) -> String {
        let bot = #"{"id": 7123456789, "is_bot": true, "first_name": "PROFINT Guide", "username": "profint_test_bot"}"#
        let isMember = newIsMember.map { #", "is_member": \#($0)"# } ?? ""
        return """
            {"update_id": 1, "my_chat_member": {"chat": {"id": -100, "type": "\(chatType)", "title": "T"},
             "from": {"id": 5, "is_bot": false, "first_name": "Ali"}, "date": 1,
             "old_chat_member": {"status": "\(old)", "user": \(bot)},
             "new_chat_member": {"status": "\(new)", "user": \(bot)\(isMember)}}}
            """
    }
}
