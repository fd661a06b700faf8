import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// A real Synapse homeserver on loopback and a small Matrix client, for the
// integration tests of the Matrix application-service channel of
// `profint serve`. Synapse (AGPL) is only a test peer run from a venv made by
// scripts/synapse-venv.sh; nothing of it is linked or shipped.
// See ../shared/product/testing-peers.md, "Matrix: a real Synapse homeserver".

// MARK: - Application service registration

/// The registration of the bot as an application service, as Synapse reads
/// it from `app_service_config_files`.
struct AppserviceRegistration: Sendable {
    /// Where Synapse pushes transactions (the bot's HTTP service).
    var url: URL
    var asToken: String
    var hsToken: String
    var senderLocalpart: String = "profint"
    var id: String = "profint"

    /// A registration with fresh random tokens.
    static func withFreshTokens(url: URL, senderLocalpart: String = "profint", id: String = "profint") -> AppserviceRegistration {
        AppserviceRegistration(url: url, asToken: randomToken(prefix: "as_"), hsToken: randomToken(prefix: "hs_"),
                               senderLocalpart: senderLocalpart, id: id)
    }

    /// `prefix` followed by 40 random letters and digits.
    static func randomToken(prefix: String = "") -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        return prefix + String((0..<40).map { _ in alphabet.randomElement()! })
    }

    /// The bot's own user, which Synapse creates implicitly.
    func senderUserID(serverName: String = "localhost") -> String { "@\(senderLocalpart):\(serverName)" }

    /// The exclusive user namespace: `@<localpart>.*:<server>` (Python
    /// `re.match`, so anchored at the start only).
    func userNamespaceRegex(serverName: String = "localhost") -> String {
        "@" + Self.regexEscaped(senderLocalpart) + ".*:" + Self.regexEscaped(serverName)
    }

    /// The registration file.
    func yaml(serverName: String = "localhost") -> String {
        """
        id: \(SynapseServer.yamlQuoted(id))
        url: \(SynapseServer.yamlQuoted(url.absoluteString))
        as_token: \(SynapseServer.yamlQuoted(asToken))
        hs_token: \(SynapseServer.yamlQuoted(hsToken))
        sender_localpart: \(SynapseServer.yamlQuoted(senderLocalpart))
        rate_limited: false
        receive_ephemeral: false
        namespaces:
          users:
            - exclusive: true
              regex: \(SynapseServer.yamlQuoted(userNamespaceRegex(serverName: serverName)))
          aliases: []
          rooms: []

        """
    }

    /// Escapes for a Python regular expression everything but letters,
    /// digits and `_` (a backslash before any other ASCII character is valid).
    private static func regexEscaped(_ text: String) -> String {
        var result = ""
        for character in text {
            if character.isASCII && (character.isLetter || character.isNumber || character == "_") {
                result.append(character)
            } else {
                result.append("\\")
                result.append(character)
            }
        }
        return result
    }
}

// MARK: - Synapse

/// A Synapse homeserver listening on 127.0.0.1 only (client API, no
/// federation), with SQLite in `directory`, open registration, relaxed rate
/// limits and the given application service registered.
final class SynapseServer: @unchecked Sendable {
    static let synapseVersion = "1.163.2"

    let directory: URL
    let appservice: AppserviceRegistration
    let serverName = "localhost"
    /// The Python venv Synapse runs from.
    let venv: URL

    private let lock = NSLock()
    private var _port: Int
    private var child: ChildProcess?
    private var launches = 0
    private var _startupDurations: [Double] = []

    var port: Int { locked { _port } }
    var baseURL: URL { URL(string: "http://127.0.0.1:\(port)")! }
    /// The PID of the running Synapse (nil before the first start).
    var pid: Int32? { locked { child?.pid } }
    var isRunning: Bool { locked { child?.isRunning ?? false } }
    /// Seconds from spawning Synapse to its first 200 on
    /// `/_matrix/client/versions`, for each start (the first, then restarts).
    var startupDurations: [Double] { locked { _startupDurations } }

    var configFile: URL { directory.appendingPathComponent("homeserver.yaml") }
    var logConfigFile: URL { directory.appendingPathComponent("log.config") }
    var registrationFile: URL { directory.appendingPathComponent("\(appservice.id)-registration.yaml") }
    var signingKeyFile: URL { directory.appendingPathComponent("\(serverName).signing.key") }
    var dataDirectory: URL { directory.appendingPathComponent("data") }
    var logFile: URL { directory.appendingPathComponent("homeserver.log") }
    /// Synapse's own log (INFO and above).
    var log: String { (try? String(contentsOf: logFile, encoding: .utf8)) ?? "" }

    /// `@localpart:localhost`
    func userID(_ localpart: String) -> String { "@\(localpart):\(serverName)" }

