import Foundation
import ProfintCore

/// Decides what an event means for the bot (pure: no I/O).
///
/// - Membership of the bot: an invite is answered by joining; leaving,
///   being kicked or banned removes the room's data. Other members' changes
///   only invalidate the room's member count.
/// - Events sent by the bot or another user of its namespace are ignored,
///   so that the bot never answers itself; so are those of the other bots
///   the configuration names (`PROFINT_MATRIX_IGNORED_USERS`), so that two
///   bots never answer each other.
/// - `m.room.message` with `m.text`, `m.notice` or `m.emote` is a message;
///   edits (`m.replace`) are ignored (the first version was answered); other
///   message types (images, files, audio, location…) are unsupported.
/// - `m.room.encrypted` cannot be read.
/// - Everything else (state, reactions, redactions…) is ignored.
public enum MatrixInbound {
    public static func event(for event: MatrixEvent, bot: MatrixBotIdentity, displayName: String) -> MatrixInboundEvent {
        if event.type == "m.room.member" {
            return membership(event, bot: bot)
        }
        if bot.owns(event.sender) {
            return .ignored(reason: "own event")
        }
        if bot.ignores(event.sender) {
            return .ignored(reason: "another bot")
        }
        switch event.type {
        case "m.room.encrypted":
            return .encrypted(room: event.roomID, eventID: event.eventID, sender: event.sender)
        case "m.room.message":
            return message(event, bot: bot, displayName: displayName)
        default:
            return .ignored(reason: "event type \(event.type)")
        }
    }

    static func membership(_ event: MatrixEvent, bot: MatrixBotIdentity) -> MatrixInboundEvent {
        guard let target = event.stateKey, let membership = event.content["membership"]?.string else {
            return .ignored(reason: "membership without state key")
        }
        if target == bot.userID {
            switch membership {
            case "invite":
                return .invited(room: event.roomID, inviter: event.sender, isDirect: event.content["is_direct"]?.bool ?? false)
            case "leave", "ban":
                return .removed(room: event.roomID)
            default:
                return .ignored(reason: "bot membership \(membership)")
            }
        }
        if bot.owns(target) { return .ignored(reason: "namespace membership") }
        return .membersChanged(room: event.roomID)
    }

    static func message(_ event: MatrixEvent, bot: MatrixBotIdentity, displayName: String) -> MatrixInboundEvent {
        let content = event.content
        if content["m.relates_to"]?["rel_type"]?.string == "m.replace" || content["m.new_content"] != nil {
            return .ignored(reason: "edit")
        }
        let msgtype = content["msgtype"]?.string ?? ""
        let body = content["body"]?.string ?? ""
        let formatted = content["format"]?.string == "org.matrix.custom.html" ? content["formatted_body"]?.string : nil
        let (text, quotedSender) = MatrixMentions.strippingReplyFallback(body)
        let isReply = content["m.relates_to"]?["m.in_reply_to"]?["event_id"]?.string != nil
        let mentioned = MatrixMentions.mentions(bot: bot, displayName: displayName, content: content, text: text,
                                                formattedBody: formatted)
        // A reply names its target in m.mentions (and in the old fallback).
        let repliesToBot = isReply && (quotedSender.map(bot.owns) ?? mentioned)
        guard ["m.text", "m.notice", "m.emote"].contains(msgtype) else {
            return .unsupported(room: event.roomID, eventID: event.eventID, sender: event.sender, addressed: mentioned || repliesToBot)
        }
        let cleaned = MatrixMentions.removing(bot: bot, displayName: displayName, from: text)
        let trimmed = cleaned.trimmingCharacters(in: .whitespacesAndNewlines)
        let isCommand = trimmed.hasPrefix("!") || trimmed.hasPrefix("/")
        return .message(MatrixMessage(room: event.roomID, eventID: event.eventID, sender: event.sender, text: trimmed,
                                      isCommand: isCommand, mentionsBot: mentioned, repliesToBot: repliesToBot))
    }
}
