import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import ProfintServer
@testable import ProfintStore

/// `/readyz` tells the truth about the database file.
@Suite(.serialized)
struct ReadinessTests {
    static func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("ready-\(UUID().uuidString).sqlite").path
    }

    static func remove(_ path: String) {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    func app(_ database: ProfintDatabase, _ readiness: Readiness) throws -> some ApplicationProtocol {
        let parts = ProfintApplication.Parts(engine: TelegramWebhookTests.engine, store: ServiceStore(database: database), metrics: ServiceMetrics(),
                                             telegram: nil, matrix: nil, sender: nil, scheduler: nil, readiness: readiness)
        return Application(router: ProfintApplication.router(parts: parts, configuration: ServerConfiguration()))
    }

    func readyz(_ client: some TestClientProtocol) async throws -> (HTTPResponse.Status, String) {
        try await client.execute(uri: "/readyz", method: .get) { ($0.status, String(buffer: $0.body)) }
    }

    @Test func aDeletedDatabaseFileIsNotReady() async throws {
        let path = Self.temporaryPath()
        defer { Self.remove(path) }
        let database = try ProfintDatabase(path: path)
        try await app(database, Readiness(database: database, path: path)).test(.router) { client in
            #expect(try await readyz(client).0 == .ok)
            Self.remove(path)
            let (status, text) = try await readyz(client)
            #expect(status == .serviceUnavailable)
            #expect(text == "not ready: database file \(path) was deleted\n")
        }
    }

    @Test func aReplacedDatabaseFileIsNotReady() async throws {
        let path = Self.temporaryPath()
        defer { Self.remove(path) }
        let database = try ProfintDatabase(path: path)
        try await app(database, Readiness(database: database, path: path)).test(.router) { client in
            try FileManager.default.moveItem(atPath: path, toPath: path + ".old")
            defer { try? FileManager.default.removeItem(atPath: path + ".old") }
            FileManager.default.createFile(atPath: path, contents: Data())
            let (status, text) = try await readyz(client)
            #expect(status == .serviceUnavailable)
            #expect(text.contains("was replaced"))
        }
    }

    @Test func aDatabaseThatCannotBeWrittenIsNotReadyUntilItCanAgain() async throws {
        let path = Self.temporaryPath()
        defer { Self.remove(path) }
        let database = try ProfintDatabase(path: path)
        let clock = ManualClock()
        let readiness = Readiness(database: database, path: path, clock: { clock.now })
        try await app(database, readiness).test(.router) { client in
            #expect(try await readyz(client).0 == .ok)
            // Writes refused, as on a read-only file system.
            try await database.writer.writeWithoutTransaction { try $0.execute(sql: "PRAGMA query_only = 1") }
            #expect(try await readyz(client).0 == .ok, "probed again within the second")
            clock.advance(1)
            let (status, text) = try await readyz(client)
            #expect(status == .serviceUnavailable)
            #expect(text.hasPrefix("not ready: database cannot be written"))
            try await database.writer.writeWithoutTransaction { try $0.execute(sql: "PRAGMA query_only = 0") }
            clock.advance(1)
            #expect(try await readyz(client).0 == .ok)
        }
    }

    @Test func failedWebhookWritesInARowAreNotReady() async throws {
        let database = try ProfintDatabase(path: nil)
        let readiness = Readiness(database: database, path: nil)
        try await app(database, readiness).test(.router) { client in
            for _ in 0..<3 { readiness.recordWrite(succeeded: false) }
            let (status, text) = try await readyz(client)
            #expect(status == .serviceUnavailable)
            #expect(text == "not ready: the last 3 webhook writes failed\n")
            readiness.recordWrite(succeeded: true)
            let after = try await readyz(client)
            #expect(after.0 == .ok)
        }
    }
}
