import Foundation
import Testing

/// `profint serve` as a Matrix application service, end to end: the built
/// binary and a real Synapse homeserver (Tests/ProfintCLITests/Synapse.swift)
/// on loopback. People are real Matrix users of that homeserver; what the bot
/// says is read from their `/sync`.
@Suite(.serialized)
struct MatrixEndToEndTests {
    struct Harness: Sendable {
        let synapse: SynapseServer
        let service: ProfintService
        let directory: URL
        var bot: String { synapse.appservice.senderUserID() }
        var database: URL { directory.appendingPathComponent("bot.sqlite") }

        func user(_ name: String) async throws -> MatrixTestUser {
            try await MatrixTestUser.register(on: synapse, username: name, password: "pw-\(name)-123")
        }

        /// A room of `owner` with the bot (and `others`, who join); returns
        /// it once the bot has joined and introduced itself.
        func room(of owner: MatrixTestUser, with others: [MatrixTestUser] = [], direct: Bool = false, encrypted: Bool = false) async throws -> String {
            let room = try await owner.createRoom(invite: [bot] + others.map(\.userID), isDirect: direct, encrypted: encrypted)
            for other in others { try await other.join(roomID: room) }
            try await owner.waitForMembership(roomID: room, user: bot, membership: "join", timeout: 15)
            let introduction = try await owner.waitForMessages(in: room, from: bot, count: 1, timeout: 15)
            let introductionText = introduction.first?.body ?? ""
            #expect(introductionText.count > 20, "the bot introduces itself")
            return room
        }

        /// Sends and waits for the bot's next message.
        func ask(_ user: MatrixTestUser, _ room: String, _ text: String, mentions: [String]? = nil,
                 sourceLocation: SourceLocation = #_sourceLocation) async throws -> MatrixEvent {
            try await user.sendText(roomID: room, body: text, mentions: mentions)
            let answers = try await user.waitForMessages(in: room, from: bot, count: 1, timeout: 15)
            return try #require(answers.first, sourceLocation: sourceLocation)
        }

        /// Syncs for `seconds` and returns how many messages the bot sent to the room in all.
        func botMessages(_ user: MatrixTestUser, _ room: String, settle seconds: Double) async throws -> [MatrixEvent] {
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline { try await user.sync(timeoutMs: 200) }
            return user.timeline(in: room).filter { $0.sender == bot && $0.type == "m.room.message" }
        }

        func metrics() async throws -> String {
            try await service.get("metrics").text
        }
    }

    /// Starts Synapse with the bot's registration and the bot; stops both
    /// (by PID) and deletes everything afterwards.
    func withMatrix(_ body: (Harness) async throws -> Void) async throws {
        let directory = try EndToEnd.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let botPort = try EndToEnd.freePort()
        let registration = AppserviceRegistration.withFreshTokens(url: URL(string: "http://127.0.0.1:\(botPort)")!)
        let synapse = try await SynapseServer(directory: directory.appendingPathComponent("hs"), appservice: registration)
        defer { synapse.stop() }
        let service = try await ProfintService(settings: [
            "PROFINT_MATRIX_HOMESERVER_URL": synapse.baseURL.absoluteString,
            "PROFINT_MATRIX_SERVER_NAME": synapse.serverName,
            "PROFINT_MATRIX_AS_TOKEN": registration.asToken,
            "PROFINT_MATRIX_HS_TOKEN": registration.hsToken,
        ], database: directory.appendingPathComponent("bot.sqlite"), logs: directory, name: "serve-matrix", port: botPort)
        defer { service.stop() }
        do {
            try await body(Harness(synapse: synapse, service: service, directory: directory))
        } catch {
            throw EndToEnd.Failure("\(error)\n--- profint serve stderr (end) ---\n\(service.child.stderr.suffix(3000))"
                                   + "\n--- synapse log (end) ---\n\(synapse.logTail(lines: 30))")
        }
    }

    /// More French than English function words.
    static func isFrench(_ text: String) -> Bool {
        let words = text.lowercased().split(whereSeparator: { !$0.isLetter && $0 != "'" }).map(String.init)
        let french: Set = ["le", "la", "les", "des", "une", "un", "et", "pour", "avec", "du", "est", "vous", "dans", "sur", "qui"]
        let english: Set = ["the", "and", "to", "of", "with", "for", "is", "you", "in", "on", "what", "how"]
        let f = words.filter(french.contains).count
        let e = words.filter(english.contains).count
        return f >= 3 && f > 2 * e
    }

