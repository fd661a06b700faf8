import Foundation
import Testing

/// `profint serve` end to end: the built binary, started from the repository
/// root, against the fake Telegram Bot API (Tests/Fixtures/fake_bot_api.py),
/// which checks every call against the Bot API spec. Updates go in the way
/// Telegram sends them (`/control/deliver`); what the bot sends back is read
/// from the fake's recorded calls.
@Suite(.serialized)
struct ServeEndToEndTests {
    // MARK: Harness

    struct Harness {
        let fake: FakeBotAPI
        let service: ProfintService
        let directory: URL
        var database: URL { directory.appendingPathComponent("db.sqlite") }

        /// Delivers an update with the right secret; expects one 200.
        @discardableResult
        func deliver(_ update: [String: Any], sourceLocation: SourceLocation = #_sourceLocation) async throws -> FakeBotAPI.Delivery {
            let delivery = try await fake.deliver(to: service.webhookURL, secret: ProfintService.secret, update: update)
            #expect(delivery.statuses == [200], "webhook answer for update \(update["update_id"] ?? "?")", sourceLocation: sourceLocation)
            return delivery
        }

        func metrics() async throws -> String {
            let response = try await service.get("metrics")
            #expect(response.status == 200)
            return response.text
        }

        /// Waits until the outbox is empty (nothing queued nor waiting for a
        /// retry), so that counting calls afterwards cannot miss a late one.
        func waitForEmptyOutbox(timeout: Double = 10) async throws {
            var last = ""
            let empty = try await EndToEnd.poll(timeout: timeout) { () -> Bool? in
                last = try await metrics()
                return last.split(separator: "\n").contains("profint_outbox_depth 0") ? true : nil
            }
            if empty == nil { throw EndToEnd.Failure("the outbox did not empty within \(timeout) s; metrics:\n\(last)") }
        }

        /// The calls about one chat (sendMessage, sendChatAction…).
        func calls(chat: Int64) async throws -> [FakeBotAPI.Call] {
            try await fake.calls().filter { $0.chatID == chat }
        }

        /// Waits until `count` sendMessage calls to `chat` were answered.
        @discardableResult
        func waitForMessages(to chat: Int64, count: Int = 1, timeout: Double = 10) async throws -> [FakeBotAPI.Call] {
            try await fake.waitForCalls(timeout: timeout, "\(count) answered sendMessage to chat \(chat)") { calls in
                calls.filter { $0.method == "sendMessage" && $0.chatID == chat && $0.status != nil }.count >= count
            }.filter { $0.method == "sendMessage" && $0.chatID == chat }
        }
    }

    /// Starts the fake Bot API and the service on a fresh database; stops
    /// both and deletes everything afterwards, whatever happens.
    func withService(_ body: (Harness) async throws -> Void) async throws {
        let directory = try EndToEnd.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let fake = try await FakeBotAPI(logs: directory)
        defer { fake.stop() }
        let service = try await ProfintService(fake: fake, database: directory.appendingPathComponent("db.sqlite"), logs: directory)
        defer { service.stop() }
        let harness = Harness(fake: fake, service: service, directory: directory)
        do {
            try await body(harness)
        } catch {
            throw EndToEnd.Failure("\(error)\n--- profint serve stderr (end) ---\n\(service.child.stderr.suffix(4000))")
        }
    }

    // MARK: Updates, as Telegram sends them

    enum Update {
        static var now: Int { Int(Date().timeIntervalSince1970) }

        static func user(_ id: Int64, _ firstName: String, language: String? = "fr") -> [String: Any] {
            var user: [String: Any] = ["id": id, "is_bot": false, "first_name": firstName]
            if let language { user["language_code"] = language }
            return user
        }

        static var bot: [String: Any] {
            ["id": FakeBotAPI.botID, "is_bot": true, "first_name": "PROFINT Guide", "username": FakeBotAPI.botUsername]
        }

