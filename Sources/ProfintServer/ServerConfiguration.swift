import Foundation
import ProfintCore
import ProfintMatrix

/// Everything `profint serve` is configured with, read once at startup from
/// flags, the environment and an optional file (`KEY=value` lines), in that
/// order of precedence. A channel without its settings is off.
///
/// | environment | default | meaning |
/// |---|---|---|
/// | `PROFINT_HTTP_HOST` | `127.0.0.1` | address to listen on |
/// | `PROFINT_HTTP_PORT` | `8080` | port (1–65535) |
/// | `PROFINT_DATABASE` | `profint.sqlite` | SQLite file (created if missing) |
/// | `PROFINT_TELEGRAM_TOKEN` | — | Bot API token; Telegram is off without it |
/// | `PROFINT_TELEGRAM_SECRET` | — | webhook secret token (1–256 of `A-Z a-z 0-9 _ -`); required with the token |
/// | `PROFINT_TELEGRAM_API_URL` | `https://api.telegram.org` | Bot API base URL (tests point it at a local fake) |
/// | `PROFINT_TELEGRAM_BOT_USERNAME` | from `getMe` | the bot's username, for mentions in groups |
/// | `PROFINT_MATRIX_HOMESERVER_URL` | — | client-server API of the homeserver; Matrix is off without it |
/// | `PROFINT_MATRIX_SERVER_NAME` | — | the homeserver's name (the part after `:` in user ids); required with the URL |
/// | `PROFINT_MATRIX_AS_TOKEN` | — | token the bot uses towards the homeserver (registration `as_token`); required |
/// | `PROFINT_MATRIX_HS_TOKEN` | — | token the homeserver must present (registration `hs_token`); required |
/// | `PROFINT_MATRIX_SENDER_LOCALPART` | `profint` | the bot's user is `@<localpart>:<server name>` |
/// | `PROFINT_MATRIX_DISPLAY_NAME` | `PROFINT Guide` | the bot's display name, set at startup and recognised as a mention |
/// | `PROFINT_MATRIX_IGNORED_USERS` | — | comma-separated regular expressions of other bots' user ids, never answered |
/// | `PROFINT_DEFAULT_LANGUAGE` | `en` | language before a chat has one |
/// | `PROFINT_DEFAULT_TIMEZONE` | `Europe/Paris` | time zone of `/subscribe` without one |
/// | `PROFINT_INTENTS`, `PROFINT_KNOWLEDGE` | `Intents`, `Knowledge` | content folders |
/// | `PROFINT_WORKER_THREADS` | `2` | threads that turn acknowledged Telegram updates into replies (1–64) |
/// | `PROFINT_WORKER_NICE` | `10` | their nice value (0–19): higher lets HTTP go first under load |
/// | `PROFINT_HTTP_MAX_CONNECTIONS` | `1024` | open connections at most (one more gets 503); lowered to the file-descriptor limit minus 128 |
/// | `PROFINT_HTTP_HEADER_TIMEOUT` | `10` | seconds from a request's first byte to the end of its head |
/// | `PROFINT_HTTP_BODY_TIMEOUT` | `30` | seconds from the end of the head to the start of the response |
/// | `PROFINT_HTTP_IDLE_TIMEOUT` | `60` | seconds a connection may stay open without a request |
public struct ServerConfiguration: Sendable {
    public var host = "127.0.0.1"
    public var port = 8080
    public var database = "profint.sqlite"
    public var intents = "Intents"
    public var knowledge = "Knowledge"
    public var defaultLanguage: Language = .en
    public var defaultTimezone = "Europe/Paris"
    public var telegram: Telegram?
    public var matrix: Matrix?
    /// Largest webhook body accepted.
    public var maximumBodySize = 1 << 20
    /// Largest Matrix transaction accepted (up to 100 events of at most 64 KiB).
    public var maximumTransactionSize = 16 << 20
    /// Threads that process acknowledged Telegram updates.
    public var workerThreads = 2
    /// Their nice value: under load, acknowledging webhooks comes first.
    public var workerNice: Int32 = 10
    /// Connection limit and timeouts of the HTTP server.
    public var http = HTTPLimits()

    public struct Telegram: Sendable {
        public var token: String
        public var secret: String
        public var apiURL: String
        public var botUsername: String?

