import Foundation
import ProfintServer
import Synchronization

/// The Bot API twin for unit tests: records calls and answers from a script.
final class RecordingBotAPI: BotAPI {
    struct Call: Sendable {
        var method: String
        var parameters: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:] }
        var body: [UInt8]
        var time: Double
    }

    private let state = Mutex<(calls: [Call], script: [BotAPIResponse])>(([], []))
    let clock: @Sendable () -> Double

    init(clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }) {
        self.clock = clock
    }

    /// The next calls get these answers, in order; then 200.
    func script(_ responses: [BotAPIResponse]) {
        state.withLock { $0.script += responses }
    }

    var calls: [Call] { state.withLock { $0.calls } }

    func call(method: String, body: [UInt8]) async throws -> BotAPIResponse {
        let now = clock()
        return state.withLock { s in
            s.calls.append(Call(method: method, body: body, time: now))
            if !s.script.isEmpty { return s.script.removeFirst() }
            return BotAPIResponse(status: 200, body: Array(#"{"ok":true,"result":true}"#.utf8))
        }
    }
}

/// A clock the test moves by hand.
final class ManualClock: Sendable {
    private let value = Mutex(1_800_000_000.0)
    var now: Double { value.withLock { $0 } }
    func advance(_ seconds: Double) { value.withLock { $0 += seconds } }
}