        static func privateChat(_ id: Int64, _ firstName: String) -> [String: Any] {
            ["id": id, "type": "private", "first_name": firstName]
        }

        static func group(_ id: Int64, _ title: String) -> [String: Any] {
            ["id": id, "type": "supergroup", "title": title]
        }

        static func privateText(_ updateID: Int64, chat: Int64, messageID: Int64, _ text: String,
                                firstName: String = "Marie", language: String = "fr") -> [String: Any] {
            ["update_id": updateID,
             "message": ["message_id": messageID, "from": user(chat, firstName, language: language),
                         "chat": privateChat(chat, firstName), "date": now, "text": text] as [String: Any]]
        }

        /// A group message; `mention` puts a `mention` entity on the first
        /// occurrence of "@profint_test_bot" (offsets in UTF-16 units).
        static func groupText(_ updateID: Int64, chat: Int64, messageID: Int64, from: Int64, _ text: String) -> [String: Any] {
            var message: [String: Any] = ["message_id": messageID, "from": user(from, "Luca", language: "it"),
                                          "chat": group(chat, "Équipe accompagnement"), "date": now, "text": text]
            if let range = text.range(of: "@" + FakeBotAPI.botUsername) {
                message["entities"] = [["type": "mention", "offset": text.utf16.distance(from: text.startIndex, to: range.lowerBound),
                                        "length": text[range].utf16.count]]
            }
            return ["update_id": updateID, "message": message]
        }

        static func callback(_ updateID: Int64, chat: Int64, id: String, data: String, botMessageID: Int64) -> [String: Any] {
            ["update_id": updateID,
             "callback_query": ["id": id, "from": user(chat, "Marie"), "chat_instance": "-5834718562920458172", "data": data,
                                "message": ["message_id": botMessageID, "from": bot, "chat": privateChat(chat, "Marie"),
                                            "date": now, "text": "…"] as [String: Any]] as [String: Any]]
        }

        static func edited(_ updateID: Int64, chat: Int64, messageID: Int64, _ text: String) -> [String: Any] {
            ["update_id": updateID,
             "edited_message": ["message_id": messageID, "from": user(chat, "Marie"), "chat": privateChat(chat, "Marie"),
                                "date": now - 60, "edit_date": now, "text": text] as [String: Any]]
        }

        static func photo(_ updateID: Int64, chat: Int64, messageID: Int64) -> [String: Any] {
            let sizes: [[String: Any]] = [
                ["file_id": "AgACAgQAAxkBAAIBY2ZfSmall", "file_unique_id": "AQADsm", "width": 90, "height": 67, "file_size": 1203],
                ["file_id": "AgACAgQAAxkBAAIBY2ZfLarge", "file_unique_id": "AQADlg", "width": 1280, "height": 960, "file_size": 98_310],
            ]
            return ["update_id": updateID,
                    "message": ["message_id": messageID, "from": user(chat, "Anna"), "chat": privateChat(chat, "Anna"),
                                "date": now, "photo": sizes] as [String: Any]]
        }

        /// The bot added to a group by one of its members.
        static func addedToGroup(_ updateID: Int64, chat: Int64) -> [String: Any] {
            ["update_id": updateID,
             "my_chat_member": ["chat": ["id": chat, "type": "group", "title": "Accueil Lyon"],
                                "from": user(1_020, "Luca", language: "it"), "date": now,
                                "old_chat_member": ["status": "left", "user": bot] as [String: Any],
                                "new_chat_member": ["status": "member", "user": bot] as [String: Any]] as [String: Any]]
        }
    }

    static let frenchQuestion = "Bonjour, tu as un cas concret sur la coordination entre acteurs ?"

    static func buttons(_ call: FakeBotAPI.Call) -> [[String: Any]] {
        let markup = call.params["reply_markup"] as? [String: Any]
        let rows = markup?["inline_keyboard"] as? [[[String: Any]]] ?? []
        return rows.flatMap { $0 }
    }

