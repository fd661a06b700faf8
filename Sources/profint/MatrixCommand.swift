import ArgumentParser
import Foundation

/// `profint matrix registration`: the application-service registration a
/// homeserver loads, with fresh random tokens, and the matching settings.
struct MatrixCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "matrix",
        abstract: "Matrix application-service setup.",
        subcommands: [Registration.self]
    )

    struct Registration: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a registration YAML with fresh tokens (for the homeserver's app_service_config_files) and the matching PROFINT_MATRIX_* lines.")

        @Option(help: "Where the homeserver reaches `profint serve` (e.g. http://127.0.0.1:8080).") var url: String
        @Option(help: "The homeserver's server name (the part after ':' in user ids).") var serverName: String = "localhost"
        @Option(help: "The homeserver's client-server API URL, for the environment lines.") var homeserverURL: String = "http://127.0.0.1:8008"
        @Option(help: "The bot's localpart: its user is @<localpart>:<server name>.") var localpart: String = "profint"
        @Option(help: "The application service's id.") var id: String = "profint"

        func validate() throws {
            guard let parsed = URL(string: url), parsed.scheme == "http" || parsed.scheme == "https", parsed.host != nil else {
                throw ValidationError("--url must be an http(s) URL, not \"\(url)\"")
            }
            guard !localpart.isEmpty, localpart.unicodeScalars.allSatisfy({
                ("a"..."z").contains($0) || ("0"..."9").contains($0) || "._=-/+".unicodeScalars.contains($0)
            }) else {
                throw ValidationError("--localpart must use only a-z 0-9 . _ = - / +")
            }
            guard !serverName.isEmpty, !serverName.contains(where: { $0.isWhitespace || $0 == "\"" }) else {
                throw ValidationError("--server-name must be a server name such as matrix.example.org")
            }
        }

        func run() throws {
            let asToken = Self.token()
            let hsToken = Self.token()
            print(Self.yaml(id: id, url: url, asToken: asToken, hsToken: hsToken, localpart: localpart, serverName: serverName))
            print("""
                # The matching settings of `profint serve` (environment or --config file):
                # PROFINT_MATRIX_HOMESERVER_URL=\(homeserverURL)
                # PROFINT_MATRIX_SERVER_NAME=\(serverName)
                # PROFINT_MATRIX_AS_TOKEN=\(asToken)
                # PROFINT_MATRIX_HS_TOKEN=\(hsToken)
                # PROFINT_MATRIX_SENDER_LOCALPART=\(localpart)
                """)
        }

        /// 32 random bytes as 64 hex digits.
        static func token() -> String {
            var generator = SystemRandomNumberGenerator()
            return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
        }

        /// Regular-expression escape (the namespace is a Python regex).
        static func escape(_ text: String) -> String {
            var result = ""
            for character in text {
                if ".^$*+?{}[]\\|()".contains(character) { result.append("\\") }
                result.append(character)
            }
            return result
        }

        static func yaml(id: String, url: String, asToken: String, hsToken: String, localpart: String, serverName: String) -> String {
            """
            # Application-service registration of PROFINT Guide. Give this file to the
            # homeserver (Synapse: app_service_config_files) and keep the tokens secret.
            id: "\(id)"
            url: "\(url)"
            as_token: "\(asToken)"
            hs_token: "\(hsToken)"
            sender_localpart: "\(localpart)"
            rate_limited: false
            receive_ephemeral: false
            namespaces:
              users:
                - exclusive: true
                  regex: '@\(escape(localpart)).*:\(escape(serverName))'
              aliases: []
              rooms: []
            """
        }
    }
}
