import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing
@testable import ProfintContent
@testable import ProfintCore
@testable import ProfintServer
@testable import ProfintStore
import ProfintTelegram

/// The webhook route with the real engine, a SQLite store in memory and the
/// Bot API twin: what reaches the outbox for each kind of update.
@Suite(.serialized)
struct TelegramWebhookTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let engine: Engine = {
        let loaded = ContentLoader.load(intents: root + "/Intents", knowledge: root + "/Knowledge")
        var configuration = EngineConfiguration()
        configuration.explain = false
        return Engine(content: loaded.content, configuration: configuration)
    }()

    let store: ServiceStore
    let parts: ProfintApplication.Parts
    let configuration: ServerConfiguration
    static let secret = "test-secret_123"

    init() throws {
        store = ServiceStore(database: try ProfintDatabase(path: nil))
        var configuration = try ServerConfiguration.from([
            "PROFINT_TELEGRAM_TOKEN": "123456:abc", "PROFINT_TELEGRAM_SECRET": Self.secret,
            "PROFINT_TELEGRAM_BOT_USERNAME": "profint_test_bot",
        ])
        configuration.maximumBodySize = 1 << 20
        self.configuration = configuration
        let metrics = ServiceMetrics()
        let logger = Logger(label: "test")
        let sender = OutboxSender(store: store, api: RecordingBotAPI(), metrics: metrics, logger: logger)
        let telegram = TelegramChannel(engine: Self.engine, store: store, sender: sender, metrics: metrics, logger: logger,
                                       configuration: configuration, identity: TelegramBotIdentity(id: 123456, username: "profint_test_bot"))
        parts = ProfintApplication.Parts(engine: Self.engine, store: store, metrics: metrics, telegram: telegram, sender: sender, scheduler: nil)
    }

    func app() -> some ApplicationProtocol {
        Application(router: ProfintApplication.router(parts: parts, configuration: configuration))
    }

    static func headers(secret: String? = TelegramWebhookTests.secret) -> HTTPFields {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        if let secret { headers[HTTPField.Name("X-Telegram-Bot-Api-Secret-Token")!] = secret }
        return headers
    }

    static func message(_ update: Int, chat: Int64 = 42, type: String = "private", text: String, entities: String = "") -> String {
        """
        {"update_id": \(update), "message": {"message_id": \(update * 10), "date": 1800000000,
         "from": {"id": \(chat > 0 ? chat : 77), "is_bot": false, "first_name": "Ana"},
         "chat": {"id": \(chat), "type": "\(type)"\(type == "private" ? "" : ", \"title\": \"Team\"")},
         "text": \(String(data: try! JSONEncoder().encode(text), encoding: .utf8)!)\(entities)}}
        """
    }

    func outbox() throws -> [(method: String, parameters: [String: Any])] {
        try store.dueMessages(now: .infinity, limit: 1000).map {
            ($0.method, (try? JSONSerialization.jsonObject(with: Data($0.body))) as? [String: Any] ?? [:])
        }
    }

    /// Posts an update, then lets the channel process what the webhook acknowledged.
    func post(_ client: some TestClientProtocol, _ body: String, secret: String? = TelegramWebhookTests.secret) async throws -> HTTPResponse.Status {
        let status = try await client.execute(uri: "/telegram/webhook", method: .post, headers: Self.headers(secret: secret),
                                              body: ByteBuffer(string: body)) { $0.status }
        while await parts.telegram!.drain() > 0 {}
        return status
    }

    @Test func aPrivateQuestionGetsAnAnswerInTheOutbox() async throws {
        try await app().test(.router) { client in
            let status1 = try await post(client, Self.message(1, text: "Tu as un cas concret sur la coordination ?"))

            #expect(status1 == .ok)
        }
        let calls = try outbox()
        #expect(calls.map(\.method) == ["sendMessage"])
        #expect(calls[0].parameters["chat_id"] as? Int == 42)
        #expect(calls[0].parameters["parse_mode"] as? String == "HTML")
        #expect((calls[0].parameters["text"] as? String)?.contains("cas") == true)
        let state = try await store.conversation(channel: "telegram", chat: "42", now: Date().timeIntervalSince1970)
        #expect(state?.lastIntent == "resource.case")
    }

    @Test func wrongMissingSecretsOversizedAndMalformedBodiesChangeNothing() async throws {
        try await app().test(.router) { client in
            let status2 = try await post(client, Self.message(2, text: "hello"), secret: "wrong")

            #expect(status2 == .unauthorized)
            let status3 = try await post(client, Self.message(3, text: "hello"), secret: nil)

            #expect(status3 == .unauthorized)
            let status4 = try await post(client, Self.message(4, text: String(repeating: "a", count: 1_100_000)))

            #expect(status4 == .contentTooLarge)
            let status5 = try await post(client, "{\"update_id\": 5, \"message\": ")

            #expect(status5 == .badRequest)
            let status6 = try await post(client, "[1, 2, 3]")

            #expect(status6 == .badRequest)
        }
        #expect(try outbox().isEmpty)
        let processed = try await store.isProcessed(channel: "telegram", update: "2")
        #expect(!processed)
    }

    @Test func theSameUpdateIsProcessedOnce() async throws {
        let body = Self.message(10, text: "hej, vad kan du hjälpa till med?")
        try await app().test(.router) { client in
            async let a = post(client, body)
            async let b = post(client, body)
            _ = try await (a, b)
            let status7 = try await post(client, body)

            #expect(status7 == .ok)
        }
        #expect(try outbox().count == 1)
    }

    @Test func groupChatterIsIgnoredButMentionsCommandsAndRepliesAreAnswered() async throws {
        let mention = #", "entities": [{"type": "mention", "offset": 0, "length": 17}]"#
        try await app().test(.router) { client in
            _ = try await post(client, Self.message(20, chat: -1001, type: "supergroup", text: "who takes the minutes today?"))
            _ = try await post(client, Self.message(21, chat: -1001, type: "supergroup", text: "@profint_test_bot any case on interpreters?", entities: mention))
            _ = try await post(client, Self.message(22, chat: -1001, type: "supergroup", text: "/help@profint_test_bot",
                                                    entities: #", "entities": [{"type": "bot_command", "offset": 0, "length": 22}]"#))
        }
        let calls = try outbox()
        #expect(calls.count == 2)
        #expect(calls.allSatisfy { $0.parameters["chat_id"] as? Int == -1001 })
        #expect((calls[0].parameters["reply_parameters"] as? [String: Any])?["message_id"] as? Int == 210)
    }

    @Test func aButtonIsAnsweredAndTakenAsTheChoice() async throws {
        try await app().test(.router) { client in
            _ = try await post(client, Self.message(30, text: "Do you have a case study on coordination?"))
            let callback = """
            {"update_id": 31, "callback_query": {"id": "cbq-1", "from": {"id": 42, "is_bot": false, "first_name": "Ana"},
             "message": {"message_id": 99, "date": 1800000001, "chat": {"id": 42, "type": "private"}, "text": "Here are cases"},
             "chat_instance": "1", "data": "c:1"}}
            """
            let status8 = try await post(client, callback)

            #expect(status8 == .ok)
        }
        let calls = try outbox()
        #expect(calls.map(\.method) == ["sendMessage", "answerCallbackQuery", "sendMessage"])
        #expect(calls[1].parameters["callback_query_id"] as? String == "cbq-1")
        let first = try #require(calls[0].parameters["reply_markup"] as? [String: Any])
        let buttons = try #require(first["inline_keyboard"] as? [[[String: Any]]])
        let title = try #require(buttons[0][0]["text"] as? String)
        #expect((calls[2].parameters["text"] as? String)?.hasPrefix(String(title.prefix(20))) == true)
    }

    @Test func aDailyPromptButtonOpensItsSuccessFactor() async throws {
        let callback = """
        {"update_id": 35, "callback_query": {"id": "cbq-2", "from": {"id": 42, "is_bot": false, "first_name": "Ana"},
         "message": {"message_id": 98, "date": 1800000001, "chat": {"id": 42, "type": "private"}, "text": "Reflect: …"},
         "chat_instance": "1", "data": "k:sf-global-accompaniment"}}
        """
        try await app().test(.router) { client in
            let status = try await post(client, callback)
            #expect(status == .ok)
        }
        let calls = try outbox()
        #expect(calls.map(\.method) == ["answerCallbackQuery", "sendMessage"])
        let title = try #require(Self.engine.knowledge.item(id: "sf-global-accompaniment", language: .en)?.title)
        #expect((calls[1].parameters["text"] as? String)?.hasPrefix(title) == true)
    }

    @Test func photosGetATextOnlyNoteAndEditsAreIgnored() async throws {
        let photo = """
        {"update_id": 40, "message": {"message_id": 400, "date": 1800000000, "from": {"id": 42, "is_bot": false, "first_name": "Ana"},
         "chat": {"id": 42, "type": "private"}, "photo": [{"file_id": "x", "file_unique_id": "y", "width": 90, "height": 90}]}}
        """
        let edited = """
        {"update_id": 41, "edited_message": {"message_id": 400, "date": 1800000000, "edit_date": 1800000005,
         "from": {"id": 42, "is_bot": false, "first_name": "Ana"}, "chat": {"id": 42, "type": "private"}, "text": "hello again"}}
        """
        try await app().test(.router) { client in
            let status9 = try await post(client, photo)

            #expect(status9 == .ok)
            let status10 = try await post(client, edited)

            #expect(status10 == .ok)
        }
        let calls = try outbox()
        #expect(calls.count == 1)
        #expect(calls[0].parameters["text"] as? String == Self.engine.messages.text("text_only", .en, seed: 0)
                || calls[0].parameters["text"] as? String == Self.engine.messages.text("text_only", .en, seed: 1))
    }

    @Test func forgetErasesTheChatAndSaysSo() async throws {
        try await app().test(.router) { client in
            _ = try await post(client, Self.message(50, chat: 55, text: "/subscribe 08:30"))
            #expect(try store.subscription(channel: "telegram", chat: "55")?.time == "08:30")
            _ = try await post(client, Self.message(51, chat: 55, text: "/forget"))
        }
        #expect(try store.subscription(channel: "telegram", chat: "55") == nil)
        #expect(try await store.conversation(channel: "telegram", chat: "55", now: 0) == nil)
        let last = try #require(try outbox().last)
        #expect(last.parameters["chat_id"] as? Int == 55)
    }

    @Test func removedFromAGroupDeletesItsData() async throws {
        let removed = """
        {"update_id": 61, "my_chat_member": {"chat": {"id": -2002, "type": "group", "title": "Team"},
         "from": {"id": 42, "is_bot": false, "first_name": "Ana"}, "date": 1800000000,
         "old_chat_member": {"status": "member", "user": {"id": 123456, "is_bot": true, "first_name": "PROFINT"}},
         "new_chat_member": {"status": "left", "user": {"id": 123456, "is_bot": true, "first_name": "PROFINT"}}}}
        """
        try await app().test(.router) { client in
            _ = try await post(client, Self.message(60, chat: -2002, type: "group", text: "/subscribe 09:00"))
            #expect(try store.subscription(channel: "telegram", chat: "-2002") != nil)
            let status11 = try await post(client, removed)

            #expect(status11 == .ok)
        }
        #expect(try store.subscription(channel: "telegram", chat: "-2002") == nil)
    }

    @Test func healthReadinessAndMetrics() async throws {
        try await app().test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/readyz", method: .get) { #expect($0.status == .ok) }
            _ = try await post(client, Self.message(70, text: "thanks!"))
            try await client.execute(uri: "/metrics", method: .get) { response in
                let text = String(buffer: response.body)
                #expect(text.contains(#"profint_messages_total{channel="telegram"} 1"#))
                #expect(text.contains(#"profint_http_requests_total{route="/telegram/webhook",status="200"} 1"#))
                #expect(text.contains("profint_engine_seconds_count 1"))
                // Acknowledged, processed, and out of the inbox; the delay was measured.
                #expect(text.contains(#"profint_telegram_updates_total{result="accepted"} 1"#))
                #expect(text.contains("profint_telegram_inbox_depth 0"))
                #expect(text.contains("profint_reply_delay_seconds_count 1"))
            }
        }
    }
}

