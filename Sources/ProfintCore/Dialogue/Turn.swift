/// The result of handling one message: the reply, the new state and why.
public struct Turn: Sendable {
    public var intent: String?
    public var confidence: Double
    public var slots: Slots
    public var language: Language
    public var reply: Reply
    public var state: DialogueState
    public var trace: Trace
    public var action: EngineAction?
    /// The message held personal data (`PersonalDataDetector`): the reply
    /// opens with a reminder, and nothing of the message was kept.
    public var personalData: Bool = false

    public init(intent: String?, confidence: Double, slots: Slots, language: Language, reply: Reply,
                state: DialogueState, trace: Trace, action: EngineAction? = nil) {
        self.intent = intent
        self.confidence = confidence
        self.slots = slots
        self.language = language
        self.reply = reply
        self.state = state
        self.trace = trace
        self.action = action
    }
}
