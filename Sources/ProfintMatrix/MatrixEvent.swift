import Foundation
import ProfintCore

/// One event of an application-service transaction (client-server event
/// format). Fields the bot does not use are not decoded; `content` stays an
/// open JSON tree.
public struct MatrixEvent: Sendable, Hashable {
    public var type: String
    public var eventID: String
    public var roomID: String
    public var sender: String
    public var stateKey: String?
    public var content: MatrixJSON
    public var originServerTs: Int64?

    public init(type: String, eventID: String, roomID: String, sender: String, stateKey: String? = nil,
                content: MatrixJSON = [:], originServerTs: Int64? = nil) {
        self.type = type
        self.eventID = eventID
        self.roomID = roomID
        self.sender = sender
        self.stateKey = stateKey
        self.content = content
        self.originServerTs = originServerTs
    }

    /// The event from its JSON, or nil when a field the bot needs is missing
    /// or of the wrong type (such an event is skipped, not fatal to its transaction).
    public init?(json: MatrixJSON) {
        guard let type = json["type"]?.string, let eventID = json["event_id"]?.string,
              let roomID = json["room_id"]?.string, let sender = json["sender"]?.string else { return nil }
        self.type = type
        self.eventID = eventID
        self.roomID = roomID
        self.sender = sender
        self.stateKey = json["state_key"]?.string
        self.content = json["content"] ?? [:]
        self.originServerTs = json["origin_server_ts"]?.int
    }
}

/// The body of `PUT /_matrix/app/v1/transactions/{txnId}`.
public struct MatrixTransaction: Sendable {
    /// The events the bot can read, in the order the homeserver sent them.
    public var events: [MatrixEvent]
    /// Raw event JSON by event id (kept until the event is processed).
    public var raw: [String: MatrixJSON]
    /// How many entries of `events` were skipped: not events (missing ids,
    /// wrong types) or not readable (`malformed`).
    public var skipped: Int
    /// How many entries of `events` could not be read: nested deeper than
    /// 64, a number out of range, a bad string. They are skipped, the rest
    /// of the transaction is not.
    public var malformed: Int = 0

    public struct Malformed: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// Decodes a transaction in one pass over the body; throws `Malformed`
    /// when the body is not a JSON object with an `events` array. An event
    /// that cannot be read is counted and skipped; members other than
    /// `events` are skipped without being built.
    public static func decode(_ data: Data) throws -> MatrixTransaction {
        try data.withUnsafeBytes { raw in
            var parser = MatrixJSONParser(bytes: raw.bindMemory(to: UInt8.self))
            do {
                return try decode(&parser)
            } catch let problem as MatrixJSONParser.Problem {
                throw Malformed(description: "the body is not JSON: \(problem)")
            }
        }
    }

    static func decode(_ parser: inout MatrixJSONParser) throws -> MatrixTransaction {
        var transaction = MatrixTransaction(events: [], raw: [:], skipped: 0)
        var sawEvents = false
        guard parser.consume(UInt8(ascii: "{")) else { throw Malformed(description: "the body is not a JSON object") }
        if !parser.consume(UInt8(ascii: "}")) {
            repeat {
                parser.skipSpace()
                let key = try parser.string()
                try parser.expect(UInt8(ascii: ":"), "':'")
                if key == "events" {
                    guard parser.consume(UInt8(ascii: "[")) else { throw Malformed(description: "the body has no \"events\" array") }
                    sawEvents = true
                    if !parser.consume(UInt8(ascii: "]")) {
                        repeat { transaction.add(try element(&parser)) } while parser.consume(UInt8(ascii: ","))
                        try parser.expect(UInt8(ascii: "]"), "',' or ']'")
                    }
                } else {
                    try parser.skipValue()
                }
            } while parser.consume(UInt8(ascii: ","))
            try parser.expect(UInt8(ascii: "}"), "',' or '}'")
        }
        parser.skipSpace()
        guard parser.isAtEnd else { throw Malformed(description: "the body is not JSON: \(parser.problem("unexpected data after the object"))") }
        guard sawEvents else { throw Malformed(description: "the body has no \"events\" array") }
        return transaction
    }

    /// One entry of `events`: its value, or nil when it cannot be read (then skipped).
    static func element(_ parser: inout MatrixJSONParser) throws -> JSONValue? {
        parser.skipSpace()
        let start = parser.at
        do {
            return try parser.value()
        } catch {
            parser.rewind(to: start)
            try parser.skipValue()
            return nil
        }
    }

    mutating func add(_ item: JSONValue?) {
        guard let item else {
            skipped += 1
            malformed += 1
            return
        }
        if let event = MatrixEvent(json: item) {
            events.append(event)
            raw[event.eventID] = item
        } else {
            skipped += 1
        }
    }
}
