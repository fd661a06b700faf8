import Foundation
import HTTPTypes
import NIOCore
import Hummingbird
import Logging
import ProfintTelegram

/// `POST /telegram/webhook`: the secret header is checked in constant time
/// before the body is read; bodies over the limit get 413, malformed JSON
/// 400; everything else 200 once stored in the inbox (a 5xx, when it could
/// not be stored, makes Telegram deliver it again).
struct TelegramWebhook: Sendable {
    let channel: TelegramChannel
    let secret: [UInt8]
    let maximumBodySize: Int
    let readiness: Readiness?
    let logger: Logger?
    static let header = HTTPField.Name("X-Telegram-Bot-Api-Secret-Token")!

    init(channel: TelegramChannel, secret: String, maximumBodySize: Int, readiness: Readiness? = nil, logger: Logger? = nil) {
        self.channel = channel
        self.secret = Array(secret.utf8)
        self.maximumBodySize = maximumBodySize
        self.readiness = readiness
        self.logger = logger
    }

    func handle(_ request: Request, context: some RequestContext) async throws -> Response {
        guard let given = request.headers[Self.header], Self.constantTimeEqual(Array(given.utf8), secret) else {
            return Response(status: .unauthorized)
        }
        if let length = request.headers[.contentLength].flatMap(Int.init), length > maximumBodySize {
            return Response(status: .contentTooLarge)
        }
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: maximumBodySize)
        } catch is NIOTooManyBytesError {
            return Response(status: .contentTooLarge)
        }
        let updateID: Int64
        do {
            updateID = try body.withUnsafeReadableBytes { try TelegramUpdateScanner.updateID(in: $0) }
        } catch {
            return Response(status: .badRequest, body: .init(byteBuffer: ByteBuffer(string: "malformed update: \(error)\n")))
        }
        do {
            try await channel.accept(updateID: updateID, body: Data(body.readableBytesView))
        } catch {
            // Telegram delivers the update again; the reason is logged (never the text).
            readiness?.recordWrite(succeeded: false)
            logger?.error("telegram update not stored: 500", metadata: ["profint.update": "\(updateID)", "profint.error": "\(error)"])
            return Response(status: .internalServerError, body: .init(byteBuffer: ByteBuffer(string: "update not stored; retry\n")))
        }
        readiness?.recordWrite(succeeded: true)
        return Response(status: .ok)
    }

    /// Compares without an early exit, so timing tells nothing about the secret.
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference = UInt8(a.count == b.count ? 0 : 1)
        for i in 0..<max(a.count, b.count) {
            let x = i < a.count ? a[i] : 0
            let y = i < b.count ? b[i] : 0
            difference |= x ^ y
        }
        return difference == 0
    }
}
