import Foundation
import Synchronization

/// Counters and a latency histogram, exposed at `GET /metrics` in the
/// Prometheus text format. No message text ever becomes a label.
public final class ServiceMetrics: Sendable {
    private let state = Mutex(State())

    struct State {
        var counters: [String: [String: Double]] = [:]
        var histograms: [String: Histogram] = [:]
        var gauges: [String: Double] = [:]
    }

    struct Histogram {
        /// Bucket bounds for the engine's and the knowledge base's times.
        static let fine: [Double] = [0.000_01, 0.000_025, 0.000_05, 0.000_1, 0.000_25, 0.000_5, 0.001, 0.005, 0.01]
        /// Bucket bounds for how long an acknowledged update waits for its reply.
        static let coarse: [Double] = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30, 120]
        static func bounds(_ name: String) -> [Double] { name == "profint_reply_delay_seconds" ? coarse : fine }

        let bounds: [Double]
        var buckets: [Int]
        var count = 0
        var sum = 0.0

        init(bounds: [Double]) {
            self.bounds = bounds
            self.buckets = [Int](repeating: 0, count: bounds.count)
        }
    }

    static let help: [String: String] = [
        "profint_http_requests_total": "HTTP requests by route and status",
        "profint_messages_total": "Messages handled, by channel",
        "profint_intents_total": "Messages by matched intent (unmatched = out of scope)",
        "profint_outbox_sent_total": "Outbound calls delivered, by channel",
        "profint_outbox_retries_total": "Outbound calls scheduled for a retry, by reason",
        "profint_outbox_failed_total": "Outbound calls given up (4xx other than 429)",
        "profint_telegram_updates_total": "Telegram updates received, by result (accepted into the inbox, duplicate)",
    ]

    public init() {}

    public func increment(_ name: String, _ labels: [(String, String)] = [], by value: Double = 1) {
        let key = labels.map { "\($0.0)=\"\(Self.escape($0.1))\"" }.joined(separator: ",")
        state.withLock { $0.counters[name, default: [:]][key, default: 0] += value }
    }

    public func set(_ gauge: String, _ value: Double) {
        state.withLock { $0.gauges[gauge] = value }
    }

    /// Records one duration in a histogram: `profint_engine_seconds`
    /// (matching and reply composition per message, knowledge queries
    /// excluded), `profint_knowledge_seconds` (the knowledge queries of a
    /// message, in SQLite) or `profint_reply_delay_seconds` (from an
    /// update's acknowledgement to its replies in the outbox).
    public func observe(_ name: String, seconds: Double) {
        state.withLock { s in
            var h = s.histograms[name] ?? Histogram(bounds: Histogram.bounds(name))
            for (i, bound) in h.bounds.enumerated() where seconds <= bound { h.buckets[i] += 1 }
            h.count += 1
            h.sum += seconds
            s.histograms[name] = h
        }
    }

    static let histogramHelp = [
        "profint_engine_seconds": "Time the engine took per message (matching, slots, reply), knowledge queries excluded",
        "profint_knowledge_seconds": "Time the knowledge queries (SQLite FTS5) took per message that made any",
        "profint_reply_delay_seconds": "Time from an update's acknowledgement to its processing (replies queued in the outbox)",
    ]

    static func escape(_ s: String) -> String {
        guard s.utf8.contains(where: { $0 == 0x5C || $0 == 0x22 || $0 == 0x0A }) else { return s }
        return s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
    }

    /// The Prometheus exposition text.
    public func render() -> String {
        state.withLock { s in
            var lines: [String] = []
            for name in s.counters.keys.sorted() {
                lines.append("# HELP \(name) \(Self.help[name] ?? name)")
                lines.append("# TYPE \(name) counter")
                for (labels, value) in s.counters[name]!.sorted(by: { $0.key < $1.key }) {
                    lines.append(labels.isEmpty ? "\(name) \(Self.format(value))" : "\(name){\(labels)} \(Self.format(value))")
                }
            }
            for name in s.gauges.keys.sorted() {
                lines.append("# TYPE \(name) gauge")
                lines.append("\(name) \(Self.format(s.gauges[name]!))")
            }
            for name in ["profint_engine_seconds", "profint_knowledge_seconds", "profint_reply_delay_seconds"] {
                let h = s.histograms[name] ?? Histogram(bounds: Histogram.bounds(name))
                lines.append("# HELP \(name) \(Self.histogramHelp[name] ?? name)")
                lines.append("# TYPE \(name) histogram")
                for (i, bound) in h.bounds.enumerated() {
                    lines.append("\(name)_bucket{le=\"\(bound)\"} \(h.buckets[i])")
                }
                lines.append("\(name)_bucket{le=\"+Inf\"} \(h.count)")
                lines.append("\(name)_sum \(h.sum)")
                lines.append("\(name)_count \(h.count)")
            }
            return lines.joined(separator: "\n") + "\n"
        }
    }

    static func format(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(v)
    }
}
