import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What an end-to-end test needs to run `profint serve` against the fake
/// Telegram Bot API (Tests/Fixtures/fake_bot_api.py): processes, ports,
/// HTTP, polling.
enum EndToEnd {
    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// The Telegram Bot API spec the fake validates every call against,
    /// vendored in Tests/Fixtures/telegram (origin and licence beside it).
    static var specURL: URL {
        ProfintBinary.repositoryRoot.appendingPathComponent("Tests/Fixtures/telegram/api.json")
    }

    static func requireSpec() throws -> URL {
        let url = specURL
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw Failure("""
                The Telegram Bot API spec is missing at \(url.path). It is part of the repository \
                (Tests/Fixtures/telegram/api.json); restore it with `git checkout -- Tests/Fixtures/telegram`.
                """)
        }
        return url
    }

    /// A port nobody listens on right now (bind to port 0, read it, close).
    static func freePort() throws -> Int {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw Failure("socket() failed: \(errno)") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0 else { throw Failure("bind() failed: \(errno)") }
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { throw Failure("getsockname() failed: \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("profint-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// The environment of this process without any PROFINT_* setting, so
    /// that a developer's or CI's settings cannot leak into a test.
    static func cleanEnvironment(adding settings: [String: String]) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PROFINT_") }
        environment.merge(settings) { $1 }
        return environment
    }

    /// Polls `condition` every `interval` until it returns a value or `timeout` passes.
    static func poll<T>(timeout: Double = 10, interval: Double = 0.1, _ condition: () async throws -> T?) async throws -> T? {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let value = try await condition() { return value }
            if Date() >= deadline { return nil }
            try await Task.sleep(nanoseconds: UInt64(interval * 1e9))
        }
    }

    // MARK: HTTP

    struct HTTPResponse: Sendable {
        var status: Int
        var body: Data
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    static let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 60
        configuration.timeoutIntervalForResource = 60
        return URLSession(configuration: configuration)
    }()

    static func request(_ url: URL, method: String = "GET", body: Data? = nil, headers: [String: String] = [:]) async throws -> HTTPResponse {
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.httpBody = body
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await session.data(for: request)
        guard let http = response as? HTTPURLResponse else { throw Failure("\(url): not an HTTP response") }
        return HTTPResponse(status: http.statusCode, body: data)
    }

    static func json(_ object: Any) throws -> Data {
        try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    }

    static func object(_ data: Data) throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw Failure("expected a JSON object, got \(String(decoding: data, as: UTF8.self).prefix(500))")
        }
        return object
    }
}

/// A child process with its output in files (no pipe can fill up), stopped
/// with SIGTERM then SIGKILL.
final class ChildProcess: @unchecked Sendable {
    let process = Process()
    let stdoutURL: URL
    let stderrURL: URL

    init(executable: URL, arguments: [String], environment: [String: String], directory: URL, logs: URL, name: String) throws {
        stdoutURL = logs.appendingPathComponent("\(name).stdout")
        stderrURL = logs.appendingPathComponent("\(name).stderr")
        FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
        FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        process.executableURL = executable
        process.arguments = arguments
        process.environment = environment
        process.currentDirectoryURL = directory
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: stdoutURL)
        process.standardError = try FileHandle(forWritingTo: stderrURL)
        try process.run()
    }

    var pid: Int32 { process.processIdentifier }
    var isRunning: Bool { process.isRunning }
    var stdout: String { (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "" }

    /// Waits up to `timeout` seconds for the process to exit; true if it did.
    @discardableResult
    func waitForExit(timeout: Double) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning {
            if Date() >= deadline { return false }
            usleep(20_000)
        }
        process.waitUntilExit()
        return true
    }

    /// SIGTERM, then SIGKILL if still running after `grace` seconds.
    func stop(grace: Double = 5) {
        guard process.isRunning else { return }
        kill(pid, SIGTERM)
        if !waitForExit(timeout: grace) {
            kill(pid, SIGKILL)
            waitForExit(timeout: 5)
        }
    }

    /// SIGKILL right away: a crash, as far as the process can tell.
    func crash() {
        guard process.isRunning else { return }
        kill(pid, SIGKILL)
        waitForExit(timeout: 5)
    }

    var terminationStatus: Int32 { process.terminationStatus }
    /// Whether the process ended by calling exit (rather than by a signal).
    var exitedNormally: Bool { process.terminationReason == .exit }
}

/// The fake Bot API (Tests/Fixtures/fake_bot_api.py) and its control API.
final class FakeBotAPI: @unchecked Sendable {
    static let token = "123456789:AAH-profint_e2e_test_token"
    static let botUsername = "profint_test_bot"
    static let botID: Int64 = 123_456_789