    static func htmlUnescaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&amp;", with: "&")
    }

    // MARK: 1

    @Test func privateTextMessageGetsAnHTMLReplyWithButtons() async throws {
        try await withService { h in
            let chat: Int64 = 4_242
            try await h.deliver(Update.privateText(1_001, chat: chat, messageID: 10, Self.frenchQuestion))
            try await h.waitForMessages(to: chat)
            try await h.waitForEmptyOutbox()
            let calls = try await h.calls(chat: chat)
            #expect(calls.map(\.method) == ["sendMessage"], "one message, not split: \(calls)")
            let reply = try #require(calls.first)
            #expect(reply.status == 200, "the fake accepted the call (valid HTML, valid keyboard): \(reply.error ?? "")")
            #expect(reply.params["parse_mode"] as? String == "HTML")
            #expect(reply.params["reply_parameters"] == nil, "no quoting in a private chat")
            let text = try #require(reply.text)
            let words = Set(text.lowercased().split { !$0.isLetter }.map(String.init))
            let french: Set = ["les", "des", "vous", "pour", "avec", "une", "sur", "dans", "et", "ces", "peuvent", "aider"]
            #expect(words.intersection(french).count >= 4, "a French reply: \(text.prefix(300))")
            #expect(!words.contains("the") && !words.contains("you"), "not English: \(text.prefix(300))")
            let buttons = Self.buttons(reply)
            #expect(!buttons.isEmpty, "the reply offers choices as buttons")
            for button in buttons {
                let data = try #require(button["callback_data"] as? String, "every button is a callback button: \(button)")
                #expect((1...64).contains(data.utf8.count), "callback_data \(data) fits Telegram's 64 bytes")
                let label = button["text"] as? String ?? ""
                #expect(label.count >= 1, "a button has a label: \(button)")
            }
            #expect(buttons.first?["callback_data"] as? String == "c:1")
        }
    }

    // MARK: 2

    @Test func wrongOrMissingSecretIs401AndNothingIsSent() async throws {
        try await withService { h in
            let update = Update.privateText(2_001, chat: 2_100, messageID: 5, "Bonjour !")
            let wrong = try await h.fake.deliver(to: h.service.webhookURL, secret: "not-the-secret", update: update)
            #expect(wrong.statuses == [401])
            let missing = try await h.fake.deliver(to: h.service.webhookURL, secret: nil, update: update)
            #expect(missing.statuses == [401])
            // Almost the secret: a prefix of it.
            let prefix = try await h.fake.deliver(to: h.service.webhookURL, secret: String(ProfintService.secret.dropLast()), update: update)
            #expect(prefix.statuses == [401])
            try await expectNothingSent(h, sentinelChat: 2_999)
        }
    }

    @Test func oversizedBodyIs413() async throws {
        try await withService { h in
            // A well-formed update whose text makes the body larger than 1 MiB.
            let big = String(repeating: "a", count: (1 << 20) + 100)
            let update = Update.privateText(2_002, chat: 2_200, messageID: 6, big)
            let body = try EndToEnd.json(update)
            #expect(body.count > 1 << 20)
            let direct = try await EndToEnd.request(h.service.webhookURL, method: "POST", body: body, headers: [
                "Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": ProfintService.secret,
            ])
            #expect(direct.status == 413)
            let delivered = try await h.fake.deliver(to: h.service.webhookURL, secret: ProfintService.secret,
                                                     rawBody: String(decoding: body, as: UTF8.self))
            #expect(delivered.statuses == [413], "\(delivered.errors)")
            try await expectNothingSent(h, sentinelChat: 2_299)
        }
    }

    @Test func malformedJSONIs400() async throws {
        try await withService { h in
            for raw in ["{\"update_id\": 2003, \"message\": {\"message_id\": 1,", "not json at all", "[1, 2, 3]", "{\"message\": {}}"] {
                let delivery = try await h.fake.deliver(to: h.service.webhookURL, secret: ProfintService.secret, rawBody: raw)
                #expect(delivery.statuses == [400], "body \(raw)")
            }
            try await expectNothingSent(h, sentinelChat: 2_399)
        }
    }

    /// Nothing was queued or sent for the rejected requests: the outbox is
    /// empty, and after a valid message the only call is its reply.
    func expectNothingSent(_ h: Harness, sentinelChat: Int64) async throws {
        let metrics = try await h.metrics()
        #expect(metrics.split(separator: "\n").contains("profint_outbox_depth 0"))
        #expect(!metrics.contains("profint_messages_total"), "no message reached the engine")
        #expect(try await h.fake.replies().isEmpty)
        try await h.deliver(Update.privateText(2_900, chat: sentinelChat, messageID: 1, "merci beaucoup"))
        try await h.waitForMessages(to: sentinelChat)
        try await h.waitForEmptyOutbox()
        let replies = try await h.fake.replies()
        #expect(replies.allSatisfy { $0.chatID == sentinelChat }, "only the valid message was answered: \(replies)")
    }

    // MARK: 3

    @Test func duplicateDeliveryIsAnsweredOnce() async throws {
        try await withService { h in
            // Telegram redelivers when it missed our 200.
            let again = Update.privateText(3_001, chat: 3_100, messageID: 20, "merci beaucoup")
            try await h.deliver(again)
            try await h.deliver(again)
            // Two deliveries of one update at the same time.
            let overlapping = Update.privateText(3_002, chat: 3_200, messageID: 21, Self.frenchQuestion)
            let fake = h.fake, url = h.service.webhookURL
            let json = try EndToEnd.json(overlapping)
            async let a = fake.deliver(to: url, secret: ProfintService.secret, update: try EndToEnd.object(json))
            async let b = fake.deliver(to: url, secret: ProfintService.secret, update: try EndToEnd.object(json))
            let (first, second) = try await (a, b)
            #expect(first.statuses == [200] && second.statuses == [200])

            try await h.waitForMessages(to: 3_100)
            try await h.waitForMessages(to: 3_200)
            try await h.waitForEmptyOutbox()
            let sent = try await h.fake.replies().filter { $0.method == "sendMessage" }
            #expect(sent.filter { $0.chatID == 3_100 }.count == 1, "\(sent)")
            #expect(sent.filter { $0.chatID == 3_200 }.count == 1, "\(sent)")
            #expect(try await h.metrics().contains("profint_messages_total{channel=\"telegram\"} 2\n"),
                    "four deliveries, two engine turns")
        }
    }

    // MARK: 4

    @Test func groupMessagesOnlyWhenAddressed() async throws {
        try await withService { h in
            let group: Int64 = -1_001_987_654_321
            try await h.deliver(Update.groupText(4_001, chat: group, messageID: 501, from: 1_020,
                                                 "Quelqu'un a le compte rendu de la réunion d'hier ? On parle de coordination."))
            try await h.deliver(Update.groupText(4_002, chat: group, messageID: 502, from: 1_020,
                                                 "@\(FakeBotAPI.botUsername) tu as un cas concret sur la coordination entre acteurs ?"))
            try await h.waitForMessages(to: group)
            try await h.waitForEmptyOutbox()
            let sent = try await h.calls(chat: group).filter { $0.method == "sendMessage" }
            #expect(sent.count == 1, "only the message that mentions the bot is answered: \(sent)")
            let reply = try #require(sent.first)
            #expect(reply.status == 200, "\(reply.error ?? "")")
            let quoted = reply.params["reply_parameters"] as? [String: Any]
            #expect((quoted?["message_id"] as? NSNumber)?.int64Value == 502, "the reply quotes the question")
            let replyText = reply.text ?? ""
            #expect(replyText.contains("@\(FakeBotAPI.botUsername)") == false)
        }
    }

    // MARK: 5

    @Test func callbackQueryIsAnsweredAndHandledAsTheChoice() async throws {
        try await withService { h in
            let chat: Int64 = 5_005
            try await h.deliver(Update.privateText(5_001, chat: chat, messageID: 30, Self.frenchQuestion))
            let first = try #require(try await h.waitForMessages(to: chat).first)
            let button = try #require(Self.buttons(first).first { $0["callback_data"] as? String == "c:1" },
                                      "the first reply has a c:1 button")
            let label = try #require(button["text"] as? String)

            let queryID = "5005830227369138419"
            try await h.deliver(Update.callback(5_002, chat: chat, id: queryID, data: "c:1", botMessageID: 1))
            let calls = try await h.fake.waitForCalls("answerCallbackQuery and the chosen item") { calls in
                guard let answer = calls.firstIndex(where: { $0.method == "answerCallbackQuery" && $0.status != nil }) else { return false }
                return calls[answer...].contains { $0.method == "sendMessage" && $0.chatID == chat && $0.status != nil }
            }
            let answers = calls.filter { $0.method == "answerCallbackQuery" }
            #expect(answers.count == 1)
            #expect(answers.first?.params["callback_query_id"] as? String == queryID)
            #expect(answers.first?.status == 200, "\(answers.first?.error ?? "")")
            let answerIndex = try #require(calls.firstIndex { $0.method == "answerCallbackQuery" })
            let chosen = try #require(calls[answerIndex...].first { $0.method == "sendMessage" && $0.chatID == chat })
            #expect(chosen.status == 200, "\(chosen.error ?? "")")
            // The button shows the item's title (shortened with "…"); the answer starts with it.
            let title = label.hasSuffix("…") ? String(label.dropLast()).trimmingCharacters(in: .whitespaces) : label
            let text = Self.htmlUnescaped(chosen.text ?? "")
            #expect(text.hasPrefix(title), "the choice \"\(label)\" is answered with that item: \(text.prefix(200))")
            #expect(text != Self.htmlUnescaped(first.text ?? ""))
        }
    }

    // MARK: 6

    @Test func unsupportedAndEditedUpdates() async throws {
        try await withService { h in
            let chat: Int64 = 6_006
            let group: Int64 = -6_006_600
            // An edit of a message: nothing to say (the first version was answered).
            try await h.deliver(Update.edited(6_001, chat: chat, messageID: 40, "Tu as un cas concret sur la coordination ?"))
            // A photo without text: a short text-only reply.
            try await h.deliver(Update.photo(6_002, chat: chat, messageID: 41))
            // Added to a group: one introduction.
            try await h.deliver(Update.addedToGroup(6_003, chat: group))
            try await h.waitForMessages(to: chat)
            try await h.waitForMessages(to: group)
            try await h.waitForEmptyOutbox()

            let toChat = try await h.calls(chat: chat)
            #expect(toChat.map(\.method) == ["sendMessage"], "one reply, for the photo: \(toChat)")
            let reply = try #require(toChat.first)
            #expect(reply.status == 200)
            #expect(reply.params["reply_markup"] == nil)
            let text = reply.text ?? ""
            #expect(!text.isEmpty && text.count < 300, "short: \(text)")
            #expect(text.lowercased().contains("question"), "asks for the question in writing: \(text)")

            let toGroup = try await h.calls(chat: group)
            #expect(toGroup.map(\.method) == ["sendMessage"], "\(toGroup)")
            #expect(toGroup.first?.status == 200)
            #expect(toGroup.first?.params["reply_parameters"] == nil)
            let introduction = toGroup.first?.text ?? ""
            #expect(introduction.count > 20, "an introduction: \(introduction)")
        }
    }

    // MARK: 7

    @Test func rateLimitAndServerErrorsAreRetried() async throws {
        try await withService { h in
            // 429 with retry_after 1: retried no sooner than 1 s later.
            try await h.fake.script(method: "sendMessage", responses: [["status": 429, "retry_after": 1]])
            try await h.deliver(Update.privateText(7_001, chat: 7_100, messageID: 1, "merci beaucoup"))
            let limited = try await h.waitForMessages(to: 7_100, count: 2)
            #expect(limited.map(\.status) == [429, 200])
            if limited.count == 2 {
                #expect(limited[1].time - limited[0].time >= 1.0, "waited retry_after: \(limited[1].time - limited[0].time) s")
                #expect(limited[0].params["text"] as? String == limited[1].params["text"] as? String)
            }

            // 500: retried after a back-off (1 s ± 50 %).
            try await h.fake.script(method: "sendMessage", responses: [["status": 500]])
            try await h.deliver(Update.privateText(7_002, chat: 7_200, messageID: 1, "grazie mille"))
            let failed = try await h.waitForMessages(to: 7_200, count: 2)
            #expect(failed.map(\.status) == [500, 200])
            if failed.count == 2 {
                #expect(failed[1].time - failed[0].time >= 0.49, "backed off: \(failed[1].time - failed[0].time) s")
            }

            // 403 (blocked by the user): given up at once.
            try await h.fake.script(method: "sendMessage",
                                    responses: [["status": 403, "description": "Forbidden: bot was blocked by the user"]])
            try await h.deliver(Update.privateText(7_003, chat: 7_300, messageID: 1, "tack så mycket"))
            try await h.waitForMessages(to: 7_300)
            try await Task.sleep(nanoseconds: 3_000_000_000)
            let blocked = try await h.calls(chat: 7_300)
            #expect(blocked.map(\.status) == [403], "not retried: \(blocked)")
            let metrics = try await h.metrics()
            #expect(metrics.contains("profint_outbox_failed_total{channel=\"telegram\"} 1\n"))
            #expect(metrics.split(separator: "\n").contains("profint_outbox_depth 0"))
        }
    }

    // MARK: 8

    @Test func killDuringOutboxDoesNotLoseMessages() async throws {
        let directory = try EndToEnd.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let fake = try await FakeBotAPI(logs: directory)
        defer { fake.stop() }
        let database = directory.appendingPathComponent("db.sqlite")
        let chats: [Int64] = [8_001, 8_002, 8_003]

        let first = try await ProfintService(fake: fake, database: database, logs: directory, name: "serve-1")
        defer { first.stop() }
        // The Bot API fails every sendMessage for now: the replies stay queued.
        try await fake.script(method: "sendMessage", responses: Array(repeating: ["status": 500], count: 30))
        for (n, chat) in chats.enumerated() {
            let delivery = try await fake.deliver(to: first.webhookURL, secret: ProfintService.secret,
                                                  update: Update.privateText(8_000 + Int64(n), chat: chat, messageID: 1, Self.frenchQuestion))
            #expect(delivery.statuses == [200], "the webhook accepted the message of chat \(chat)")
        }
        try await fake.waitForCalls("a failed attempt for each chat") { calls in
            chats.allSatisfy { chat in calls.contains { $0.method == "sendMessage" && $0.chatID == chat && $0.status == 500 } }
        }
        first.crash()
        let beforeCrash = try await fake.calls()
        #expect(!beforeCrash.contains { $0.method == "sendMessage" && $0.status == 200 }, "nothing was delivered before the crash")

        // The Bot API works again; the service restarts on the same database.
        try await fake.reset()
        let second = try await ProfintService(fake: fake, database: database, logs: directory, name: "serve-2")
        defer { second.stop() }
        do {
            let calls = try await fake.waitForCalls("a delivered reply for each of the 3 chats") { calls in
                chats.allSatisfy { chat in calls.contains { $0.method == "sendMessage" && $0.chatID == chat && $0.status == 200 } }
            }
            for chat in chats {
                let reply = calls.first { $0.method == "sendMessage" && $0.chatID == chat && $0.status == 200 }
                let text = reply?.text ?? ""
                #expect(text.count > 20, "chat \(chat) got its reply: \(text)")
            }
        } catch {
            throw EndToEnd.Failure("\(error)\n--- first run stderr ---\n\(first.child.stderr.suffix(3000))\n--- second run stderr ---\n\(second.child.stderr.suffix(3000))")
        }
    }

    // MARK: 9

    @Test func metricsAndHealth() async throws {
        try await withService { h in
            let health = try await h.service.get("healthz")
            #expect(health.status == 200)
            #expect(health.text.trimmingCharacters(in: .whitespacesAndNewlines) == "ok")
            let ready = try await h.service.get("readyz")
            #expect(ready.status == 200)

            try await h.deliver(Update.privateText(9_001, chat: 9_100, messageID: 1, Self.frenchQuestion))
            try await h.waitForMessages(to: 9_100)
            try await h.waitForEmptyOutbox()
            let metrics = try await h.metrics()
            let lines = Set(metrics.split(separator: "\n").map(String.init))
            #expect(lines.contains("# TYPE profint_http_requests_total counter"))
            #expect(lines.contains("profint_http_requests_total{route=\"/telegram/webhook\",status=\"200\"} 1"), "\(metrics)")
            #expect(lines.contains("profint_http_requests_total{route=\"/healthz\",status=\"200\"} 1"))
            #expect(lines.contains("profint_messages_total{channel=\"telegram\"} 1"))
            #expect(lines.contains("profint_outbox_sent_total{channel=\"telegram\"} 1"))
            #expect(lines.contains("# TYPE profint_engine_seconds histogram"))
            #expect(lines.contains("profint_engine_seconds_count 1"))
            #expect(lines.contains("profint_engine_seconds_bucket{le=\"+Inf\"} 1"))
            #expect(lines.contains { $0.hasPrefix("profint_engine_seconds_sum ") })
            // Knowledge queries (SQLite) are timed apart from matching: the practice answer cites items.
            #expect(lines.contains("# TYPE profint_knowledge_seconds histogram"))
            #expect(lines.contains("profint_knowledge_seconds_count 1"), "\(metrics)")
            #expect(!metrics.contains("coordination"), "no message text in the metrics")

            // SIGTERM: a graceful shutdown, well within the 5 s before SIGKILL.
            let started = Date()
            h.service.stop()
            #expect(Date().timeIntervalSince(started) < 4.5, "stopped on SIGTERM")
            #expect(h.service.child.exitedNormally && h.service.child.terminationStatus == 0,
                    "exit status \(h.service.child.terminationStatus)")
        }
    }

    // MARK: 10

    @Test func missingSettingFailsAtStartupNamingIt() async throws {
        let directory = try EndToEnd.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("db.sqlite").path
        let port = String(try EndToEnd.freePort())

        let noSecret = try ProfintService.runExpectingExit(
            settings: ["PROFINT_TELEGRAM_TOKEN": FakeBotAPI.token, "PROFINT_HTTP_PORT": port, "PROFINT_DATABASE": database],
            logs: directory, name: "no-secret")
        #expect(noSecret.exited, "a token without a secret must not start")
        #expect(noSecret.status != 0)
        #expect(noSecret.stderr.contains("PROFINT_TELEGRAM_SECRET"), "stderr: \(noSecret.stderr)")

        let badPort = try ProfintService.runExpectingExit(
            settings: ["PROFINT_HTTP_PORT": "abc", "PROFINT_DATABASE": database],
            logs: directory, name: "bad-port")
        #expect(badPort.exited, "a bad port must not start")
        #expect(badPort.status != 0)
        #expect(badPort.stderr.contains("PROFINT_HTTP_PORT"), "stderr: \(badPort.stderr)")
    }
}
