import Testing
import Foundation
@testable import ProfintContent
@testable import ProfintCore
struct DebugTmp {
    @Test func debug() {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
        let loaded = ContentLoader.load(intents: root + "/Intents", knowledge: nil)
        let analyzer = TextAnalyzer(vocabulary: [:], lexicon: loaded.content.lexicon)
        let ex = SlotExtractor(vocabulary: loaded.content.slots, analyzer: analyzer)
        let toks = analyzer.analyze("could you answer me in Italian from now on?", .en)
        print("DBG", toks.map(\.stem), ex.extract(toks, .en))
        print("DBG", loaded.content.slots.languageCues[.en] ?? [], loaded.problems.prefix(5))
    }
}
