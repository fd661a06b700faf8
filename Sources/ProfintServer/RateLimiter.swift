/// Telegram's limits on sending: one message a second in a chat (short
/// bursts aside), twenty a minute in a group, thirty a second overall.
/// Pure: the caller passes the time.
struct RateLimiter: Sendable {
    var perChat = 1.0
    var perGroupWindow = 60.0
    var perGroupCount = 20
    var globalWindow = 1.0
    var globalCount = 30

    private var lastByChat: [String: Double] = [:]
    private var groupSends: [String: [Double]] = [:]
    private var globalSends: [Double] = []

    /// The earliest time a message to `chat` may go.
    func earliest(chat: String, isGroup: Bool, now: Double) -> Double {
        var t = now
        if let last = lastByChat[chat] { t = max(t, last + perChat) }
        if isGroup, let sends = groupSends[chat], sends.count >= perGroupCount {
            t = max(t, sends[sends.count - perGroupCount] + perGroupWindow)
        }
        if globalSends.count >= globalCount {
            t = max(t, globalSends[globalSends.count - globalCount] + globalWindow)
        }
        return t
    }

    mutating func record(chat: String, isGroup: Bool, at now: Double) {
        lastByChat[chat] = now
        if isGroup {
            groupSends[chat, default: []].append(now)
            groupSends[chat]!.removeAll { $0 < now - perGroupWindow }
        }
        globalSends.append(now)
        globalSends.removeAll { $0 < now - globalWindow }
        if lastByChat.count > 10_000 { lastByChat = lastByChat.filter { $0.value > now - perChat } }
    }
}