    /// Writes the configuration into `directory` (created if needed), makes
    /// the signing key, starts Synapse on a free port and waits until it
    /// answers (up to 30 s). Installs Synapse with scripts/synapse-venv.sh
    /// first if its venv is missing.
    init(directory: URL, appservice: AppserviceRegistration) async throws {
        self.directory = directory
        self.appservice = appservice
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("data"), withIntermediateDirectories: true)
        venv = try await Self.requireVenv(logs: directory)
        _port = try EndToEnd.freePort()
        try writeConfiguration()
        try await generateKeys()
        // Another process may take the free port between freePort() and
        // Synapse binding it: then try again on another one.
        var attempt = 1
        while true {
            do {
                try await launch()
                return
            } catch let failure as StartFailure where failure.portInUse && attempt < 3 {
                attempt += 1
                locked { _port = (try? EndToEnd.freePort()) ?? _port }
                try writeConfiguration()
            } catch let failure as StartFailure {
                throw EndToEnd.Failure(failure.description)
            }
        }
    }

    deinit {
        child?.stop()
    }

    /// Whether the last Synapse process exited by itself with status 0 (as
    /// on SIGTERM); nil while it runs or before it ever started.
    var exitedCleanly: Bool? {
        locked {
            guard let child, !child.isRunning else { return nil }
            return child.exitedNormally && child.terminationStatus == 0
        }
    }
    /// SIGTERM by PID (SIGKILL after 10 s); waits until the process is gone.
    func stop() {
        let child = locked { self.child }
        child?.stop(grace: 10)
    }

    /// SIGKILL by PID: a crash, as far as Synapse can tell.
    func crash() {
        let child = locked { self.child }
        child?.crash()
    }

    /// Stops Synapse and starts it again on the same port with the same data,
    /// and waits until it answers.
    func restart() async throws {
        stop()
        do {
            try await launch()
        } catch let failure as StartFailure {
            throw EndToEnd.Failure(failure.description)
        }
    }

    /// The last `lines` lines of Synapse's log.
    func logTail(lines: Int = 40) -> String {
        log.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
    }

    // MARK: Starting

    private struct StartFailure: Error, CustomStringConvertible {
        var description: String
        var portInUse: Bool
    }

    /// A child inherits the signal mask of the thread that spawns it, and
    /// Swift's threads block SIGTERM: unblock it, or Synapse would only ever
    /// stop on SIGKILL. Then run the module as `python -m` would.
    private static let bootstrap = """
        import runpy, signal
        signal.pthread_sigmask(signal.SIG_SETMASK, [])
        runpy.run_module("synapse.app.homeserver", run_name="__main__", alter_sys=True)
        """

    private var python: URL { venv.appendingPathComponent("bin/python") }

    private var environment: [String: String] {
        var environment = EndToEnd.cleanEnvironment(adding: [:])
        environment["PYTHONPATH"] = nil
        environment["PYTHONHOME"] = nil
        return environment
    }

    private func launch() async throws {
        let port = self.port
        let name = locked { () -> String in
            launches += 1
            return "synapse-\(launches)"
        }
        let started = Date()
        let child = try ChildProcess(executable: python, arguments: ["-c", Self.bootstrap, "-c", configFile.path],
                                     environment: environment, directory: directory, logs: directory, name: name)
        locked { self.child = child }
        let versions = URL(string: "http://127.0.0.1:\(port)/_matrix/client/versions")!
        let ready = try await EndToEnd.poll(timeout: 30, interval: 0.05) { () -> Bool? in
            guard child.isRunning else { return false }
            return (try? await EndToEnd.request(versions))?.status == 200 ? true : nil
        }
        if ready == true {
            let duration = Date().timeIntervalSince(started)
            locked { _startupDurations.append(duration) }
            return
        }
        let running = child.isRunning
        child.stop()
        let stderr = child.stderr
        let log = logTail(lines: 40)
        let portInUse = (stderr + log).contains("Address already in use")
        throw StartFailure(description: """
            Synapse \(running ? "did not answer /_matrix/client/versions within 30 s" : "exited with status \(child.terminationStatus)") \
            on port \(port) (directory \(directory.path)).
            --- homeserver.log (tail) ---
            \(log)
            --- stderr (tail) ---
            \(stderr.split(separator: "\n", omittingEmptySubsequences: false).suffix(40).joined(separator: "\n"))
            """, portInUse: portInUse)
    }

    /// `--generate-keys` creates the missing signing key and exits.
    private func generateKeys() async throws {
        guard !FileManager.default.fileExists(atPath: signingKeyFile.path) else { return }
        let child = try ChildProcess(executable: python,
                                     arguments: ["-m", "synapse.app.homeserver", "-c", configFile.path, "--generate-keys"],
                                     environment: environment, directory: directory, logs: directory, name: "generate-keys")
        let exited = try await EndToEnd.poll(timeout: 60, interval: 0.05) { child.isRunning ? nil : true }
        if exited == nil { child.stop() }
        child.waitForExit(timeout: 5)
        guard exited == true, child.terminationStatus == 0, FileManager.default.fileExists(atPath: signingKeyFile.path) else {
            throw EndToEnd.Failure("""
                `python -m synapse.app.homeserver --generate-keys` failed \
                (\(exited == true ? "status \(child.terminationStatus)" : "still running after 60 s")); stderr:
                \(child.stderr)
                """)
        }
    }

    private func writeConfiguration() throws {
        let q = Self.yamlQuoted
        let limit = "{per_second: 1000, burst_count: 1000}"
        let homeserver = """
            # Minimal loopback-only Synapse for the integration tests of profint's Matrix channel.
            server_name: \(q(serverName))
            public_baseurl: \(q("http://127.0.0.1:\(port)/"))
            pid_file: \(q(dataDirectory.appendingPathComponent("homeserver.pid").path))
            listeners:
              - port: \(port)
                bind_addresses: ["127.0.0.1"]
                type: http
                tls: false
                x_forwarded: false
                resources:
                  - names: [client]
                    compress: false
            database:
              name: sqlite3
              args:
                database: \(q(dataDirectory.appendingPathComponent("homeserver.db").path))
            log_config: \(q(logConfigFile.path))
            media_store_path: \(q(dataDirectory.appendingPathComponent("media_store").path))
            signing_key_path: \(q(signingKeyFile.path))
            report_stats: false
            registration_shared_secret: "test-shared-secret-not-for-prod"
            macaroon_secret_key: "test-macaroon-secret-not-for-prod"
            form_secret: "test-form-secret-not-for-prod"

            # open registration, no email / captcha (test only!)
            enable_registration: true
            enable_registration_without_verification: true

            # federation off / never reach out to the internet
            federation_domain_whitelist: []
            trusted_key_servers: []
            url_preview_enabled: false
            presence:
              enabled: false

            # the bot
            app_service_config_files:
              - \(q(registrationFile.path))

            # relaxed rate limits for tests
            rc_message:            \(limit)
            rc_registration:       \(limit)
            rc_room_creation:      \(limit)
            rc_joins:
              local:               \(limit)
              remote:              \(limit)
            rc_joins_per_room:     \(limit)
            rc_invites:
              per_room:            \(limit)
              per_user:            \(limit)
              per_issuer:          \(limit)
            rc_login:
              address:             \(limit)
              account:             \(limit)
              failed_attempts:     \(limit)
            rc_admin_redaction:    \(limit)
            rc_3pid_validation:    \(limit)
            rc_media_create:       \(limit)
            rc_profile:            \(limit)
            rc_user_directory:     \(limit)
            rc_delayed_event_mgmt: \(limit)
            rc_reports:            \(limit)

            """
        let logConfig = """
            version: 1
            formatters:
              precise:
                format: '%(asctime)s - %(name)s - %(lineno)d - %(levelname)s - %(request)s - %(message)s'
            handlers:
              file:
                class: logging.FileHandler
                formatter: precise
                filename: \(q(logFile.path))
                encoding: utf8
            loggers:
              synapse.storage.SQL:
                level: WARNING
              synapse.appservice:
                level: INFO
            root:
              level: INFO
              handlers: [file]
            disable_existing_loggers: false

            """
        try homeserver.write(to: configFile, atomically: true, encoding: .utf8)
        try logConfig.write(to: logConfigFile, atomically: true, encoding: .utf8)
        try appservice.yaml(serverName: serverName).write(to: registrationFile, atomically: true, encoding: .utf8)
    }

    /// A YAML double-quoted scalar.
    static func yamlQuoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": result += "\\\\"
            case "\"": result += "\\\""
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            default:
                if scalar.value < 0x20 {
                    result += String(format: "\\x%02X", scalar.value)
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }

    // MARK: The venv

    /// `$PROFINT_SYNAPSE_VENV` or `<repository>/.build-synapse/venv`.
    static var venvURL: URL {
        if let path = ProcessInfo.processInfo.environment["PROFINT_SYNAPSE_VENV"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        return ProfintBinary.repositoryRoot.appendingPathComponent(".build-synapse/venv")
    }

    /// Whether the venv has the pinned Synapse (a file check: no Python run).
    static func venvIsInstalled(_ venv: URL) -> Bool {
        let files = FileManager.default
        guard files.isExecutableFile(atPath: venv.appendingPathComponent("bin/python").path) else { return false }
        let lib = venv.appendingPathComponent("lib")
        let pythons = (try? files.contentsOfDirectory(atPath: lib.path)) ?? []
        return pythons.contains { python in
            files.fileExists(atPath: lib.appendingPathComponent(python)
                .appendingPathComponent("site-packages/matrix_synapse-\(synapseVersion).dist-info").path)
        }
    }

    /// The venv, installed with scripts/synapse-venv.sh if it is missing.
    private static func requireVenv(logs: URL) async throws -> URL {
        let venv = venvURL
        if venvIsInstalled(venv) { return venv }
        let script = ProfintBinary.repositoryRoot.appendingPathComponent("scripts/synapse-venv.sh")
        let howTo = """
            The Matrix integration tests need Synapse \(synapseVersion) in a Python venv at \(venv.path). \
            Install it with `scripts/synapse-venv.sh` (needs Python 3.10+ with the venv module, and PyPI the first time), \
            or point PROFINT_SYNAPSE_VENV at a venv where `pip install matrix-synapse==\(synapseVersion)` was done.
            """
        let child: ChildProcess
        do {
            child = try ChildProcess(executable: URL(fileURLWithPath: "/usr/bin/env"), arguments: ["bash", script.path],
                                     environment: EndToEnd.cleanEnvironment(adding: ["PROFINT_SYNAPSE_VENV": venv.path]),
                                     directory: ProfintBinary.repositoryRoot, logs: logs, name: "synapse-venv")
        } catch {
            throw EndToEnd.Failure("\(howTo)\nRunning \(script.path) failed: \(error)")
        }
        let exited = try await EndToEnd.poll(timeout: 1800, interval: 0.5) { child.isRunning ? nil : true }
        if exited == nil { child.stop() }
        child.waitForExit(timeout: 5)
        guard exited == true, child.terminationStatus == 0, venvIsInstalled(venv) else {
            let output = (child.stdout + child.stderr).split(separator: "\n").suffix(30).joined(separator: "\n")
            throw EndToEnd.Failure("\(howTo)\nscripts/synapse-venv.sh failed (\(exited == true ? "status \(child.terminationStatus)" : "timed out")):\n\(output)")
        }
        return venv
    }

    private func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }
}

