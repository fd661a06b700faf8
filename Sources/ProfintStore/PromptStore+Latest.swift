import GRDB

extension PromptStore {
    /// The chat's most recent prompt: its item id and when it was claimed.
    public func latestDelivery(channel: String, chat: String) throws -> (promptID: String, claimedAt: Double)? {
        try database.writer.read { db in
            try Row.fetchOne(db, sql: """
                SELECT prompt_id, claimed_at FROM prompt_delivery WHERE channel = ? AND chat = ?
                ORDER BY local_day DESC LIMIT 1
                """, arguments: [channel, chat]).map { ($0[0], $0[1]) }
        }
    }
}
