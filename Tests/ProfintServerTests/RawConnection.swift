import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A plain TCP connection to the server under test, for what an HTTP client
/// library would not do: stay idle, trickle a head or a body byte by byte.
final class RawConnection {
    let socket: Int32

    /// Connects to `localhost:port` (IPv4, else IPv6).
    init(port: Int) throws {
        var fd: Int32 = -1
        var v4 = sockaddr_in()
        v4.sin_family = sa_family_t(AF_INET)
        v4.sin_port = in_port_t(UInt16(port).bigEndian)
        v4.sin_addr.s_addr = inet_addr("127.0.0.1")
        fd = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var connected = withUnsafePointer(to: &v4) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
        if !connected {
            close(fd)
            var v6 = sockaddr_in6()
            v6.sin6_family = sa_family_t(AF_INET6)
            v6.sin6_port = in_port_t(UInt16(port).bigEndian)
            v6.sin6_addr = in6addr_loopback
            fd = Glibc.socket(AF_INET6, Int32(SOCK_STREAM.rawValue), 0)
            connected = withUnsafePointer(to: &v6) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
            } == 0
        }
        guard connected else {
            close(fd)
            throw POSIXError(.ECONNREFUSED)
        }
        socket = fd
    }

    deinit { close(socket) }

    func send(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    /// What arrives within `seconds`, until the peer closes (then `closed` is true).
    func read(for seconds: Double) -> (text: String, closed: Bool) {
        var received: [UInt8] = []
        let deadline = Date().addingTimeInterval(seconds)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while Date() < deadline {
            var poller = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            let left = Int32(max(1, deadline.timeIntervalSinceNow * 1000))
            guard poll(&poller, 1, left) > 0 else { break }
            let n = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            if n <= 0 { return (String(decoding: received, as: UTF8.self), true) }
            received += buffer[0..<n]
            if Self.isCompleteResponse(String(decoding: received, as: UTF8.self)) { break }
        }
        return (String(decoding: received, as: UTF8.self), false)
    }

    /// Whether `text` holds a whole response: its head and as many bytes as its content-length.
    static func isCompleteResponse(_ text: String) -> Bool {
        guard let end = text.range(of: "\r\n\r\n") else { return false }
        let head = text[..<end.lowerBound].lowercased()
        guard let line = head.split(separator: "\r\n").first(where: { $0.hasPrefix("content-length:") }),
              let length = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) else { return false }
        return text[end.upperBound...].utf8.count >= length
    }

    /// Seconds until the peer closes the connection (nil if it did not within `limit`).
    func secondsUntilClosed(limit: Double) -> Double? {
        let started = Date()
        let result = read(for: limit)
        return result.closed ? Date().timeIntervalSince(started) : nil
    }
}
