import HummingbirdCore
import Logging
import NIOCore
import Synchronization

/// Limits of the HTTP server: how many connections may be open at once
/// (one more is answered 503 and closed) and how long a connection may
/// take for each part of a request.
public struct HTTPLimits: Sendable {
    /// Open connections at most; the next gets 503 and is closed.
    public var maximumConnections = 1024
    /// From the first byte of a request to the end of its head.
    public var headerTimeout = 10.0
    /// From the end of a request's head to the start of its response (the body arrives, the handler answers).
    public var bodyTimeout = 30.0
    /// A connection with no request under way is closed after this long.
    public var idleTimeout = 60.0

    public init() {}
}

/// The connections open right now, shared by every connection's guard.
public final class HTTPConnectionCount: Sendable {
    private let value = Atomic(0)

    public init() {}

    public var current: Int { value.load(ordering: .relaxed) }

    /// Counts one more; returns the new count.
    func open() -> Int { value.add(1, ordering: .relaxed).newValue }

    func close() { value.subtract(1, ordering: .relaxed) }
}

/// The first handler of every connection: it sees the raw bytes, so it can
/// time a request head sent one byte a second, which the HTTP decoder only
/// passes on once complete. A connection over the limit gets a 503 written
/// directly and is closed; a connection that overruns a timeout is closed.
final class HTTPConnectionGuard: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = IOData
    typealias OutboundOut = IOData

    enum Phase: String {
        case idle, header, body, refused
    }

    static let refusal: String = {
        let body = "too many connections, retry\n"
        return "HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/plain\r\ncontent-length: \(body.utf8.count)\r\n"
            + "retry-after: 1\r\nconnection: close\r\n\r\n" + body
    }()

    let limits: HTTPLimits
    let count: HTTPConnectionCount
    let metrics: ServiceMetrics?
    private var phase = Phase.idle
    private var counted = false
    /// The last bytes of the head read so far (to find its blank line across reads).
    private var recent: UInt32 = 0
    private var timer: Scheduled<Void>?

    init(limits: HTTPLimits, count: HTTPConnectionCount, metrics: ServiceMetrics?) {
        self.limits = limits
        self.count = count
        self.metrics = metrics
    }

    func handlerAdded(context: ChannelHandlerContext) {
        counted = true
        let open = count.open()
        metrics?.set("profint_http_connections", Double(open))
        if open > limits.maximumConnections {
            phase = .refused
            metrics?.increment("profint_http_connections_refused_total")
        }
        if context.channel.isActive { start(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        start(context: context)
        context.fireChannelActive()
    }

    private var started = false

    private func start(context: ChannelHandlerContext) {
        guard !started else { return }
        started = true
        if phase == .refused {
            // Answered without reading the request; the output is shut so the
            // client reads the answer, the rest of its request is discarded.
            let buffer = context.channel.allocator.buffer(string: Self.refusal)
            context.writeAndFlush(wrapOutboundOut(.byteBuffer(buffer)), promise: nil)
            context.close(mode: .output, promise: nil)
            arm(context: context, seconds: 1)
        } else {
            arm(context: context, seconds: limits.idleTimeout)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        if counted {
            counted = false
            count.close()
            metrics?.set("profint_http_connections", Double(count.current))
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        switch phase {
        case .refused:
            return
        case .idle:
            phase = .header
            recent = 0
            arm(context: context, seconds: limits.headerTimeout)
            fallthrough
        case .header:
            if headEnds(in: buffer) {
                phase = .body
                arm(context: context, seconds: limits.bodyTimeout)
            }
        case .body:
            break
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        // The response has begun: the request is over, the connection idle until the next one.
        if phase == .body || phase == .header {
            phase = .idle
            arm(context: context, seconds: limits.idleTimeout)
        }
        context.write(data, promise: promise)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if phase == .refused, let event = event as? ChannelEvent, event == .inputClosed {
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    /// Whether the blank line that ends a request head is in `buffer` (or straddles reads).
    private func headEnds(in buffer: ByteBuffer) -> Bool {
        for byte in buffer.readableBytesView {
            recent = recent << 8 | UInt32(byte)
            if recent == 0x0D0A_0D0A || recent & 0xFFFF == 0x0A0A { return true }
        }
        return false
    }

    private func arm(context: ChannelHandlerContext, seconds: Double) {
        timer?.cancel()
        let phase = self.phase
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(in: .nanoseconds(Int64(seconds * 1e9))) {
            let (handler, context) = loopBound.value
            guard handler.phase == phase else { return }
            if phase != .refused {
                handler.metrics?.increment("profint_http_timeouts_total", [("phase", phase.rawValue)])
            }
            context.close(promise: nil)
        }
    }
}

/// HTTP/1.1 as Hummingbird serves it, behind an `HTTPConnectionGuard`.
struct GuardedHTTP1Channel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value

    let base: HTTP1Channel
    let limits: HTTPLimits
    let count: HTTPConnectionCount
    let metrics: ServiceMetrics?

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        do {
            try channel.pipeline.syncOperations.addHandler(HTTPConnectionGuard(limits: limits, count: count, metrics: metrics), position: .first)
        } catch {
            return channel.eventLoop.makeFailedFuture(error)
        }
        return base.setup(channel: channel, logger: logger)
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}

extension HTTPServerBuilder {
    /// HTTP/1.1 with a connection limit and header, body and idle timeouts.
    static func guardedHTTP1(limits: HTTPLimits, count: HTTPConnectionCount = HTTPConnectionCount(), metrics: ServiceMetrics?) -> HTTPServerBuilder {
        .init { responder in
            GuardedHTTP1Channel(base: HTTP1Channel(responder: responder, configuration: .init(idleTimeout: .seconds(Int64(limits.idleTimeout)))),
                                limits: limits, count: count, metrics: metrics)
        }
    }
}