        /// The bot's user id: the part of the token before the colon.
        public var botID: Int64 { Int64(token.split(separator: ":").first ?? "") ?? 0 }
    }

    public struct Matrix: Sendable {
        public var homeserverURL: String
        public var serverName: String
        public var asToken: String
        public var hsToken: String
        public var senderLocalpart: String
        public var displayName: String
        public var ignoredUsers: [String] = []

        public var botUserID: String { "@\(senderLocalpart):\(serverName)" }
    }

    public init() {}

    /// A setting that is missing or wrong, named so that a person can fix it.
    public struct Problem: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// Reads settings; `values` are environment-style keys (flags already merged in).
    public static func from(_ values: [String: String]) throws -> ServerConfiguration {
        var c = ServerConfiguration()
        func value(_ key: String) -> String? {
            values[key].flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
        }
        if let host = value("PROFINT_HTTP_HOST") { c.host = host }
        if let port = value("PROFINT_HTTP_PORT") {
            guard let p = Int(port), (1...65535).contains(p) else {
                throw Problem(description: "PROFINT_HTTP_PORT must be a port number from 1 to 65535, not \"\(port)\"")
            }
            c.port = p
        }
        if let database = value("PROFINT_DATABASE") { c.database = database }
        if let intents = value("PROFINT_INTENTS") { c.intents = intents }
        if let knowledge = value("PROFINT_KNOWLEDGE") { c.knowledge = knowledge }
        if let language = value("PROFINT_DEFAULT_LANGUAGE") {
            guard let l = Language(rawValue: language.lowercased()) else {
                throw Problem(description: "PROFINT_DEFAULT_LANGUAGE must be en, fr, it or sv, not \"\(language)\"")
            }
            c.defaultLanguage = l
        }
        if let threads = value("PROFINT_WORKER_THREADS") {
            guard let n = Int(threads), (1...64).contains(n) else {
                throw Problem(description: "PROFINT_WORKER_THREADS must be a number from 1 to 64, not \"\(threads)\"")
            }
            c.workerThreads = n
        }
        if let nice = value("PROFINT_WORKER_NICE") {
            guard let n = Int32(nice), (0...19).contains(n) else {
                throw Problem(description: "PROFINT_WORKER_NICE must be a number from 0 to 19, not \"\(nice)\"")
            }
            c.workerNice = n
        }
        if let connections = value("PROFINT_HTTP_MAX_CONNECTIONS") {
            guard let n = Int(connections), (1...1_000_000).contains(n) else {
                throw Problem(description: "PROFINT_HTTP_MAX_CONNECTIONS must be a number from 1 to 1000000, not \"\(connections)\"")
            }
            c.http.maximumConnections = n
        }
        for (key, path) in [("PROFINT_HTTP_HEADER_TIMEOUT", \HTTPLimits.headerTimeout), ("PROFINT_HTTP_BODY_TIMEOUT", \.bodyTimeout),
                            ("PROFINT_HTTP_IDLE_TIMEOUT", \.idleTimeout)] {
            guard let text = value(key) else { continue }
            guard let seconds = Double(text), seconds > 0, seconds <= 3600 else {
                throw Problem(description: "\(key) must be a number of seconds above 0 and up to 3600, not \"\(text)\"")
            }
            c.http[keyPath: path] = seconds
        }
        if let zone = value("PROFINT_DEFAULT_TIMEZONE") {
            guard TimeZone(identifier: zone) != nil else {
                throw Problem(description: "PROFINT_DEFAULT_TIMEZONE \"\(zone)\" is not a known time zone (e.g. Europe/Stockholm)")
            }
            c.defaultTimezone = zone
        }
        let token = value("PROFINT_TELEGRAM_TOKEN")
        let secret = value("PROFINT_TELEGRAM_SECRET")
        switch (token, secret) {
        case (nil, nil):
            c.telegram = nil
        case (nil, _):
            throw Problem(description: "PROFINT_TELEGRAM_SECRET is set but PROFINT_TELEGRAM_TOKEN is missing")
        case (_, nil):
            throw Problem(description: "PROFINT_TELEGRAM_TOKEN is set but PROFINT_TELEGRAM_SECRET is missing (the webhook must be authenticated)")
        case let (token?, secret?):
            guard token.contains(":"), Int64(token.split(separator: ":")[0]) != nil else {
                throw Problem(description: "PROFINT_TELEGRAM_TOKEN does not look like a Bot API token (<bot id>:<secret>)")
            }
            let allowed = secret.unicodeScalars.allSatisfy {
                ("A"..."Z").contains($0) || ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "-"
            }
            guard (1...256).contains(secret.count), allowed else {
                throw Problem(description: "PROFINT_TELEGRAM_SECRET must be 1-256 characters of A-Z a-z 0-9 _ -")
            }
            let api = value("PROFINT_TELEGRAM_API_URL") ?? "https://api.telegram.org"
            guard let url = URL(string: api), url.scheme == "http" || url.scheme == "https", url.host != nil else {
                throw Problem(description: "PROFINT_TELEGRAM_API_URL must be an http(s) URL, not \"\(api)\"")
            }
            c.telegram = Telegram(token: token, secret: secret, apiURL: api.hasSuffix("/") ? String(api.dropLast()) : api,
                                  botUsername: value("PROFINT_TELEGRAM_BOT_USERNAME"))
        }
        c.matrix = try matrix(value)
        return c
    }

