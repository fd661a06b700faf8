import Foundation
import GRDB
import ProfintCore

/// Knowledge search on SQLite: one FTS5 table per language over the items'
/// stems, ranked with bm25 weighted title > summary > body, items filtered
/// by type and ranked first by shared topic, target group and country —
/// the same ranking as `InMemoryKnowledgeIndex`, its in-memory twin.
public struct SQLiteKnowledgeIndex: KnowledgeSearching {
    let database: ProfintDatabase
    /// Each language's items as stored (id, type, facets, rowid), read once
    /// when the index opens: a query asks SQLite only for the FTS5 ranking.
    private let shelves: [[Entry]]

    struct Entry: Sendable {
        var rowid: Int64
        var id: String
        var type: KnowledgeType
        var title: String
        var summary: String
        var topics: [String]
        var groups: [String]
        var countries: [String]
    }

    /// Opens the index already compiled in `database`.
    public init(database: ProfintDatabase) throws {
        self.database = database
        var shelves = [[Entry]](repeating: [], count: Language.allCases.count)
        let rows = try database.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT rowid, id, language, type, title, summary, topics, target_groups, countries FROM knowledge ORDER BY id")
        }
        for row in rows {
            guard let language = Language(rawValue: row["language"]) else { continue }
            func list(_ column: String) -> [String] { (row[column] as String).split(separator: ",").map(String.init) }
            shelves[language.index].append(Entry(
                rowid: row["rowid"], id: row["id"], type: KnowledgeType(rawValue: row["type"]) ?? .glossary,
                title: row["title"], summary: row["summary"], topics: list("topics"), groups: list("target_groups"),
                countries: list("countries")))
        }
        self.shelves = shelves
    }

    /// Compiles `items` into the database unless the same items are already
    /// there (same fingerprint), and returns the index.
    public static func build(items: [KnowledgeItem], analyzer: TextAnalyzer, database: ProfintDatabase) throws -> SQLiteKnowledgeIndex {
        try database.writer.write { db in
            for language in Language.allCases {
                let mine = items.filter { $0.language == language }.sorted { $0.id < $1.id }
                let fingerprint = Self.fingerprint(mine)
                let stored = try String.fetchOne(db, sql: "SELECT fingerprint FROM knowledge_fingerprint WHERE language = ?",
                                                 arguments: [language.rawValue])
                if stored == fingerprint { continue }
                try db.execute(sql: "DELETE FROM knowledge_fts_\(language.rawValue)")
                try db.execute(sql: "DELETE FROM knowledge WHERE language = ?", arguments: [language.rawValue])
                var memo = InMemoryKnowledgeIndex.TermMemo()
                for item in mine {
                    try db.execute(sql: """
                        INSERT INTO knowledge (id, language, type, title, summary, body, topics, target_groups, countries,
                                               related, sources, reviewed, stage, factor, follow_up)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [item.id, language.rawValue, item.type.rawValue, item.title, item.summary, item.body,
                                         item.topics.joined(separator: ","), item.targetGroups.joined(separator: ","),
                                         item.countries.joined(separator: ","), item.related.joined(separator: ","),
                                         item.sources.joined(separator: "\n"), item.reviewed, item.stage, item.factor, item.followUp])
                    let rowid = db.lastInsertedRowID
                    func stems(_ text: String) -> String {
                        InMemoryKnowledgeIndex.terms(text, language, analyzer, memo: &memo).joined(separator: " ")
                    }
                    try db.execute(sql: "INSERT INTO knowledge_fts_\(language.rawValue) (rowid, title, summary, body) VALUES (?, ?, ?, ?)",
                                   arguments: [rowid, stems(item.title), stems(item.summary), stems(item.body)])
                }
                try db.execute(sql: "INSERT OR REPLACE INTO knowledge_fingerprint (language, fingerprint) VALUES (?, ?)",
                               arguments: [language.rawValue, fingerprint])
            }
        }
        return try SQLiteKnowledgeIndex(database: database)
    }

    /// Changes whenever an item of the language changes.
    static func fingerprint(_ items: [KnowledgeItem]) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        func add(_ s: String) {
            for b in s.utf8 { h ^= UInt64(b); h &*= 0x100_0000_01b3 }
            h ^= 0xff
            h &*= 0x100_0000_01b3
        }
        for item in items {
            for field in [item.id, item.type.rawValue, item.title, item.summary, item.body, item.topics.joined(separator: ","),
                          item.targetGroups.joined(separator: ","), item.countries.joined(separator: ","),
                          item.related.joined(separator: ","), item.sources.joined(separator: ","), item.reviewed ?? "",
                          item.stage ?? "", item.factor ?? "", item.followUp ?? ""] {
                add(field)
            }
        }
        return "v1-\(items.count)-" + String(h, radix: 16)
    }

    public func item(id: String, language: Language) -> KnowledgeItem? {
        try? database.writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM knowledge WHERE id = ? AND language = ?", arguments: [id, language.rawValue])
                .map(Self.item(from:))
        }
    }

    static func item(from row: Row) -> KnowledgeItem {
        func list(_ column: String, _ separator: Character = ",") -> [String] {
            (row[column] as String? ?? "").split(separator: separator).map(String.init)
        }
        return KnowledgeItem(
            id: row["id"], language: Language(rawValue: row["language"]) ?? .en,
            type: KnowledgeType(rawValue: row["type"]) ?? .glossary, title: row["title"], summary: row["summary"],
            topics: list("topics"), targetGroups: list("target_groups"), countries: list("countries"),
            related: list("related"), sources: list("sources", "\n"), reviewed: row["reviewed"], body: row["body"],
            stage: row["stage"], factor: row["factor"], followUp: row["follow_up"])
    }

    public func search(_ query: KnowledgeQuery) -> [KnowledgeHit] {
        let language = query.language.rawValue
        let terms = Array(Set(query.terms)).sorted().filter { !$0.isEmpty }
        // SQLite FTS5 ranks the items whose stems match (bm25, title > summary > body).
        var relevance: [Int64: Double] = [:]
        if !terms.isEmpty {
            let match = terms.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined(separator: " OR ")
            let sql = """
                SELECT rowid, -bm25(knowledge_fts_\(language), \(InMemoryKnowledgeIndex.titleWeight), \
                \(InMemoryKnowledgeIndex.summaryWeight), \(InMemoryKnowledgeIndex.bodyWeight))
                FROM knowledge_fts_\(language) WHERE knowledge_fts_\(language) MATCH ?
                """
            let rows = (try? database.writer.read { db in
                try Row.fetchAll(db.cachedStatement(sql: sql), arguments: [match])
            }) ?? []
            for row in rows { relevance[row[0]] = row[1] }
        }
        let types = Set(query.types)
        var ranked: [(facets: Int, relevance: Double, entry: Entry)] = []
        for entry in shelves[query.language.index] where types.isEmpty || types.contains(entry.type) {
            var facets = 0
            if let topic = query.topic, entry.topics.contains(topic) { facets += 4 }
            if let group = query.targetGroup, entry.groups.contains(group) { facets += 2 }
            if let country = query.country, entry.countries.contains(country) { facets += 2 }
            ranked.append((facets, relevance[entry.rowid] ?? 0, entry))
        }
        if query.topic != nil || query.targetGroup != nil || query.country != nil {
            if ranked.contains(where: { $0.facets > 0 }) { ranked.removeAll { $0.facets == 0 } }
        } else if !terms.isEmpty, ranked.contains(where: { $0.relevance > 0 }) {
            ranked.removeAll { $0.relevance == 0 }
        }
        ranked.sort { a, b in
            if a.facets != b.facets { return a.facets > b.facets }
            if a.relevance != b.relevance { return a.relevance > b.relevance }
            return a.entry.id < b.entry.id
        }
        return ranked.map { r in
            KnowledgeHit(id: r.entry.id, type: r.entry.type, title: r.entry.title, summary: r.entry.summary,
                         score: r.relevance + Double(r.facets))
        }
    }
}
