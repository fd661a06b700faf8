import Foundation
import GRDB
import Testing
@testable import ProfintContent
@testable import ProfintCore
@testable import ProfintStore

/// The SQLite FTS5 index answers like its in-memory twin, from a real file.
@Suite(.serialized)
struct SQLiteKnowledgeIndexTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let loaded = ContentLoader.load(intents: root + "/Intents", knowledge: root + "/Knowledge")
    static let engine = Engine(content: loaded.content)

    func temporaryFile() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("profint-\(UUID().uuidString).sqlite").path
    }

    @Test func sameItemsAsTheInMemoryIndexForEveryTypeTopicAndLanguage() throws {
        let sqlite = try SQLiteKnowledgeIndex.build(items: Self.loaded.content.knowledge, analyzer: Self.engine.analyzer,
                                                    database: ProfintDatabase(path: nil))
        let memory = Self.engine.knowledge
        var compared = 0
        for query in KnowledgeQueries.all(engine: Self.engine) {
            let a = memory.search(query), b = sqlite.search(query)
            #expect(Set(a.map(\.id)) == Set(b.map(\.id)), "\(query)")
            // The facets decide the head of the list in both.
            if let x = a.first, let y = b.first {
                #expect(facets(x, query) == facets(y, query), "\(query): \(x.id) vs \(y.id)")
            }
            compared += 1
        }
        #expect(compared == 4 * 4 * 15)
    }

    func facets(_ hit: KnowledgeHit, _ query: KnowledgeQuery) -> Int {
        let item = Self.engine.knowledge.item(id: hit.id, language: query.language)!
        return (query.topic.map { item.topics.contains($0) ? 4 : 0 } ?? 0)
            + (query.targetGroup.map { item.targetGroups.contains($0) ? 2 : 0 } ?? 0)
            + (query.country.map { item.countries.contains($0) ? 2 : 0 } ?? 0)
    }

    @Test func wordsOfTheTitleRankItFirst() throws {
        let sqlite = try SQLiteKnowledgeIndex.build(items: Self.loaded.content.knowledge, analyzer: Self.engine.analyzer,
                                                    database: ProfintDatabase(path: nil))
        let item = Self.loaded.content.knowledge.first { $0.id == "tool-interpreter-briefing-sheet" && $0.language == .fr }!
        let terms = Self.engine.analyzer.analyze(item.title, .fr).map(\.stem)
        let hits = sqlite.search(KnowledgeQuery(language: .fr, types: [.tool], terms: terms))
        #expect(hits.first?.id == "tool-interpreter-briefing-sheet")
        #expect(hits.first?.title == item.title)
    }

    @Test func itemsRoundTripThroughTheFile() throws {
        let path = temporaryFile()
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        _ = try SQLiteKnowledgeIndex.build(items: Self.loaded.content.knowledge, analyzer: Self.engine.analyzer,
                                           database: ProfintDatabase(path: path))
        // A second process opening the same file finds every item, in every language.
        let reopened = try SQLiteKnowledgeIndex(database: try ProfintDatabase(path: path))
        for original in Self.loaded.content.knowledge.prefix(50) {
            let item = try #require(reopened.item(id: original.id, language: original.language))
            // The file keeps what replies show; review dates and helplines stay in the content.
            var shown = original
            shown.reviewDue = nil
            shown.lines = []
            #expect(item == shown)
        }
        let mode = try ProfintDatabase(path: path).writer.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
    }

    @Test func unchangedContentIsNotReindexedAndChangedContentIs() throws {
        let database = try ProfintDatabase(path: nil)
        var items = Self.loaded.content.knowledge
        _ = try SQLiteKnowledgeIndex.build(items: items, analyzer: Self.engine.analyzer, database: database)
        func rowids() throws -> [Int64] {
            try database.writer.read { db in try Int64.fetchAll(db, sql: "SELECT rowid FROM knowledge WHERE language = 'it' ORDER BY rowid") }
        }
        let before = try rowids()
        _ = try SQLiteKnowledgeIndex.build(items: items, analyzer: Self.engine.analyzer, database: database)
        #expect(try rowids() == before)
        let i = items.firstIndex { $0.language == .it && $0.type == .caseStudy }!
        items[i].title = "Un titolo nuovo per la prova"
        let index = try SQLiteKnowledgeIndex.build(items: items, analyzer: Self.engine.analyzer, database: database)
        #expect(try rowids() != before)
        #expect(index.item(id: items[i].id, language: .it)?.title == "Un titolo nuovo per la prova")
    }
}

/// Every type × topic × language, with and without words, and a few facets.
enum KnowledgeQueries {
    static func all(engine: Engine) -> [KnowledgeQuery] {
        var out: [KnowledgeQuery] = []
        for language in Language.allCases {
            for type in [KnowledgeType.caseStudy, .tool, .goodPractice, .recommendation] {
                for topic in SlotName.topic.allowedValues ?? [] {
                    let words = engine.slotVocabulary.name(of: topic, slot: .topic, in: language)
                    out.append(KnowledgeQuery(language: language, types: [type], topic: topic,
                                              terms: engine.analyzer.analyze(words, language).map(\.stem)))
                }
                out.append(KnowledgeQuery(language: language, types: [type], targetGroup: "women", country: "SE"))
            }
        }
        return out
    }
}
