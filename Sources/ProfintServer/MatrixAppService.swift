import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ProfintMatrix
import ProfintStore

/// The application-service API the homeserver calls. Every route checks the
/// `hs_token` (the `Authorization: Bearer` header, or the legacy
/// `access_token` query parameter) in constant time before anything else:
/// missing → 401 `M_UNKNOWN_TOKEN`, wrong → 403 `M_FORBIDDEN`.
///
/// A transaction is acknowledged as soon as its new events are in the inbox
/// (one SQLite transaction, deduplicated by event id, which stays unique
/// when the homeserver restarts its transaction ids); the worker answers
/// them afterwards. If the inbox cannot be written the answer is 500 and the
/// homeserver sends the same transaction again.
struct MatrixAppService: Sendable {
    let channel: MatrixChannel
    let inbox: MatrixInboxStore
    let hsToken: [UInt8]
    let bot: MatrixBotIdentity
    let displayName: String
    let maximumBodySize: Int
    let metrics: ServiceMetrics
    let logger: Logger
    var readiness: Readiness? = nil

    func register(on router: Router<BasicRequestContext>) {
        for prefix in ["_matrix/app/v1/", ""] {
            router.put("\(prefix)transactions/:txnId") { request, context in
                try await authenticated(request) { try await transaction(request, context: context) }
            }
            router.get("\(prefix)users/:userId") { request, context in
                try await authenticated(request) { user(context.parameters.get("userId")?.removingPercentEncoding ?? "") }
            }
            router.get("\(prefix)rooms/:alias") { request, _ in
                try await authenticated(request) { Self.error(.notFound, "M_NOT_FOUND", "This application service has no room aliases") }
            }
        }
        router.post("_matrix/app/v1/ping") { request, _ in
            try await authenticated(request) { Self.json(.ok, "{}") }
        }
    }

    func authenticated(_ request: Request, _ body: () async throws -> Response) async throws -> Response {
        var given: String?
        if let header = request.headers[.authorization] {
            given = header.hasPrefix("Bearer ") ? String(header.dropFirst("Bearer ".count)) : ""
        } else if let query = request.uri.queryParameters.get("access_token") {
            given = query
        }
        guard let given else {
            return Self.error(.unauthorized, "M_UNKNOWN_TOKEN", "Missing the homeserver token")
        }
        guard TelegramWebhook.constantTimeEqual(Array(given.utf8), hsToken) else {
            metrics.increment("profint_matrix_auth_failures_total", [])
            return Self.error(.forbidden, "M_FORBIDDEN", "Wrong homeserver token")
        }
        return try await body()
    }

    func transaction(_ request: Request, context: BasicRequestContext) async throws -> Response {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > maximumBodySize {
            return Self.error(.contentTooLarge, "M_TOO_LARGE", "The transaction is larger than \(maximumBodySize) bytes")
        }
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: maximumBodySize)
        } catch is NIOTooManyBytesError {
            return Self.error(.contentTooLarge, "M_TOO_LARGE", "The transaction is larger than \(maximumBodySize) bytes")
        }
        let transaction: MatrixTransaction
        do {
            transaction = try MatrixTransaction.decode(Data(body.readableBytesView))
        } catch let error as MatrixTransaction.Malformed {
            return Self.error(.badRequest, "M_BAD_JSON", error.description)
        }
        if transaction.malformed > 0 {
            // Skipped, not refused: the homeserver would send the whole transaction again forever.
            metrics.increment("profint_matrix_events_total", [("result", "malformed")], by: Double(transaction.malformed))
            logger.notice("matrix events skipped: not readable", metadata: [
                "profint.txn": "\(context.parameters.get("txnId") ?? "?")", "profint.count": "\(transaction.malformed)",
            ])
        }
        // Only what the bot acts on goes into the inbox; its own echoes and
        // events it ignores are dropped here.
        var accepted: [(eventID: String, roomID: String, json: Data)] = []
        for event in transaction.events {
            if case .ignored = MatrixInbound.event(for: event, bot: bot, displayName: displayName) { continue }
            accepted.append((event.eventID, event.roomID, transaction.raw[event.eventID]?.jsonData() ?? Data()))
        }
        do {
            let added = try await inbox.accept(accepted, now: Date().timeIntervalSince1970)
            readiness?.recordWrite(succeeded: true)
            metrics.increment("profint_matrix_events_total", [("result", "accepted")], by: Double(added))
            metrics.increment("profint_matrix_events_total", [("result", "duplicate")], by: Double(accepted.count - added))
        } catch {
            readiness?.recordWrite(succeeded: false)
            logger.error("matrix transaction not stored: 500; the homeserver will retry", metadata: [
                "profint.txn": "\(context.parameters.get("txnId") ?? "?")", "profint.error": "\(error)",
            ])
            return Self.error(.internalServerError, "M_UNKNOWN", "The transaction could not be stored; please retry")
        }
        channel.wake()
        return Self.json(.ok, "{}")
    }

    /// The bot's own user exists (the homeserver creates it); the rest of
    /// the namespace is not provisioned.
    func user(_ userID: String) -> Response {
        userID == bot.userID ? Self.json(.ok, "{}") : Self.error(.notFound, "M_NOT_FOUND", "No such user in this application service")
    }

    static func json(_ status: HTTPResponse.Status, _ text: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func error(_ status: HTTPResponse.Status, _ code: String, _ message: String) -> Response {
        let body = (try? JSONSerialization.data(withJSONObject: ["errcode": code, "error": message], options: [.sortedKeys])) ?? Data()
        return json(status, String(decoding: body, as: UTF8.self))
    }
}
