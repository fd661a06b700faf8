/// The patterns of one language, indexed by an anchor: the first stems of
/// one required element. A message only tries the patterns whose anchor it
/// contains, so the cost does not grow with the number of patterns.
struct PatternSet: Sendable {
    private(set) var patterns: [IntentPattern] = []
    private var byAnchor = StringTable<[Int]>()

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
            let entry = byAnchor.entry(first, default: [])
            byAnchor.update(at: entry) { $0.append(index) }
        }
    }

    /// The patterns that match the stems, in content order.
    func matching(_ stems: [String]) -> [IntentPattern] {
        var candidates: [Int] = []
        for stem in stems {
            let entry = byAnchor.find(stem)
            if entry >= 0 { candidates += byAnchor.value(at: entry) }
        }
        guard !candidates.isEmpty else { return [] }
        candidates.sort()
        var result: [IntentPattern] = []
        var last = -1
        for c in candidates where c != last {
            last = c
            if patterns[c].matches(stems) { result.append(patterns[c]) }
        }
        return result
    }
}
