import Foundation
import ProfintCore
import Testing
@testable import ProfintMatrix

/// Recorded transaction JSON (the shapes Synapse sends) mapped to what the
/// bot does with each event.
struct MatrixInboundTests {
    let bot = MatrixBotIdentity(localpart: "profint", serverName: "localhost")

    func fixture(_ name: String) throws -> Data {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)")
        return try Data(contentsOf: url)
    }

    func map(_ event: MatrixEvent) -> MatrixInboundEvent {
        MatrixInbound.event(for: event, bot: bot, displayName: "PROFINT Guide")
    }

    func message(_ body: String, sender: String = "@alice:localhost", extra: [String: MatrixJSON] = [:]) -> MatrixInboundEvent {
        var content: [String: MatrixJSON] = ["msgtype": "m.text", "body": .string(body)]
        content.merge(extra) { $1 }
        return map(MatrixEvent(type: "m.room.message", eventID: "$e", roomID: "!r:localhost", sender: sender, content: .object(content)))
    }

    @Test func recordedTransactionMapsEveryEvent() throws {
        let transaction = try MatrixTransaction.decode(try fixture("transaction.json"))
        #expect(transaction.skipped == 1, "the entry without ids is skipped, not fatal")
        let mapped = transaction.events.map(map)
        #expect(mapped.count == 8)
        #expect(mapped[0] == .invited(room: "!kHNnNkRwbgYxeBTXkL:localhost", inviter: "@alice:localhost", isDirect: true))
        #expect(mapped[1] == .ignored(reason: "bot membership join"))
        guard case .message(let m) = mapped[2] else { Issue.record("expected a message, got \(mapped[2])"); return }
        #expect(m.text == "Comment préparer un premier entretien ?")
        #expect(m.sender == "@alice:localhost")
        #expect(m.eventID == "$b4M1kq9oV0cW2eQJ8bX3yD7rT5sA6nH1gF0iL2pK9mE")
        #expect(!m.isCommand && !m.mentionsBot)
        #expect(mapped[3] == .ignored(reason: "own event"), "no echo of the bot's own reply")
        #expect(mapped[4] == .unsupported(room: "!kHNnNkRwbgYxeBTXkL:localhost", eventID: "$image-event", sender: "@bob:localhost", addressed: false))
        #expect(mapped[5] == .encrypted(room: "!secret:localhost", eventID: "$encrypted-event", sender: "@bob:localhost"))
        #expect(mapped[6] == .ignored(reason: "event type m.reaction"))
        #expect(mapped[7] == .removed(room: "!kHNnNkRwbgYxeBTXkL:localhost"))
    }

    @Test func malformedTransactionsAreErrors() {
        #expect(throws: MatrixTransaction.Malformed.self) { try MatrixTransaction.decode(Data("{not json".utf8)) }
        #expect(throws: MatrixTransaction.Malformed.self) { try MatrixTransaction.decode(Data("{\"events\": 3}".utf8)) }
        #expect(throws: MatrixTransaction.Malformed.self) { try MatrixTransaction.decode(Data("[]".utf8)) }
        #expect((try? MatrixTransaction.decode(Data("{\"events\": []}".utf8)))?.events.isEmpty == true)
    }

    @Test func puppetsOfTheNamespaceAreNeverAnswered() {
        #expect(message("hello", sender: "@profint_tg_42:localhost") == .ignored(reason: "own event"))
        // Same localpart on another server is somebody else.
        guard case .message = message("hello", sender: "@profint:example.org") else {
            Issue.record("a user of another server is a person"); return
        }
    }

    @Test func otherBotsNamedInTheConfigurationAreNotAnswered() {
        let withBots = MatrixBotIdentity(localpart: "profint", serverName: "localhost", ignoredUsers: ["@.*bot:localhost", "@reminder:example\\.org"])
        func from(_ sender: String) -> MatrixInboundEvent {
            MatrixInbound.event(for: MatrixEvent(type: "m.room.message", eventID: "$e", roomID: "!r", sender: sender,
                                                 content: ["msgtype": "m.notice", "body": "!help"]), bot: withBots, displayName: "PROFINT Guide")
        }
        #expect(from("@welcomebot:localhost") == .ignored(reason: "another bot"))
        #expect(from("@reminder:example.org") == .ignored(reason: "another bot"))
        guard case .message = from("@botanist:localhost") else { Issue.record("a whole-id match only"); return }
        guard case .message = from("@reminder:exampleXorg") else { Issue.record("dots are escaped by the author"); return }
        #expect(MatrixBotIdentity.isValidPattern("@.*bot:localhost"))
        #expect(!MatrixBotIdentity.isValidPattern("@(unclosed"))
    }

    @Test func mentionsByMentionsFieldUserIDDisplayNameOrPill() {
        func mentioned(_ event: MatrixInboundEvent) -> (Bool, String)? {
            if case .message(let m) = event { return (m.mentionsBot, m.text) }
            return nil
        }
        let byField = mentioned(message("what is a success factor?", extra: ["m.mentions": ["user_ids": ["@profint:localhost"]]]))
        #expect(byField?.0 == true)
        #expect(byField?.1 == "what is a success factor?")
        let byID = mentioned(message("@profint:localhost: what is a success factor?"))
        #expect(byID?.0 == true)
        #expect(byID?.1 == "what is a success factor?")
        let byName = mentioned(message("PROFINT Guide, quels outils pour un entretien ?"))
        #expect(byName?.0 == true)
        #expect(byName?.1 == "quels outils pour un entretien ?")
        let byLocalpart = mentioned(message("profint: help"))
        #expect(byLocalpart?.0 == true)
        #expect(byLocalpart?.1 == "help")
        let pill = mentioned(message("Guide: hej", extra: [
            "format": "org.matrix.custom.html",
            "formatted_body": "<a href=\"https://matrix.to/#/@profint:localhost\">Guide</a>: hej",
        ]))
        #expect(pill?.0 == true)
        // The project's name inside a question is not a mention.
        let project = mentioned(message("who were the partners of profint?"))
        #expect(project?.0 == false)
        #expect(project?.1 == "who were the partners of profint?")
        #expect(mentioned(message("let's ask the bot later"))?.0 == false)
    }

    @Test func commandsWithBangOrSlash() {
        for body in ["!help", "/help", "profint: !lang fr"] {
            guard case .message(let m) = message(body) else { Issue.record("\(body) is a message"); continue }
            #expect(m.isCommand, "\(body)")
            #expect(m.isAddressed(members: 5), "a command is answered in a busy room")
        }
    }

    @Test func busyRoomsAnswerOnlyWhenAddressed() {
        let plain = MatrixMessage(room: "!r", eventID: "$e", sender: "@a:x", text: "hello", isCommand: false, mentionsBot: false)
        #expect(plain.isAddressed(members: 2), "direct room: every message")
        #expect(plain.isAddressed(members: 1))
        #expect(!plain.isAddressed(members: 3), "three members: not addressed")
        var mentioned = plain
        mentioned.mentionsBot = true
        #expect(mentioned.isAddressed(members: 12))
        var reply = plain
        reply.repliesToBot = true
        #expect(reply.isAddressed(members: 12))
    }

    @Test func replyFallbackIsRemovedAndNamesTheBot() {
        let body = "> <@profint:localhost> Ti invio uno spunto ogni giorno\n> seconda riga\n\nGrazie, ci provo"
        let event = message(body, extra: [
            "m.relates_to": ["m.in_reply_to": ["event_id": "$prompt"]],
        ])
        guard case .message(let m) = event else { Issue.record("expected a message"); return }
        #expect(m.text == "Grazie, ci provo")
        #expect(m.repliesToBot)
        // A reply to somebody else is not addressed to the bot.
        let other = message("> <@bob:localhost> ciao\n\nciao a te", extra: ["m.relates_to": ["m.in_reply_to": ["event_id": "$x"]]])
        guard case .message(let o) = other else { Issue.record("expected a message"); return }
        #expect(!o.repliesToBot && !o.mentionsBot)
        #expect(o.text == "ciao a te")
    }

    @Test func editsAndOtherMessageTypes() {
        #expect(message("* fixed", extra: ["m.new_content": ["msgtype": "m.text", "body": "fixed"],
                                           "m.relates_to": ["rel_type": "m.replace", "event_id": "$a"]]) == .ignored(reason: "edit"))
        let notice = map(MatrixEvent(type: "m.room.message", eventID: "$n", roomID: "!r", sender: "@human:localhost",
                                     content: ["msgtype": "m.notice", "body": "ping"]))
        guard case .message = notice else { Issue.record("m.notice from a person is read"); return }
        let file = map(MatrixEvent(type: "m.room.message", eventID: "$f", roomID: "!r", sender: "@a:localhost",
                                   content: ["msgtype": "m.file", "body": "cv.pdf", "m.mentions": ["user_ids": ["@profint:localhost"]]]))
        #expect(file == .unsupported(room: "!r", eventID: "$f", sender: "@a:localhost", addressed: true))
    }

    @Test func othersMembershipChangesTheCount() {
        let join = map(MatrixEvent(type: "m.room.member", eventID: "$j", roomID: "!r", sender: "@c:localhost", stateKey: "@c:localhost",
                                   content: ["membership": "join"]))
        #expect(join == .membersChanged(room: "!r"))
        let ban = map(MatrixEvent(type: "m.room.member", eventID: "$b", roomID: "!r", sender: "@a:localhost", stateKey: "@profint:localhost",
                                  content: ["membership": "ban"]))
        #expect(ban == .removed(room: "!r"))
    }
}
