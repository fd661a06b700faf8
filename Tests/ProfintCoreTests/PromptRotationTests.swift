import Testing
@testable import ProfintCore

struct PromptRotationTests {
    private let bank = ["f1.reflect", "f1.try", "f1.formalize", "f2.reflect", "f2.try"]

    @Test func emptyBankAndEmptyHistory() {
        #expect(PromptRotation.next(bank: [], sent: []) == nil)
        #expect(PromptRotation.next(bank: [], sent: ["f1.reflect"]) == nil)
        #expect(PromptRotation.next(bank: bank, sent: []) == "f1.reflect")
    }

    @Test func followsBankOrderWithoutRepeatingUntilExhausted() {
        var sent: [String] = []
        for _ in bank {
            let next = PromptRotation.next(bank: bank, sent: sent)!
            #expect(!sent.contains(next))
            sent.append(next)
        }
        #expect(sent == bank)
        // A new cycle starts, in bank order again.
        var second: [String] = []
        for _ in bank {
            let next = PromptRotation.next(bank: bank, sent: sent + second)!
            #expect(!second.contains(next))
            second.append(next)
        }
        #expect(second == bank)
    }

    @Test func continuesAfterTheLastSentWrappingAroundAndSkippingUsed() {
        // Started mid-bank (e.g. a prompt sent on request): go on from there.
        #expect(PromptRotation.next(bank: bank, sent: ["f2.reflect"]) == "f2.try")
        #expect(PromptRotation.next(bank: bank, sent: ["f2.reflect", "f2.try"]) == "f1.reflect")
        #expect(PromptRotation.next(bank: bank, sent: ["f1.try", "f2.try"]) == "f1.reflect")
        #expect(PromptRotation.next(bank: bank, sent: ["f1.try", "f2.try", "f1.reflect"]) == "f1.formalize")
        // Skips what the cycle already used.
        #expect(PromptRotation.next(bank: bank, sent: ["f1.try", "f1.formalize", "f2.reflect", "f2.try", "f1.reflect"]) == "f1.try")
        #expect(PromptRotation.next(bank: bank, sent: ["f1.formalize", "f1.reflect"]) == "f1.try")
        #expect(PromptRotation.next(bank: bank, sent: ["f1.formalize", "f1.reflect", "f1.try"]) == "f2.reflect")
    }

    @Test func aNewCycleStartsAfterTheLastSentPosition() {
        // Cycle completed ending with f1.try: the new cycle goes on after it.
        let cycle = ["f1.formalize", "f2.reflect", "f2.try", "f1.reflect", "f1.try"]
        #expect(PromptRotation.next(bank: bank, sent: cycle) == "f1.formalize")
        // In the second cycle, ids used in the first are available again.
        #expect(PromptRotation.next(bank: bank, sent: cycle + ["f1.formalize"]) == "f2.reflect")
        // A repeat inside the new cycle counts once.
        #expect(PromptRotation.next(bank: bank, sent: cycle + ["f2.try", "f2.try"]) == "f1.reflect")
    }

    @Test func idsNotInTheBankAreIgnored() {
        #expect(PromptRotation.next(bank: bank, sent: ["retired.prompt"]) == "f1.reflect")
        #expect(PromptRotation.next(bank: bank, sent: ["f1.reflect", "retired.prompt"]) == "f1.try")
        #expect(PromptRotation.next(bank: bank, sent: ["f1.reflect", "f1.try", "f1.formalize", "old", "f2.reflect", "older"]) == "f2.try")
        // A bank that shrank: the remaining ids complete the cycle.
        #expect(PromptRotation.next(bank: ["f1.reflect", "f1.try"], sent: ["f1.reflect", "f1.formalize", "f1.try"]) == "f1.reflect")
    }

    @Test func aBankThatGrewServesTheNewIdsBeforeRepeating() {
        let grown = bank + ["f3.reflect", "f3.try"]
        #expect(PromptRotation.next(bank: grown, sent: bank) == "f3.reflect")
        #expect(PromptRotation.next(bank: grown, sent: bank + ["f3.reflect"]) == "f3.try")
        #expect(PromptRotation.next(bank: grown, sent: bank + ["f3.reflect", "f3.try"]) == "f1.reflect")
        // Grew in the middle: the new id comes when the walk reaches it.
        let inserted = ["f1.reflect", "f1.try", "f1.formalize", "f1.new", "f2.reflect", "f2.try"]
        #expect(PromptRotation.next(bank: inserted, sent: bank) == "f1.new")
        #expect(PromptRotation.next(bank: inserted, sent: ["f1.reflect", "f1.try"]) == "f1.formalize")
    }

    @Test func isDeterministicAndCoversTheBankEveryCycle() {
        let big = (0..<50).map { "p\($0)" }
        var sent: [String] = []
        for _ in 0..<(big.count * 3) {
            let a = PromptRotation.next(bank: big, sent: sent)
            #expect(a == PromptRotation.next(bank: big, sent: sent))
            sent.append(a!)
        }
        for cycle in 0..<3 {
            #expect(Set(sent[(cycle * big.count)..<((cycle + 1) * big.count)]).count == big.count)
        }
    }

    @Test func duplicateIdsInTheBankCountOnce() {
        let withDuplicate = ["a", "b", "a", "c"]
        #expect(PromptRotation.next(bank: withDuplicate, sent: ["a", "b"]) == "c")
        #expect(PromptRotation.next(bank: withDuplicate, sent: ["a", "b", "c"]) == "a")
    }

    @Test func longHistoriesStayLinear() {
        let big = (0..<1_000).map { "p\($0)" }
        let history = (0..<200_000).map { "p\($0 % 1_000)" }
        let clock = ContinuousClock()
        let elapsed = clock.measure { #expect(PromptRotation.next(bank: big, sent: history) == "p0") }
        #expect(elapsed < .seconds(1))
    }
}
