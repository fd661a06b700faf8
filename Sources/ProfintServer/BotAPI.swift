import AsyncHTTPClient
import Foundation
import NIOCore

/// The answer of a Bot API call, as far as the outbox needs it.
public struct BotAPIResponse: Sendable {
    public var status: Int
    /// Seconds to wait before retrying, from `parameters.retry_after` or `Retry-After`.
    public var retryAfter: Double?
    public var description: String
    public var body: [UInt8]

    public init(status: Int, retryAfter: Double? = nil, description: String = "", body: [UInt8] = []) {
        self.status = status
        self.retryAfter = retryAfter
        self.description = description
        self.body = body
    }
}

/// The seam to the Telegram Bot API: over HTTP in production, a recording
/// twin in unit tests, a fake server on loopback in end-to-end tests.
public protocol BotAPI: Sendable {
    func call(method: String, body: [UInt8]) async throws -> BotAPIResponse
}

/// Bot API calls over HTTP with AsyncHTTPClient (JSON bodies).
public struct HTTPBotAPI: BotAPI {
    let client: HTTPClient
    let baseURL: String
    let token: String
    var timeout: TimeAmount = .seconds(30)

    public init(client: HTTPClient, baseURL: String, token: String) {
        self.client = client
        self.baseURL = baseURL
        self.token = token
    }

    public func call(method: String, body: [UInt8]) async throws -> BotAPIResponse {
        var request = HTTPClientRequest(url: "\(baseURL)/bot\(token)/\(method)")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: body))
        let response = try await client.execute(request, timeout: timeout)
        let data = try await response.body.collect(upTo: 1 << 20)
        let bytes = Array(data.readableBytesView)
        var retryAfter = response.headers.first(name: "Retry-After").flatMap(Double.init)
        var description = ""
        if let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] {
            description = object["description"] as? String ?? ""
            if let parameters = object["parameters"] as? [String: Any], let seconds = parameters["retry_after"] as? Double {
                retryAfter = seconds
            }
        }
        return BotAPIResponse(status: Int(response.status.code), retryAfter: retryAfter, description: description, body: bytes)
    }
}
