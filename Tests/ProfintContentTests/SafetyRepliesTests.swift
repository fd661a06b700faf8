import Foundation
import Testing
@testable import ProfintContent
@testable import ProfintCore

/// Every number a safety reply gives comes from a `helplines` item, and each
/// country's replies carry its own lines: one source of truth for numbers.
struct SafetyRepliesTests {
    static let engine = Engine(content: BundledContentTests.loaded.content)
    static let intents = [IntentID.emergency, IntentID.selfHarm, IntentID.violence, IntentID.exploitation,
                          IntentID.child, IntentID.homeless, IntentID.individualCase]
    static let countries: [String?] = [nil, "FR", "IT", "SE"]

    /// Runs of digits, spaces and dashes that hold at least three digits
    /// ("112", "020-50 50 50", "800 290 290"), as digits only.
    static func numbers(in text: String) -> [String] {
        var out: [String] = []
        var current = ""
        func flush() {
            let digits = current.filter(\.isASCII).filter(\.isNumber)
            if digits.count >= 3 { out.append(String(digits)) }
            current = ""
        }
        for c in text {
            if c.isASCII && c.isNumber { current.append(c) }
            else if (c == " " || c == "-"), !current.isEmpty { current.append(c) }
            else { flush() }
        }
        flush()
        return out
    }

    @Test func theThreeCountriesAndTheEUHaveHelplines() {
        let directory = Self.engine.index.helplines
        #expect(directory.countries == ["FR", "IT", "SE"])
        for language in Language.allCases {
            #expect(directory.lines(country: nil, serving: [.emergency], language: language).first?.number == "112", "\(language)")
        }
    }

    @Test(arguments: intents)
    func everyNumberInAReplyIsAListedHelpline(intent: String) {
        let listed = Self.engine.index.helplines.publicNumbers
        for language in Language.allCases {
            for country in Self.countries {
                for seed in 0..<3 {
                    let reply = Self.engine.safetyAnswer(intent, country: country, language: language, words: [], seed: seed)
                    for number in Self.numbers(in: reply.text) {
                        #expect(listed.contains(number), "\(intent) \(country ?? "EU") \(language): \(number) is in no helplines item")
                    }
                }
            }
        }
    }

    @Test(arguments: intents)
    func eachCountryReplyGivesANationalLineForTheSituation(intent: String) {
        let directory = Self.engine.index.helplines
        for language in Language.allCases {
            for country in ["FR", "IT", "SE"] {
                let uses = Self.engine.safetyUses(intent, words: [])
                let lines = directory.lines(country: country, serving: uses, language: language)
                #expect(!lines.isEmpty, "\(intent) \(country) \(language): no line serves \(uses.map(\.rawValue))")
                let reply = Self.engine.safetyAnswer(intent, country: country, language: language, words: [], seed: 0)
                if let first = lines.first {
                    let shown = first.number ?? first.name
                    #expect(reply.text.contains(shown), "\(intent) \(country) \(language): \(shown) missing")
                }
            }
        }
    }

    @Test func emergencyRepliesPut112FirstInEveryLanguageAndCountry() {
        for language in Language.allCases {
            for country in Self.countries {
                let reply = Self.engine.safetyAnswer(IntentID.emergency, country: country, language: language, words: [], seed: 0)
                #expect(Self.numbers(in: reply.text).first == "112", "\(country ?? "EU") \(language): \(reply.text.prefix(120))")
            }
        }
    }

    @Test func everyNumberInTheContentOfSafetyIntentsIsListed() {
        let listed = Self.engine.index.helplines.publicNumbers
        for intent in BundledContentTests.loaded.content.intents where intent.id.hasPrefix("safety.") {
            for (language, responses) in intent.responses {
                for response in responses {
                    for number in Self.numbers(in: response) {
                        #expect(listed.contains(number), "\(intent.id) \(language): \(number)")
                    }
                }
            }
        }
    }

    /// docs/SAFETY.md lists every number the items hold, with its source.
    @Test func theSafetyDocumentListsEveryNumber() throws {
        let doc = try String(contentsOfFile: BundledContentTests.root + "/docs/SAFETY.md", encoding: .utf8)
        for item in BundledContentTests.loaded.content.knowledge where item.type == .helplines && item.language == .en {
            for line in item.lines {
                if let number = line.number { #expect(doc.contains("| \(number) |"), "\(item.id): \(number)") }
                if let source = line.source { #expect(doc.contains(source), "\(item.id): \(source)") }
            }
        }
    }
}
