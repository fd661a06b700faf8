import Foundation
import GRDB

/// The one SQLite database of PROFINT Guide: a file in WAL mode in
/// production, or memory for tests and one-off commands. Migrations are
/// versioned and never edited once shipped.
public struct ProfintDatabase: Sendable {
    public let writer: any DatabaseWriter

    /// Opens (creating if needed) the database at `path`, or an in-memory
    /// one when `path` is nil, and migrates it.
    public init(path: String?) throws {
        if let path {
            var configuration = Configuration()
            configuration.busyMode = .timeout(5)
            writer = try DatabasePool(path: path, configuration: configuration)
        } else {
            writer = try DatabaseQueue()
        }
        try Self.migrator.migrate(writer)
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-knowledge") { db in
            try db.execute(sql: """
                CREATE TABLE knowledge (
                    rowid INTEGER PRIMARY KEY,
                    id TEXT NOT NULL,
                    language TEXT NOT NULL,
                    type TEXT NOT NULL,
                    title TEXT NOT NULL,
                    summary TEXT NOT NULL,
                    body TEXT NOT NULL,
                    topics TEXT NOT NULL,
                    target_groups TEXT NOT NULL,
                    countries TEXT NOT NULL,
                    related TEXT NOT NULL,
                    sources TEXT NOT NULL,
                    reviewed TEXT,
                    stage TEXT,
                    factor TEXT,
                    follow_up TEXT,
                    UNIQUE (id, language)
                );
                CREATE TABLE knowledge_fingerprint (language TEXT PRIMARY KEY, fingerprint TEXT NOT NULL);
                """)
            for language in ["en", "fr", "it", "sv"] {
                // Stems are computed by the engine's Snowball stemmers; the
                // tokenizer also folds any diacritics left.
                try db.execute(sql: """
                    CREATE VIRTUAL TABLE knowledge_fts_\(language) USING fts5(
                        title, summary, body, tokenize = 'unicode61 remove_diacritics 2')
                    """)
            }
        }
        return migrator
    }
}
