import Foundation
import Testing
@testable import ProfintCore

/// Expected instants are written as ISO-8601 UTC strings and parsed here,
/// independently of the planner's arithmetic.
private func utc(_ text: String) -> Double {
    guard let date = ISO8601DateFormatter().date(from: text) else {
        Issue.record("bad ISO-8601 string in the test: \(text)")
        return .nan
    }
    return date.timeIntervalSince1970
}

private func day(_ text: String) -> LocalDay {
    LocalDay(string: text)!
}

private func schedule(_ time: String, _ zone: String, everyDay: Bool = false) -> PromptSchedule {
    PromptSchedule(time: time, timezone: zone, everyDay: everyDay)!
}

private let centralEuropeanZones = ["Europe/Paris", "Europe/Rome", "Europe/Stockholm"]

struct DailyPromptPlannerTests {
    // MARK: Schedules and days

    @Test(arguments: ["25:00", "8:7", "ab:cd", "24:00", "12:60", "8:30", "08:3", "", "08:30:00", "08-30", " 8:30", "０８:３０", "-1:30"])
    func invalidTimesAreRejected(time: String) {
        #expect(PromptSchedule(time: time, timezone: "Europe/Paris", everyDay: false) == nil)
    }

    @Test(arguments: ["Europe/Atlantis", "Mars/Olympus_Mons", "", "Paris/Europe", "not a zone"])
    func unknownZonesAreRejected(zone: String) {
        #expect(PromptSchedule(time: "08:30", timezone: zone, everyDay: false) == nil)
    }

    @Test func validSchedulesKeepTheirFields() throws {
        let paris = try #require(PromptSchedule(time: "08:30", timezone: "Europe/Paris", everyDay: false))
        #expect(paris.hour == 8 && paris.minute == 30 && !paris.everyDay)
        #expect(paris.timezone.identifier == "Europe/Paris")
        #expect(paris.time == "08:30")
        let midnight = try #require(PromptSchedule(time: "00:00", timezone: "Europe/Stockholm", everyDay: true))
        #expect(midnight.hour == 0 && midnight.minute == 0 && midnight.everyDay)
        #expect(PromptSchedule(time: "23:59", timezone: "Europe/Rome", everyDay: false)?.time == "23:59")
        #expect(PromptSchedule(hour: 24, minute: 0, timezone: paris.timezone, everyDay: false) == nil)
    }

    @Test func localDaysParsePrintCompareAndCode() throws {
        #expect(LocalDay(string: "2026-03-29") == LocalDay(year: 2026, month: 3, day: 29))
        #expect(LocalDay(year: 2026, month: 3, day: 9).description == "2026-03-09")
        #expect(LocalDay(string: "2028-02-29") != nil)
        for bad in ["2026-02-29", "2026-13-01", "2026-00-10", "2026-04-31", "2026-3-29", "26-03-29", "2026/03/29", "", "2026-03-29T00:00"] {
            #expect(LocalDay(string: bad) == nil, "\(bad)")
        }
        #expect(day("2026-12-31") < day("2027-01-01"))
        #expect(day("2026-03-29") < day("2026-03-30"))
        #expect(day("2026-02-28").adding(days: 1) == day("2026-03-01"))
        #expect(day("2028-02-28").adding(days: 1) == day("2028-02-29"))
        #expect(day("2027-01-01").adding(days: -1) == day("2026-12-31"))
        let data = try JSONEncoder().encode([day("2026-10-25")])
        #expect(String(decoding: data, as: UTF8.self) == #"["2026-10-25"]"#)
        #expect(try JSONDecoder().decode([LocalDay].self, from: data) == [day("2026-10-25")])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([LocalDay].self, from: Data(#"["2026-02-30"]"#.utf8)) }
    }

