/// Tunable settings of the engine, with the defaults used by the bundled content.
public struct EngineConfiguration: Sendable {
    /// Below this probability a message is out of scope.
    public var threshold: Double = 0.15
    /// When the out-of-scope examples win by less than this factor over an
    /// intent above the threshold, the intent is answered. 1 turns it off:
    /// since features are weighted by idf it no longer helped on the dev and
    /// blind sets, and it answered near-misses ("the best pizza in Naples").
    public var outOfScopeMargin: Double = 1.0
    /// A message whose probability of being an emergency reaches this is
    /// answered as one, whatever else it looks like.
    public var emergencyThreshold: Double = 0.3
    /// A message whose probability of one of the other safety intents
    /// reaches this is answered as that safety intent.
    public var safetyThreshold: Double = 0.3
    /// Without a word of the safety patterns, a word mostly seen in safety
    /// examples is a sign of risk only when a safety intent is this likely.
    public var leaningSafetyFrom: Double = 0.25
    /// With a word of the safety patterns in the message, a safety intent
    /// ranked first is answered from this probability (below `threshold`).
    public var riskWordThreshold: Double = 0.1
    /// A full date less than this many years before the message reads as
    /// a date of birth even without "born" (personal data).
    public var youngestBirthAge: Int = 12
    /// When the best intent is below this and the second is within
    /// `clarifyMargin`, the bot asks which one was meant.
    public var clarifyBelow: Double = 0.5
    public var clarifyMargin: Double = 0.12
    /// Language when nothing else tells.
    public var defaultLanguage: Language = .en
    /// After this many seconds without a message, the conversation's
    /// context (last intent, slots, results) is forgotten.
    public var contextLifetime: Double = 30 * 60
    /// Messages longer than this (characters) are refused with `too_long`.
    public var maximumMessageLength: Int = 8_000
    /// Items shown per answer page.
    public var pageSize: Int = 3
    /// Fill `Trace.nearestExample` and `Trace.evidence` (costs a little).
    public var explain: Bool = true
    public var model = LinearIntentModel.Parameters()

    public init() {}
}
