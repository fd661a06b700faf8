import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing
@testable import ProfintCore
@testable import ProfintMatrix
@testable import ProfintServer
@testable import ProfintStore

/// The application-service routes with the real engine and a SQLite store
/// in memory (no homeserver: room sizes are set in the store, replies are
/// read from the outbox).
@Suite(.serialized)
struct MatrixAppServiceTests {
    static let hsToken = "hs_token_for_tests_0123456789"
    let store: ServiceStore
    let parts: ProfintApplication.Parts
    let configuration: ServerConfiguration
    let matrix: MatrixChannel
    let inbox: MatrixInboxStore

    init() throws {
        store = ServiceStore(database: try ProfintDatabase(path: nil))
        var configuration = try ServerConfiguration.from([
            "PROFINT_MATRIX_HOMESERVER_URL": "http://127.0.0.1:9", "PROFINT_MATRIX_SERVER_NAME": "localhost",
            "PROFINT_MATRIX_AS_TOKEN": "as_token_for_tests_0123456789", "PROFINT_MATRIX_HS_TOKEN": Self.hsToken,
        ])
        configuration.maximumTransactionSize = 64 * 1024
        self.configuration = configuration
        let metrics = ServiceMetrics()
        matrix = MatrixChannel(engine: TelegramWebhookTests.engine, store: store, api: nil, sender: nil, metrics: metrics,
                               logger: Logger(label: "test"), configuration: configuration, settings: configuration.matrix!)
        inbox = MatrixInboxStore(service: store)
        parts = ProfintApplication.Parts(engine: TelegramWebhookTests.engine, store: store, metrics: metrics, telegram: nil,
                                         matrix: matrix, sender: nil, scheduler: nil)
    }

    func app() -> some ApplicationProtocol {
        Application(router: ProfintApplication.router(parts: parts, configuration: configuration))
    }

    static func message(_ id: String, room: String = "!dm:localhost", sender: String = "@ana:localhost", body: String,
                        extra: String = "") -> String {
        let text = String(data: try! JSONEncoder().encode(body), encoding: .utf8)!
        return """
            {"type": "m.room.message", "event_id": "\(id)", "room_id": "\(room)", "sender": "\(sender)",
             "origin_server_ts": 1800000000000, "unsigned": {"age": 5},
             "content": {"msgtype": "m.text", "body": \(text)\(extra)}}
            """
    }

    static func transaction(_ events: String...) -> String {
        "{\"events\": [\(events.joined(separator: ","))]}"
    }

    func put(_ client: some TestClientProtocol, txn: String, _ body: String, token: String? = MatrixAppServiceTests.hsToken,
             query: String = "") async throws -> (HTTPResponse.Status, String) {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await client.execute(uri: "/_matrix/app/v1/transactions/\(txn)\(query)", method: .put, headers: headers,
                                        body: ByteBuffer(string: body)) { ($0.status, String(buffer: $0.body)) }
    }

    /// What the outbox holds: (room, method, content).
    func outbox() throws -> [(room: String, method: String, content: [String: Any])] {
        try store.dueMessages(now: .infinity, limit: 1000).filter { $0.channel == "matrix" }.map {
            ($0.chat, $0.method, (try? JSONSerialization.jsonObject(with: Data($0.body))) as? [String: Any] ?? [:])
        }
    }

    @Test func tokensAreCheckedBeforeAnything() async throws {
        try await app().test(.router) { client in
            let body = Self.transaction(Self.message("$a", body: "hello"))
            let (missing, missingBody) = try await put(client, txn: "1", body, token: nil)
            #expect(missing == .unauthorized)
            #expect(missingBody.contains("M_UNKNOWN_TOKEN"))
            let (wrong, wrongBody) = try await put(client, txn: "1", body, token: "not-the-token")
            #expect(wrong == .forbidden)
            #expect(wrongBody.contains("M_FORBIDDEN"))
            #expect(try inbox.pendingCount() == 0, "nothing stored for a refused request")
            // The legacy query parameter is accepted.
            let (legacy, _) = try await put(client, txn: "1", body, token: nil, query: "?access_token=\(Self.hsToken)")
            #expect(legacy == .ok)
            #expect(try inbox.pendingCount() == 1)
            // The other routes are protected too.
            let users = try await client.execute(uri: "/_matrix/app/v1/users/@profint:localhost", method: .get) { $0.status }
            #expect(users == .unauthorized)
        }
    }