    let child: ChildProcess
    let port: Int
    var baseURL: URL { URL(string: "http://127.0.0.1:\(port)")! }

    init(logs: URL) async throws {
        let spec = try EndToEnd.requireSpec()
        let script = ProfintBinary.repositoryRoot.appendingPathComponent("Tests/Fixtures/fake_bot_api.py")
        // A child inherits the signal mask of the thread that spawns it, and
        // Swift's threads block SIGTERM: unblock it, or the fake would only
        // ever stop on SIGKILL.
        let bootstrap = """
            import runpy, signal, sys
            signal.pthread_sigmask(signal.SIG_SETMASK, [])
            sys.argv = sys.argv[1:]
            runpy.run_path(sys.argv[0], run_name="__main__")
            """
        child = try ChildProcess(executable: URL(fileURLWithPath: "/usr/bin/env"),
                                 arguments: ["python3", "-c", bootstrap, script.path, "--spec", spec.path,
                                             "--token", Self.token, "--port", "0"],
                                 environment: ProcessInfo.processInfo.environment, directory: ProfintBinary.repositoryRoot,
                                 logs: logs, name: "fake_bot_api")
        let output = child.stdoutURL
        let found = try await EndToEnd.poll(timeout: 20, interval: 0.05) { () -> Int? in
            let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
            guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("LISTENING ") }) else { return nil }
            return Int(line.dropFirst("LISTENING ".count))
        }
        guard let found else {
            let stderr = child.stderr
            child.stop()
            throw EndToEnd.Failure("the fake Bot API did not print LISTENING <port> within 20 s; stderr:\n\(stderr)")
        }
        port = found
    }

    func stop() { child.stop() }

    /// One recorded Bot API call.
    struct Call: @unchecked Sendable, CustomStringConvertible {
        var method: String
        var params: [String: Any]
        var time: Double
        var status: Int?
        var error: String?
        var chatID: Int64? { (params["chat_id"] as? NSNumber)?.int64Value }
        var text: String? { params["text"] as? String }
        var description: String {
            "\(method) status=\(status.map(String.init) ?? "nil") chat=\(chatID.map(String.init) ?? "-") \(error ?? "") text=\((text ?? "").prefix(80))"
        }
    }

    func calls() async throws -> [Call] {
        let response = try await EndToEnd.request(baseURL.appendingPathComponent("control/calls"))
        let list = try EndToEnd.object(response.body)["calls"] as? [[String: Any]] ?? []
        return list.map {
            Call(method: $0["method"] as? String ?? "", params: $0["params"] as? [String: Any] ?? [:],
                 time: ($0["time"] as? NSNumber)?.doubleValue ?? 0, status: ($0["status"] as? NSNumber)?.intValue,
                 error: $0["error"] as? String)
        }
    }

    /// Calls other than the `getMe` the service makes at startup.
    func replies() async throws -> [Call] {
        try await calls().filter { $0.method != "getMe" }
    }

    /// Polls the recorded calls (up to `timeout` seconds) until `condition` holds.
    @discardableResult
    func waitForCalls(timeout: Double = 10, _ what: String, _ condition: ([Call]) -> Bool) async throws -> [Call] {
        var last: [Call] = []
        let found = try await EndToEnd.poll(timeout: timeout) { () -> [Call]? in
            last = try await self.calls()
            return condition(last) ? last : nil
        }
        guard let found else {
            throw EndToEnd.Failure("timed out after \(timeout) s waiting for \(what); calls:\n" + last.map(\.description).joined(separator: "\n"))
        }
        return found
    }

    func script(method: String?, responses: [[String: Any]]) async throws {
        var body: [String: Any] = ["responses": responses]
        body["method"] = method ?? NSNull()
        let response = try await EndToEnd.request(baseURL.appendingPathComponent("control/script"), method: "POST",
                                                  body: try EndToEnd.json(body))
        guard response.status == 200 else { throw EndToEnd.Failure("/control/script: \(response.status) \(response.text)") }
    }

    func reset() async throws {
        let response = try await EndToEnd.request(baseURL.appendingPathComponent("control/reset"), method: "POST", body: Data("{}".utf8))
        guard response.status == 200 else { throw EndToEnd.Failure("/control/reset: \(response.status) \(response.text)") }
    }

    /// What `/control/deliver` reports: the HTTP status of each attempt (nil on a connection error).
    struct Delivery: Sendable {
        var statuses: [Int?]
        var errors: [String]
        var delivered: Bool
        var lastStatus: Int? { statuses.last ?? nil }
    }

    /// Posts an update (or a raw body) to the service's webhook, the way Telegram does.
    func deliver(to webhook: URL, secret: String?, update: [String: Any]? = nil, rawBody: String? = nil,
                 maxAttempts: Int = 1, retryDelay: Double = 0.2) async throws -> Delivery {
        var body: [String: Any] = ["url": webhook.absoluteString, "max_attempts": maxAttempts, "retry_delay": retryDelay,
                                   "timeout": 30]
        body["secret"] = secret ?? NSNull()
        if let update { body["update"] = update }
        if let rawBody { body["raw_body"] = rawBody }
        let response = try await EndToEnd.request(baseURL.appendingPathComponent("control/deliver"), method: "POST",
                                                  body: try EndToEnd.json(body))
        guard response.status == 200 else { throw EndToEnd.Failure("/control/deliver: \(response.status) \(response.text)") }
        let object = try EndToEnd.object(response.body)
        let attempts = object["attempts"] as? [[String: Any]] ?? []
        return Delivery(statuses: attempts.map { ($0["status"] as? NSNumber)?.intValue },
                        errors: attempts.compactMap { $0["error"] as? String },
                        delivered: object["delivered"] as? Bool ?? false)
    }
}

