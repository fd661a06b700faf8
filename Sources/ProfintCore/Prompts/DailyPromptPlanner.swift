import Foundation

/// When a chat's daily practice prompt goes out. Pure: instants are seconds
/// since 1970-01-01T00:00:00Z passed in by the caller, never read from a
/// clock. Local days and wall times are computed with integer civil-date
/// arithmetic and the zone's UTC offset (`TimeZone.secondsFromGMT(for:)`,
/// thread-safe), so no `Calendar` is built per call.
public enum DailyPromptPlanner {
    private static let secondsPerDay = 86_400

    /// The local day of `instant` in `zone`.
    public static func localDay(at instant: Double, in zone: TimeZone) -> LocalDay {
        let seconds = wholeSeconds(instant)
        let wall = seconds + offset(at: seconds, zone)
        return LocalDay(daysSinceEpoch: floorDivide(wall, secondsPerDay))
    }

    /// Whether prompts go out on `day`: Monday–Friday, or every day.
    public static func isDeliveryDay(_ day: LocalDay, _ schedule: PromptSchedule) -> Bool {
        schedule.everyDay || day.weekday <= 5
    }

    /// The instant of the delivery on `day`, nil if `day` is not a delivery
    /// day. A wall time skipped by a forward transition (02:30 on the
    /// spring-forward day) is sent at the next valid minute (03:00); a wall
    /// time that occurs twice (02:30 on the fall-back day) at its first
    /// occurrence.
    public static func deliveryInstant(on day: LocalDay, _ schedule: PromptSchedule) -> Double? {
        guard isDeliveryDay(day, schedule) else { return nil }
        return Double(instant(ofWall: wallSeconds(day, schedule), schedule.timezone))
    }

    /// The first delivery strictly after `instant`, skipping days that are
    /// not delivery days.
    public static func nextDelivery(after instant: Double, _ schedule: PromptSchedule) -> (day: LocalDay, at: Double) {
        // Start one day early: a wall time pushed forward by a transition near
        // midnight can land after the start of the next local day.
        var day = localDay(at: instant, in: schedule.timezone).adding(days: -1)
        while true {
            if let at = deliveryInstant(on: day, schedule), at > instant { return (day, at) }
            day = day.adding(days: 1)
        }
    }

    /// The local day whose prompt is due at `now`: today (in the schedule's
    /// zone) if it is a delivery day, its delivery instant is not after `now`
    /// and `lastSent` is not today; otherwise nil. After downtime a prompt
    /// missed earlier the same local day is due (once, late); earlier missed
    /// days are never returned.
    public static func dueDay(now: Double, _ schedule: PromptSchedule, lastSent: LocalDay?) -> LocalDay? {
        let today = localDay(at: now, in: schedule.timezone)
        guard lastSent != today, let at = deliveryInstant(on: today, schedule), at <= now else { return nil }
        return today
    }

    // MARK: Wall time ↔ instant

    /// Seconds since the epoch of `day` at the schedule's time, read as if the
    /// zone were UTC ("wall seconds").
    private static func wallSeconds(_ day: LocalDay, _ schedule: PromptSchedule) -> Int {
        day.daysSinceEpoch * secondsPerDay + schedule.hour * 3_600 + schedule.minute * 60
    }

    private static func offset(at instant: Int, _ zone: TimeZone) -> Int {
        zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(instant)))
    }

    /// The instant whose wall time in `zone` is `wall`: its first occurrence
    /// if it occurs twice, the next valid minute if it does not occur.
    private static func instant(ofWall wall: Int, _ zone: TimeZone) -> Int {
        // The offset a day earlier; when the zone did not change since, this
        // is the answer (and, across a backward transition, the earlier
        // occurrence, which has the larger offset).
        let before = offset(at: wall - secondsPerDay, zone)
        let early = wall - before
        if offset(at: early, zone) == before { return early }
        let after = offset(at: wall + secondsPerDay, zone)
        let late = wall - after
        if offset(at: late, zone) == after { return late }
        // Neither offset gives `wall`: it falls in a gap. The first instant
        // whose wall time reaches `wall` is the transition; send at the first
        // whole minute from there.
        var low = min(early, late), high = max(early, late)
        if wallTime(low, zone) >= wall { return roundedUpToMinute(low, zone) }
        while high - low > 1 {   // invariant: wall(low) < wall <= wall(high)
            let middle = low + (high - low) / 2
            if wallTime(middle, zone) >= wall { high = middle } else { low = middle }
        }
        return roundedUpToMinute(high, zone)
    }

    private static func wallTime(_ instant: Int, _ zone: TimeZone) -> Int {
        instant + offset(at: instant, zone)
    }

    private static func roundedUpToMinute(_ instant: Int, _ zone: TimeZone) -> Int {
        let wall = wallTime(instant, zone)
        let remainder = ((wall % 60) + 60) % 60
        return remainder == 0 ? instant : instant + 60 - remainder
    }

    private static func wholeSeconds(_ instant: Double) -> Int {
        guard instant.isFinite else { return 0 }
        // Clamped to ±10,000 years so that the conversion never traps.
        return Int(min(max(instant, -315_569_520_000), 315_569_520_000).rounded(.down))
    }

    private static func floorDivide(_ a: Int, _ b: Int) -> Int {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }
}