// MARK: - Events

/// A room event as a client sees it in `/sync`.
struct MatrixEvent: @unchecked Sendable, CustomStringConvertible {
    var eventID: String
    var sender: String
    var type: String
    var roomID: String
    var content: [String: Any]
    /// Milliseconds since 1970, stamped by the homeserver.
    var originServerTs: Int64
    var stateKey: String?
    /// Local wall-clock time at which the `/sync` that returned the event
    /// answered (for latency measurements: send → visible in sync).
    var receivedAt: Date

    init(eventID: String, sender: String, type: String, roomID: String, content: [String: Any], originServerTs: Int64,
         stateKey: String? = nil, receivedAt: Date) {
        self.eventID = eventID
        self.sender = sender
        self.type = type
        self.roomID = roomID
        self.content = content
        self.originServerTs = originServerTs
        self.stateKey = stateKey
        self.receivedAt = receivedAt
    }

    init?(json: [String: Any], roomID: String, receivedAt: Date) {
        guard let eventID = json["event_id"] as? String, let sender = json["sender"] as? String,
              let type = json["type"] as? String else { return nil }
        self.init(eventID: eventID, sender: sender, type: type, roomID: json["room_id"] as? String ?? roomID,
                  content: json["content"] as? [String: Any] ?? [:],
                  originServerTs: (json["origin_server_ts"] as? NSNumber)?.int64Value ?? 0,
                  stateKey: json["state_key"] as? String, receivedAt: receivedAt)
    }

