/// The lines of the `helplines` items, per country and language: the one
/// source of every number a safety reply cites. An item without a country
/// holds the EU-wide numbers; several items of one country add up, in id
/// order (an organisation's own item adds its local lines).
public struct HelplineDirectory: Sendable {
    /// Lines per country code ("" for EU-wide), per language index.
    var lines: [String: [[Helpline]]] = [:]
    /// The ids of the helplines items per country code ("" for EU-wide).
    var items: [String: [String]] = [:]
    /// Digits of every number listed: quoting one is not personal data.
    public private(set) var publicNumbers: Set<String> = []

    public init(items: [KnowledgeItem]) {
        for item in items.filter({ $0.type == .helplines }).sorted(by: { $0.id < $1.id }) {
            let countries = item.countries.isEmpty ? [""] : item.countries
            for country in countries {
                if self.items[country]?.contains(item.id) != true { self.items[country, default: []].append(item.id) }
                var byLanguage = lines[country] ?? Array(repeating: [], count: Language.allCases.count)
                byLanguage[item.language.index] += item.lines
                lines[country] = byLanguage
            }
            for line in item.lines {
                if let number = line.number { publicNumbers.insert(Self.digits(number)) }
            }
        }
    }

    /// The items a reply for `country` (EU-wide when nil) draws on.
    public func itemIDs(country: String?) -> [String] { items[country ?? ""] ?? [] }

    /// Every helplines item: each is cited by the safety replies of its country.
    public var allItemIDs: [String] { Set(items.values.flatMap { $0 }).sorted() }

    /// The countries with national lines, sorted.
    public var countries: [String] { lines.keys.filter { !$0.isEmpty }.sorted() }

    /// The lines of `country` (EU-wide when nil) that serve one of `uses`,
    /// in the order of `uses`, then of the items; English when the language
    /// has none.
    public func lines(country: String?, serving uses: [HelplineUse], language: Language) -> [Helpline] {
        guard let byLanguage = lines[country ?? ""] else { return [] }
        let all = byLanguage[language.index].isEmpty ? byLanguage[Language.en.index] : byLanguage[language.index]
        var out: [Helpline] = []
        for use in uses {
            for line in all where line.uses.contains(use.rawValue) && !out.contains(line) { out.append(line) }
        }
        return out
    }

    static func digits(_ number: String) -> String {
        String(number.unicodeScalars.filter { $0.value >= 48 && $0.value <= 57 }.map(Character.init))
    }
}
