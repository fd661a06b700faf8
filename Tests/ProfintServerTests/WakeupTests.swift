import Foundation
import Testing
@testable import ProfintServer

/// The services' sleep: ended by a wake, used once, ended by cancellation.
/// Bounds are loose (the suite shares two cores): each sleep asked for is a
/// minute, so returning within seconds can only mean it was cut short.
struct WakeupTests {
    @Test func aWakeEndsALongSleep() async {
        let wakeup = Wakeup()
        let started = Date()
        let sleeper = Task { await wakeup.sleep(seconds: 60) }
        try? await Task.sleep(nanoseconds: 50_000_000)
        wakeup.wake()
        await sleeper.value
        #expect(Date().timeIntervalSince(started) < 30)
    }

    @Test func aWakeBeforeTheSleepIsUsedOnce() async {
        let wakeup = Wakeup()
        wakeup.wake()
        let started = Date()
        await wakeup.sleep(seconds: 60)
        #expect(Date().timeIntervalSince(started) < 30, "the pending wake did not end the sleep")
        // The wake is used up: the next sleep lasts its time.
        let second = Date()
        await wakeup.sleep(seconds: 0.3)
        #expect(Date().timeIntervalSince(second) >= 0.25)
    }

    @Test func cancellingTheSleeperEndsTheSleep() async {
        let wakeup = Wakeup()
        let started = Date()
        let sleeper = Task { await wakeup.sleep(seconds: 60) }
        try? await Task.sleep(nanoseconds: 50_000_000)
        sleeper.cancel()
        await sleeper.value
        #expect(Date().timeIntervalSince(started) < 30)
    }

    @Test func manyWakesWhileSleepingEndOneSleepAndLeaveNothingBehind() async {
        let wakeup = Wakeup()
        let sleeper = Task { await wakeup.sleep(seconds: 60) }
        try? await Task.sleep(nanoseconds: 50_000_000)
        for _ in 0..<10 { wakeup.wake() }
        await sleeper.value
        // Wakes after the sleep ended leave at most one pending wake.
        await wakeup.sleep(seconds: 60)
        let started = Date()
        await wakeup.sleep(seconds: 0.3)
        #expect(Date().timeIntervalSince(started) >= 0.25)
    }
}
