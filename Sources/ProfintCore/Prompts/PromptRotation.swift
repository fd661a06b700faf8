/// Which practice prompt a chat gets next.
public enum PromptRotation {
    /// The next prompt for a chat. Prompts go in bank order (the bank is
    /// ordered to follow the model: a cycle through the success factors,
    /// reflect → try → formalize) and never repeat within a chat until the
    /// whole bank has been used; then a new cycle starts.
    ///
    /// `sent` lists the ids already sent to the chat, oldest first; ids not
    /// in the bank are ignored. The current cycle is the ids sent since the
    /// used set last covered the whole bank. The answer is the first bank id
    /// after the last sent one (wrapping around) that the current cycle has
    /// not used; `bank.first` when nothing from the bank was sent; nil for an
    /// empty bank. O(bank + sent).
    public static func next(bank: [String], sent: [String]) -> String? {
        next(bank: PromptBank(bank), sent: sent)
    }

    /// The same with the bank's positions computed once (a scheduler pass
    /// asks for thousands of chats).
    public static func next(bank prepared: PromptBank, sent: [String]) -> String? {
        let bank = prepared.ids
        guard !bank.isEmpty else { return nil }
        let position = prepared.position
        let distinct = position.count

        // used[i] == generation marks bank position i as used in the current
        // cycle; starting a new cycle only bumps the generation (O(1)).
        var used = [Int](repeating: 0, count: bank.count)
        var generation = 1
        var usedCount = 0
        var last: Int?
        for id in sent {
            guard let index = position[id] else { continue }
            last = index
            if used[index] != generation {
                used[index] = generation
                usedCount += 1
                if usedCount == distinct {
                    generation += 1
                    usedCount = 0
                }
            }
        }
        guard let last else { return bank.first }
        for step in 1...bank.count {
            let index = (last + step) % bank.count
            // A duplicate id in the bank counts at its first position.
            if position[bank[index]] == index, used[index] != generation { return bank[index] }
        }
        return bank.first   // not reached: the cycle never covers the whole bank here
    }
}

/// A prompt bank with each id's first position.
public struct PromptBank: Sendable {
    public let ids: [String]
    let position: [String: Int]

    public init(_ ids: [String]) {
        self.ids = ids
        var position: [String: Int] = [:]
        position.reserveCapacity(ids.count)
        for (index, id) in ids.enumerated() where position[id] == nil { position[id] = index }
        self.position = position
    }
}
