import Foundation

/// Per-feature, per-intent weights computed from the intents' examples when
/// the content loads: a multinomial logistic model fitted by a fixed number
/// of deterministic passes (fixed order, fixed seed), so the same content
/// always gives the same weights. A score is the sum of the weights of the
/// message's features; the trace can show which features decided.
public struct LinearIntentModel: Sendable {
    public let classCount: Int
    /// feature key → row index into `weights`.
    private let rows: FeatureTable
    /// rows × classCount weights, row-major.
    private let weights: [Float]
    private let bias: [Float]

    public struct Parameters: Sendable {
        public var epochs = 8
        public var learningRate: Float = 2.0
        public var l2: Float = 1e-5
        public var seed: UInt64 = 20181
        public init() {}
    }

    /// - Parameters:
    ///   - examples: features and class index of every example.
    public init(examples: [([Feature], Int)], classCount: Int, parameters: Parameters = .init()) {
        self.classCount = classCount
        // Rows numbered by how many examples have the feature (most first,
        // then in order of appearance): the rows messages use most lie
        // together, on fewer pages. Row numbers are storage only; the
        // arithmetic, and so the weights, do not depend on them.
        var seen = FeatureTable(capacity: examples.count * 8)
        var keys: [UInt64] = []
        var frequency: [Int32] = []
        for (features, _) in examples {
            for f in features {
                let row = Int(seen.insert(f.key))
                if row == keys.count {
                    keys.append(f.key)
                    frequency.append(0)
                }
                frequency[row] += 1
            }
        }
        let byFrequency = keys.indices.sorted { frequency[$0] != frequency[$1] ? frequency[$0] > frequency[$1] : $0 < $1 }
        var rows = FeatureTable(capacity: keys.count)
        for old in byFrequency { _ = rows.insert(keys[old]) }
        var encoded: [([(Int32, Float)], Int)] = []
        encoded.reserveCapacity(examples.count)
        for (features, label) in examples {
            encoded.append((features.map { (rows.row($0.key)!, $0.value) }, label))
        }
        rows.compact()
        self.rows = rows
        var w = [Float](repeating: 0, count: rows.count * classCount)
        var b = [Float](repeating: 0, count: classCount)
        var order = Array(encoded.indices)
        var rng = SplitMix64(seed: parameters.seed)
        var probabilities = [Float](repeating: 0, count: classCount)
        var gradient = [Float](repeating: 0, count: classCount)
        var active: [Int] = []
        active.reserveCapacity(classCount)
        let c = classCount
        w.withUnsafeMutableBufferPointer { W in
            b.withUnsafeMutableBufferPointer { B in
                probabilities.withUnsafeMutableBufferPointer { P in
                    gradient.withUnsafeMutableBufferPointer { G in
                        for epoch in 0..<parameters.epochs {
                            // Deterministic Fisher–Yates shuffle.
                            for i in stride(from: order.count - 1, to: 0, by: -1) {
                                let j = Int(rng.next() % UInt64(i + 1))
                                order.swapAt(i, j)
                            }
                            let lr = parameters.learningRate / (1 + Float(epoch) * 0.5)
                            for index in order {
                                let (features, label) = encoded[index]
                                for k in 0..<c { P[k] = B[k] }
                                for (row, value) in features {
                                    let base = W.baseAddress! + Int(row) * c
                                    for k in 0..<c { P[k] += base[k] * value }
                                }
                                Self.softmax(P)
                                P[label] -= 1
                                // Only classes whose gradient is not negligible are updated.
                                active.removeAll(keepingCapacity: true)
                                for k in 0..<c where abs(P[k]) > 1e-4 { active.append(k) }
                                // With many classes active, every class is updated, the
                                // others with a gradient of +0, so that the loop vectorizes:
                                // for a finite step of positive sign, w − step·(+0) is w
                                // exactly (−0 included), the same weights as skipping them.
                                let dense = active.count * 3 >= c
                                if dense {
                                    for k in 0..<c { G[k] = abs(P[k]) > 1e-4 ? P[k] : 0 }
                                }
                                for (row, value) in features {
                                    let base = W.baseAddress! + Int(row) * c
                                    let step = lr * value
                                    if dense, step.isFinite, step.sign == .plus {
                                        for k in 0..<c { base[k] -= step * G[k] }
                                    } else {
                                        for k in active { base[k] -= step * P[k] }
                                    }
                                }
                                for k in active { B[k] -= lr * P[k] * 0.1 }
                            }
                            let decay = 1 - lr * parameters.l2 * Float(order.count)
                            if decay < 1 {
                                for i in 0..<W.count { W[i] *= decay }
                            }
                        }
                    }
                }
            }
        }
        self.weights = w
        self.bias = b
    }

    /// The row of a feature key, if an example had it.
    func row(_ key: UInt64) -> Int32? { rows.row(key) }

    /// Class probabilities for raw features weighted per row first (idf):
    /// `inputWeights[row]` for known features, `unseen` for the others,
    /// which count in the L2 norm only. One probe per feature; returns the
    /// weighted known features too (for the trace).
    public func probabilities(_ raw: [Feature], inputWeights: [Float], unseen: Float) -> (features: [Feature], probabilities: [Float]) {
        var p = bias
        let c = classCount
        var weighted: [Feature] = []
        weighted.reserveCapacity(raw.count)
        withUnsafeTemporaryAllocation(of: (row: Int32, value: Float).self, capacity: raw.count) { found in
            var n = 0
            var norm: Float = 0
            for f in raw {
                guard let row = rows.row(f.key) else {
                    norm += f.value * unseen * f.value * unseen
                    continue
                }
                let v = f.value * inputWeights[Int(row)]
                found[n] = (row, v)
                weighted.append(Feature(key: f.key, value: v))
                norm += v * v
                n += 1
            }
            let scale: Float = norm > 0 ? 1 / norm.squareRoot() : 0
            for i in weighted.indices { weighted[i].value *= scale }
            p.withUnsafeMutableBufferPointer { P in
                weights.withUnsafeBufferPointer { W in
                    for j in 0..<n {
                        let base = W.baseAddress! + Int(found[j].row) * c
                        let value = found[j].value * scale
                        for k in 0..<c { P[k] += base[k] * value }
                    }
                }
                Self.softmax(P)
            }
        }
        return (weighted, p)
    }

    /// The contribution of each feature to one class's score, largest first.
    public func contributions(_ features: [Feature], to label: Int) -> [(UInt64, Float)] {
        features.compactMap { f -> (UInt64, Float)? in
            guard let row = rows.row(f.key) else { return nil }
            return (f.key, weights[Int(row) * classCount + label] * f.value)
        }.sorted { $0.1 > $1.1 }
    }

    public var featureCount: Int { rows.count }

    static func softmax(_ p: UnsafeMutableBufferPointer<Float>) {
        var m = -Float.infinity
        for v in p where v > m { m = v }
        var total: Float = 0
        for k in 0..<p.count {
            let e = expf(p[k] - m)
            p[k] = e
            total += e
        }
        let inv = 1 / total
        for k in 0..<p.count { p[k] *= inv }
    }
}

/// A small, fast, seeded generator: the engine never uses system randomness.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
