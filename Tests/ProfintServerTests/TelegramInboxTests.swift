import Foundation
import Logging
import Testing
@testable import ProfintCore
@testable import ProfintServer
@testable import ProfintStore
import ProfintTelegram

/// The Telegram inbox: what the webhook acknowledged is processed once, in
/// order per chat, also by a service started after a crash.
@Suite(.serialized)
struct TelegramInboxTests {
    static func channel(_ store: ServiceStore) throws -> TelegramChannel {
        let configuration = try ServerConfiguration.from([
            "PROFINT_TELEGRAM_TOKEN": "123456:abc", "PROFINT_TELEGRAM_SECRET": "s3cret",
            "PROFINT_TELEGRAM_BOT_USERNAME": "profint_test_bot",
        ])
        let metrics = ServiceMetrics()
        let logger = Logger(label: "test")
        let sender = OutboxSender(store: store, api: RecordingBotAPI(), metrics: metrics, logger: logger)
        return TelegramChannel(engine: TelegramWebhookTests.engine, store: store, sender: sender, metrics: metrics, logger: logger,
                               configuration: configuration, identity: TelegramBotIdentity(id: 123456, username: "profint_test_bot"))
    }

    static func update(_ id: Int, chat: Int64, text: String) throws -> (TelegramUpdate, Data) {
        let body = Data(TelegramWebhookTests.message(id, chat: chat, text: text).utf8)
        return (try JSONDecoder().decode(TelegramUpdate.self, from: body), body)
    }

    func texts(_ store: ServiceStore, chat: Int) throws -> [String] {
        try store.dueMessages(now: .infinity, limit: 1000).compactMap {
            let object = (try? JSONSerialization.jsonObject(with: Data($0.body))) as? [String: Any]
            return object?["chat_id"] as? Int == chat ? object?["text"] as? String : nil
        }
    }

    @Test func aChatsUpdatesAcceptedTogetherAreProcessedInOrder() async throws {
        let store = ServiceStore(database: try ProfintDatabase(path: nil))
        let telegram = try Self.channel(store)
        // Three chats, each subscribing then unsubscribing: one batch, two rounds.
        for (offset, chat) in [Int64(501), 502, 503].enumerated() {
            let (first, firstBody) = try Self.update(100 + offset * 2, chat: chat, text: "/subscribe 08:30")
            let (second, secondBody) = try Self.update(101 + offset * 2, chat: chat, text: "/unsubscribe")
            try await telegram.accept(updateID: first.updateID, body: firstBody)
            try await telegram.accept(updateID: second.updateID, body: secondBody)
        }
        #expect(try UpdateInbox.telegram(store).pendingCount() == 6)
        #expect(await telegram.drain() == 6)
        #expect(try UpdateInbox.telegram(store).pendingCount() == 0)
        for chat in [501, 502, 503] {
            let replies = try texts(store, chat: chat)
            #expect(replies.count == 2)
            #expect(replies.first?.contains("08:30") == true)
            // Unsubscribing came second, so nothing is left subscribed.
            #expect(try store.subscription(channel: "telegram", chat: String(chat)) == nil)
        }
    }

    @Test func updatesAcceptedConcurrentlyAreEachStoredAndAnsweredOnce() async throws {
        let store = ServiceStore(database: try ProfintDatabase(path: nil))
        let telegram = try Self.channel(store)
        let updates = try (0..<200).map { try Self.update(1000 + $0, chat: Int64(7000 + $0 % 40), text: "ciao") }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (update, body) in updates + updates.prefix(50) {
                group.addTask { try await telegram.accept(updateID: update.updateID, body: body) }
            }
            try await group.waitForAll()
        }
        #expect(try UpdateInbox.telegram(store).pendingCount() == 200)
        while await telegram.drain() > 0 {}
        #expect(try await store.dueMessages(now: .infinity, limit: 1000).count == 200)
        // A re-delivery after processing is recognised when processed: no second reply.
        try await telegram.accept(updateID: updates[0].0.updateID, body: updates[0].1)
        while await telegram.drain() > 0 {}
        #expect(try UpdateInbox.telegram(store).pendingCount() == 0)
        #expect(try await store.dueMessages(now: .infinity, limit: 1000).count == 200)
    }

    @Test func whatWasAcknowledgedBeforeACrashIsProcessedAfterTheRestart() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("inbox-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        do {
            let store = ServiceStore(database: try ProfintDatabase(path: path))
            let telegram = try Self.channel(store)
            let (update, body) = try Self.update(77, chat: 880, text: "Tu as un cas concret sur la coordination ?")
            try await telegram.accept(updateID: update.updateID, body: body)
            // No drain: the process "dies" here with the update acknowledged.
        }
        let store = ServiceStore(database: try ProfintDatabase(path: path))
        #expect(try UpdateInbox.telegram(store).pendingCount() == 1)
        let telegram = try Self.channel(store)
        #expect(await telegram.drain() == 1)
        let replies = try texts(store, chat: 880)
        #expect(replies.count == 1)
        #expect(try store.isProcessed(channel: "telegram", update: "77"))
    }
}
