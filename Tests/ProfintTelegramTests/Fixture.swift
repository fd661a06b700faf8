import Foundation
@testable import ProfintTelegram

/// Recorded Bot API payloads in `Fixtures/updates/`.
enum Fixture {
    static let bot = TelegramBotIdentity(id: 7_123_456_789, username: "profint_test_bot")

    static func data(_ name: String) throws -> Data {
        let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()
            .appendingPathComponent("Fixtures/updates/\(name).json")
        return try Data(contentsOf: url)
    }

    static func update(_ name: String) throws -> TelegramUpdate {
        try JSONDecoder().decode(TelegramUpdate.self, from: data(name))
    }

    static func update(json: String) throws -> TelegramUpdate {
        try JSONDecoder().decode(TelegramUpdate.self, from: Data(json.utf8))
    }

    static func event(_ name: String) throws -> TelegramEvent {
        TelegramInbound.event(for: try update(name), bot: bot)
    }

    static func event(json: String) throws -> TelegramEvent {
        TelegramInbound.event(for: try update(json: json), bot: bot)
    }
}