    var body: String? { content["body"] as? String }
    var msgtype: String? { content["msgtype"] as? String }
    var format: String? { content["format"] as? String }
    var formattedBody: String? { content["formatted_body"] as? String }
    /// `content["m.relates_to"]["m.in_reply_to"]["event_id"]`
    var inReplyTo: String? {
        ((content["m.relates_to"] as? [String: Any])?["m.in_reply_to"] as? [String: Any])?["event_id"] as? String
    }
    /// `content["m.mentions"]["user_ids"]`
    var mentionedUserIDs: [String]? { (content["m.mentions"] as? [String: Any])?["user_ids"] as? [String] }
    /// For `m.room.member` events.
    var membership: String? { content["membership"] as? String }
    /// When the homeserver stamped the event.
    var originServerDate: Date { Date(timeIntervalSince1970: Double(originServerTs) / 1000) }

    var description: String {
        var text = "\(type) \(eventID) from \(sender)"
        if let stateKey { text += " state_key=\(stateKey)" }
        if let membership { text += " membership=\(membership)" }
        if let body { text += " body=\(String(reflecting: String(body.prefix(120))))" }
        if let inReplyTo { text += " in_reply_to=\(inReplyTo)" }
        return text
    }
}

// MARK: - Client

/// A Matrix user speaking the client-server API v3 with an access token, as
/// a real client does. Collects the timelines it syncs; `waitForMessages`
/// consumes them in order.
final class MatrixTestUser: @unchecked Sendable {
    let baseURL: URL
    let userID: String
    let accessToken: String
    let deviceID: String

