/// One intent the matcher considered, with its probability.
public struct IntentCandidate: Sendable, Hashable {
    public var intent: String
    public var score: Double

    public init(intent: String, score: Double) {
        self.intent = intent
        self.score = score
    }
}
