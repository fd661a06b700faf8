import Foundation
import Logging
import Testing
@testable import ProfintServer
@testable import ProfintStore

/// The outbox delivers at least once, in order per chat, within the rate limits.
struct OutboxSenderTests {
    let clock = ManualClock()
    let store: ServiceStore
    let api: RecordingBotAPI
    let sender: OutboxSender

    init() throws {
        store = ServiceStore(database: try ProfintDatabase(path: nil))
        let clock = self.clock
        api = RecordingBotAPI(clock: { clock.now })
        sender = OutboxSender(store: store, api: api, metrics: ServiceMetrics(), logger: Logger(label: "test"), clock: { clock.now })
    }

    func enqueue(chat: String, texts: [String], group: Bool = false, update: String = UUID().uuidString) throws {
        let calls = texts.map { OutboundCall(method: "sendMessage", body: Array("{\"chat_id\":\(chat),\"text\":\"\($0)\"}".utf8)) }
        try store.record(channel: "telegram", update: update, chat: chat,
                         outcome: .init(calls: calls, isGroup: group), now: clock.now)
    }

    func texts() -> [String] { api.calls.map { $0.parameters["text"] as? String ?? "" } }

    @Test func deliversInOrderPerChatAtMostOnePerSecond() async throws {
        try enqueue(chat: "1", texts: ["a1", "a2", "a3"])
        try enqueue(chat: "2", texts: ["b1"])
        _ = await sender.pass()
        #expect(texts() == ["a1", "b1"])
        _ = await sender.pass()  // same second: chat 1 must wait
        #expect(texts() == ["a1", "b1"])
        clock.advance(1)
        _ = await sender.pass()
        clock.advance(1)
        _ = await sender.pass()
        #expect(texts() == ["a1", "b1", "a2", "a3"])
        #expect(try await store.outboxDepth() == 0)
    }

    @Test func tooManyRequestsWaitsForRetryAfter() async throws {
        api.script([BotAPIResponse(status: 429, retryAfter: 5, description: "Too Many Requests: retry after 5")])
        try enqueue(chat: "7", texts: ["hello"])
        _ = await sender.pass()
        #expect(api.calls.count == 1)
        clock.advance(4)
        _ = await sender.pass()
        #expect(api.calls.count == 1, "retried before retry_after")
        clock.advance(1.5)
        _ = await sender.pass()
        #expect(api.calls.count == 2)
        #expect(try await store.outboxDepth() == 0)
    }

    @Test func serverErrorsAreRetriedWithBackoffAndOtherClientErrorsAreNot() async throws {
        api.script([BotAPIResponse(status: 502), BotAPIResponse(status: 500)])
        try enqueue(chat: "8", texts: ["x"])
        _ = await sender.pass()
        clock.advance(0.4)
        _ = await sender.pass()
        #expect(api.calls.count == 1, "backoff is at least half a second")
        for _ in 0..<10 { clock.advance(1.6); _ = await sender.pass() }
        #expect(api.calls.count == 3)
        #expect(try await store.outboxDepth() == 0)

        api.script([BotAPIResponse(status: 403, description: "Forbidden: bot was blocked by the user")])
        try enqueue(chat: "9", texts: ["y"])
        clock.advance(1)
        _ = await sender.pass()
        for _ in 0..<5 { clock.advance(10); _ = await sender.pass() }
        #expect(api.calls.filter { ($0.parameters["chat_id"] as? Int) == 9 }.count == 1)
        #expect(try await store.outboxDepth() == 0)
        let failed = try await store.database.writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox_failed") }
        #expect(failed == 1)
    }

    @Test func groupsGetTwentyMessagesAMinute() async throws {
        try enqueue(chat: "-100", texts: (1...25).map { "m\($0)" }, group: true)
        for _ in 0..<40 { _ = await sender.pass(); clock.advance(1) }
        #expect(api.calls.count == 20)
        clock.advance(30)
        for _ in 0..<10 { _ = await sender.pass(); clock.advance(1) }
        #expect(api.calls.count == 25)
        #expect(texts() == (1...25).map { "m\($0)" })
    }

    @Test func thirtyMessagesASecondOverall() async throws {
        for chat in 1...45 { try enqueue(chat: "\(chat)", texts: ["hi"]) }
        _ = await sender.pass()
        #expect(api.calls.count == 30)
        clock.advance(1)
        _ = await sender.pass()
        #expect(api.calls.count == 45)
    }

    @Test func nothingIsLostWhenTheProcessStopsBeforeDelivery() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("outbox-\(UUID().uuidString).sqlite").path
        defer { for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + s) } }
        do {
            let first = ServiceStore(database: try ProfintDatabase(path: path))
            try await first.record(channel: "telegram", update: "1", chat: "5",
                             outcome: .init(calls: [OutboundCall(method: "sendMessage", body: Array(#"{"chat_id":5,"text":"kept"}"#.utf8))]),
                             now: clock.now)
        }
        // A new process opens the same file and sends what was waiting.
        let reopened = ServiceStore(database: try ProfintDatabase(path: path))
        let clock = self.clock
        let api = RecordingBotAPI()
        let sender = OutboxSender(store: reopened, api: api, metrics: ServiceMetrics(), logger: Logger(label: "test"), clock: { clock.now })
        _ = await sender.pass()
        #expect(api.calls.map { $0.parameters["text"] as? String } == ["kept"])
    }
}