    @Test func aDirectRoomGetsAnswersInFrenchAndNumberedChoices() async throws {
        try await withMatrix { h in
            let alice = try await h.user("alice")
            let room = try await h.room(of: alice, direct: true)
            let answer = try await h.ask(alice, room, "Comment préparer un premier entretien avec une personne réfugiée ?")
            #expect(Self.isFrench(answer.body ?? ""), "answer in French: \(answer.body ?? "")")
            #expect(answer.format == "org.matrix.custom.html")
            #expect(answer.formattedBody?.hasPrefix("<p>") == true)
            #expect(answer.inReplyTo == nil, "no reply relation in a direct room")

            let help = try await h.ask(alice, room, "!help")
            let helpBody = help.body ?? ""
            let first = try #require(helpBody.split(separator: "\n").first(where: { $0.hasPrefix("1. ") }), "numbered choices: \(helpBody)")
            #expect(help.formattedBody?.contains("<ol><li>") == true)
            let chosen = try await h.ask(alice, room, "1")
            let chosenBody = chosen.body ?? ""
            #expect(!chosenBody.isEmpty && chosenBody != helpBody, "\(first) opened: \(chosenBody.prefix(200))")
            #expect(Self.isFrench(chosenBody), "the conversation stays in French: \(chosenBody.prefix(200))")
        }
    }

    @Test func aTeamRoomIsAnsweredOnlyWhenTheBotIsAddressed() async throws {
        try await withMatrix { h in
            let alice = try await h.user("alice")
            let bob = try await h.user("bob")
            let room = try await h.room(of: alice, with: [bob])
            let chatter = try await alice.sendText(roomID: room, body: "What is a skills inventory? Bob, do you know?")
            let mentioned = try await alice.sendText(roomID: room, body: "PROFINT Guide: what is a skills inventory?", mentions: [h.bot])
            let answer = try #require(try await alice.waitForMessages(in: room, from: h.bot, count: 1, timeout: 15).first)
            #expect(answer.inReplyTo == mentioned, "the first answer replies to the mention, not to \(chatter)")
            #expect(answer.mentionedUserIDs == [alice.userID])
            let command = try await alice.sendText(roomID: room, body: "!about")
            let about = try #require(try await alice.waitForMessages(in: room, from: h.bot, count: 1, timeout: 15).first)
            #expect(about.inReplyTo == command, "commands need no mention")
            let all = try await h.botMessages(alice, room, settle: 1.5)
            #expect(all.count == 3, "introduction, mention, command: \(all.map { $0.body?.prefix(40) ?? "" })")
        }
    }

    @Test func anEncryptedRoomIsToldOnceInPlainText() async throws {
        try await withMatrix { h in
            let alice = try await h.user("alice")
            let room = try await h.room(of: alice, encrypted: true)
            try await alice.sendEncrypted(roomID: room)
            try await alice.sendEncrypted(roomID: room)
            let notice = try #require(try await alice.waitForMessages(in: room, from: h.bot, count: 1, timeout: 15).first)
            #expect(notice.msgtype == "m.notice")
            #expect((notice.body ?? "").contains("encrypt"))
            try await alice.sendEncrypted(roomID: room)
            let all = try await h.botMessages(alice, room, settle: 1.5)
            #expect(all.filter { $0.msgtype == "m.notice" }.count == 1, "told once: \(all.map { $0.body?.prefix(40) ?? "" })")
        }
    }

    @Test func answersContinueAfterSynapseRestartsItsTransactionIDs() async throws {
        try await withMatrix { h in
            let alice = try await h.user("alice")
            let room = try await h.room(of: alice, direct: true)
            _ = try await h.ask(alice, room, "What is a success factor?")
            let before = try await h.metrics()
            #expect(before.contains("profint_matrix_events_total{result=\"accepted\"}"))
            try await h.synapse.restart()
            // Synapse on SQLite numbers transactions from 1 again: only the event id tells them apart.
            let after = try await h.ask(alice, room, "Which tools help with a first interview?")
            #expect(!(after.body ?? "").isEmpty)
            let again = try await h.ask(alice, room, "!help")
            #expect((again.body ?? "").contains("1. "))
        }
    }

