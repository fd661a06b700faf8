/// Similarity of a message to the intents' examples: the examples of all
/// intents (and labelled out-of-scope examples, as one more class) give a
/// `LinearIntentModel` over stems, stem bigrams and character n-grams.
public struct IntentClassifier: Sendable {
    public let intentIDs: [String]
    /// The index of the out-of-scope class, if out-of-scope examples were given.
    public let outOfScopeClass: Int?
    private let model: LinearIntentModel
    public let extractor: FeatureExtractor
    /// intent id → class index.
    private let classes: StringTable<Int>

    /// - Parameter examples: (intent id or nil for out of scope, analyzed tokens).
    public init(intentIDs: [String], examples: [(String?, [AnalyzedToken])], extractor: FeatureExtractor = .init(),
                parameters: LinearIntentModel.Parameters = .init()) {
        self.intentIDs = intentIDs
        self.extractor = extractor
        let hasOOS = examples.contains { $0.0 == nil }
        outOfScopeClass = hasOOS ? intentIDs.count : nil
        var index: [String: Int] = [:]
        for (i, id) in intentIDs.enumerated() { index[id] = i }
        var classes = StringTable<Int>(minimumCapacity: intentIDs.count)
        for (i, id) in intentIDs.enumerated() where classes[id] == nil { classes[id] = i }
        self.classes = classes
        var labelled: [([AnalyzedToken], Int)] = []
        labelled.reserveCapacity(examples.count)
        for (label, tokens) in examples {
            let cls: Int
            if let label { guard let i = index[label] else { continue }; cls = i } else { cls = intentIDs.count }
            labelled.append((tokens, cls))
        }
        // Each example's features are its own: extracted on two cores.
        let data = labelled.mapInTwoHalves { (extractor.features($0.0), $0.1) }
        model = LinearIntentModel(examples: data, classCount: intentIDs.count + (hasOOS ? 1 : 0), parameters: parameters)
    }

    /// The class index of an intent (the first, as `intentIDs.firstIndex(of:)`).
    func classIndex(of intent: String) -> Int? {
        classes[intent]
    }

    /// Probabilities per class for a message (`intentIDs` order, then out of scope).
    public func classify(_ tokens: [AnalyzedToken]) -> (features: [Feature], probabilities: [Float]) {
        let features = extractor.features(tokens)
        return (features, model.probabilities(features))
    }

    /// The best candidates, most probable first; out of scope reported with a nil intent.
    public func ranked(_ probabilities: [Float], limit: Int = 5) -> [(intent: String?, probability: Double)] {
        var order = Array(probabilities.indices)
        order.sort { probabilities[$0] != probabilities[$1] ? probabilities[$0] > probabilities[$1] : $0 < $1 }
        return order.prefix(limit).map { i in
            (i < intentIDs.count ? intentIDs[i] : nil, Double(probabilities[i]))
        }
    }

    /// The words that weighed most for an intent, for the trace.
    public func explain(_ features: [Feature], intent: String, names: [UInt64: String]) -> [(String, Double)] {
        guard let i = intentIDs.firstIndex(of: intent) else { return [] }
        return model.contributions(features, to: i).prefix(6).map { key, value in
            (names[key] ?? "…", Double(value))
        }
    }

    public var featureCount: Int { model.featureCount }
}