    /// A non-2xx answer of the homeserver.
    struct RequestError: Error, CustomStringConvertible {
        var method: String
        var path: String
        var status: Int
        var errcode: String?
        var error: String?
        var body: String
        var description: String { "\(method) \(path): HTTP \(status) \(errcode ?? "") \(error ?? body.prefix(500).description)" }
    }

    private struct SyncState {
        var nextBatch: String?
        var timelines: [String: [MatrixEvent]] = [:]
        var seen: Set<String> = []
        var consumed: [String: Int] = [:]
        var invites: [String] = []
        var takenInvites: Set<String> = []
        var limitedRooms: Set<String> = []
        var syncing = false
        var syncs = 0
        var sentAt: [String: Date] = [:]
    }

    private let lock = NSLock()
    private var state = SyncState()

    /// A user from a token already known (for example the application
    /// service's own `as_token`, which acts as its sender user).
    init(baseURL: URL, userID: String, accessToken: String, deviceID: String = "") {
        self.baseURL = baseURL
        self.userID = userID
        self.accessToken = accessToken
        self.deviceID = deviceID
    }

    // MARK: Accounts

    /// Registers `username` through the client API (a UIA two-step with
    /// `m.login.dummy`) and logs in.
    static func register(on server: SynapseServer, username: String, password: String) async throws -> MatrixTestUser {
        var body: [String: Any] = ["username": username, "password": password, "inhibit_login": false,
                                   "initial_device_display_name": "profint test (\(username))"]
        var response = try await send(baseURL: server.baseURL, method: "POST", path: "/register", body: body, token: nil)
        if response.status == 401 {
            let challenge = try EndToEnd.object(response.body)
            guard let session = challenge["session"] as? String else {
                throw EndToEnd.Failure("POST /register answered 401 without a UIA session: \(response.text)")
            }
            body["auth"] = ["type": "m.login.dummy", "session": session]
            response = try await send(baseURL: server.baseURL, method: "POST", path: "/register", body: body, token: nil)
        }
        let object = try check(response, method: "POST", path: "/register")
        guard let userID = object["user_id"] as? String, let token = object["access_token"] as? String else {
            throw EndToEnd.Failure("POST /register gave no user_id/access_token: \(response.text)")
        }
        return MatrixTestUser(baseURL: server.baseURL, userID: userID, accessToken: token,
                              deviceID: object["device_id"] as? String ?? "")
    }

    /// Logs in with a password: a new device and access token for an existing user.
    static func login(on server: SynapseServer, username: String, password: String) async throws -> MatrixTestUser {
        let body: [String: Any] = ["type": "m.login.password", "identifier": ["type": "m.id.user", "user": username],
                                   "password": password]
        let response = try await send(baseURL: server.baseURL, method: "POST", path: "/login", body: body, token: nil)
        let object = try check(response, method: "POST", path: "/login")
        guard let userID = object["user_id"] as? String, let token = object["access_token"] as? String else {
            throw EndToEnd.Failure("POST /login gave no user_id/access_token: \(response.text)")
        }
        return MatrixTestUser(baseURL: server.baseURL, userID: userID, accessToken: token,
                              deviceID: object["device_id"] as? String ?? "")
    }

    // MARK: Rooms

    /// Creates a room; returns its id. `isDirect` uses the
    /// `trusted_private_chat` preset, otherwise `private_chat`; `encrypted`
    /// adds `m.room.encryption` (m.megolm.v1.aes-sha2) to the initial state.
    /// `roomVersion` nil is Synapse's default, "12" in 1.163: room ids are
    /// then `!<hash>` without `:server`, and the invitees of a
    /// `trusted_private_chat` become additional creators (unkickable).
    func createRoom(name: String? = nil, invite: [String] = [], isDirect: Bool = false, encrypted: Bool = false,
                    roomVersion: String? = nil) async throws -> String {
        var body: [String: Any] = ["preset": isDirect ? "trusted_private_chat" : "private_chat", "invite": invite,
                                   "is_direct": isDirect]
        if let name { body["name"] = name }
        if let roomVersion { body["room_version"] = roomVersion }
        if encrypted {
            body["initial_state"] = [["type": "m.room.encryption", "state_key": "",
                                      "content": ["algorithm": "m.megolm.v1.aes-sha2"]]]
        }
        let object = try await call("POST", "/createRoom", body: body)
        guard let roomID = object["room_id"] as? String else { throw EndToEnd.Failure("createRoom gave no room_id: \(object)") }
        return roomID
    }

