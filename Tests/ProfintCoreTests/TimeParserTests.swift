import Testing
@testable import ProfintCore

struct TimeParserTests {
    @Test(arguments: [
        ("every morning at 8:30", "08:30"), ("à 8h45 chaque matin", "08:45"), ("alle 14", "14:00"),
        ("kl 8.15 varje dag", "08:15"), ("at 1:30 pm", "13:30"), ("9am please", "09:00"), ("à 9 heures", "09:00"),
        ("klockan 7", "07:00"), ("at noon", "12:00"), ("07:45", "07:45"), ("ore 8", "08:00"),
    ])
    func readsClockTimes(text: String, expected: String) {
        #expect(TimeParser.time(in: Tokenizer.tokenize(Folding.normalize(text))) == expected)
    }

    @Test(arguments: ["every morning", "send us 3 prompts", "module 2", "25:00"])
    func neverGuessesATime(text: String) {
        #expect(TimeParser.time(in: Tokenizer.tokenize(Folding.normalize(text))) == nil)
    }
}
