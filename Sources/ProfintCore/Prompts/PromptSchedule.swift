import Foundation

/// A chat's subscription to daily practice prompts: a local time of day in
/// an IANA time zone, on working days (Monday–Friday) or every day.
public struct PromptSchedule: Sendable, Hashable {
    public var hour: Int
    public var minute: Int
    public var timezone: TimeZone
    public var everyDay: Bool

    /// `time` is `HH:MM` (two digits each, 00:00–23:59); `timezone` an IANA
    /// identifier such as `Europe/Paris`. Nil for an invalid time or a zone
    /// Foundation does not know.
    public init?(time: String, timezone: String, everyDay: Bool) {
        let bytes = Array(time.utf8)
        guard bytes.count == 5, bytes[2] == UInt8(ascii: ":"),
              bytes.indices.allSatisfy({ $0 == 2 || (bytes[$0] >= UInt8(ascii: "0") && bytes[$0] <= UInt8(ascii: "9")) })
        else { return nil }
        let digit = { (index: Int) in Int(bytes[index] - UInt8(ascii: "0")) }
        guard let zone = TimeZone(identifier: timezone) else { return nil }
        self.init(hour: digit(0) * 10 + digit(1), minute: digit(3) * 10 + digit(4), timezone: zone, everyDay: everyDay)
    }

    /// Nil unless 0 ≤ hour ≤ 23 and 0 ≤ minute ≤ 59.
    public init?(hour: Int, minute: Int, timezone: TimeZone, everyDay: Bool) {
        guard (0...23).contains(hour), (0...59).contains(minute) else { return nil }
        self.hour = hour
        self.minute = minute
        self.timezone = timezone
        self.everyDay = everyDay
    }

    /// `HH:MM`, the form `init?(time:timezone:everyDay:)` reads.
    public var time: String {
        (hour < 10 ? "0" : "") + String(hour) + ":" + (minute < 10 ? "0" : "") + String(minute)
    }
}