    @Test(arguments: [("2026-01-12", 1), ("2026-01-13", 2), ("2026-01-14", 3), ("2026-01-15", 4),
                      ("2026-01-16", 5), ("2026-01-17", 6), ("2026-01-18", 7), ("1970-01-01", 4),
                      ("2000-02-29", 2), ("1969-12-31", 3)])
    func weekdays(text: String, isoWeekday: Int) {
        #expect(day(text).weekday == isoWeekday)
    }

    // MARK: DST

    @Test(arguments: centralEuropeanZones)
    func winterAndSummerOffsets(zone: String) {
        let s = schedule("08:30", zone)
        #expect(DailyPromptPlanner.deliveryInstant(on: day("2026-01-15"), s) == utc("2026-01-15T07:30:00Z"))
        #expect(DailyPromptPlanner.deliveryInstant(on: day("2026-07-15"), s) == utc("2026-07-15T06:30:00Z"))
        // The working days around both transitions (the transitions are on Sundays).
        #expect(DailyPromptPlanner.deliveryInstant(on: day("2026-03-27"), s) == utc("2026-03-27T07:30:00Z"))
        #expect(DailyPromptPlanner.deliveryInstant(on: day("2026-03-30"), s) == utc("2026-03-30T06:30:00Z"))
        #expect(DailyPromptPlanner.deliveryInstant(on: day("2026-10-23"), s) == utc("2026-10-23T06:30:00Z"))
        #expect(DailyPromptPlanner.deliveryInstant(on: day("2026-10-26"), s) == utc("2026-10-26T07:30:00Z"))
        let daily = schedule("08:30", zone, everyDay: true)
        #expect(DailyPromptPlanner.deliveryInstant(on: day("2026-03-29"), daily) == utc("2026-03-29T06:30:00Z"))
        #expect(DailyPromptPlanner.deliveryInstant(on: day("2026-10-25"), daily) == utc("2026-10-25T07:30:00Z"))
    }

