import Foundation
import Testing

/// `profint serve` refuses to start empty when the database a previous run used is gone.
struct MissingDatabaseTests {
    @Test func serveRefusesAMissingDatabaseThatAPreviousRunUsed() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("missing-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("profint.sqlite").path
        FileManager.default.createFile(atPath: database + ".in-use", contents: Data("used\n".utf8))
        let output = try ProfintBinary.run(["serve", "--port", "1", "--database", database])
        #expect(output.status == 1)
        #expect(output.stderr.contains("Error: the database \(database) is missing, but a previous run used it"))
        #expect(!FileManager.default.fileExists(atPath: database), "an empty database was created")
    }
}
