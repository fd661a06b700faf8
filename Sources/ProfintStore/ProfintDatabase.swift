import Foundation
import GRDB

/// The one SQLite database of PROFINT Guide: a file in WAL mode in
/// production, or memory for tests and one-off commands. Migrations are
/// versioned and never edited once shipped.
public struct ProfintDatabase: Sendable {
    public let writer: any DatabaseWriter
    /// The page cache of the writing connection (`PRAGMA cache_size`:
    /// negative, KiB): what the service's memory grows to as the database grows.
    static let cacheSize = -8000
    /// The page cache of each reading connection: pages come through the
    /// memory map, and a reader's cache is dropped whenever the writer commits.
    static let readerCacheSize = -2000
    /// The writer's page cache during a prompt pass over most subscriptions.
    static let passCacheSize = -32000
    /// A connection of its own for WAL checkpoints (see `checkpoint()`), when
    /// they are not left to the commits.
    let checkpointer: DatabaseQueue?

    /// Opens (creating if needed) the database at `path`, or an in-memory
    /// one when `path` is nil, and migrates it.
    ///
    /// With `checkpointsInBackground`, commits never copy the write-ahead
    /// log back into the database file (SQLite's automatic checkpoint, with
    /// its fsync, would then fall on whichever commit crosses the threshold:
    /// a webhook waiting for its acknowledgement); the owner calls
    /// `checkpoint()` regularly instead (`profint serve` does every second).
    public init(path: String?, checkpointsInBackground: Bool = false) throws {
        if let path {
            var configuration = Configuration()
            configuration.busyMode = .timeout(5)
            // WAL with synchronous=NORMAL: a commit survives a crash of the
            // process (the case the outbox guards against); only a power
            // loss or OS crash can undo the last commits. Each commit no
            // longer waits for an fsync.
            configuration.prepareDatabase { db in
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
                // Deleted rows (message text in the inboxes and the outbox) are overwritten
                // with zeros, not left in free pages.
                try db.execute(sql: "PRAGMA secure_delete = ON")
                // Pages through memory mapping rather than a read() per page.
                try db.execute(sql: "PRAGMA mmap_size = 268435456")
                // A bounded page cache per connection; a large prompt pass raises it
                // for its own transaction (`passCacheSize`).
                try db.execute(sql: "PRAGMA cache_size = \(db.configuration.readonly ? Self.readerCacheSize : Self.cacheSize)")
                if checkpointsInBackground { try db.execute(sql: "PRAGMA wal_autocheckpoint = 0") }
            }
            writer = try DatabasePool(path: path, configuration: configuration)
            var plain = Configuration()
            plain.busyMode = .timeout(5)
            checkpointer = checkpointsInBackground ? try DatabaseQueue(path: path, configuration: plain) : nil
        } else {
            writer = try DatabaseQueue()
            checkpointer = nil
        }
        try Self.migrator.migrate(writer)
    }

