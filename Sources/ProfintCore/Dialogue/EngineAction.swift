/// Something a channel must do after a turn, beyond sending the reply: the
/// engine is pure and never stores anything itself.
public enum EngineAction: Sendable, Hashable {
    case subscribe(time: String, timezone: String?, everyDay: Bool)
    case unsubscribe
    case subscriptionStatus
    case todayPrompt
    case forget
}