    func join(roomID: String) async throws {
        try await call("POST", "/rooms/\(Self.segment(roomID))/join", body: [:])
    }

    func invite(userID: String, roomID: String) async throws {
        try await call("POST", "/rooms/\(Self.segment(roomID))/invite", body: ["user_id": userID])
    }

    func leave(roomID: String) async throws {
        try await call("POST", "/rooms/\(Self.segment(roomID))/leave", body: [:])
    }

    func kick(userID: String, roomID: String, reason: String? = nil) async throws {
        var body: [String: Any] = ["user_id": userID]
        if let reason { body["reason"] = reason }
        try await call("POST", "/rooms/\(Self.segment(roomID))/kick", body: body)
    }

    /// The users whose membership is `join`, sorted.
    func joinedMembers(roomID: String) async throws -> [String] {
        let object = try await call("GET", "/rooms/\(Self.segment(roomID))/joined_members")
        return ((object["joined"] as? [String: Any]) ?? [:]).keys.sorted()
    }

    /// Each member's membership (`join`, `invite`, `leave`, `ban`, `knock`).
    func members(roomID: String) async throws -> [String: String] {
        let object = try await call("GET", "/rooms/\(Self.segment(roomID))/members")
        var result: [String: String] = [:]
        for event in object["chunk"] as? [[String: Any]] ?? [] {
            guard let user = event["state_key"] as? String,
                  let membership = (event["content"] as? [String: Any])?["membership"] as? String else { continue }
            result[user] = membership
        }
        return result
    }

    /// The content of a state event (nil if there is none).
    func stateEvent(roomID: String, type: String, stateKey: String = "") async throws -> [String: Any]? {
        let path = "/rooms/\(Self.segment(roomID))/state/\(Self.segment(type))/\(Self.segment(stateKey))"
        let response = try await raw("GET", path)
        if response.status == 404 { return nil }
        return try Self.check(response, method: "GET", path: path)
    }

    /// Polls the member list (every 100 ms) until `user` has `membership`.
    func waitForMembership(roomID: String, user: String, membership: String = "join", timeout: Double = 10) async throws {
        var last: Result<[String: String], any Error> = .success([:])
        let found = try await EndToEnd.poll(timeout: timeout, interval: 0.1) { () -> Bool? in
            do {
                let members = try await self.members(roomID: roomID)
                last = .success(members)
                return members[user] == membership ? true : nil
            } catch {
                last = .failure(error)
                return nil
            }
        }
        if found == nil {
            let seen: String
            switch last {
            case .success(let members): seen = members.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
            case .failure(let error): seen = "error: \(error)"
            }
            throw EndToEnd.Failure("timed out after \(timeout) s waiting for \(user) to be `\(membership)` in \(roomID) (as seen by \(userID)); members: \(seen)")
        }
    }

    // MARK: Sending

    /// Sends an `m.text` message; returns its event id. `mentions` sets
    /// `m.mentions.user_ids`; `formattedBody` is `org.matrix.custom.html`;
    /// `replyTo` sets `m.relates_to.m.in_reply_to`.
    @discardableResult
    func sendText(roomID: String, body: String, mentions: [String]? = nil, formattedBody: String? = nil,
                  replyTo: String? = nil) async throws -> String {
        var content: [String: Any] = ["msgtype": "m.text", "body": body]
        if let mentions { content["m.mentions"] = ["user_ids": mentions] }
        if let formattedBody {
            content["format"] = "org.matrix.custom.html"
            content["formatted_body"] = formattedBody
        }
        if let replyTo { content["m.relates_to"] = ["m.in_reply_to": ["event_id": replyTo]] }
        return try await send(roomID: roomID, type: "m.room.message", content: content)
    }

    /// Sends an `m.room.encrypted` event that looks like Megolm (random
    /// ciphertext and keys); nobody can decrypt it, which is the point.
    @discardableResult
    func sendEncrypted(roomID: String) async throws -> String {
        let content: [String: Any] = [
            "algorithm": "m.megolm.v1.aes-sha2",
            "ciphertext": Self.unpaddedBase64(randomBytes: 144),
            "sender_key": Self.unpaddedBase64(randomBytes: 32),
            "session_id": Self.unpaddedBase64(randomBytes: 32),
            "device_id": deviceID.isEmpty ? "PROFINTTEST" : deviceID,
        ]
        return try await send(roomID: roomID, type: "m.room.encrypted", content: content)
    }

