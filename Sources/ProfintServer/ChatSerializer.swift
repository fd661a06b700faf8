/// Runs the work for one chat after the previous work for the same chat, so
/// a chat's updates are handled in order while different chats run in
/// parallel.
actor ChatSerializer {
    private var tails: [String: Task<Void, Never>] = [:]

    func run(_ chat: String, _ work: @escaping @Sendable () async -> Void) async {
        let previous = tails[chat]
        let task = Task {
            await previous?.value
            await work()
        }
        tails[chat] = task
        await task.value
        if tails[chat] == task { tails[chat] = nil }
    }
}
