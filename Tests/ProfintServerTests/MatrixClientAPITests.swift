import AsyncHTTPClient
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Synchronization
import Testing
@testable import ProfintServer
@testable import ProfintStore

/// The Matrix transport over a real socket, against a small homeserver
/// stand-in that records requests: paths, tokens, transaction ids and how
/// errors are read.
struct MatrixClientAPITests {
    final class Recorder: Sendable {
        let requests = Mutex<[(method: String, path: String, authorization: String, body: String)]>([])
    }

    func withHomeserver(_ status: HTTPResponse.Status, _ body: String, headers: HTTPFields = [:],
                        _ test: @escaping @Sendable (MatrixClientAPI, Recorder) async throws -> Void) async throws {
        let recorder = Recorder()
        let router = Router()
        router.on("**", method: .put) { request, _ in try await Self.answer(request, recorder, status, body, headers) }
        router.on("**", method: .post) { request, _ in try await Self.answer(request, recorder, status, body, headers) }
        router.on("**", method: .get) { request, _ in try await Self.answer(request, recorder, status, body, headers) }
        let app = Application(router: router)
        try await app.test(.live) { client in
            let http = HTTPClient(eventLoopGroupProvider: .singleton)
            let api = MatrixClientAPI(client: http, homeserver: "http://127.0.0.1:\(client.port!)/", asToken: "as-secret")
            do { try await test(api, recorder) } catch { try await http.shutdown(); throw error }
            try await http.shutdown()
        }
    }

    static func answer(_ request: Request, _ recorder: Recorder, _ status: HTTPResponse.Status, _ body: String,
                       _ headers: HTTPFields) async throws -> Response {
        var request = request
        let data = try await request.collectBody(upTo: 1 << 20)
        recorder.requests.withLock {
            $0.append((request.method.rawValue, request.uri.path, request.headers[.authorization] ?? "", String(buffer: data)))
        }
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    static func message(id: Int64, method: String = "m.room.message", body: String = "{\"msgtype\":\"m.text\",\"body\":\"hej\"}") -> OutboxMessage {
        OutboxMessage(id: id, channel: "matrix", chat: "!abc:example.org", isGroup: false, method: method, body: Array(body.utf8),
                      attempts: 0, nextAttemptAt: 0)
    }

    @Test func sendsPutTheContentUnderAStableTransactionID() async throws {
        try await withHomeserver(.ok, "{\"event_id\":\"$1\"}") { api, recorder in
            let transport = MatrixTransport(api: api)
            let first = try await transport.deliver(Self.message(id: 7))
            let retry = try await transport.deliver(Self.message(id: 7))
            let other = try await transport.deliver(Self.message(id: 8))
            #expect(first.status == 200 && retry.status == 200 && other.status == 200)
            let requests = recorder.requests.withLock { $0 }
            #expect(requests.count == 3)
            #expect(requests.allSatisfy { $0.method == "PUT" && $0.authorization == "Bearer as-secret" })
            #expect(requests[0].path.hasPrefix("/_matrix/client/v3/rooms/%21abc%3Aexample.org/send/m.room.message/p7-"))
            #expect(requests[0].path == requests[1].path, "a retry reuses the transaction id")
            #expect(requests[0].path != requests[2].path)
            #expect(requests[0].body == "{\"msgtype\":\"m.text\",\"body\":\"hej\"}")
        }
    }

    @Test func joinPostsToTheRoom() async throws {
        try await withHomeserver(.ok, "{\"room_id\":\"!abc:example.org\"}") { api, recorder in
            let answer = try await MatrixTransport(api: api).deliver(Self.message(id: 1, method: "join", body: "{}"))
            #expect(answer.status == 200)
            #expect(recorder.requests.withLock { $0.first?.path } == "/_matrix/client/v3/rooms/%21abc%3Aexample.org/join")
            #expect(recorder.requests.withLock { $0.first?.method } == "POST")
        }
    }

    @Test func rateLimitReadsRetryAfterMs() async throws {
        try await withHomeserver(.tooManyRequests, "{\"errcode\":\"M_LIMIT_EXCEEDED\",\"error\":\"Too many requests\",\"retry_after_ms\":1500}") { api, _ in
            let answer = try await MatrixTransport(api: api).deliver(Self.message(id: 2))
            #expect(answer.status == 429)
            #expect(answer.retryAfter == 1.5)
            #expect(answer.description == "M_LIMIT_EXCEEDED: Too many requests")
        }
    }

    @Test func forbiddenIsReadForTheLog() async throws {
        try await withHomeserver(.forbidden, "{\"errcode\":\"M_FORBIDDEN\",\"error\":\"User not in room\"}") { api, _ in
            let answer = try await MatrixTransport(api: api).deliver(Self.message(id: 3))
            #expect(answer.status == 403)
            #expect(answer.description.contains("M_FORBIDDEN"))
        }
    }
}