    @Test func aFailedTransactionIsRetriedByTheHomeserverAndAnsweredOnce() async throws {
        try await withMatrix { h in
            let alice = try await h.user("alice")
            let room = try await h.room(of: alice, direct: true)
            // Another process holds the bot's database write lock for 7 s: the
            // bot cannot store the transaction (SQLite busy after 5 s) and answers 500.
            let locker = try ChildProcess(executable: URL(fileURLWithPath: "/usr/bin/env"), arguments: ["python3", "-c", """
                import sqlite3, sys, time
                c = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=10)
                c.execute('BEGIN EXCLUSIVE')
                print('LOCKED', flush=True)
                time.sleep(7)
                c.execute('COMMIT')
                """, h.database.path], environment: ProcessInfo.processInfo.environment, directory: h.directory,
                logs: h.directory, name: "locker")
            defer { locker.stop() }
            let locked = try await EndToEnd.poll(timeout: 10) { locker.stdout.contains("LOCKED") ? true : nil }
            #expect(locked == true, "the lock holder started: \(locker.stderr)")
            let question = try await alice.sendText(roomID: room, body: "What does a referral handover form contain?")
            let answers = try await alice.waitForMessages(in: room, from: h.bot, count: 1, timeout: 40)
            #expect(answers.count == 1)
            let metrics = try await h.metrics()
            #expect(metrics.contains("route=\"/_matrix/app/v1/transactions/:id\",status=\"500\""), "the first delivery failed with 500")
            let all = try await h.botMessages(alice, room, settle: 2)
            #expect(all.count == 2, "introduction and one answer to \(question), not two: \(all.map { $0.body?.prefix(40) ?? "" })")
        }
    }

    @Test func leavingARoomDeletesItsSubscription() async throws {
        try await withMatrix { h in
            let alice = try await h.user("alice")
            // An ordinary (not direct) room of two: alice can kick the bot.
            let room = try await h.room(of: alice)
            let subscribed = try await h.ask(alice, room, "/subscribe 08:30 Europe/Stockholm")
            #expect((subscribed.body ?? "").contains("08:30"))
            func listed() throws -> Bool {
                let output = try ProfintBinary.run(["prompts", "list", "--database", h.database.path])
                return output.stdout.contains(room)
            }
            #expect(try listed(), "the subscription is stored")
            try await alice.kick(userID: h.bot, roomID: room)
            let gone = try await EndToEnd.poll(timeout: 10) { try listed() ? nil : true }
            #expect(gone == true, "kicking the bot deletes the room's subscription")
        }
    }

    /// The front matter of the French prompt item whose title starts `body`.
    static func frenchPrompt(startingWith body: String) throws -> (title: String, followUp: String, factor: String)? {
        let folder = ProfintBinary.repositoryRoot.appendingPathComponent("Knowledge/fr/prompt")
        for file in try FileManager.default.contentsOfDirectory(atPath: folder.path) where file.hasSuffix(".md") {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            func field(_ name: String) -> String? {
                text.split(separator: "\n").first { $0.hasPrefix(name + ":") }.map {
                    $0.dropFirst(name.count + 1).trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                }
            }
            if let title = field("title"), body.hasPrefix(title), let followUp = field("follow_up"), let factor = field("factor") {
                return (title, followUp, factor)
            }
        }
        return nil
    }

