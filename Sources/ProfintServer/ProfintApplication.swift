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
        public var matrix: MatrixChannel? = nil
        public var sender: OutboxSender?
        public var scheduler: PromptScheduler?
        /// What `/readyz` checks; nil: the database answers a write.
        public var readiness: Readiness? = nil
    }

    /// Loads the content, opens the database and wires the channels.
    public static func parts(configuration: ServerConfiguration, logger: Logger, httpClient: HTTPClient) throws -> Parts {
        let loaded = ContentLoader.load(intents: configuration.intents, knowledge: configuration.knowledge)
        let problems = ContentValidator.validate(loaded, intentsPath: configuration.intents)
        guard !loaded.content.intents.isEmpty else {
            throw ServerConfiguration.Problem(description: "no intents in \(configuration.intents) (run `profint check`)")
        }
        for problem in problems.prefix(20) { logger.warning("content problem", metadata: ["profint.problem": "\(problem)"]) }
        try DatabaseMarker.check(database: configuration.database)
        let database = try ProfintDatabase(path: configuration.database, checkpointsInBackground: true)
        try DatabaseMarker.mark(database: configuration.database)
        var engineConfiguration = EngineConfiguration()
        engineConfiguration.explain = false
        engineConfiguration.defaultLanguage = configuration.defaultLanguage
        let engine = try Engine(content: loaded.content, configuration: engineConfiguration) { analyzer, items in
            // Timed outside the cache: the histogram shows what searching costs the service.
            TimedKnowledgeIndex(base: CachedKnowledgeIndex(base: try SQLiteKnowledgeIndex.build(items: items, analyzer: analyzer, database: database)))
        }
        let store = ServiceStore(database: database)
        let metrics = ServiceMetrics()
        var transports: [String: any OutboxTransport] = [:]
        if let settings = configuration.telegram {
            transports[TelegramChannel.channel] = TelegramTransport(api: HTTPBotAPI(client: httpClient, baseURL: settings.apiURL, token: settings.token))
        }
        let matrixAPI = configuration.matrix.map { MatrixClientAPI(client: httpClient, homeserver: $0.homeserverURL, asToken: $0.asToken) }
        if let matrixAPI { transports[MatrixChannel.channel] = MatrixTransport(api: matrixAPI) }
        let sender = transports.isEmpty ? nil : OutboxSender(store: store, transports: transports, metrics: metrics, logger: logger)
        var telegram: TelegramChannel?
        if let settings = configuration.telegram, let sender {
            telegram = TelegramChannel(engine: engine, store: store, sender: sender, metrics: metrics, logger: logger,
                                       configuration: configuration,
                                       identity: TelegramBotIdentity(id: settings.botID, username: settings.botUsername ?? ""))
        }
        var matrix: MatrixChannel?
        if let settings = configuration.matrix {
            matrix = MatrixChannel(engine: engine, store: store, api: matrixAPI, sender: sender, metrics: metrics, logger: logger,
                                   configuration: configuration, settings: settings)
        }
        var enabled: Set<String> = []
        if telegram != nil { enabled.insert(TelegramChannel.channel) }
        if matrix != nil { enabled.insert(MatrixChannel.channel) }
        let scheduler = PromptScheduler(prompts: PromptStore(database: database), engine: engine, sender: sender,
                                        channels: enabled, logger: logger)
        return Parts(engine: engine, store: store, metrics: metrics, telegram: telegram, matrix: matrix, sender: sender, scheduler: scheduler,
                     readiness: Readiness(database: database, path: configuration.database))
    }

    /// The router: webhook, health, readiness, metrics.
    public static func router(parts: Parts, configuration: ServerConfiguration) -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: RequestMetricsMiddleware(metrics: parts.metrics))
        router.get("healthz") { _, _ in "ok\n" }
        let readiness = parts.readiness ?? Readiness(database: parts.store.database, path: nil)
        let logger = parts.telegram?.logger ?? parts.matrix?.logger ?? Logger(label: "profint")
        router.get("readyz") { _, _ -> Response in
            guard let problem = await readiness.problem() else {
                return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "ready\n")))
            }
            logger.warning("not ready", metadata: ["profint.reason": "\(problem)"])
            return Response(status: .serviceUnavailable, body: .init(byteBuffer: ByteBuffer(string: "not ready: \(problem)\n")))
        }
        router.get("metrics") { _, _ -> Response in
            if let depth = try? parts.store.outboxDepth() { parts.metrics.set("profint_outbox_depth", Double(depth)) }
            if let depth = try? parts.telegram?.inbox.pendingCount() { parts.metrics.set("profint_telegram_inbox_depth", Double(depth)) }
            if let depth = try? parts.matrix?.inbox.pendingCount() { parts.metrics.set("profint_matrix_inbox_depth", Double(depth)) }
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: parts.metrics.render())))
        }
        if let telegram = parts.telegram, let settings = configuration.telegram {
            let webhook = TelegramWebhook(channel: telegram, secret: settings.secret, maximumBodySize: configuration.maximumBodySize,
                                          readiness: readiness, logger: telegram.logger)
            router.post("telegram/webhook") { request, context in
                try await webhook.handle(request, context: context)
            }
        }
        if let matrix = parts.matrix, let settings = configuration.matrix {
            let service = MatrixAppService(channel: matrix, inbox: MatrixInboxStore(service: parts.store), hsToken: Array(settings.hsToken.utf8),
                                           bot: matrix.bot, displayName: settings.displayName,
                                           maximumBodySize: configuration.maximumTransactionSize, metrics: parts.metrics, logger: matrix.logger,
                                           readiness: readiness)
            service.register(on: router)
        }
        return router
    }

    /// The whole service, ready to `runService()`.
    public static func build(configuration: ServerConfiguration, logger: Logger) async throws -> some ApplicationProtocol {
        let httpClient = HTTPClient(eventLoopGroupProvider: .singleton)
        let parts: Parts
        do {
            parts = try Self.parts(configuration: configuration, logger: logger, httpClient: httpClient)
        } catch {
            // A refused start (missing database, no content) must not leave the client running.
            try? await httpClient.shutdown()
            throw error
        }
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
        var limits = configuration.http
        limits.maximumConnections = FileDescriptorLimit.connections(allowing: limits.maximumConnections, logger: logger)
        var app = Application(
            router: router(parts: parts, configuration: configuration),
            server: .guardedHTTP1(limits: limits, metrics: parts.metrics),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "profint"),
            logger: logger
        )
        if let sender = parts.sender { app.addServices(sender) }
        app.addServices(MaintenanceService(store: parts.store, logger: logger))
        app.addServices(CheckpointService(database: parts.store.database, logger: logger))
        if let scheduler = parts.scheduler { app.addServices(scheduler) }
        if let matrix = parts.matrix { app.addServices(matrix) }
        if let telegram = parts.telegram { app.addServices(telegram) }
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
        if ["/telegram/webhook", "/healthz", "/readyz", "/metrics", "/_matrix/app/v1/ping"].contains(path) { return path }
        for prefix in ["/_matrix/app/v1/transactions/", "/_matrix/app/v1/users/", "/_matrix/app/v1/rooms/", "/transactions/", "/users/", "/rooms/"]
        where path.hasPrefix(prefix) {
            return prefix + ":id"
        }
        return "other"
    }
}