struct ServerConfigurationTests {
    @Test func defaultsNeedNoSettingsAndTelegramIsOff() throws {
        let c = try ServerConfiguration.from([:])
        #expect(c.host == "127.0.0.1" && c.port == 8080 && c.telegram == nil && c.matrix == nil)
    }

    @Test func workerSettings() throws {
        let defaults = try ServerConfiguration.from([:])
        #expect(defaults.workerThreads == 2 && defaults.workerNice == 10)
        let set = try ServerConfiguration.from(["PROFINT_WORKER_THREADS": "4", "PROFINT_WORKER_NICE": "0"])
        #expect(set.workerThreads == 4 && set.workerNice == 0)
    }

    @Test func matrixSettingsWithTheDefaultLocalpart() throws {
        let c = try ServerConfiguration.from([
            "PROFINT_MATRIX_HOMESERVER_URL": "https://matrix.example.org/", "PROFINT_MATRIX_SERVER_NAME": "example.org",
            "PROFINT_MATRIX_AS_TOKEN": "as", "PROFINT_MATRIX_HS_TOKEN": "hs",
        ])
        let matrix = try #require(c.matrix)
        #expect(matrix.homeserverURL == "https://matrix.example.org")
        #expect(matrix.botUserID == "@profint:example.org")
        #expect(matrix.displayName == "PROFINT Guide")
    }

