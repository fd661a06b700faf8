import Foundation
import Logging
import Testing
@testable import ProfintContent
@testable import ProfintCore
@testable import ProfintServer
@testable import ProfintStore

/// The scheduler on a real SQLite file: one prompt per chat and local day,
/// no repeats, catch-up only for the same day.
@Suite(.serialized)
struct PromptSchedulerTests {
    static let engine = TelegramWebhookTests.engine
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("prompts-\(UUID().uuidString).sqlite").path

    func iso(_ s: String) -> Double { ISO8601DateFormatter().date(from: s)!.timeIntervalSince1970 }

    func scheduler(_ database: ProfintDatabase) -> PromptScheduler {
        PromptScheduler(prompts: PromptStore(database: database), engine: Self.engine, sender: nil, channels: ["telegram", "matrix"],
                        logger: Logger(label: "test"))
    }

    func cleanup() { for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + s) } }

    func subscribe(_ database: ProfintDatabase, chat: String = "42", time: String = "08:30", zone: String = "Europe/Paris",
                   language: String = "fr", everyDay: Bool = false) throws {
        try PromptStore(database: database).subscribe(Subscription(channel: "telegram", chat: chat, time: time, timezone: zone,
                                                                   language: language, everyDay: everyDay), now: 0)
    }

    func outboxTexts(_ database: ProfintDatabase) throws -> [String] {
        try ServiceStore(database: database).dueMessages(now: .infinity, limit: 10_000).compactMap {
            ((try? JSONSerialization.jsonObject(with: Data($0.body))) as? [String: Any])?["text"] as? String
        }
    }

    @Test func oneFrenchPromptAtLocalTimeThenNothingMoreThatDay() throws {
        defer { cleanup() }
        let database = try ProfintDatabase(path: path)
        try subscribe(database)
        let s = scheduler(database)
        #expect(try s.pass(now: iso("2026-11-30T07:29:00Z")).isEmpty)   // Monday 08:29 in Paris (winter, UTC+1)
        #expect(try s.pass(now: iso("2026-11-30T07:30:00Z")).count == 1)
        #expect(try s.pass(now: iso("2026-11-30T15:00:00Z")).isEmpty)
        let texts = try outboxTexts(database)
        #expect(texts.count == 1)
        let body = try #require(try ServiceStore(database: database).dueMessages(now: .infinity).first?.body)
        #expect((try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])?["chat_id"] as? Int == 42)
        let first = try #require(Self.engine.knowledge.item(id: Self.engine.promptIDs[0], language: .fr))
        #expect(texts[0].hasPrefix(first.title))
    }

    @Test func aMatrixRoomGetsThePromptWithItsSuccessFactorAsChoiceOne() throws {
        defer { cleanup() }
        let database = try ProfintDatabase(path: path)
        try PromptStore(database: database).subscribe(Subscription(channel: "matrix", chat: "!team:example.org", time: "09:00",
                                                                   timezone: "Europe/Rome", language: "it", everyDay: false), now: 0)
        let s = scheduler(database)
        #expect(try s.pass(now: iso("2026-11-30T08:00:00Z")).count == 1)   // Monday 09:00 in Rome
        let message = try #require(try ServiceStore(database: database).dueMessages(now: .infinity).first)
        #expect(message.channel == "matrix" && message.chat == "!team:example.org" && message.method == "m.room.message")
        let content = try #require(try JSONSerialization.jsonObject(with: Data(message.body)) as? [String: Any])
        let prompt = try #require(Self.engine.knowledge.item(id: Self.engine.promptIDs[0], language: .it))
        let body = content["body"] as? String ?? ""
        #expect(body.hasPrefix(prompt.title), "Italian prompt: \(body.prefix(80))")
        let factor = try #require(prompt.factor.flatMap { Self.engine.knowledge.item(id: $0, language: .it) })
        #expect(body.hasSuffix("1. " + factor.title))
        #expect(content["format"] as? String == "org.matrix.custom.html")
    }

    @Test func summerTimeMovesTheInstantNotTheLocalTime() throws {
        defer { cleanup() }
        let database = try ProfintDatabase(path: path)
        try subscribe(database)
        let s = scheduler(database)
        #expect(try s.pass(now: iso("2026-06-01T06:29:00Z")).isEmpty)   // Monday 08:29 in Paris (summer, UTC+2)
        #expect(try s.pass(now: iso("2026-06-01T06:30:00Z")).count == 1)
    }

    @Test func twoConcurrentPassesDeliverOnce() async throws {
        defer { cleanup() }
        let a = try ProfintDatabase(path: path)
        let b = try ProfintDatabase(path: path)   // a second process on the same file
        for chat in 1...50 { try subscribe(a, chat: "\(chat)") }
        let now = iso("2026-11-30T08:00:00Z")
        async let first = Task { try scheduler(a).pass(now: now).count }.value
        async let second = Task { try scheduler(b).pass(now: now).count }.value
        let total = try await first + second
        #expect(total == 50)
        #expect(try outboxTexts(a).count == 50)
    }

    @Test func catchUpSendsTodayLateButNeverYesterday() throws {
        defer { cleanup() }
        let database = try ProfintDatabase(path: path)
        try subscribe(database)
        let s = scheduler(database)
        #expect(try s.pass(now: iso("2026-11-27T07:30:00Z")).count == 1)   // Friday
        // Down all Monday morning: Monday's prompt goes late at 10:12, once.
        #expect(try s.pass(now: iso("2026-11-30T09:12:00Z")).count == 1)
        #expect(try s.pass(now: iso("2026-11-30T09:13:00Z")).isEmpty)
        // Down from Tuesday to Thursday noon: only Thursday's.
        let claimed = try s.pass(now: iso("2026-12-03T11:00:00Z"))
        #expect(claimed.map(\.day) == ["2026-12-03"])
    }

    @Test func chatsWithTheSameHistoryShareOneStoredRoundAndOldListsStillRead() throws {
        defer { cleanup() }
        let database = try ProfintDatabase(path: path)
        try subscribe(database, chat: "1")
        try subscribe(database, chat: "2")
        try subscribe(database, chat: "3")
        let bank = Self.engine.promptIDs
        // Chat 3 has a round stored the way it was before rounds were shared: the ids themselves.
        try database.writer.write { db in
            try db.execute(sql: "UPDATE subscription SET cycle = ? WHERE chat = '3'", arguments: [bank[0] + "," + bank[1]])
        }
        let s = scheduler(database)
        let claimed = try s.pass(now: iso("2026-11-30T07:30:00Z"))
        #expect(Dictionary(uniqueKeysWithValues: claimed.map { ($0.subscription.chat, $0.promptID) }) == ["1": bank[0], "2": bank[0], "3": bank[2]])
        let stored = try database.writer.read { db in try String.fetchAll(db, sql: "SELECT cycle FROM subscription ORDER BY chat") }
        #expect(stored[0] == stored[1] && stored[0].hasPrefix("@"), "one shared row for the same history: \(stored)")
        #expect(stored[2].hasPrefix("@") && stored[2] != stored[0])
        let entries = try PromptStore(database: database).all()
        #expect(entries.map(\.cycle) == [[bank[0]], [bank[0]], [bank[0], bank[1], bank[2]]])
        // The next day each goes on from its own round.
        let next = try s.pass(now: iso("2026-12-01T07:30:00Z"))
        #expect(Dictionary(uniqueKeysWithValues: next.map { ($0.subscription.chat, $0.promptID) }) == ["1": bank[1], "2": bank[1], "3": bank[3]])
        // Rounds nobody refers to any more are pruned.
        try ServiceStore(database: database).prune(now: iso("2026-12-01T08:00:00Z"))
        let rows = try database.writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM prompt_cycle") ?? 0 }
        #expect(rows == 2)
    }

    @Test func weekendsOnlyOnRequestAndNoRepeatUntilTheBankIsUsed() throws {
        defer { cleanup() }
        let database = try ProfintDatabase(path: path)
        try subscribe(database, chat: "101")
        try subscribe(database, chat: "102", everyDay: true)
        let s = scheduler(database)
        var ids: [String: [String]] = [:]
        for day in 0..<14 {
            let now = iso("2026-11-30T08:00:00Z") + Double(day) * 86_400
            for d in try s.pass(now: now) { ids[d.subscription.chat, default: []].append(d.promptID) }
        }
        #expect(ids["101"]?.count == 10)
        #expect(ids["102"]?.count == 14)
        #expect(Set(ids["102"]!).count == 14, "a prompt came twice before the bank was used")
    }

    @Test func removingTheSubscriptionStopsThePrompts() throws {
        defer { cleanup() }
        let database = try ProfintDatabase(path: path)
        try subscribe(database)
        #expect(try PromptStore(database: database).unsubscribe(channel: "telegram", chat: "42"))
        #expect(try scheduler(database).pass(now: iso("2026-11-30T08:00:00Z")).isEmpty)
    }
}
