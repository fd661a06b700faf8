import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing
@testable import ProfintServer

/// The HTTP server's connection limit and timeouts, on a real socket.
@Suite(.serialized)
struct HTTPConnectionGuardTests {
    static func app(_ limits: HTTPLimits, metrics: ServiceMetrics = ServiceMetrics()) -> some ApplicationProtocol {
        let router = Router()
        router.get("healthz") { _, _ in "ok\n" }
        router.post("echo") { request, _ -> String in
            var request = request
            let body = try await request.collectBody(upTo: 1 << 16)
            return "got \(body.readableBytes)\n"
        }
        return Application(router: router, server: .guardedHTTP1(limits: limits, metrics: metrics))
    }

    static let get = "GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n"

    @Test func connectionsBeyondTheLimitGet503AndTheServiceKeepsAnswering() async throws {
        var limits = HTTPLimits()
        limits.maximumConnections = 3   // the test client holds one
        let metrics = ServiceMetrics()
        try await Self.app(limits, metrics: metrics).test(.live) { client in
            let port = client.port!
            let idle = try (0..<2).map { _ in try RawConnection(port: port) }
            try await Task.sleep(nanoseconds: 200_000_000)
            let extra = try RawConnection(port: port)
            extra.send(Self.get)
            let refused = extra.read(for: 5)
            #expect(refused.text.hasPrefix("HTTP/1.1 503 Service Unavailable"))
            #expect(refused.text.contains("connection: close"))
            // The connections within the limit are served.
            idle[0].send(Self.get)
            #expect(idle[0].read(for: 5).text.hasPrefix("HTTP/1.1 200"))
            _ = idle
            #expect(metrics.render().contains("profint_http_connections_refused_total 1"))
        }
    }

    @Test func aHeadSentOneByteAtATimeIsCutOff() async throws {
        var limits = HTTPLimits()
        limits.headerTimeout = 0.5
        try await Self.app(limits).test(.live) { client in
            let connection = try RawConnection(port: client.port!)
            connection.send("GET /healthz HTTP/1.1\r\n")
            let started = Date()
            var closed = false
            while Date().timeIntervalSince(started) < 5, !closed {
                connection.send("X")
                closed = connection.read(for: 0.1).closed
            }
            #expect(closed, "a slow-loris head kept the connection open")
            #expect(Date().timeIntervalSince(started) < 3)
        }
    }

    @Test func aBodySentOneByteAtATimeIsCutOff() async throws {
        var limits = HTTPLimits()
        limits.bodyTimeout = 0.5
        try await Self.app(limits).test(.live) { client in
            let connection = try RawConnection(port: client.port!)
            connection.send("POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\n")
            let started = Date()
            var closed = false
            while Date().timeIntervalSince(started) < 5, !closed {
                connection.send("x")
                closed = connection.read(for: 0.1).closed
            }
            #expect(closed, "a trickled body kept the connection open")
            #expect(Date().timeIntervalSince(started) < 3)
        }
    }

    @Test func idleConnectionsAreClosedAndKeepAliveStillWorks() async throws {
        var limits = HTTPLimits()
        limits.idleTimeout = 1
        try await Self.app(limits).test(.live) { client in
            let connection = try RawConnection(port: client.port!)
            for _ in 0..<3 {
                connection.send(Self.get)
                #expect(connection.read(for: 5).text.hasPrefix("HTTP/1.1 200"))
            }
            connection.send("POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\n\r\nhello")
            #expect(connection.read(for: 5).text.contains("got 5"))
            let closedAfter = connection.secondsUntilClosed(limit: 5)
            #expect(closedAfter != nil, "an idle connection stayed open")
            let silent = try RawConnection(port: client.port!)
            #expect(silent.secondsUntilClosed(limit: 5) != nil, "a connection that never sent a byte stayed open")
        }
    }
}