/// `profint serve` running from the repository root against the fake Bot API.
final class ProfintService: @unchecked Sendable {
    static let secret = "s3cret-E2E_token"

    let child: ChildProcess
    let port: Int
    var baseURL: URL { URL(string: "http://127.0.0.1:\(port)")! }
    var webhookURL: URL { baseURL.appendingPathComponent("telegram/webhook") }

    /// Starts the service against the fake Bot API and waits until `/readyz` answers 200 (up to 20 s).
    convenience init(fake: FakeBotAPI, database: URL, logs: URL, name: String = "serve", port: Int? = nil,
                     extra: [String: String] = [:]) async throws {
        try await self.init(settings: [
            "PROFINT_TELEGRAM_TOKEN": FakeBotAPI.token,
            "PROFINT_TELEGRAM_SECRET": Self.secret,
            "PROFINT_TELEGRAM_API_URL": fake.baseURL.absoluteString,
        ].merging(extra) { $1 }, database: database, logs: logs, name: name, port: port)
    }

    /// Starts the service with these settings (and no other PROFINT_*) and
    /// waits until `/readyz` answers 200 (up to 20 s).
    init(settings: [String: String], database: URL, logs: URL, name: String = "serve", port: Int? = nil) async throws {
        self.port = try port ?? EndToEnd.freePort()
        let environment = EndToEnd.cleanEnvironment(adding: [
            "PROFINT_HTTP_HOST": "127.0.0.1",
            "PROFINT_HTTP_PORT": String(self.port),
            "PROFINT_DATABASE": database.path,
        ].merging(settings) { $1 })
        child = try ChildProcess(executable: ProfintBinary.executable, arguments: ["serve"], environment: environment,
                                 directory: ProfintBinary.repositoryRoot, logs: logs, name: name)
        let ready = URL(string: "http://127.0.0.1:\(self.port)/readyz")!
        let child = self.child
        let isReady = try await EndToEnd.poll(timeout: 20, interval: 0.1) { () -> Bool? in
            guard child.isRunning else { return false }
            return (try? await EndToEnd.request(ready))?.status == 200 ? true : nil
        }
        guard isReady == true else {
            let running = child.isRunning
            child.stop()
            throw EndToEnd.Failure("""
                `profint serve` \(running ? "was not ready within 20 s" : "exited with status \(child.terminationStatus)") \
                on port \(self.port); stderr:
                \(child.stderr)
                """)
        }
    }

    func stop() { child.stop() }
    func crash() { child.crash() }

    func get(_ path: String) async throws -> EndToEnd.HTTPResponse {
        try await EndToEnd.request(baseURL.appendingPathComponent(path))
    }

    /// Runs `profint serve` with exactly these settings (and no other
    /// PROFINT_*), expecting it to exit; gives up after `timeout` seconds.
    static func runExpectingExit(settings: [String: String], logs: URL, name: String,
                                 timeout: Double = 20) throws -> (status: Int32, stderr: String, stdout: String, exited: Bool) {
        let child = try ChildProcess(executable: ProfintBinary.executable, arguments: ["serve"],
                                     environment: EndToEnd.cleanEnvironment(adding: settings),
                                     directory: ProfintBinary.repositoryRoot, logs: logs, name: name)
        let exited = child.waitForExit(timeout: timeout)
        if !exited { child.stop() }
        return (child.terminationStatus, child.stderr, child.stdout, exited)
    }
}
