import GRDB

/// The `cycle` of a subscription (the prompt ids already sent in its current
/// round through the bank) as stored: `""` for a new round, `@<id>` for a
/// row of `prompt_cycle` holding the comma-joined ids, or — as written before
/// that table existed — the comma-joined ids themselves. Chats that
/// subscribed together share their history, so they share one row, and a
/// pass rewrites a few bytes per subscription however long the round is.
final class PromptCycles {
    private let db: Database
    private var texts: [Int64: String] = [:]
    private var references: [String: Int64] = [:]

    init(_ db: Database) throws {
        self.db = db
        for row in try Row.fetchAll(db, sql: "SELECT id, ids FROM prompt_cycle") {
            let id: Int64 = row[0], ids: String = row[1]
            texts[id] = ids
            references[ids] = id
        }
    }

    /// The comma-joined ids of a stored value (an unknown reference reads as a new round).
    func ids(of stored: String) -> String {
        guard stored.hasPrefix("@") else { return stored }
        return Int64(stored.dropFirst()).flatMap { texts[$0] } ?? ""
    }

    /// The value to store for comma-joined ids, adding a row the first time.
    func reference(to ids: String) throws -> String {
        guard !ids.isEmpty else { return "" }
        if let id = references[ids] { return "@\(id)" }
        try db.execute(sql: "INSERT INTO prompt_cycle (ids) VALUES (?)", arguments: [ids])
        let id = db.lastInsertedRowID
        texts[id] = ids
        references[ids] = id
        return "@\(id)"
    }

    /// Removes the rows no subscription refers to any more.
    static func prune(_ db: Database) throws {
        try db.execute(sql: "DELETE FROM prompt_cycle WHERE '@' || id NOT IN (SELECT cycle FROM subscription)")
    }
}
