import Foundation
import Testing
@testable import ProfintContent
@testable import ProfintCore

/// The content shipped in Intents/ and Knowledge/ is complete and consistent.
struct BundledContentTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let loaded = ContentLoader.load(intents: root + "/Intents", knowledge: root + "/Knowledge")

    @Test func passesTheCheck() {
        let problems = ContentValidator.validate(Self.loaded, intentsPath: "Intents")
        #expect(problems.isEmpty, "\(problems.prefix(20).map(\.description).joined(separator: "\n"))")
    }

    @Test func everyLanguageHasTheSameItemsAndIntents() {
        let items = Self.loaded.content.knowledge
        let english = Set(items.filter { $0.language == .en }.map(\.id))
        #expect(english.count >= 200)
        for language in Language.allCases {
            #expect(Set(items.filter { $0.language == language }.map(\.id)) == english, "\(language)")
            for intent in Self.loaded.content.intents {
                #expect((intent.examples[language] ?? []).count >= 15, "\(intent.id) \(language)")
                #expect((intent.responses[language] ?? []).count >= 2, "\(intent.id) \(language)")
            }
        }
    }

    @Test func theCatalogueIsComplete() {
        let ids = Set(Self.loaded.content.intents.map(\.id))
        #expect(Set(IntentCatalogue.ids).isSubset(of: ids))
    }

    @Test(arguments: [
        (KnowledgeType.successFactor, 8), (.recommendation, 16), (.caseStudy, 16), (.tool, 16), (.goodPractice, 16),
        (.module, 8), (.skill, 12), (.prompt, 90), (.countryGuide, 3), (.glossary, 30), (.partner, 4),
    ])
    func knowledgeHasAtLeast(type: KnowledgeType, count: Int) {
        let ids = Set(Self.loaded.content.knowledge.filter { $0.type == type }.map(\.id))
        #expect(ids.count >= count)
    }

    @Test func countryItemsCarryAReviewDateAndSayRulesChange() {
        for item in Self.loaded.content.knowledge where item.type == .countryGuide {
            #expect(item.reviewed != nil, "\(item.id)")
        }
    }

    @Test func theAboutAnswerSaysThisIsNotTheOfficialText() throws {
        let about = try #require(Self.loaded.content.intents.first { $0.id == "profint.about" })
        for language in Language.allCases {
            for response in about.responses[language] ?? [] {
                let text = Folding.fold(Folding.normalize(response))
                let says = ["official", "officiel", "ufficiale", "officiell"].contains { text.contains($0) }
                #expect(says, "\(language): \(response)")
            }
        }
    }

    @Test func everyItemIsReachable() {
        let engine = Engine(content: Self.loaded.content)
        let cited = ConversationScript.all(in: Self.root + "/Tests/Conversations").reduce(into: Set<String>()) {
            $0.formUnion($1.citations(engine: engine))
        }
        let unreached = Coverage.unreached(engine: engine, content: Self.loaded.content, cited: cited)
        #expect(unreached.isEmpty, "\(unreached)")
    }
}
