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
    /// How many entries of `events` were not events (missing ids, wrong types).
    public var skipped: Int

    public struct Malformed: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// Decodes a transaction; throws `Malformed` when the body is not a JSON
    /// object with an `events` array.
    public static func decode(_ data: Data) throws -> MatrixTransaction {
        let json: MatrixJSON
        do {
            json = try JSONDecoder().decode(MatrixJSON.self, from: data)
        } catch {
            throw Malformed(description: "the body is not JSON")
        }
        guard let list = json["events"]?.array else {
            throw Malformed(description: "the body has no \"events\" array")
        }
        var events: [MatrixEvent] = []
        var raw: [String: MatrixJSON] = [:]
        var skipped = 0
        for item in list {
            if let event = MatrixEvent(json: item) {
                events.append(event)
                raw[event.eventID] = item
            } else {
                skipped += 1
            }
        }
        return MatrixTransaction(events: events, raw: raw, skipped: skipped)
    }
}
