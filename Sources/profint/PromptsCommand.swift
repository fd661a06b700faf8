import ArgumentParser
import AsyncHTTPClient
import Foundation
import Logging
import ProfintCore
import ProfintServer
import ProfintStore

/// `profint prompts add|list|remove|send-due`: daily prompts for deployments and tests.
struct PromptsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prompts",
        abstract: "Manage daily practice prompt subscriptions (same settings as `profint serve`).",
        subcommands: [Add.self, List.self, Remove.self, SendDue.self]
    )

    /// The service settings, from the environment and an optional file.
    struct Settings: ParsableArguments {
        @Option(help: "A file of KEY=value settings.")
        var config: String?
        @Option(help: "SQLite file (PROFINT_DATABASE).")
        var database: String?

        func configuration() throws -> ServerConfiguration {
            var values = ProcessInfo.processInfo.environment.filter { $0.key.hasPrefix("PROFINT_") }
            if let config {
                for (key, value) in try ServerConfiguration.readFile(config) where values[key] == nil { values[key] = value }
            }
            if let database { values["PROFINT_DATABASE"] = database }
            do { return try ServerConfiguration.from(values) } catch { throw ValidationError("\(error)") }
        }
    }

    enum Channel: String, ExpressibleByArgument { case telegram, matrix }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Subscribe a chat or room.")
        @OptionGroup var settings: Settings
        @Option var channel: Channel
        @Option var chat: String
        @Option(help: "Local time, HH:MM.") var time: String
        @Option(help: "IANA time zone (default PROFINT_DEFAULT_TIMEZONE).") var timezone: String?
        @Option(help: "en, fr, it or sv (default PROFINT_DEFAULT_LANGUAGE).") var language: String?
        @Flag(help: "Every day, not only Monday to Friday.") var everyDay = false

        func run() throws {
            let c = try settings.configuration()
            let zone = timezone ?? c.defaultTimezone
            guard PromptSchedule(time: time, timezone: zone, everyDay: everyDay) != nil else {
                throw ValidationError("--time must be HH:MM (e.g. 08:30) and --timezone a known zone (e.g. Europe/Stockholm); got \(time) \(zone)")
            }
            if channel == .telegram, Int64(chat) == nil {
                throw ValidationError("--chat must be a Telegram chat id (an integer such as 123456789 or -1001234567890)")
            }
            let code = language ?? c.defaultLanguage.rawValue
            guard Language(rawValue: code) != nil else { throw ValidationError("--language must be en, fr, it or sv") }
            let store = PromptStore(database: try ProfintDatabase(path: c.database))
            try store.subscribe(Subscription(channel: channel.rawValue, chat: chat, time: time, timezone: zone, language: code,
                                             everyDay: everyDay), now: Date().timeIntervalSince1970)
            print("subscribed \(channel.rawValue) \(chat): \(time) \(zone) \(code) \(everyDay ? "every day" : "Monday to Friday")")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List subscriptions.")
        @OptionGroup var settings: Settings

        func run() throws {
            let store = PromptStore(database: try ProfintDatabase(path: try settings.configuration().database))
            for e in try store.all() {
                let s = e.subscription
                let next = e.nextDueAt.map { ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: $0)) } ?? "-"
                print("\(s.channel)\t\(s.chat)\t\(s.time)\t\(s.timezone)\t\(s.language)\t\(s.everyDay ? "every day" : "weekdays")\tlast \(e.lastSentDay ?? "-")\tnext \(next)")
            }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Unsubscribe a chat or room.")
        @OptionGroup var settings: Settings
        @Option var channel: Channel
        @Option var chat: String

        func run() throws {
            let store = PromptStore(database: try ProfintDatabase(path: try settings.configuration().database))
            guard try store.unsubscribe(channel: channel.rawValue, chat: chat) else {
                throw ValidationError("no subscription for \(channel.rawValue) \(chat)")
            }
            print("removed \(channel.rawValue) \(chat)")
        }
    }

    struct SendDue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "send-due",
            abstract: "Run one scheduler pass at an instant, deliver through the outbox, exit (for cron and tests).")
        @OptionGroup var settings: Settings
        @Option(help: "The instant of the pass, ISO 8601 (e.g. 2026-11-30T07:30:00Z).") var now: String
        @Option(help: "Seconds to wait for the outbox to empty.") var timeout: Double = 30

        func run() async throws {
            let c = try settings.configuration()
            let instant = try Clock.parse(now)
            let logger = Logger(label: "profint")
            let client = HTTPClient(eventLoopGroupProvider: .singleton)
            do {
                let parts = try ProfintApplication.parts(configuration: c, logger: logger, httpClient: client)
                let claimed = try parts.scheduler?.pass(now: instant) ?? []
                print("claimed \(claimed.count) prompt\(claimed.count == 1 ? "" : "s")")
                if let sender = parts.sender {
                    let deadline = Date().addingTimeInterval(timeout)
                    while try await parts.store.outboxDepth() > 0, Date() < deadline {
                        let wait = await sender.pass()
                        if wait > 0 { try await Task.sleep(nanoseconds: UInt64(min(wait, 1) * 1e9)) }
                    }
                    print("outbox: \(try await parts.store.outboxDepth()) waiting")
                }
            } catch {
                try? await client.shutdown()
                throw error
            }
            try await client.shutdown()
        }
    }
}
