import ArgumentParser
import Foundation
import ProfintContent
import ProfintCore
import ProfintStore

/// `profint index`: compiles Knowledge/ into a SQLite file with FTS5.
struct IndexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Compile Knowledge/ into the SQLite database (FTS5 per language); unchanged languages are kept."
    )

    @OptionGroup var content: ContentOptions

    func run() throws {
        guard let path = content.database else {
            throw ValidationError("--database FILE is required (the SQLite file to write)")
        }
        let start = Date()
        let (engine, loaded) = try content.engine(explain: false, defaultIndex: .sqlite)
        let items = Set(loaded.content.knowledge.map(\.id)).count
        let languages = Set(loaded.content.knowledge.map(\.language)).count
        _ = engine
        print(String(format: "indexed %d items in %d languages into %@ in %.0f ms", items, languages, path as NSString,
                     Date().timeIntervalSince(start) * 1000))
    }
}