    /// Sends any room event with a unique transaction id; returns its event id.
    @discardableResult
    func send(roomID: String, type: String, content: [String: Any]) async throws -> String {
        let txnID = "profint-test-\(UUID().uuidString)"
        let sentAt = Date()
        let object = try await call("PUT", "/rooms/\(Self.segment(roomID))/send/\(Self.segment(type))/\(Self.segment(txnID))",
                                    body: content)
        guard let eventID = object["event_id"] as? String else { throw EndToEnd.Failure("send gave no event_id: \(object)") }
        locked { state.sentAt[eventID] = sentAt }
        return eventID
    }

    /// When this user started sending `eventID` (just before the PUT).
    func sendTime(of eventID: String) -> Date? { locked { state.sentAt[eventID] } }

    // MARK: Sync

    /// Room timelines: messages, encrypted events and memberships; no state,
    /// presence, ephemeral or account data.
    static let syncFilter = """
        {"account_data":{"types":[]},"presence":{"types":[]},"room":{"account_data":{"types":[]},\
        "ephemeral":{"types":[]},"state":{"types":[]},"timeline":{"limit":1000,\
        "types":["m.room.message","m.room.encrypted","m.room.member"]}}}
        """

    /// One `/sync` (long-polling up to `timeoutMs`; the first one returns at
    /// once), appending new timeline events of joined and left rooms in order.
    func sync(timeoutMs: Int) async throws {
        while !locked({ () -> Bool in
            if state.syncing { return false }
            state.syncing = true
            return true
        }) {
            try await Task.sleep(nanoseconds: 5_000_000)
        }
        defer { locked { state.syncing = false } }
        var query = [("timeout", String(max(0, timeoutMs))), ("filter", Self.syncFilter)]
        if let since = locked({ state.nextBatch }) { query.append(("since", since)) }
        let object = try await call("GET", "/sync", query: query)
        ingest(object, receivedAt: Date())
    }

    private func ingest(_ object: [String: Any], receivedAt: Date) {
        locked {
            let rooms = object["rooms"] as? [String: Any] ?? [:]
            for section in ["join", "leave"] {
                for (roomID, value) in rooms[section] as? [String: Any] ?? [:] {
                    let timeline = (value as? [String: Any])?["timeline"] as? [String: Any] ?? [:]
                    if timeline["limited"] as? Bool == true && state.nextBatch != nil { state.limitedRooms.insert(roomID) }
                    for json in timeline["events"] as? [[String: Any]] ?? [] {
                        guard let event = MatrixEvent(json: json, roomID: roomID, receivedAt: receivedAt),
                              !state.seen.contains(event.eventID) else { continue }
                        state.seen.insert(event.eventID)
                        state.timelines[roomID, default: []].append(event)
                    }
                }
            }
            for roomID in (rooms["invite"] as? [String: Any] ?? [:]).keys.sorted() where !state.invites.contains(roomID) {
                state.invites.append(roomID)
            }
            if let next = object["next_batch"] as? String { state.nextBatch = next }
            state.syncs += 1
        }
    }

    /// Everything synced so far in a room, in timeline order.
    func timeline(in roomID: String) -> [MatrixEvent] { locked { state.timelines[roomID] ?? [] } }

    /// Syncs once and marks everything seen so far as consumed, so that the
    /// next `waitForMessages` only returns newer messages.
    func catchUp() async throws {
        try await sync(timeoutMs: 0)
        locked {
            for (roomID, events) in state.timelines { state.consumed[roomID] = events.count }
        }
    }

    /// Long-polls `/sync` until `count` `m.room.message` events from `sender`
    /// arrived in `roomID` after the last consumed one; returns them in
    /// timeline order and consumes up to the last one returned.
    func waitForMessages(in roomID: String, from sender: String, count: Int = 1, timeout: Double = 10) async throws -> [MatrixEvent] {
        try await waitForEvents(in: roomID, from: sender, type: "m.room.message", count: count, timeout: timeout)
    }

