/// Who the bot is on a homeserver: `@<localpart>:<server name>`, and the
/// exclusive user namespace of its application service (every user id that
/// starts with `@<localpart>` on that server).
public struct MatrixBotIdentity: Sendable, Hashable {
    public var localpart: String
    public var serverName: String

    public init(localpart: String, serverName: String) {
        self.localpart = localpart
        self.serverName = serverName
    }

    public var userID: String { "@\(localpart):\(serverName)" }

    /// Whether a user belongs to the application service (the bot or one of
    /// its puppets): their events are never answered, to avoid echo loops.
    public func owns(_ userID: String) -> Bool {
        userID.hasPrefix("@" + localpart) && userID.hasSuffix(":" + serverName)
    }
}
