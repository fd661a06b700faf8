import ArgumentParser
import Foundation
import Logging
import ProfintServer

/// `profint serve`: the HTTP service with the Telegram webhook and the outbox.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the HTTP service: Telegram webhook, health, readiness, metrics and the outbox sender.",
        discussion: "Settings come from flags, then the environment (PROFINT_*), then --config FILE (KEY=value lines); see docs/DEPLOYMENT.md."
    )

    @Option(help: "A file of KEY=value settings (PROFINT_HTTP_PORT=8080 …).")
    var config: String?
    @Option(help: "Address to listen on (PROFINT_HTTP_HOST).")
    var host: String?
    @Option(help: "Port (PROFINT_HTTP_PORT).")
    var port: Int?
    @Option(help: "SQLite file (PROFINT_DATABASE).")
    var database: String?
    @Option(help: "Log level: trace, debug, info, notice, warning, error.")
    var logLevel: String = "info"

    func run() async throws {
        var values = ProcessInfo.processInfo.environment.filter { $0.key.hasPrefix("PROFINT_") }
        if let config {
            for (key, value) in try ServerConfiguration.readFile(config) where values[key] == nil { values[key] = value }
        }
        if let host { values["PROFINT_HTTP_HOST"] = host }
        if let port { values["PROFINT_HTTP_PORT"] = String(port) }
        if let database { values["PROFINT_DATABASE"] = database }
        let configuration: ServerConfiguration
        do {
            configuration = try ServerConfiguration.from(values)
        } catch let problem as ServerConfiguration.Problem {
            throw ValidationError(problem.description)
        }
        var logger = Logger(label: "profint")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        logger.info("starting", metadata: [
            "profint.address": "\(configuration.host):\(configuration.port)",
            "profint.database": "\(configuration.database)",
            "profint.telegram": "\(configuration.telegram == nil ? "off" : "on")",
        ])
        let app = try await ProfintApplication.build(configuration: configuration, logger: logger)
        try await app.runService()
    }
}