    /// Copies what the write-ahead log holds back into the database file
    /// without waiting for readers or blocking writers (a passive
    /// checkpoint, on a connection of its own). Returns the log's size and
    /// how much of it is now in the database file, in pages; nil when
    /// checkpoints are left to the commits.
    ///
    /// With `truncate`, waits for readers and writers (up to the busy
    /// timeout), copies the whole log and empties the `-wal` file, so that
    /// the frames of deleted rows leave the disk.
    @discardableResult
    public func checkpoint(truncate: Bool = false) throws -> (logPages: Int, checkpointedPages: Int)? {
        guard let checkpointer else { return nil }
        return try checkpointer.writeWithoutTransaction { db in
            let row = try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(\(truncate ? "TRUNCATE" : "PASSIVE"))")
            if truncate, (row?[0] as Int?) == 1 { throw DatabaseError(resultCode: .SQLITE_BUSY, message: "WAL checkpoint (TRUNCATE) could not finish") }
            return (row?[1] ?? 0, row?[2] ?? 0)
        }
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
        migrator.registerMigration("v2-service") { db in
            try db.execute(sql: """
                -- Each channel update is processed once: the primary key makes the check atomic.
                CREATE TABLE processed_update (
                    channel TEXT NOT NULL,
                    update_key TEXT NOT NULL,
                    processed_at REAL NOT NULL,
                    PRIMARY KEY (channel, update_key)
                );
                -- Dialogue state per chat (no message text), with an expiry.
                CREATE TABLE conversation (
                    channel TEXT NOT NULL,
                    chat TEXT NOT NULL,
                    state BLOB NOT NULL,
                    updated_at REAL NOT NULL,
                    expires_at REAL NOT NULL,
                    PRIMARY KEY (channel, chat)
                );
                -- Outbound calls, written in the transaction that records the update.
                CREATE TABLE outbox (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    channel TEXT NOT NULL,
                    chat TEXT NOT NULL,
                    is_group INTEGER NOT NULL DEFAULT 0,
                    method TEXT NOT NULL,
                    body BLOB NOT NULL,
                    created_at REAL NOT NULL,
                    next_attempt_at REAL NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    last_error TEXT
                );
                CREATE INDEX outbox_due ON outbox (next_attempt_at, id);
                -- Calls that could not be delivered (other 4xx), kept for inspection.
                CREATE TABLE outbox_failed (
                    id INTEGER PRIMARY KEY,
                    channel TEXT NOT NULL,
                    chat TEXT NOT NULL,
                    method TEXT NOT NULL,
                    status INTEGER,
                    error TEXT NOT NULL,
                    failed_at REAL NOT NULL
                );
                CREATE TABLE subscription (
                    channel TEXT NOT NULL,
                    chat TEXT NOT NULL,
                    time TEXT NOT NULL,
                    timezone TEXT NOT NULL,
                    language TEXT NOT NULL,
                    every_day INTEGER NOT NULL DEFAULT 0,
                    created_at REAL NOT NULL,
                    PRIMARY KEY (channel, chat)
                );
                -- Chats the bot introduced itself to (once per group).
                CREATE TABLE introduced_chat (
                    channel TEXT NOT NULL,
                    chat TEXT NOT NULL,
                    PRIMARY KEY (channel, chat)
                );
                """)
        }
        migrator.registerMigration("v3-prompts") { db in
            try db.execute(sql: """
                -- When the subscription's next prompt is due (UTC seconds), the last local
                -- day one was sent, and the prompt ids used in the current cycle.
                ALTER TABLE subscription ADD COLUMN next_due_at REAL;
                ALTER TABLE subscription ADD COLUMN last_sent_day TEXT;
                ALTER TABLE subscription ADD COLUMN cycle TEXT NOT NULL DEFAULT '';
                CREATE INDEX subscription_due ON subscription (next_due_at);
                -- One prompt per chat per local day: the primary key guarantees it,
                -- also with two processes or a repeated pass.
                CREATE TABLE prompt_delivery (
                    channel TEXT NOT NULL,
                    chat TEXT NOT NULL,
                    local_day TEXT NOT NULL,
                    prompt_id TEXT NOT NULL,
                    claimed_at REAL NOT NULL,
                    PRIMARY KEY (channel, chat, local_day)
                );
                """)
        }
        migrator.registerMigration("v4-outbox-templates") { db in
            try db.execute(sql: """
                -- One body shared by many outbox rows (the same daily prompt to many
                -- chats): the row's chat id replaces the placeholder when it is sent.
                CREATE TABLE outbox_template (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    body BLOB NOT NULL,
                    created_at REAL NOT NULL
                );
                ALTER TABLE outbox ADD COLUMN template_id INTEGER REFERENCES outbox_template(id);
                """)
        }
        migrator.registerMigration("v5-matrix") { db in
            try db.execute(sql: """
                -- Matrix events acknowledged to the homeserver and not yet processed. The
                -- event id is unique, so a re-sent transaction adds nothing; a row is
                -- deleted in the transaction that processes it (its text is kept no longer).
                CREATE TABLE matrix_inbox (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    event_id TEXT NOT NULL UNIQUE,
                    room_id TEXT NOT NULL,
                    event BLOB NOT NULL,
                    received_at REAL NOT NULL
                );
                -- What the bot knows of a room: its joined member count (NULL: ask the
                -- homeserver) and whether it already said it cannot read encryption.
                CREATE TABLE matrix_room (
                    room_id TEXT PRIMARY KEY,
                    members INTEGER,
                    encrypted_notice INTEGER NOT NULL DEFAULT 0
                );
                """)
        }
        migrator.registerMigration("v6-prompt-delivery-without-rowid") { db in
            try db.execute(sql: """
                -- The claims keyed by their primary key alone (WITHOUT ROWID): one B-tree to
                -- insert into per claim instead of a table and its primary-key index. The
                -- primary key, and so one prompt per chat and local day, is unchanged.
                CREATE TABLE prompt_delivery_v6 (
                    channel TEXT NOT NULL,
                    chat TEXT NOT NULL,
                    local_day TEXT NOT NULL,
                    prompt_id TEXT NOT NULL,
                    claimed_at REAL NOT NULL,
                    PRIMARY KEY (channel, chat, local_day)
                ) WITHOUT ROWID;
                INSERT INTO prompt_delivery_v6 (channel, chat, local_day, prompt_id, claimed_at)
                    SELECT channel, chat, local_day, prompt_id, claimed_at FROM prompt_delivery;
                DROP TABLE prompt_delivery;
                ALTER TABLE prompt_delivery_v6 RENAME TO prompt_delivery;
                """)
        }
        migrator.registerMigration("v7-prompt-cycles") { db in
            try db.execute(sql: """
                -- The rounds through the prompt bank, shared by the subscriptions that have the
                -- same history: subscription.cycle holds '@<id>' instead of the whole list.
                CREATE TABLE prompt_cycle (
                    id INTEGER PRIMARY KEY,
                    ids TEXT NOT NULL UNIQUE
                );
                """)
        }
        migrator.registerMigration("v8-telegram-inbox") { db in
            try db.execute(sql: """
                -- Telegram updates acknowledged to the webhook and not yet processed. Telegram
                -- numbers updates in the order they happened, so the update id is both the
                -- key (a re-delivery while waiting adds nothing) and the order; the chat is
                -- read from the body when it is processed. A row is deleted in the
                -- transaction that processes it.
                CREATE TABLE telegram_inbox (
                    update_id INTEGER PRIMARY KEY,
                    body BLOB NOT NULL,
                    received_at REAL NOT NULL
                );
                """)
        }
        migrator.registerMigration("v9-fair-outbox") { db in
            try db.execute(sql: """
                -- Each chat's oldest call first: the sender reads the head of every chat
                -- (MIN(id) per channel and chat) through this index.
                CREATE INDEX outbox_chat ON outbox (channel, chat, id);
                -- When rate-limited calls were started, so that Telegram's limits (per chat,
                -- per group, overall) hold across a restart. Rows older than a minute are
                -- deleted as new ones are written.
                CREATE TABLE outbox_send (
                    channel TEXT NOT NULL,
                    chat TEXT NOT NULL,
                    is_group INTEGER NOT NULL,
                    sent_at REAL NOT NULL
                );
                CREATE INDEX outbox_send_time ON outbox_send (sent_at);
                """)
        }
        migrator.registerMigration("v10-readiness-probe") { db in
            try db.execute(sql: """
                -- One row rewritten by /readyz (at most once a second): proof that the
                -- database can still be written (disk full, read-only file system).
                CREATE TABLE readiness_probe (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    probed_at REAL NOT NULL
                );
                """)
        }
        return migrator
    }
}
