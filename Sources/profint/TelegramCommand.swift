import ArgumentParser
import AsyncHTTPClient
import Foundation
import ProfintServer

/// `profint telegram set-webhook|info`.
struct TelegramCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "telegram",
        abstract: "Manage the Telegram webhook (uses PROFINT_TELEGRAM_TOKEN, PROFINT_TELEGRAM_SECRET, PROFINT_TELEGRAM_API_URL).",
        subcommands: [SetWebhook.self, Info.self]
    )

    static func settings() throws -> ServerConfiguration.Telegram {
        let values = ProcessInfo.processInfo.environment.filter { $0.key.hasPrefix("PROFINT_") }
        let configuration: ServerConfiguration
        do { configuration = try ServerConfiguration.from(values) } catch { throw ValidationError("\(error)") }
        guard let telegram = configuration.telegram else {
            throw ValidationError("set PROFINT_TELEGRAM_TOKEN and PROFINT_TELEGRAM_SECRET first")
        }
        return telegram
    }

    static func call(_ method: String, _ parameters: [String: Any]) async throws -> [String: Any] {
        let settings = try settings()
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        defer { Task { try? await client.shutdown() } }
        let api = HTTPBotAPI(client: client, baseURL: settings.apiURL, token: settings.token)
        let body = try JSONSerialization.data(withJSONObject: parameters)
        let response = try await api.call(method: method, body: [UInt8](body))
        try await client.shutdown()
        guard response.status == 200, let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] else {
            throw ValidationError("\(method) failed: HTTP \(response.status) \(response.description)")
        }
        return object
    }

    struct SetWebhook: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "set-webhook", abstract: "Point Telegram at this service's webhook.")
        @Option(help: "The public HTTPS URL of /telegram/webhook.")
        var url: String
        @Flag(help: "Drop the updates Telegram is holding.")
        var dropPendingUpdates = false

        func run() async throws {
            let settings = try TelegramCommand.settings()
            var parameters: [String: Any] = [
                "url": url, "secret_token": settings.secret,
                "allowed_updates": ["message", "edited_message", "callback_query", "my_chat_member"],
            ]
            if dropPendingUpdates { parameters["drop_pending_updates"] = true }
            _ = try await TelegramCommand.call("setWebhook", parameters)
            print("webhook set to \(url)")
        }
    }

    struct Info: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "info", abstract: "Show getWebhookInfo.")

        func run() async throws {
            let object = try await TelegramCommand.call("getWebhookInfo", [:])
            let info = object["result"] as? [String: Any] ?? [:]
            print("url:                  \(info["url"] as? String ?? "(none)")")
            print("pending updates:      \(info["pending_update_count"] ?? 0)")
            print("allowed updates:      \((info["allowed_updates"] as? [String])?.joined(separator: ", ") ?? "(all)")")
            if let error = info["last_error_message"] as? String {
                let date = (info["last_error_date"] as? Double).map { Date(timeIntervalSince1970: $0).description } ?? "?"
                print("last error:           \(error) (\(date))")
            }
        }
    }
}