    /// 2026-03-29: clocks go from 02:00 to 03:00 local (01:00 UTC).
    @Test(arguments: centralEuropeanZones)
    func springForwardGapIsSentAtTheNextValidMinute(zone: String) {
        let cases = [("01:59", "2026-03-29T00:59:00Z"), ("02:00", "2026-03-29T01:00:00Z"),
                     ("02:30", "2026-03-29T01:00:00Z"), ("02:59", "2026-03-29T01:00:00Z"),
                     ("03:00", "2026-03-29T01:00:00Z"), ("03:01", "2026-03-29T01:01:00Z")]
        for (time, expected) in cases {
            #expect(DailyPromptPlanner.deliveryInstant(on: day("2026-03-29"), schedule(time, zone, everyDay: true)) == utc(expected),
                    "\(time) \(zone)")
        }
        // Only the working-day schedule skips it: it is a Sunday.
        #expect(DailyPromptPlanner.deliveryInstant(on: day("2026-03-29"), schedule("02:30", zone)) == nil)
    }

    /// 2026-10-25: clocks go from 03:00 back to 02:00 local (01:00 UTC);
    /// 02:00–02:59 happens twice and is sent the first time.
    @Test(arguments: centralEuropeanZones)
    func fallBackAmbiguityIsSentAtTheFirstOccurrence(zone: String) {
        let cases = [("01:59", "2026-10-24T23:59:00Z"), ("02:00", "2026-10-25T00:00:00Z"),
                     ("02:30", "2026-10-25T00:30:00Z"), ("02:59", "2026-10-25T00:59:00Z"),
                     ("03:00", "2026-10-25T02:00:00Z")]
        for (time, expected) in cases {
            #expect(DailyPromptPlanner.deliveryInstant(on: day("2026-10-25"), schedule(time, zone, everyDay: true)) == utc(expected),
                    "\(time) \(zone)")
        }
    }

    @Test(arguments: centralEuropeanZones)
    func nextDeliveryAcrossTransitionsSendsOncePerDay(zone: String) {
        let s = schedule("02:30", zone, everyDay: true)
        let spring = DailyPromptPlanner.nextDelivery(after: utc("2026-03-28T23:00:00Z"), s)
        #expect(spring.day == day("2026-03-29") && spring.at == utc("2026-03-29T01:00:00Z"))
        let fall = DailyPromptPlanner.nextDelivery(after: utc("2026-10-24T12:00:00Z"), s)
        #expect(fall.day == day("2026-10-25") && fall.at == utc("2026-10-25T00:30:00Z"))
        // Right after the first 02:30, the second 02:30 is not another delivery.
        let afterFall = DailyPromptPlanner.nextDelivery(after: utc("2026-10-25T00:30:00Z"), s)
        #expect(afterFall.day == day("2026-10-26") && afterFall.at == utc("2026-10-26T01:30:00Z"))
        // Seen from the second 02:30 (01:30 UTC), the day's prompt is due
        // unless it was sent at the first one.
        #expect(DailyPromptPlanner.dueDay(now: utc("2026-10-25T01:30:00Z"), s, lastSent: day("2026-10-25")) == nil)
        #expect(DailyPromptPlanner.dueDay(now: utc("2026-10-25T01:30:00Z"), s, lastSent: day("2026-10-24")) == day("2026-10-25"))
    }

    @Test func southernHemisphereTransitions() {
        // Australia/Sydney 2026: back from 03:00 to 02:00 on 5 April, forward
        // from 02:00 to 03:00 on 4 October.
        let s = schedule("02:30", "Australia/Sydney", everyDay: true)
        #expect(DailyPromptPlanner.deliveryInstant(on: day("2026-04-05"), s) == utc("2026-04-04T15:30:00Z"))
        #expect(DailyPromptPlanner.deliveryInstant(on: day("2026-10-04"), s) == utc("2026-10-03T16:00:00Z"))
        #expect(DailyPromptPlanner.deliveryInstant(on: day("2026-07-01"), s) == utc("2026-06-30T16:30:00Z"))
    }

    @Test func zonesWithoutDaylightSavingTime() {
        #expect(DailyPromptPlanner.deliveryInstant(on: day("2026-07-15"), schedule("08:30", "UTC")) == utc("2026-07-15T08:30:00Z"))
        #expect(DailyPromptPlanner.deliveryInstant(on: day("2026-07-15"), schedule("08:30", "Asia/Kolkata")) == utc("2026-07-15T03:00:00Z"))
        #expect(DailyPromptPlanner.deliveryInstant(on: day("2026-07-15"), schedule("08:30", "America/Phoenix")) == utc("2026-07-15T15:30:00Z"))
    }

    /// Every day of 2026 except the transition days agrees with Foundation's
    /// Gregorian calendar in the zone.
    @Test(arguments: centralEuropeanZones + ["America/New_York", "Australia/Sydney", "Asia/Tokyo", "Pacific/Auckland"])
    func ordinaryDaysAgreeWithCalendar(zone: String) throws {
        let timeZone = try #require(TimeZone(identifier: zone))
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let s = schedule("08:30", zone, everyDay: true)
        var current = day("2026-01-01")
        while current.year == 2026 {
            let midnight = try #require(calendar.date(from: DateComponents(year: current.year, month: current.month, day: current.day)))
            let next = try #require(calendar.date(byAdding: .day, value: 1, to: midnight))
            let isTransitionDay = timeZone.secondsFromGMT(for: midnight) != timeZone.secondsFromGMT(for: next)
            if !isTransitionDay {
                let expected = try #require(calendar.date(from: DateComponents(year: current.year, month: current.month,
                                                                               day: current.day, hour: 8, minute: 30)))
                #expect(DailyPromptPlanner.deliveryInstant(on: current, s) == expected.timeIntervalSince1970, "\(current) \(zone)")
                #expect(DailyPromptPlanner.localDay(at: expected.timeIntervalSince1970, in: timeZone) == current)
            }
            current = current.adding(days: 1)
        }
    }

    // MARK: Midnight

    @Test func localDayCrossesMidnightBeforeUTC() throws {
        let stockholm = try #require(TimeZone(identifier: "Europe/Stockholm"))
        #expect(DailyPromptPlanner.localDay(at: utc("2026-01-14T22:59:59Z"), in: stockholm) == day("2026-01-14"))
        #expect(DailyPromptPlanner.localDay(at: utc("2026-01-14T23:00:00Z"), in: stockholm) == day("2026-01-15"))
        #expect(DailyPromptPlanner.localDay(at: utc("2026-07-14T22:00:00Z"), in: stockholm) == day("2026-07-15"))
        #expect(DailyPromptPlanner.localDay(at: utc("2026-07-14T21:59:59Z"), in: stockholm) == day("2026-07-14"))
        let newYork = try #require(TimeZone(identifier: "America/New_York"))
        #expect(DailyPromptPlanner.localDay(at: utc("2026-01-15T03:00:00Z"), in: newYork) == day("2026-01-14"))
        #expect(DailyPromptPlanner.localDay(at: utc("1969-12-31T23:00:00Z"), in: stockholm) == day("1970-01-01"))
    }

    @Test func fiveMinutesPastMidnightInStockholmIsThePreviousUTCDay() {
        let s = schedule("00:05", "Europe/Stockholm")
        #expect(DailyPromptPlanner.deliveryInstant(on: day("2026-01-15"), s) == utc("2026-01-14T23:05:00Z"))
        #expect(DailyPromptPlanner.deliveryInstant(on: day("2026-07-15"), s) == utc("2026-07-14T22:05:00Z"))
        // Seen from the evening of 14 January UTC, the next one is "tomorrow" locally.
        let next = DailyPromptPlanner.nextDelivery(after: utc("2026-01-14T22:00:00Z"), s)
        #expect(next.day == day("2026-01-15") && next.at == utc("2026-01-14T23:05:00Z"))
        // Due at 23:06 UTC on the 14th for local day the 15th.
        #expect(DailyPromptPlanner.dueDay(now: utc("2026-01-14T23:06:00Z"), s, lastSent: day("2026-01-14")) == day("2026-01-15"))
        // Saturday 17 January 00:05 local is Friday 23:05 UTC: not a working day.
        #expect(DailyPromptPlanner.deliveryInstant(on: day("2026-01-17"), s) == nil)
        let afterFriday = DailyPromptPlanner.nextDelivery(after: utc("2026-01-15T23:05:00Z"), s)
        #expect(afterFriday.day == day("2026-01-19") && afterFriday.at == utc("2026-01-18T23:05:00Z"))
    }

    @Test func fiveToMidnight() {
        let s = schedule("23:55", "Europe/Stockholm")
        #expect(DailyPromptPlanner.deliveryInstant(on: day("2026-01-15"), s) == utc("2026-01-15T22:55:00Z"))
        // At 23:30 UTC it is already the 16th in Stockholm; the 15th is over.
        let next = DailyPromptPlanner.nextDelivery(after: utc("2026-01-15T23:30:00Z"), s)
        #expect(next.day == day("2026-01-16") && next.at == utc("2026-01-16T22:55:00Z"))
        #expect(DailyPromptPlanner.dueDay(now: utc("2026-01-15T23:30:00Z"), s, lastSent: day("2026-01-14")) == nil)
        #expect(DailyPromptPlanner.dueDay(now: utc("2026-01-15T22:58:00Z"), s, lastSent: day("2026-01-14")) == day("2026-01-15"))
        // Friday 23:55 → Monday 23:55.
        let afterFriday = DailyPromptPlanner.nextDelivery(after: utc("2026-01-16T22:55:00Z"), s)
        #expect(afterFriday.day == day("2026-01-19") && afterFriday.at == utc("2026-01-19T22:55:00Z"))
    }

    // MARK: Working days

    @Test(arguments: centralEuropeanZones)
    func workingDaysOnly(zone: String) {
        let s = schedule("08:30", zone)
        for text in ["2026-01-12", "2026-01-13", "2026-01-14", "2026-01-15", "2026-01-16"] {
            #expect(DailyPromptPlanner.isDeliveryDay(day(text), s))
        }
        for text in ["2026-01-17", "2026-01-18"] {
            #expect(!DailyPromptPlanner.isDeliveryDay(day(text), s))
            #expect(DailyPromptPlanner.deliveryInstant(on: day(text), s) == nil)
        }
        // Friday after the prompt → Monday.
        let fromFriday = DailyPromptPlanner.nextDelivery(after: utc("2026-01-16T08:00:00Z"), s)
        #expect(fromFriday.day == day("2026-01-19") && fromFriday.at == utc("2026-01-19T07:30:00Z"))
        // Friday before the prompt → that Friday.
        let earlyFriday = DailyPromptPlanner.nextDelivery(after: utc("2026-01-16T06:00:00Z"), s)
        #expect(earlyFriday.day == day("2026-01-16") && earlyFriday.at == utc("2026-01-16T07:30:00Z"))
        // Saturday and Sunday → Monday.
        for now in ["2026-01-17T12:00:00Z", "2026-01-18T23:00:00Z"] {
            let next = DailyPromptPlanner.nextDelivery(after: utc(now), s)
            #expect(next.day == day("2026-01-19") && next.at == utc("2026-01-19T07:30:00Z"))
        }
        // Strictly after: at the delivery instant itself, the next one is the next working day.
        let atDelivery = DailyPromptPlanner.nextDelivery(after: utc("2026-01-15T07:30:00Z"), s)
        #expect(atDelivery.day == day("2026-01-16") && atDelivery.at == utc("2026-01-16T07:30:00Z"))
        // Friday before spring-forward → Monday in summer time.
        let spring = DailyPromptPlanner.nextDelivery(after: utc("2026-03-27T12:00:00Z"), s)
        #expect(spring.day == day("2026-03-30") && spring.at == utc("2026-03-30T06:30:00Z"))
    }

    @Test(arguments: centralEuropeanZones)
    func everyDayIncludesWeekends(zone: String) {
        let s = schedule("08:30", zone, everyDay: true)
        #expect(DailyPromptPlanner.isDeliveryDay(day("2026-01-17"), s))
        #expect(DailyPromptPlanner.deliveryInstant(on: day("2026-01-17"), s) == utc("2026-01-17T07:30:00Z"))
        let fromFriday = DailyPromptPlanner.nextDelivery(after: utc("2026-01-16T08:00:00Z"), s)
        #expect(fromFriday.day == day("2026-01-17") && fromFriday.at == utc("2026-01-17T07:30:00Z"))
        let fromSaturday = DailyPromptPlanner.nextDelivery(after: utc("2026-01-17T08:00:00Z"), s)
        #expect(fromSaturday.day == day("2026-01-18") && fromSaturday.at == utc("2026-01-18T07:30:00Z"))
    }

    // MARK: Catch-up

    @Test(arguments: centralEuropeanZones)
    func downtimeTheSameDayIsCaughtUpOnce(zone: String) {
        let s = schedule("08:30", zone)
        // Thursday 15 January; down from 07:00 to 11:00 local (06:00–10:00 UTC).
        #expect(DailyPromptPlanner.dueDay(now: utc("2026-01-15T06:00:00Z"), s, lastSent: day("2026-01-14")) == nil)
        #expect(DailyPromptPlanner.dueDay(now: utc("2026-01-15T10:00:00Z"), s, lastSent: day("2026-01-14")) == day("2026-01-15"))
        // Once sent, not again that day.
        #expect(DailyPromptPlanner.dueDay(now: utc("2026-01-15T10:01:00Z"), s, lastSent: day("2026-01-15")) == nil)
        #expect(DailyPromptPlanner.dueDay(now: utc("2026-01-15T22:59:00Z"), s, lastSent: day("2026-01-15")) == nil)
        // Never sent before.
        #expect(DailyPromptPlanner.dueDay(now: utc("2026-01-15T10:00:00Z"), s, lastSent: nil) == day("2026-01-15"))
        // Exactly at the delivery instant.
        #expect(DailyPromptPlanner.dueDay(now: utc("2026-01-15T07:30:00Z"), s, lastSent: nil) == day("2026-01-15"))
        #expect(DailyPromptPlanner.dueDay(now: utc("2026-01-15T07:29:59Z"), s, lastSent: nil) == nil)
    }

    @Test(arguments: centralEuropeanZones)
    func downtimeOverDaysNeverSendsEarlierDays(zone: String) {
        let s = schedule("08:30", zone)
        // Last sent Tuesday; down from Wednesday 07:00 to Thursday 11:00 local.
        #expect(DailyPromptPlanner.dueDay(now: utc("2026-01-15T10:00:00Z"), s, lastSent: day("2026-01-13")) == day("2026-01-15"))
        // Back on Thursday before 08:30: nothing (Wednesday is skipped).
        #expect(DailyPromptPlanner.dueDay(now: utc("2026-01-15T06:00:00Z"), s, lastSent: day("2026-01-13")) == nil)
        // Back just after local midnight: still nothing for yesterday.
        #expect(DailyPromptPlanner.dueDay(now: utc("2026-01-14T23:00:00Z"), s, lastSent: day("2026-01-13")) == nil)
        // Down over the weekend: nothing on Saturday or Sunday, Monday at 08:30.
        #expect(DailyPromptPlanner.dueDay(now: utc("2026-01-17T12:00:00Z"), s, lastSent: day("2026-01-15")) == nil)
        #expect(DailyPromptPlanner.dueDay(now: utc("2026-01-18T12:00:00Z"), s, lastSent: day("2026-01-15")) == nil)
        #expect(DailyPromptPlanner.dueDay(now: utc("2026-01-19T07:00:00Z"), s, lastSent: day("2026-01-15")) == nil)
        #expect(DailyPromptPlanner.dueDay(now: utc("2026-01-19T07:30:00Z"), s, lastSent: day("2026-01-15")) == day("2026-01-19"))
    }

    /// A sender polling every minute over two weeks (local midnight to local
    /// midnight) that include a transition sends exactly one prompt each delivery day, none on the
    /// others, and each at the planned instant.
    @Test(arguments: [("02:30", true), ("08:30", false), ("00:05", true), ("23:55", false), ("03:00", true)])
    func minuteByMinuteSenderSendsOncePerDay(time: String, everyDay: Bool) {
        for (zone, start, end, expectedCount) in [("Europe/Paris", "2026-03-22T23:00:00Z", "2026-04-05T22:00:00Z", everyDay ? 14 : 10),
                                                   ("Europe/Rome", "2026-10-18T22:00:00Z", "2026-11-01T23:00:00Z", everyDay ? 14 : 10)] {
            let s = schedule(time, zone, everyDay: everyDay)
            var lastSent: LocalDay?
            var sent: [(LocalDay, Double)] = []
            var now = utc(start)
            let stop = utc(end)
            while now < stop {
                if let due = DailyPromptPlanner.dueDay(now: now, s, lastSent: lastSent) {
                    sent.append((due, now))
                    lastSent = due
                }
                now += 60
            }
            #expect(Set(sent.map(\.0)).count == sent.count, "\(time) \(zone)")
            #expect(sent.count == expectedCount, "\(time) \(zone)")
            for (sentDay, at) in sent {
                #expect(DailyPromptPlanner.deliveryInstant(on: sentDay, s) == at, "\(sentDay) \(time) \(zone)")
                #expect(DailyPromptPlanner.isDeliveryDay(sentDay, s))
            }
        }
    }
}
