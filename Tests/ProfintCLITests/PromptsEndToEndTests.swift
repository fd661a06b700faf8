import Foundation
import Testing

/// `profint prompts add` + `send-due` against the fake Bot API: one prompt a
/// day in the chat's language, nothing twice, a new prompt the next working
/// day, and no loss when the process dies between claim and delivery.
@Suite(.serialized)
struct PromptsEndToEndTests {
    func run(_ arguments: [String], fake: FakeBotAPI, database: URL, logs: URL, name: String) throws -> ChildProcess {
        try ChildProcess(executable: ProfintBinary.executable, arguments: ["prompts"] + arguments + ["--database", database.path],
                         environment: EndToEnd.cleanEnvironment(adding: [
                             "PROFINT_TELEGRAM_TOKEN": FakeBotAPI.token,
                             "PROFINT_TELEGRAM_SECRET": ProfintService.secret,
                             "PROFINT_TELEGRAM_API_URL": fake.baseURL.absoluteString,
                             "PROFINT_TELEGRAM_BOT_USERNAME": FakeBotAPI.botUsername,
                         ]),
                         directory: ProfintBinary.repositoryRoot, logs: logs, name: name)
    }

    func sendDue(_ instant: String, fake: FakeBotAPI, database: URL, logs: URL, name: String) throws -> String {
        let child = try run(["send-due", "--now", instant, "--timeout", "20"], fake: fake, database: database, logs: logs, name: name)
        #expect(child.waitForExit(timeout: 60))
        #expect(child.terminationStatus == 0, "\(child.stderr)")
        return child.stdout
    }

    /// The title of a prompt item, read from its Markdown file.
    func title(_ id: String, _ language: String) throws -> String {
        let file = ProfintBinary.repositoryRoot.appendingPathComponent("Knowledge/\(language)/prompt/\(id).md")
        let text = try String(contentsOf: file, encoding: .utf8)
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("title:") })
        return line.dropFirst("title:".count).trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
    }

    @Test func onePromptADayInTheChatsLanguageAndANewOneTheNextWorkingDay() async throws {
        let dir = try EndToEnd.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let fake = try await FakeBotAPI(logs: dir)
        defer { fake.stop() }
        let database = dir.appendingPathComponent("prompts.sqlite")
        let add = try run(["add", "--channel", "telegram", "--chat", "4242", "--time", "08:30", "--timezone", "Europe/Rome",
                           "--language", "it"], fake: fake, database: database, logs: dir, name: "add")
        #expect(add.waitForExit(timeout: 30) && add.terminationStatus == 0, "\(add.stderr)")

        // Friday 2026-11-27, 08:31 in Rome (UTC+1).
        #expect(try sendDue("2026-11-27T07:31:00Z", fake: fake, database: database, logs: dir, name: "due1").contains("claimed 1 prompt"))
        let first = try await fake.waitForCalls("one prompt") { $0.filter { $0.method == "sendMessage" && $0.status == 200 }.count == 1 }
            .filter { $0.method == "sendMessage" }
        #expect(first[0].chatID == 4242)
        #expect(first[0].text?.hasPrefix(try title("prompt-001", "it")) == true)

        // Later the same day: nothing more.
        #expect(try sendDue("2026-11-27T16:00:00Z", fake: fake, database: database, logs: dir, name: "due2").contains("claimed 0 prompts"))
        // Saturday and Sunday: nothing (working days only).
        #expect(try sendDue("2026-11-28T09:00:00Z", fake: fake, database: database, logs: dir, name: "due3").contains("claimed 0 prompts"))
        // Monday: the next prompt of the bank.
        #expect(try sendDue("2026-11-30T07:30:00Z", fake: fake, database: database, logs: dir, name: "due4").contains("claimed 1 prompt"))
        let all = try await fake.waitForCalls("two prompts") { $0.filter { $0.method == "sendMessage" && $0.status == 200 }.count == 2 }
            .filter { $0.method == "sendMessage" && $0.status == 200 }
        #expect(all.count == 2)
        #expect(all[1].text?.hasPrefix(try title("prompt-002", "it")) == true)
        #expect(all[0].text != all[1].text)
    }

    @Test func aKillBetweenClaimAndDeliveryStillDeliversAfterRestart() async throws {
        let dir = try EndToEnd.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let fake = try await FakeBotAPI(logs: dir)
        defer { fake.stop() }
        let database = dir.appendingPathComponent("prompts.sqlite")
        let add = try run(["add", "--channel", "telegram", "--chat", "777", "--time", "09:00", "--timezone", "Europe/Stockholm",
                           "--language", "sv"], fake: fake, database: database, logs: dir, name: "add")
        #expect(add.waitForExit(timeout: 30) && add.terminationStatus == 0)
        // The Bot API hangs: the prompt is claimed and queued, then the process is killed mid-call.
        try await fake.script(method: "sendMessage", responses: [["hang": 30]])
        let pass = try run(["send-due", "--now", "2026-11-30T08:05:00Z", "--timeout", "60"], fake: fake, database: database,
                           logs: dir, name: "killed")
        try await fake.waitForCalls("the hanging call") { $0.contains { $0.method == "sendMessage" } }
        pass.crash()
        #expect(pass.waitForExit(timeout: 10))
        try await fake.reset()
        // Restarted the same day: no second claim, and the queued prompt goes out.
        let output = try sendDue("2026-11-30T08:06:00Z", fake: fake, database: database, logs: dir, name: "restart")
        #expect(output.contains("claimed 0 prompts"))
        let delivered = try await fake.waitForCalls("the prompt after restart") {
            $0.contains { $0.method == "sendMessage" && $0.status == 200 }
        }.filter { $0.method == "sendMessage" && $0.status == 200 }
        #expect(delivered.count == 1)
        #expect(delivered[0].chatID == 777)
        #expect(delivered[0].text?.hasPrefix(try title("prompt-001", "sv")) == true)
    }
}
