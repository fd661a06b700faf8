import Foundation

/// A file beside the database (`<database>.in-use`) that says a service ran
/// on it. Starting when the marker is there but the database is not means
/// the database was lost (deleted, a volume not mounted): the service
/// refuses rather than start empty and forget what was acknowledged.
enum DatabaseMarker {
    static func path(for database: String) -> String { database + ".in-use" }

    /// Throws when the database is missing but the marker says one existed.
    static func check(database: String) throws {
        let files = FileManager.default
        guard !files.fileExists(atPath: database), files.fileExists(atPath: path(for: database)) else { return }
        throw ServerConfiguration.Problem(description: """
            the database \(database) is missing, but a previous run used it (\(path(for: database)) exists): \
            acknowledged updates and every chat's state would be lost. Restore the file (with its -wal) or fix \
            PROFINT_DATABASE; to start with an empty database on purpose, delete \(path(for: database))
            """)
    }

    /// Marks the database as in use (after it was opened).
    static func mark(database: String) throws {
        let marker = path(for: database)
        guard !FileManager.default.fileExists(atPath: marker) else { return }
        try Data("profint serve uses \(database); see docs/DEPLOYMENT.md\n".utf8).write(to: URL(fileURLWithPath: marker))
    }
}