    @Test func aSubscribedRoomGetsItsDailyPromptAndCanOpenAndAnswerIt() async throws {
        try await withMatrix { h in
            let alice = try await h.user("alice")
            let room = try await h.room(of: alice)
            _ = try await h.ask(alice, room, "/lang fr")
            // The service answers "1" and replies with the real clock, so the
            // pass runs now, on a daily subscription due this very minute in
            // Paris (any date, any machine time zone).
            var paris = Calendar(identifier: .gregorian)
            paris.timeZone = try #require(TimeZone(identifier: "Europe/Paris"))
            var wall = paris.dateComponents([.hour, .minute, .second], from: Date())
            if wall.hour == 23, wall.minute == 59 {
                // Not across midnight: the subscription and the pass on one local day.
                try await Task.sleep(for: .seconds(61 - (wall.second ?? 0)))
                wall = paris.dateComponents([.hour, .minute, .second], from: Date())
            }
            let time = String(format: "%02d:%02d", wall.hour ?? 0, wall.minute ?? 0)
            let subscribed = try await h.ask(alice, room, "/subscribe \(time) Europe/Paris daily")
            #expect((subscribed.body ?? "").contains(time))
            // One scheduler pass, after the subscription (the prompt is the
            // room's latest message), through the outbox, with the service's settings.
            // (`--now` has whole seconds: a moment after the subscription's second.)
            try await Task.sleep(for: .milliseconds(1_500))
            let instant = ISO8601DateFormatter().string(from: Date())
            let pass = try ChildProcess(executable: ProfintBinary.executable,
                                        arguments: ["prompts", "send-due", "--now", instant, "--timeout", "20"],
                                        environment: EndToEnd.cleanEnvironment(adding: [
                                            "PROFINT_DATABASE": h.database.path,
                                            "PROFINT_MATRIX_HOMESERVER_URL": h.synapse.baseURL.absoluteString,
                                            "PROFINT_MATRIX_SERVER_NAME": h.synapse.serverName,
                                            "PROFINT_MATRIX_AS_TOKEN": h.synapse.appservice.asToken,
                                            "PROFINT_MATRIX_HS_TOKEN": h.synapse.appservice.hsToken,
                                        ]), directory: ProfintBinary.repositoryRoot, logs: h.directory, name: "send-due")
            #expect(pass.waitForExit(timeout: 60) && pass.terminationStatus == 0, "\(pass.stderr)")
            #expect(pass.stdout.contains("claimed 1 prompt"))
            let prompt = try #require(try await alice.waitForMessages(in: room, from: h.bot, count: 1, timeout: 15).first)
            let body = prompt.body ?? ""
            let item = try #require(try Self.frenchPrompt(startingWith: body), "a French prompt: \(body.prefix(120))")
            // The prompt's success factor or module, read from its file.
            let factorText = ["success_factor", "module"].compactMap {
                try? String(contentsOf: ProfintBinary.repositoryRoot.appendingPathComponent("Knowledge/fr/\($0)/\(item.factor).md"), encoding: .utf8)
            }.first
            let factorTitle = try #require(factorText?.split(separator: "\n").first { $0.hasPrefix("title:") }?.dropFirst(6)
                .trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"")), "\(item.factor)")
            #expect(body.hasSuffix("1. " + factorTitle), "the success factor is choice 1")
            // "1" opens it.
            let opened = try await h.ask(alice, room, "1")
            #expect((opened.body ?? "").contains(factorTitle), "opened: \((opened.body ?? "").prefix(120))")
            // A reply to the prompt gets thanks and the prompt's follow-up question; the reply is not stored.
            try await alice.sendText(roomID: room, body: "Nous avons commencé par le logement, ça a changé l'entretien.",
                                     mentions: [h.bot], replyTo: prompt.eventID)
            let ack = try #require(try await alice.waitForMessages(in: room, from: h.bot, count: 1, timeout: 15).first)
            #expect((ack.body ?? "").contains(item.followUp), "acknowledged with the follow-up: \(ack.body ?? "")")
        }
    }

    @Test func aBurstOf200MessagesFrom10UsersIsAnsweredOnceInOrder() async throws {
        try await withMatrix { h in
            let observer = try await h.user("observer")
            var users: [MatrixTestUser] = []
            var rooms: [String] = []
            for i in 0..<10 {
                let user = try await h.user("user\(i)")
                users.append(user)
                rooms.append(try await h.room(of: user, with: [observer]))
            }
            let questions = ["What is a skills inventory?", "!help", "profint: how do I brief an interpreter?", "!about",
                             "PROFINT Guide, any tool for a first interview?"]
            let roomIDs = rooms
            let bot = h.bot
            let sent = try await withThrowingTaskGroup(of: (Int, [String]).self) { group in
                for (i, user) in users.enumerated() {
                    group.addTask {
                        var ids: [String] = []
                        for n in 0..<20 {
                            let text = questions[n % questions.count]
                            ids.append(try await user.sendText(roomID: roomIDs[i], body: text,
                                                               mentions: text.hasPrefix("What") ? [bot] : nil))
                        }
                        return (i, ids)
                    }
                }
                var result = [[String]](repeating: [], count: users.count)
                for try await (i, ids) in group { result[i] = ids }
                return result
            }
            for (i, user) in users.enumerated() {
                let answers = try await user.waitForMessages(in: rooms[i], from: h.bot, count: 20, timeout: 90)
                #expect(answers.map(\.inReplyTo) == sent[i].map(Optional.some), "room \(i): every message answered once, in order")
            }
            let extra = try await h.botMessages(users[0], rooms[0], settle: 1)
            #expect(extra.count == 21, "introduction and 20 answers in room 0, nothing twice")
        }
    }
}