    @Test func usersRoomsAndPing() async throws {
        try await app().test(.router) { client in
            var headers = HTTPFields()
            headers[.authorization] = "Bearer \(Self.hsToken)"
            let bot = try await client.execute(uri: "/_matrix/app/v1/users/%40profint%3Alocalhost", method: .get, headers: headers) { $0.status }
            #expect(bot == .ok)
            let puppet = try await client.execute(uri: "/_matrix/app/v1/users/%40profint_x%3Alocalhost", method: .get, headers: headers) {
                ($0.status, String(buffer: $0.body))
            }
            #expect(puppet.0 == .notFound)
            #expect(puppet.1.contains("M_NOT_FOUND"))
            let alias = try await client.execute(uri: "/_matrix/app/v1/rooms/%23team%3Alocalhost", method: .get, headers: headers) { $0.status }
            #expect(alias == .notFound)
            let ping = try await client.execute(uri: "/_matrix/app/v1/ping", method: .post, headers: headers,
                                                body: ByteBuffer(string: "{\"transaction_id\":\"t1\"}")) { $0.status }
            #expect(ping == .ok)
            let legacy = try await client.execute(uri: "/users/%40profint%3Alocalhost?access_token=\(Self.hsToken)", method: .get) { $0.status }
            #expect(legacy == .ok)
        }
    }

    @Test func badBodiesAreRefusedClearly() async throws {
        try await app().test(.router) { client in
            let (notJSON, text) = try await put(client, txn: "1", "{\"events\": [")
            #expect(notJSON == .badRequest)
            #expect(text.contains("M_BAD_JSON"))
            let (noEvents, _) = try await put(client, txn: "2", "{\"evts\": []}")
            #expect(noEvents == .badRequest)
            let big = Self.transaction(Self.message("$big", body: String(repeating: "x", count: 70 * 1024)))
            let (tooLarge, _) = try await put(client, txn: "3", big)
            #expect(tooLarge == .contentTooLarge)
            #expect(try inbox.pendingCount() == 0)
        }
    }

    @Test func anUnreadableEventIsSkippedCountedAndTheRestAcknowledged() async throws {
        try await app().test(.router) { client in
            let bad = #"{"type": "m.room.message", "event_id": "$bad", "room_id": "!dm:localhost", "sender": "@ana:localhost", "content": {"body": "hi", "n": 1e400}}"#
            let deep = #"{"type": "m.room.message", "event_id": "$deep", "content": "# + String(repeating: "[", count: 100) + String(repeating: "]", count: 100) + "}"
            let body = Self.transaction(Self.message("$one", body: "hello"), bad, deep, Self.message("$two", body: "bonjour"))
            let (status, text) = try await put(client, txn: "bad-1", body)
            #expect(status == .ok)
            #expect(text == "{}")
            #expect(try inbox.pendingCount() == 2)
            let metrics = try await client.execute(uri: "/metrics", method: .get) { String(buffer: $0.body) }
            #expect(metrics.contains(#"profint_matrix_events_total{result="malformed"} 2"#))
        }
    }

    @Test func aDirectQuestionIsAnsweredOnceInItsLanguage() async throws {
        try inbox.setMembers(2, room: "!dm:localhost")
        try await app().test(.router) { client in
            let question = Self.message("$q1", body: "Comment préparer un premier entretien avec une personne réfugiée ?")
            #expect(try await put(client, txn: "7", Self.transaction(question)).0 == .ok)
            // The same transaction again (a retry), and the same event after a
            // homeserver restart under a new, reused transaction id.
            #expect(try await put(client, txn: "7", Self.transaction(question)).0 == .ok)
            await matrix.drain()
            #expect(try await put(client, txn: "1", Self.transaction(question)).0 == .ok)
            await matrix.drain()
            let sent = try outbox()
            #expect(sent.count == 1, "one answer: \(sent.map(\.content))")
            let content = try #require(sent.first?.content)
            #expect(sent.first?.method == "m.room.message")
            #expect(content["msgtype"] as? String == "m.text")
            #expect(content["format"] as? String == "org.matrix.custom.html")
            let body = content["body"] as? String ?? ""
            #expect(body.contains("entretien") || body.contains("personne"), "French answer: \(body.prefix(200))")
            #expect(content["m.relates_to"] == nil, "no reply relation in a direct room")
            #expect(try inbox.pendingCount() == 0, "the text is not kept after processing")
        }
    }

    @Test func numberedChoicesAreAnsweredWithTheNumber() async throws {
        try inbox.setMembers(2, room: "!dm:localhost")
        try await app().test(.router) { client in
            _ = try await put(client, txn: "1", Self.transaction(Self.message("$h", body: "!help")))
            await matrix.drain()
            let help = try #require(try outbox().last?.content["body"] as? String)
            let firstChoice = try #require(help.split(separator: "\n").first(where: { $0.hasPrefix("1. ") }), "numbered choices in \(help)")
            _ = try await put(client, txn: "2", Self.transaction(Self.message("$n", body: "1")))
            await matrix.drain()
            let answers = try outbox()
            #expect(answers.count == 2)
            let chosen = answers.last?.content["body"] as? String ?? ""
            #expect(!chosen.isEmpty && chosen != help, "choice \(firstChoice) opened something: \(chosen.prefix(120))")
            #expect(!chosen.contains(TelegramWebhookTests.engine.messages.text("fallback", .en).prefix(20)))
        }
    }