    @Test(arguments: [
        (["PROFINT_HTTP_PORT": "eighty"], "PROFINT_HTTP_PORT"),
        (["PROFINT_TELEGRAM_TOKEN": "1:a"], "PROFINT_TELEGRAM_SECRET"),
        (["PROFINT_TELEGRAM_SECRET": "abc"], "PROFINT_TELEGRAM_TOKEN"),
        (["PROFINT_TELEGRAM_TOKEN": "1:a", "PROFINT_TELEGRAM_SECRET": "has space"], "PROFINT_TELEGRAM_SECRET"),
        (["PROFINT_DEFAULT_LANGUAGE": "de"], "PROFINT_DEFAULT_LANGUAGE"),
        (["PROFINT_DEFAULT_TIMEZONE": "Mars/Olympus"], "PROFINT_DEFAULT_TIMEZONE"),
        (["PROFINT_MATRIX_HOMESERVER_URL": "http://127.0.0.1:8008"], "PROFINT_MATRIX_SERVER_NAME"),
        (["PROFINT_MATRIX_HOMESERVER_URL": "http://hs", "PROFINT_MATRIX_SERVER_NAME": "hs", "PROFINT_MATRIX_AS_TOKEN": "a"],
         "PROFINT_MATRIX_HS_TOKEN"),
        (["PROFINT_MATRIX_HOMESERVER_URL": "matrix.example.org", "PROFINT_MATRIX_SERVER_NAME": "hs", "PROFINT_MATRIX_AS_TOKEN": "a",
          "PROFINT_MATRIX_HS_TOKEN": "b"], "PROFINT_MATRIX_HOMESERVER_URL"),
        (["PROFINT_MATRIX_HOMESERVER_URL": "http://hs", "PROFINT_MATRIX_SERVER_NAME": "hs", "PROFINT_MATRIX_AS_TOKEN": "same",
          "PROFINT_MATRIX_HS_TOKEN": "same"], "PROFINT_MATRIX_HS_TOKEN"),
        (["PROFINT_MATRIX_HOMESERVER_URL": "http://hs", "PROFINT_MATRIX_SERVER_NAME": "hs", "PROFINT_MATRIX_AS_TOKEN": "a",
          "PROFINT_MATRIX_HS_TOKEN": "b", "PROFINT_MATRIX_SENDER_LOCALPART": "Bot Name"], "PROFINT_MATRIX_SENDER_LOCALPART"),
        (["PROFINT_MATRIX_HOMESERVER_URL": "http://hs", "PROFINT_MATRIX_SERVER_NAME": "hs", "PROFINT_MATRIX_AS_TOKEN": "a",
          "PROFINT_MATRIX_HS_TOKEN": "b", "PROFINT_MATRIX_IGNORED_USERS": "@ok:hs, @(bad"], "PROFINT_MATRIX_IGNORED_USERS"),
        (["PROFINT_WORKER_THREADS": "0"], "PROFINT_WORKER_THREADS"),
        (["PROFINT_WORKER_NICE": "20"], "PROFINT_WORKER_NICE"),
        (["PROFINT_WORKER_NICE": "-5"], "PROFINT_WORKER_NICE"),
    ])
    func aWrongSettingIsNamed(values: [String: String], name: String) {
        #expect {
            _ = try ServerConfiguration.from(values)
        } throws: { error in
            "\(error)".contains(name)
        }
    }
}