    static func matrix(_ value: (String) -> String?) throws -> Matrix? {
        let keys = ["PROFINT_MATRIX_HOMESERVER_URL", "PROFINT_MATRIX_SERVER_NAME", "PROFINT_MATRIX_AS_TOKEN", "PROFINT_MATRIX_HS_TOKEN"]
        let given = keys.filter { value($0) != nil }
        guard !given.isEmpty else { return nil }
        if let missing = keys.first(where: { value($0) == nil }) {
            throw Problem(description: "\(missing) is missing: the Matrix channel needs \(keys.joined(separator: ", ")) (\(given.joined(separator: ", ")) set)")
        }
        let url = value("PROFINT_MATRIX_HOMESERVER_URL")!
        guard let parsed = URL(string: url), parsed.scheme == "http" || parsed.scheme == "https", parsed.host != nil else {
            throw Problem(description: "PROFINT_MATRIX_HOMESERVER_URL must be an http(s) URL, not \"\(url)\"")
        }
        let localpart = value("PROFINT_MATRIX_SENDER_LOCALPART") ?? "profint"
        let localpartAllowed = localpart.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("0"..."9").contains($0) || "._=-/+".unicodeScalars.contains($0)
        }
        guard !localpart.isEmpty, localpartAllowed else {
            throw Problem(description: "PROFINT_MATRIX_SENDER_LOCALPART must use only a-z 0-9 . _ = - / +, not \"\(localpart)\"")
        }
        let asToken = value("PROFINT_MATRIX_AS_TOKEN")!
        let hsToken = value("PROFINT_MATRIX_HS_TOKEN")!
        guard asToken != hsToken else {
            throw Problem(description: "PROFINT_MATRIX_AS_TOKEN and PROFINT_MATRIX_HS_TOKEN must differ (each authenticates one direction)")
        }
        let ignored = (value("PROFINT_MATRIX_IGNORED_USERS") ?? "").split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if let bad = ignored.first(where: { !MatrixBotIdentity.isValidPattern($0) }) {
            throw Problem(description: "PROFINT_MATRIX_IGNORED_USERS: \"\(bad)\" is not a valid regular expression")
        }
        return Matrix(homeserverURL: url.hasSuffix("/") ? String(url.dropLast()) : url, serverName: value("PROFINT_MATRIX_SERVER_NAME")!,
                      asToken: asToken, hsToken: hsToken, senderLocalpart: localpart,
                      displayName: value("PROFINT_MATRIX_DISPLAY_NAME") ?? "PROFINT Guide", ignoredUsers: ignored)
    }

    /// `KEY=value` lines; `#` starts a comment.
    public static func readFile(_ path: String) throws -> [String: String] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw Problem(description: "cannot read the configuration file \(path)")
        }
        var values: [String: String] = [:]
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let eq = line.firstIndex(of: "=") else {
                throw Problem(description: "\(path):\(n + 1): expected KEY=value")
            }
            let key = line[..<eq].trimmingCharacters(in: .whitespaces)
            var v = line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            if v.count >= 2, v.hasPrefix("\""), v.hasSuffix("\"") { v = String(v.dropFirst().dropLast()) }
            values[key] = v
        }
        return values
    }
}
