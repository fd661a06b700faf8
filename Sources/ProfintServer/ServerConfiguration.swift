import Foundation
import ProfintCore

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
/// | `PROFINT_DEFAULT_LANGUAGE` | `en` | language before a chat has one |
/// | `PROFINT_DEFAULT_TIMEZONE` | `Europe/Paris` | time zone of `/subscribe` without one |
/// | `PROFINT_INTENTS`, `PROFINT_KNOWLEDGE` | `Intents`, `Knowledge` | content folders |
public struct ServerConfiguration: Sendable {
    public var host = "127.0.0.1"
    public var port = 8080
    public var database = "profint.sqlite"
    public var intents = "Intents"
    public var knowledge = "Knowledge"
    public var defaultLanguage: Language = .en
    public var defaultTimezone = "Europe/Paris"
    public var telegram: Telegram?
    /// Largest webhook body accepted.
    public var maximumBodySize = 1 << 20

    public struct Telegram: Sendable {
        public var token: String
        public var secret: String
        public var apiURL: String
        public var botUsername: String?

        /// The bot's user id: the part of the token before the colon.
        public var botID: Int64 { Int64(token.split(separator: ":").first ?? "") ?? 0 }
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
        return c
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
