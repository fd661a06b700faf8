import Foundation

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
        var data = labelled.mapInTwoHalves { (extractor.features($0.0), $0.1) }
        // Inverse document frequency of every feature over the examples (as
        // TF-IDF does): a word every intent uses weighs less than one that
        // tells intents apart. Features no example has are dropped.
        var documents: [UInt64: Int] = [:]
        for (features, _) in data { for f in features { documents[f.key, default: 0] += 1 } }
        let n = Float(data.count)
        var idf: [UInt64: Float] = [:]
        idf.reserveCapacity(documents.count)
        for (key, df) in documents { idf[key] = logf((1 + n) / (1 + Float(df))) + 1 }
        for i in data.indices { data[i].0 = Self.weighted(data[i].0, idf, unseen: 1) }
        let model = LinearIntentModel(examples: data, classCount: intentIDs.count + (hasOOS ? 1 : 0), parameters: parameters)
        // The idf of every row of the model, for messages: one probe per feature.
        var byRow = [Float](repeating: 1, count: model.featureCount)
        for (key, w) in idf { if let row = model.row(key) { byRow[Int(row)] = w } }
        self.model = model
        self.idfByRow = byRow
    }

    /// Inverse document frequency per model row (see `init`).
    private let idfByRow: [Float]
    /// The weight of a feature no example has: it scores nothing but counts
    /// in the norm (with the weight a feature had before idf), so that a
    /// message of unknown words stays as unsure as its share of them.
    private let unseenWeight: Float = 1

    /// Features weighted by `idf`, L2-normalized again; unseen ones count in
    /// the norm only.
    static func weighted(_ features: [Feature], _ idf: [UInt64: Float], unseen: Float) -> [Feature] {
        var out: [Feature] = []
        out.reserveCapacity(features.count)
        var norm: Float = 0
        for f in features {
            guard let w = idf[f.key] else {
                norm += f.value * unseen * f.value * unseen
                continue
            }
            let v = f.value * w
            out.append(Feature(key: f.key, value: v))
            norm += v * v
        }
        let scale = norm > 0 ? 1 / norm.squareRoot() : 0
        for i in out.indices { out[i].value *= scale }
        return out
    }

    /// The class index of an intent (the first, as `intentIDs.firstIndex(of:)`).
    func classIndex(of intent: String) -> Int? {
        classes[intent]
    }

    /// Probabilities per class for a message (`intentIDs` order, then out of scope).
    public func classify(_ tokens: [AnalyzedToken]) -> (features: [Feature], probabilities: [Float]) {
        model.probabilities(extractor.features(tokens), inputWeights: idfByRow, unseen: unseenWeight)
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
