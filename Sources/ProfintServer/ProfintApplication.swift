import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import ProfintContent
import ProfintCore
import ProfintStore
import ProfintTelegram
import ServiceLifecycle

/// Builds the `profint serve` application: the HTTP routes and the
/// background services in one service group with graceful shutdown.
public enum ProfintApplication {
    /// Everything a running service holds.
    public struct Parts: Sendable {
        public var engine: Engine
        public var store: ServiceStore
        public var metrics: ServiceMetrics
        public var telegram: TelegramChannel?
        public var sender: OutboxSender?
        public var scheduler: PromptScheduler?
    }

    /// Loads the content, opens the database and wires the channels.
    public static func parts(configuration: ServerConfiguration, logger: Logger, httpClient: HTTPClient) throws -> Parts {
        let loaded = ContentLoader.load(intents: configuration.intents, knowledge: configuration.knowledge)
        let problems = ContentValidator.validate(loaded, intentsPath: configuration.intents)
        guard !loaded.content.intents.isEmpty else {
            throw ServerConfiguration.Problem(description: "no intents in \(configuration.intents) (run `profint check`)")
        }
        for problem in problems.prefix(20) { logger.warning("content problem", metadata: ["profint.problem": "\(problem)"]) }
        let database = try ProfintDatabase(path: configuration.database)
        var engineConfiguration = EngineConfiguration()
        engineConfiguration.explain = false
        engineConfiguration.defaultLanguage = configuration.defaultLanguage
        let engine = try Engine(content: loaded.content, configuration: engineConfiguration) { analyzer, items in
            try SQLiteKnowledgeIndex.build(items: items, analyzer: analyzer, database: database)
        }
        let store = ServiceStore(database: database)
        let metrics = ServiceMetrics()
        var telegram: TelegramChannel?
        var sender: OutboxSender?
        if let settings = configuration.telegram {
            let api = HTTPBotAPI(client: httpClient, baseURL: settings.apiURL, token: settings.token)
            let outbox = OutboxSender(store: store, api: api, metrics: metrics, logger: logger)
            sender = outbox
            telegram = TelegramChannel(engine: engine, store: store, sender: outbox, metrics: metrics, logger: logger,
                                       configuration: configuration,
                                       identity: TelegramBotIdentity(id: settings.botID, username: settings.botUsername ?? ""))
        }
        let scheduler = PromptScheduler(prompts: PromptStore(database: database), engine: engine, sender: sender,
                                        telegramEnabled: telegram != nil, logger: logger)
        return Parts(engine: engine, store: store, metrics: metrics, telegram: telegram, sender: sender, scheduler: scheduler)
    }

    /// The router: webhook, health, readiness, metrics.
    public static func router(parts: Parts, configuration: ServerConfiguration) -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: RequestMetricsMiddleware(metrics: parts.metrics))
        router.get("healthz") { _, _ in "ok\n" }
        router.get("readyz") { _, _ -> Response in
            let ready = (try? parts.store.database.writer.read { db in try Int.fetchOne(db, sql: "SELECT 1") }) == 1
            return Response(status: ready ? .ok : .serviceUnavailable,
                            body: .init(byteBuffer: ByteBuffer(string: ready ? "ready\n" : "database unavailable\n")))
        }
        router.get("metrics") { _, _ -> Response in
            if let depth = try? parts.store.outboxDepth() { parts.metrics.set("profint_outbox_depth", Double(depth)) }
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: parts.metrics.render())))
        }
        if let telegram = parts.telegram, let settings = configuration.telegram {
            let webhook = TelegramWebhook(channel: telegram, secret: settings.secret, maximumBodySize: configuration.maximumBodySize)
            router.post("telegram/webhook") { request, context in
                try await webhook.handle(request, context: context)
            }
        }
        return router
    }

    /// The whole service, ready to `runService()`.
    public static func build(configuration: ServerConfiguration, logger: Logger) async throws -> some ApplicationProtocol {
        let httpClient = HTTPClient(eventLoopGroupProvider: .singleton)
        let parts = try Self.parts(configuration: configuration, logger: logger, httpClient: httpClient)
        if let telegram = parts.telegram, let settings = configuration.telegram, settings.botUsername == nil {
            // Learn the bot's username (for mentions in groups); without it only commands and replies reach the bot.
            let api = HTTPBotAPI(client: httpClient, baseURL: settings.apiURL, token: settings.token)
            if let me = try? await api.call(method: "getMe", body: Array("{}".utf8)), me.status == 200,
               let object = try? JSONSerialization.jsonObject(with: Data(me.body)) as? [String: Any],
               let result = object["result"] as? [String: Any], let username = result["username"] as? String {
                let id = (result["id"] as? NSNumber)?.int64Value ?? settings.botID
                telegram.setIdentity(TelegramBotIdentity(id: id, username: username))
            } else {
                logger.warning("getMe failed: set PROFINT_TELEGRAM_BOT_USERNAME so that mentions in groups are recognised")
            }
        }
        var app = Application(
            router: router(parts: parts, configuration: configuration),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "profint"),
            logger: logger
        )
        if let sender = parts.sender { app.addServices(sender) }
        app.addServices(MaintenanceService(store: parts.store, logger: logger))
        if let scheduler = parts.scheduler { app.addServices(scheduler) }
        app.addServices(HTTPClientService(client: httpClient))
        return app
    }
}

/// Shuts the HTTP client down when the service group stops.
struct HTTPClientService: Service {
    let client: HTTPClient

    func run() async throws {
        try? await gracefulShutdown()
        try await client.shutdown()
    }
}

/// Counts requests by route and status.
struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServiceMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let route = request.uri.path
        do {
            let response = try await next(request, context)
            metrics.increment("profint_http_requests_total", [("route", Self.routeLabel(route)), ("status", "\(response.status.code)")])
            return response
        } catch let error as HTTPResponseError {
            metrics.increment("profint_http_requests_total", [("route", Self.routeLabel(route)), ("status", "\(error.status.code)")])
            throw error
        } catch {
            metrics.increment("profint_http_requests_total", [("route", Self.routeLabel(route)), ("status", "500")])
            throw error
        }
    }

    /// Known routes by name; anything else as "other" (no unbounded labels).
    static func routeLabel(_ path: String) -> String {
        ["/telegram/webhook", "/healthz", "/readyz", "/metrics"].contains(path) ? path : "other"
    }
}
