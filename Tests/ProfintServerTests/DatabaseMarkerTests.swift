import Foundation
import Testing
@testable import ProfintServer
@testable import ProfintStore

/// A database that disappeared between two runs stops the start.
struct DatabaseMarkerTests {
    @Test func aMissingDatabaseThatAPreviousRunUsedIsRefused() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("marker-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("profint.sqlite").path
        // First start: nothing there, nothing expected.
        try DatabaseMarker.check(database: path)
        _ = try ProfintDatabase(path: path)
        try DatabaseMarker.mark(database: path)
        try DatabaseMarker.check(database: path)
        // The file is lost: the next start refuses, naming what to do.
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        #expect {
            try DatabaseMarker.check(database: path)
        } throws: { error in
            "\(error)".hasPrefix("the database \(path) is missing, but a previous run used it")
                && "\(error)".hasSuffix("delete \(path).in-use")
        }
        // Removing the marker is the deliberate way to start empty.
        try FileManager.default.removeItem(atPath: path + ".in-use")
        try DatabaseMarker.check(database: path)
    }
}