    @Test func busyRoomsNeedAMentionAndGetAThreadedReply() async throws {
        try inbox.setMembers(5, room: "!team:localhost")
        try await app().test(.router) { client in
            _ = try await put(client, txn: "1", Self.transaction(Self.message("$chat", room: "!team:localhost", body: "Who brings the coffee tomorrow?")))
            await matrix.drain()
            #expect(try outbox().isEmpty, "no answer to team chatter")
            let mention = Self.message("$m", room: "!team:localhost", body: "PROFINT Guide: what is a skills inventory?",
                                       extra: ", \"m.mentions\": {\"user_ids\": [\"@profint:localhost\"]}")
            _ = try await put(client, txn: "2", Self.transaction(mention))
            await matrix.drain()
            let sent = try outbox()
            #expect(sent.count == 1)
            let relates = sent.first?.content["m.relates_to"] as? [String: Any]
            #expect((relates?["m.in_reply_to"] as? [String: Any])?["event_id"] as? String == "$m")
            #expect((sent.first?.content["m.mentions"] as? [String: Any])?["user_ids"] as? [String] == ["@ana:localhost"])
            _ = try await put(client, txn: "3", Self.transaction(Self.message("$c", room: "!team:localhost", body: "!about")))
            await matrix.drain()
            #expect(try outbox().count == 2, "commands are answered without a mention")
        }
    }

    @Test func invitesAreJoinedAndEncryptedRoomsToldOnce() async throws {
        try await app().test(.router) { client in
            let invite = """
                {"type": "m.room.member", "event_id": "$inv", "room_id": "!new:localhost", "sender": "@ana:localhost",
                 "state_key": "@profint:localhost", "content": {"membership": "invite", "is_direct": false}}
                """
            _ = try await put(client, txn: "1", Self.transaction(invite))
            await matrix.drain()
            let afterInvite = try outbox()
            #expect(afterInvite.map(\.method) == ["join", "m.room.message"], "join, then the introduction")
            #expect(afterInvite.allSatisfy { $0.room == "!new:localhost" })
            func encrypted(_ id: String) -> String {
                """
                {"type": "m.room.encrypted", "event_id": "\(id)", "room_id": "!secret:localhost", "sender": "@ana:localhost",
                 "content": {"algorithm": "m.megolm.v1.aes-sha2", "ciphertext": "AwgA", "session_id": "s", "sender_key": "k", "device_id": "D"}}
                """
            }
            _ = try await put(client, txn: "2", Self.transaction(encrypted("$e1"), encrypted("$e2")))
            await matrix.drain()
            _ = try await put(client, txn: "3", Self.transaction(encrypted("$e3")))
            await matrix.drain()
            let notices = try outbox().filter { $0.room == "!secret:localhost" }
            #expect(notices.count == 1, "told once, not for every message")
            #expect(notices.first?.content["msgtype"] as? String == "m.notice")
            #expect((notices.first?.content["body"] as? String ?? "").contains("encrypted"))
        }
    }

    @Test func ownEventsAreNeverAnsweredAndLeavingForgetsTheRoom() async throws {
        try inbox.setMembers(2, room: "!dm:localhost")
        try await app().test(.router) { client in
            _ = try await put(client, txn: "1", Self.transaction(Self.message("$own", sender: "@profint:localhost", body: "hello")))
            #expect(try inbox.pendingCount() == 0, "own echoes are not even stored")
            _ = try await put(client, txn: "2", Self.transaction(Self.message("$s", body: "/subscribe 08:30 Europe/Rome")))
            await matrix.drain()
            #expect(try store.subscription(channel: "matrix", chat: "!dm:localhost")?.timezone == "Europe/Rome")
            let kick = """
                {"type": "m.room.member", "event_id": "$kick", "room_id": "!dm:localhost", "sender": "@ana:localhost",
                 "state_key": "@profint:localhost", "content": {"membership": "leave"}}
                """
            _ = try await put(client, txn: "3", Self.transaction(kick))
            await matrix.drain()
            #expect(try store.subscription(channel: "matrix", chat: "!dm:localhost") == nil)
            #expect(try store.conversation(channel: "matrix", chat: "!dm:localhost", now: Date().timeIntervalSince1970) == nil)
            #expect(try inbox.members(room: "!dm:localhost") == nil)
        }
    }
}
