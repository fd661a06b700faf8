import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import ProfintCore
import ProfintStore

/// The client-server API of the homeserver, used as the application
/// service's bot user with the `as_token`.
public struct MatrixClientAPI: Sendable {
    let client: HTTPClient
    let homeserver: String
    let asToken: String
    var timeout: TimeAmount = .seconds(30)

    public init(client: HTTPClient, homeserver: String, asToken: String) {
        self.client = client
        self.homeserver = homeserver.hasSuffix("/") ? String(homeserver.dropLast()) : homeserver
        self.asToken = asToken
    }

    /// One request; the answer's `errcode`, `error` and `retry_after_ms` are read into the response.
    public func request(_ method: HTTPMethod, _ path: String, body: [UInt8]? = nil) async throws -> BotAPIResponse {
        var request = HTTPClientRequest(url: homeserver + path)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(asToken)")
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response = try await client.execute(request, timeout: timeout)
        let bytes = Array(try await response.body.collect(upTo: 4 << 20).readableBytesView)
        var retryAfter = response.headers.first(name: "Retry-After").flatMap(Double.init)
        var description = ""
        if response.status.code >= 300, let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] {
            description = [object["errcode"] as? String, object["error"] as? String].compactMap { $0 }.joined(separator: ": ")
            if let ms = (object["retry_after_ms"] as? NSNumber)?.doubleValue { retryAfter = ms / 1000 }
        }
        return BotAPIResponse(status: Int(response.status.code), retryAfter: retryAfter, description: description, body: bytes)
    }

    /// A path segment with everything but unreserved characters percent-encoded (`!room:server` → `%21room%3Aserver`).
    public static func segment(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }

    /// How many members have joined the room, or nil if the homeserver would not say.
    public func joinedMemberCount(room: String) async throws -> Int? {
        let response = try await request(.GET, "/_matrix/client/v3/rooms/\(Self.segment(room))/joined_members")
        guard response.status == 200,
              let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any],
              let joined = object["joined"] as? [String: Any] else { return nil }
        return joined.count
    }

    /// Sets the bot's display name (what people see and mention).
    public func setDisplayName(_ name: String, userID: String) async throws -> BotAPIResponse {
        let body = try JSONSerialization.data(withJSONObject: ["displayname": name])
        return try await request(.PUT, "/_matrix/client/v3/profile/\(Self.segment(userID))/displayname", body: [UInt8](body))
    }
}

/// Matrix: the outbox row's method is `join`, `leave` or an event type to
/// send (`m.room.message`), its chat the room id and its body the JSON
/// content. The transaction id of a send is derived from the outbox row,
/// so a retry after a lost answer cannot post the event twice.
public struct MatrixTransport: OutboxTransport {
    public let api: MatrixClientAPI
    public var isRateLimited: Bool { false }

    public init(api: MatrixClientAPI) {
        self.api = api
    }

    public func deliver(_ message: OutboxMessage) async throws -> BotAPIResponse {
        let room = MatrixClientAPI.segment(message.chat)
        switch message.method {
        case "join":
            return try await api.request(.POST, "/_matrix/client/v3/rooms/\(room)/join", body: Array("{}".utf8))
        case "leave":
            return try await api.request(.POST, "/_matrix/client/v3/rooms/\(room)/leave", body: Array("{}".utf8))
        default:
            let txn = Self.transactionID(message)
            return try await api.request(.PUT, "/_matrix/client/v3/rooms/\(room)/send/\(MatrixClientAPI.segment(message.method))/\(txn)",
                                         body: message.body)
        }
    }

    /// `p<outbox id>-<hash of the body>`: the same for every retry of a row,
    /// different for another row (even one that reuses an id after the
    /// database was reset).
    static func transactionID(_ message: OutboxMessage) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in message.body {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return "p\(message.id)-\(String(hash, radix: 36))"
    }
}