    /// Like `waitForMessages`, for any synced type (`m.room.message`,
    /// `m.room.encrypted`, `m.room.member`); `sender` nil matches anyone.
    func waitForEvents(in roomID: String, from sender: String?, type: String, count: Int = 1,
                       timeout: Double = 10) async throws -> [MatrixEvent] {
        let deadline = Date().addingTimeInterval(timeout)
        var lastError: (any Error)?
        while true {
            if let found = take(in: roomID, from: sender, type: type, count: count) { return found }
            let remaining = deadline.timeIntervalSinceNow
            if remaining <= 0 { break }
            do {
                try await sync(timeoutMs: Int(min(remaining, 5) * 1000))
                lastError = nil
            } catch let error as RequestError where error.status < 500 {
                throw error
            } catch {
                // Synapse restarting or briefly unreachable: keep trying until the deadline.
                lastError = error
                try await Task.sleep(nanoseconds: 100_000_000)
            }
        }
        let (events, cursor, limited) = locked {
            (state.timelines[roomID] ?? [], state.consumed[roomID] ?? 0, state.limitedRooms.contains(roomID))
        }
        let unconsumed = events.dropFirst(cursor)
        throw EndToEnd.Failure("""
            timed out after \(timeout) s: \(userID) waited for \(count) \(type) from \(sender ?? "anyone") in \(roomID), \
            got \(unconsumed.filter { $0.type == type && (sender == nil || $0.sender == sender) }.count); \
            \(unconsumed.count) unconsumed event(s) after the \(cursor) consumed\(limited ? " (a sync timeline was limited: events may be missing)" : "")\
            \(lastError.map { "; last sync error: \($0)" } ?? ""):
            \(unconsumed.map { "  \($0)" }.joined(separator: "\n"))
            """)
    }

    private func take(in roomID: String, from sender: String?, type: String, count: Int) -> [MatrixEvent]? {
        locked {
            let events = state.timelines[roomID] ?? []
            var found: [MatrixEvent] = []
            var index = state.consumed[roomID] ?? 0
            while index < events.count && found.count < count {
                let event = events[index]
                if event.type == type && (sender == nil || event.sender == sender) { found.append(event) }
                index += 1
            }
            guard found.count == count else { return nil }
            state.consumed[roomID] = index
            return found
        }
    }

    /// Long-polls `/sync` until this user is invited to a room it was not
    /// handed before; returns the room id.
    func waitForInvite(timeout: Double = 10) async throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let invite = locked { () -> String? in
                guard let roomID = state.invites.first(where: { !state.takenInvites.contains($0) }) else { return nil }
                state.takenInvites.insert(roomID)
                return roomID
            }
            if let invite { return invite }
            let remaining = deadline.timeIntervalSinceNow
            if remaining <= 0 { throw EndToEnd.Failure("timed out after \(timeout) s: \(userID) got no new invite") }
            try await sync(timeoutMs: Int(min(remaining, 5) * 1000))
        }
    }

    // MARK: HTTP

    /// A request with this user's token; throws `RequestError` unless 2xx.
    @discardableResult
    func call(_ method: String, _ path: String, query: [(String, String)] = [], body: [String: Any]? = nil) async throws -> [String: Any] {
        let response = try await raw(method, path, query: query, body: body)
        return try Self.check(response, method: method, path: path)
    }

    /// A request with this user's token, whatever the answer. `path` is
    /// below `/_matrix/client/v3`, its segments already encoded (`segment`).
    func raw(_ method: String, _ path: String, query: [(String, String)] = [], body: [String: Any]? = nil) async throws -> EndToEnd.HTTPResponse {
        try await Self.send(baseURL: baseURL, method: method, path: path, query: query, body: body, token: accessToken)
    }

    static func send(baseURL: URL, method: String, path: String, query: [(String, String)] = [], body: [String: Any]?,
                     token: String?) async throws -> EndToEnd.HTTPResponse {
        var text = baseURL.absoluteString
        while text.hasSuffix("/") { text.removeLast() }
        text += "/_matrix/client/v3" + path
        if !query.isEmpty { text += "?" + query.map { segment($0.0) + "=" + segment($0.1) }.joined(separator: "&") }
        guard let url = URL(string: text) else { throw EndToEnd.Failure("bad URL \(text)") }
        var headers: [String: String] = [:]
        if let token { headers["Authorization"] = "Bearer \(token)" }
        var data: Data?
        if let body {
            data = try EndToEnd.json(body)
            headers["Content-Type"] = "application/json"
        }
        return try await EndToEnd.request(url, method: method, body: data, headers: headers)
    }

    static func check(_ response: EndToEnd.HTTPResponse, method: String, path: String) throws -> [String: Any] {
        guard (200..<300).contains(response.status) else {
            let object = try? EndToEnd.object(response.body)
            throw RequestError(method: method, path: path, status: response.status, errcode: object?["errcode"] as? String,
                               error: object?["error"] as? String, body: response.text)
        }
        return try EndToEnd.object(response.body)
    }

    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    /// Percent-encodes everything but unreserved characters (so `!`, `:`,
    /// `@`, `#`, `$`, `/` are encoded), for a path segment or a query part.
    static func segment(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }

    private static func unpaddedBase64(randomBytes count: Int) -> String {
        let bytes = (0..<count).map { _ in UInt8.random(in: .min ... .max) }
        var text = Data(bytes).base64EncodedString()
        while text.hasSuffix("=") { text.removeLast() }
        return text
    }

    private func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }
}
