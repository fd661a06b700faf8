import Foundation
import Testing
@testable import ProfintTelegram

struct UpdateDecodingTests {
    @Test func decodesAPrivateTextMessage() throws {
        let update = try Fixture.update("private_text")
        #expect(update.updateID == 851_000_001)
        let message = try #require(update.message)
        #expect(message.messageID == 42)
        #expect(message.chat == TelegramChat(id: 111_222_333, type: "private", username: "anna_rossi"))
        #expect(message.from == TelegramUser(id: 111_222_333, isBot: false, firstName: "Anna",
                                             username: "anna_rossi", languageCode: "it"))
        #expect(message.date == 1_767_085_200)
        #expect(message.text == "How do I assess the skills of a refugee with no diploma?")
        #expect(!message.hasNonTextContent)
        #expect(message.replyToMessage == nil)
        #expect(update.otherKind == nil)
    }

    @Test func acceptsThePythonTelegramBotFalseFlags() throws {
        let update = try Fixture.update("ptb_false_flags")
        let message = try #require(update.message)
        #expect(message.text == "/lang fr")
        #expect(message.from?.isBot == false)
        #expect(message.entities == [TelegramMessageEntity(type: "bot_command", offset: 0, length: 5)])
        #expect(!message.hasNonTextContent)
    }

    @Test func recordsNonTextContentByKey() throws {
        let photo = try #require(try Fixture.update("private_photo_caption").message)
        #expect(photo.contentKinds == ["photo"])
        #expect(photo.hasNonTextContent)
        #expect(photo.text == nil)
        #expect(photo.caption == "Is this certificate recognised in France?")
        let sticker = try #require(try Fixture.update("private_sticker").message)
        #expect(sticker.contentKinds == ["sticker"])
    }

    @Test func decodesTheMessageRepliedTo() throws {
        let message = try #require(try Fixture.update("group_reply_to_bot").message)
        let original = try #require(message.replyToMessage)
        #expect(original.messageID == 1199)
        #expect(original.from?.id == Fixture.bot.id)
        #expect(original.from?.isBot == true)
        #expect(message.chat.type == "supergroup")
    }

    @Test func decodesCallbackQueriesAndMembershipChanges() throws {
        let query = try #require(try Fixture.update("callback_query").callbackQuery)
        #expect(query.id == "4382927460184750123")
        #expect(query.data == "c:2")
        #expect(query.message?.messageID == 77)
        let change = try #require(try Fixture.update("my_chat_member_removed").myChatMember)
        #expect(change.oldChatMember.status == "member")
        #expect(change.newChatMember.status == "kicked")
        #expect(change.newChatMember.user.id == Fixture.bot.id)
    }

    @Test func namesAnUpdateKindItDoesNotHandle() throws {
        let update = try Fixture.update("message_reaction")
        #expect(update.message == nil)
        #expect(update.otherKind == "message_reaction")
    }

    @Test func decodesAnInaccessibleMessageInACallback() throws {
        let update = try Fixture.update(json: """
            {"update_id": 9, "callback_query": {"id": "77", "from": {"id": 5, "is_bot": false, "first_name": "Ali"},
             "message": {"chat": {"id": 5, "type": "private", "first_name": "Ali"}, "message_id": 3, "date": 0},
             "chat_instance": "1", "data": "c:1"}}
            """)
        #expect(update.callbackQuery?.message?.date == 0)
        #expect(update.callbackQuery?.message?.chat.id == 5)
    }

    @Test func ignoresNullsAndUnknownFields() throws {
        let update = try Fixture.update(json: """
            {"update_id": 1, "message": {"message_id": 1, "date": 1, "text": "hi", "caption": null,
             "photo": null, "brand_new_field": {"x": [1, 2]},
             "chat": {"id": 5, "type": "private", "is_forum": false}}}
            """)
        #expect(update.message?.text == "hi")
        #expect(update.message?.hasNonTextContent == false)
        #expect(update.message?.from == nil)
    }

    @Test func rejectsAnUpdateWithoutItsIdentifier() {
        #expect(throws: DecodingError.self) {
            try Fixture.update(json: #"{"message": {"message_id": 1, "date": 1, "chat": {"id": 1, "type": "private"}}}"#)
        }
    }

    @Test func reEncodesToTheSameValue() throws {
        for name in ["group_reply_to_bot", "private_photo_caption", "callback_query", "message_reaction"] {
            let update = try Fixture.update(name)
            let again = try JSONDecoder().decode(TelegramUpdate.self, from: JSONEncoder().encode(update))
            #expect(again == update, "\(name)")
        }
    }
}
