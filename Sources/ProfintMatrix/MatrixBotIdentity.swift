import Foundation

/// Who the bot is on a homeserver: `@<localpart>:<server name>`, and the
/// exclusive user namespace of its application service (every user id that
/// starts with `@<localpart>` on that server); plus other bots it must not
/// answer (other application services' users, by regular expression).
public struct MatrixBotIdentity: Sendable, Hashable {
    public var localpart: String
    public var serverName: String
    /// Regular expressions matched against the whole user id.
    public var ignoredUsers: [String] { ignored.patterns }
    private let ignored: IgnoredUsers

    public init(localpart: String, serverName: String, ignoredUsers: [String] = []) {
        self.localpart = localpart
        self.serverName = serverName
        self.ignored = IgnoredUsers(ignoredUsers)
    }

    /// Whether a pattern compiles (configuration checks it at startup).
    public static func isValidPattern(_ pattern: String) -> Bool {
        (try? NSRegularExpression(pattern: pattern)) != nil
    }

    /// Whether a user is another bot the configuration names.
    public func ignores(_ userID: String) -> Bool {
        ignored.matches(userID)
    }

    public var userID: String { "@\(localpart):\(serverName)" }

    /// Whether a user belongs to the application service (the bot or one of
    /// its puppets): their events are never answered, to avoid echo loops.
    public func owns(_ userID: String) -> Bool {
        userID.hasPrefix("@" + localpart) && userID.hasSuffix(":" + serverName)
    }
}

/// The ignore patterns, compiled once (anchored to the whole user id).
final class IgnoredUsers: Hashable, @unchecked Sendable {
    let patterns: [String]
    private let expressions: [NSRegularExpression]

    init(_ patterns: [String]) {
        self.patterns = patterns
        self.expressions = patterns.compactMap { try? NSRegularExpression(pattern: "^(?:" + $0 + ")$") }
    }

    func matches(_ userID: String) -> Bool {
        let range = NSRange(userID.startIndex..., in: userID)
        return expressions.contains { $0.firstMatch(in: userID, range: range) != nil }
    }

    static func == (a: IgnoredUsers, b: IgnoredUsers) -> Bool { a.patterns == b.patterns }
    func hash(into hasher: inout Hasher) { hasher.combine(patterns) }
}
