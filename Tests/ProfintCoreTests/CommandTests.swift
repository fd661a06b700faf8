import Testing
@testable import ProfintCore

struct CommandTests {
    @Test func parsesCommandsWithBotSuffixAndArguments() {
        #expect(Command.parse("/lang sv") == Command(name: "lang", arguments: ["sv"]))
        #expect(Command.parse("/help@profint_bot") == Command(name: "help", arguments: []))
        #expect(Command.parse("  /subscribe 08:30 Europe/Rome") == Command(name: "subscribe", arguments: ["08:30", "Europe/Rome"]))
        #expect(Command.parse("!help") == Command(name: "help", arguments: []))
    }

    @Test func textIsNotACommand() {
        #expect(Command.parse("hello /help") == nil)
        #expect(Command.parse("/") == nil)
        #expect(Command.parse("/ 8h30") == nil)
        #expect(Command.parse("1/2 of the group") == nil)
    }

    @Test(arguments: [("start", "help"), ("help", "help"), ("lang", "language.set"), ("today", "prompts.today"),
                      ("subscribe", "prompts.subscribe"), ("unsubscribe", "prompts.unsubscribe"),
                      ("forget", "privacy.forget"), ("about", "profint.about")])
    func knownCommandsMapToCatalogueIntents(name: String, intent: String) {
        #expect(Command(name: name, arguments: []).intent == intent)
    }
}
