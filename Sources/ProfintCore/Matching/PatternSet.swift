/// The patterns of one language, indexed by an anchor: the first stems of
/// one required element. A message only tries the patterns whose anchor it
/// contains, so the cost does not grow with the number of patterns.
struct PatternSet: Sendable {
    private(set) var patterns: [IntentPattern] = []
    private var byAnchor: [String: [Int]] = [:]

    mutating func append(_ pattern: IntentPattern) {
        let index = patterns.count
        patterns.append(pattern)
        // The required element with the fewest alternatives makes the best anchor.
        var best: [[String]]?
        for element in pattern.elements {
            if case .words(let alternatives, false) = element, best == nil || alternatives.count < best!.count {
                best = alternatives
            }
        }
        for first in Set((best ?? []).compactMap(\.first)) {
            byAnchor[first, default: []].append(index)
        }
    }

    /// The patterns that match the stems, in content order.
    func matching(_ stems: [String]) -> [IntentPattern] {
        var candidates = Set<Int>()
        for stem in stems {
            if let list = byAnchor[stem] { candidates.formUnion(list) }
        }
        return candidates.sorted().map { patterns[$0] }.filter { $0.matches(stems) }
    }
}
