import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The Matrix test harness (Synapse.swift) against a real Synapse, with no
/// bot involved: the application service is registered but nothing listens
/// at its URL, which Synapse tolerates.
@Suite(.serialized)
struct SynapseHarnessTests {
    @Test func realSynapseCarriesMessagesAcrossARestart() async throws {
        let directory = try EndToEnd.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let nobody = try EndToEnd.freePort()
        let registration = AppserviceRegistration.withFreshTokens(url: URL(string: "http://127.0.0.1:\(nobody)")!)
        #expect(registration.asToken != registration.hsToken)
        #expect(registration.senderUserID() == "@profint:localhost")

        let starting = Date()
        let synapse = try await SynapseServer(directory: directory.appendingPathComponent("hs"), appservice: registration)
        let initDuration = Date().timeIntervalSince(starting)
        defer { synapse.stop() }
        #expect(synapse.isRunning)
        #expect(synapse.serverName == "localhost")
        #expect(synapse.baseURL.absoluteString == "http://127.0.0.1:\(synapse.port)")
        #expect(synapse.log.contains("Loaded application service"))

        // The application service's token works and is its sender user.
        let bot = MatrixTestUser(baseURL: synapse.baseURL, userID: registration.senderUserID(), accessToken: registration.asToken)
        let whoami = try await bot.call("GET", "/account/whoami")
        #expect(whoami["user_id"] as? String == "@profint:localhost")

        let alice = try await MatrixTestUser.register(on: synapse, username: "alice", password: "pw-alice-123")
        let bob = try await MatrixTestUser.register(on: synapse, username: "bob", password: "pw-bob-123")
        #expect(alice.userID == "@alice:localhost")
        #expect(bob.userID == "@bob:localhost")
        #expect(!alice.deviceID.isEmpty)

        // The bot's namespace is exclusive.
        await #expect {
            _ = try await MatrixTestUser.register(on: synapse, username: "profint_evil", password: "pw-evil-123")
        } throws: { error in
            (error as? MatrixTestUser.RequestError)?.errcode == "M_EXCLUSIVE"
        }

        // A room, an invite, a join and a message.
        let room = try await alice.createRoom(name: "harness", invite: [bob.userID])
        // Room version 12 (Synapse's default): the id is a hash, without ":localhost".
        #expect(room.hasPrefix("!"))
        #expect(try await alice.members(roomID: room)[bob.userID] == "invite")
        try await bob.join(roomID: room)
        try await alice.waitForMembership(roomID: room, user: bob.userID, membership: "join", timeout: 10)
        #expect(try await alice.joinedMembers(roomID: room) == [alice.userID, bob.userID].sorted())

        let bonjour = try await alice.sendText(roomID: room, body: "bonjour", mentions: [bob.userID],
                                               formattedBody: "<b>bonjour</b>")
        let first = try await bob.waitForMessages(in: room, from: alice.userID, count: 1, timeout: 10)
        #expect(first.count == 1)
        let message = try #require(first.first)
        #expect(message.eventID == bonjour)
        #expect(message.body == "bonjour")
        #expect(message.sender == alice.userID)
        #expect(message.roomID == room)
        #expect(message.formattedBody == "<b>bonjour</b>")
        #expect(message.mentionedUserIDs == [bob.userID])
        let sentAt = try #require(alice.sendTime(of: bonjour))
        let latency = message.receivedAt.timeIntervalSince(sentAt)
        #expect(latency >= 0 && latency < 10)

        // Consumed messages are not returned again: the next wait needs two new ones.
        let a = try await alice.sendText(roomID: room, body: "un")
        let b = try await alice.sendText(roomID: room, body: "deux", replyTo: a)
        let two = try await bob.waitForMessages(in: room, from: alice.userID, count: 2, timeout: 10)
        #expect(two.map(\.eventID) == [a, b])
        #expect(two.last?.inReplyTo == a)
        await #expect(throws: EndToEnd.Failure.self) {
            _ = try await bob.waitForMessages(in: room, from: alice.userID, count: 1, timeout: 0.5)
        }

        // A direct, encrypted room and a plausible m.room.encrypted. In room
        // version 12 the invitee of a trusted_private_chat is a creator too.
        let direct = try await alice.createRoom(name: nil, invite: [bob.userID], isDirect: true, encrypted: true)
        let encryption = try await alice.stateEvent(roomID: direct, type: "m.room.encryption")
        #expect(encryption?["algorithm"] as? String == "m.megolm.v1.aes-sha2")
        let create = try await alice.stateEvent(roomID: direct, type: "m.room.create")
        #expect(create?["additional_creators"] as? [String] == [bob.userID])
        try await bob.join(roomID: direct)
        let secret = try await alice.sendEncrypted(roomID: direct)
        let encrypted = try await bob.waitForEvents(in: direct, from: alice.userID, type: "m.room.encrypted", count: 1, timeout: 10)
        #expect(encrypted.map(\.eventID) == [secret])
        #expect(encrypted.first?.content["algorithm"] as? String == "m.megolm.v1.aes-sha2")
        #expect(encrypted.first?.content["session_id"] is String)

        // Kick, invite, leave, in a room of version 11 (id with ":localhost").
        let old = try await alice.createRoom(name: "v11", invite: [bob.userID], roomVersion: "11")
        #expect(old.hasPrefix("!") && old.hasSuffix(":localhost"))
        #expect(try await bob.waitForInvite(timeout: 10) == old)
        try await bob.join(roomID: old)
        try await alice.kick(userID: bob.userID, roomID: old, reason: "test")
        try await alice.waitForMembership(roomID: old, user: bob.userID, membership: "leave", timeout: 10)
        try await alice.invite(userID: bob.userID, roomID: old)
        try await alice.waitForMembership(roomID: old, user: bob.userID, membership: "invite", timeout: 10)
        try await bob.join(roomID: old)
        try await bob.leave(roomID: old)
        try await alice.waitForMembership(roomID: old, user: bob.userID, membership: "leave", timeout: 10)

        // Restart: same port, same data, a new process; the client's sync token still works.
        let firstPID = try #require(synapse.pid)
        try await synapse.restart()
        #expect(synapse.isRunning)
        #expect(synapse.pid != firstPID)
        #expect(kill(firstPID, 0) == -1 && errno == ESRCH)
        let after = try await alice.sendText(roomID: room, body: "après le redémarrage")
        let second = try await bob.waitForMessages(in: room, from: alice.userID, count: 1, timeout: 10)
        #expect(second.map(\.eventID) == [after])
        #expect(second.first?.body == "après le redémarrage")

        // Stop: the process is gone and nothing listens any more.
        let pid = try #require(synapse.pid)
        let stopping = Date()
        synapse.stop()
        let stopDuration = Date().timeIntervalSince(stopping)
        #expect(synapse.exitedCleanly == true, "Synapse should stop on SIGTERM, not need SIGKILL")
        #expect(!synapse.isRunning)
        #expect(kill(pid, 0) == -1 && errno == ESRCH)
        let versions = URL(string: "http://127.0.0.1:\(synapse.port)/_matrix/client/versions")!
        await #expect(throws: (any Error).self) { _ = try await EndToEnd.request(versions) }

        print(String(format: "Synapse: init (config, keys, start) %.2f s; ready after spawn ", initDuration)
              + synapse.startupDurations.map { String(format: "%.2f s", $0) }.joined(separator: ", after restart ")
              + String(format: "; stopped in %.0f ms; bonjour visible in sync after %.0f ms", stopDuration * 1000, latency * 1000))
    }
}
