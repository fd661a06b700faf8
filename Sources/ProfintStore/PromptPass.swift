import GRDB
import GRDBSQLite
import ProfintCore

// The pieces of a prompt pass (`PromptStore.runPass`) that keep its per-row
// work small: schedules planned once, rotations computed once per distinct
// cycle, bodies rendered once per channel, language and prompt, outbox rows
// written many per statement, subscriptions moved on by one UPDATE.

/// What decides a schedule's plan for the pass.
struct ScheduleKey: Hashable {
    var time: String
    var timezone: String
    var everyDay: Bool
}

/// A schedule at the pass instant: the local day due now (`YYYY-MM-DD`, nil if
/// none) and the next delivery instant after the pass.
struct SchedulePlan {
    var due: String?
    var dueBytes: [UInt8]
    var next: Double

    init(_ schedule: PromptSchedule, now: Double) {
        due = DailyPromptPlanner.dueDay(now: now, schedule, lastSent: nil)?.description
        dueBytes = Array((due ?? "").utf8)
        next = DailyPromptPlanner.nextDelivery(after: now, schedule).at
    }
}

/// The bodies one shared `outbox_template` row serves: a channel, a language and a prompt.
struct TemplateSlot: Hashable {
    var channel: String
    var language: String
    var promptID: String
}

/// A subscription read by the pass: its next due instant, and, when changed,
/// its last sent day and cycle (nil: unchanged).
struct SubscriptionUpdate {
    var rowid: Int64
    var next: Double
    var lastSentDay: String?
    var cycle: String?

    init(rowid: Int64, next: Double) {
        self.rowid = rowid
        self.next = next
    }
}

/// The next prompt and the cycle that follows it, per stored `cycle` value
/// (the comma-joined ids of the current cycle). Chats that subscribed on the
/// same day share their whole history, so a pass sees few distinct cycles:
/// each is split, rotated and re-joined once, not once per chat. The result
/// is the same as computing it per chat.
struct RotationMemo {
    let bank: [String]
    let prepared: PromptBank
    let cycles: PromptCycles
    private var memo: [String: (promptID: String, cycle: String)?] = [:]
    /// Beyond this many distinct cycles, the others are computed without being kept.
    static let capacity = 20_000

    init(bank: [String], cycles: PromptCycles) {
        self.bank = bank
        self.prepared = PromptBank(bank)
        self.cycles = cycles
    }

    /// The prompt after `stored` and the cycle to store once it is sent; nil
    /// for an empty bank.
    mutating func next(after stored: String) throws -> (promptID: String, cycle: String)? {
        if let known = memo[stored] { return known }
        let result = try Self.next(after: cycles.ids(of: stored), bank: bank, prepared: prepared).map {
            (promptID: $0.promptID, cycle: try cycles.reference(to: $0.cycle))
        }
        if memo.count < Self.capacity { memo[stored] = .some(result) }
        return result
    }

    static func next(after stored: String, bank: [String], prepared: PromptBank) -> (promptID: String, cycle: String)? {
        let sent = stored.split(separator: ",").map(String.init)
        guard let promptID = sent.isEmpty ? bank.first : PromptRotation.next(bank: prepared, sent: sent) else { return nil }
        var cycle = sent + [promptID]
        // The whole bank used: the next cycle starts afresh.
        if cycle.count >= bank.count, Set(cycle).isSuperset(of: bank) { cycle = [] }
        return (promptID, cycle.joined(separator: ","))
    }
}

/// Rows inserted many per statement (`INSERT … VALUES (…), (…), …`): SQLite's
/// per-statement work (opening cursors, the AUTOINCREMENT bookkeeping in
/// `sqlite_sequence`) is paid once per batch, not once per row.
final class RowBatches<Row> {
    private let db: Database
    private let rowsPerStatement: Int
    private let parametersPerRow: Int32
    /// The SQL for `n` rows; parameter `?(1 + k * parametersPerRow + i)` is value `i` of row `k`.
    private let sql: (Int) -> String
    private let bind: (RawStatement, Int32, Row) -> Void
    private var full: RawStatement?
    private var pending: [Row] = []

    init(_ db: Database, rowsPerStatement: Int, parametersPerRow: Int32, sql: @escaping (Int) -> String,
         bind: @escaping (_ statement: RawStatement, _ firstParameter: Int32, _ row: Row) -> Void) {
        self.db = db
        self.rowsPerStatement = rowsPerStatement
        self.parametersPerRow = parametersPerRow
        self.sql = sql
        self.bind = bind
        pending.reserveCapacity(rowsPerStatement)
    }

    /// `n` comma-separated tuples of `width` numbered parameters.
    static func tuples(_ n: Int, width: Int, _ tuple: (_ first: Int) -> String) -> String {
        (0..<n).map { tuple(1 + $0 * width) }.joined(separator: ",")
    }

    func append(_ row: Row) throws {
        pending.append(row)
        if pending.count == rowsPerStatement { try flush() }
    }

    /// Writes the rows still pending.
    func flush() throws {
        guard !pending.isEmpty else { return }
        let statement: RawStatement
        if pending.count == rowsPerStatement {
            if full == nil { full = try RawStatement(db, sql(rowsPerStatement)) }
            statement = full!
        } else {
            statement = try RawStatement(db, sql(pending.count))
        }
        for (k, row) in pending.enumerated() { bind(statement, 1 + Int32(k) * parametersPerRow, row) }
        try statement.execute()
        pending.removeAll(keepingCapacity: true)
    }
}

/// Writes a pass's subscription updates (sorted by rowid).
enum SubscriptionMoves {
    /// The SQL function through which one UPDATE statement reads the new values.
    static let function = "profint_prompt_pass_move"

    /// `wholeTable`: most rows of the table are updated, so one UPDATE walks the
    /// table in rowid order and takes each row's new values from `updates`
    /// (through an SQL function, no statement per row). Otherwise one UPDATE by
    /// rowid per row.
    static func write(_ updates: [SubscriptionUpdate], _ db: Database, wholeTable: Bool) throws {
        guard !updates.isEmpty else { return }
        guard wholeTable else {
            let move = try RawStatement(db, """
                UPDATE subscription SET next_due_at = ?1, last_sent_day = coalesce(?2, last_sent_day), cycle = coalesce(?3, cycle)
                WHERE rowid = ?4
                """)
            for u in updates {
                move.bind(1, u.next)
                move.bind(2, u.lastSentDay)
                move.bind(3, u.cycle)
                move.bind(4, u.rowid)
                try move.execute()
            }
            return
        }
        guard let connection = db.sqliteConnection else { throw DatabaseError(resultCode: .SQLITE_MISUSE, message: "connection closed") }
        let table = Unmanaged.passRetained(MoveTable(updates))
        // The function lives only for this statement; SQLite releases the table
        // (xDestroy) when it is removed below.
        let code = sqlite3_create_function_v2(connection, function, 2, SQLITE_UTF8 | SQLITE_DIRECTONLY, table.toOpaque(),
                                              { context, _, arguments in MoveTable.call(context, arguments) }, nil, nil,
                                              { table in table.map { Unmanaged<MoveTable>.fromOpaque($0).release() } })
        guard code == SQLITE_OK else {
            table.release()
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(connection)))
        }
        defer { sqlite3_create_function_v2(connection, function, 2, SQLITE_UTF8 | SQLITE_DIRECTONLY, nil, nil, nil, nil, nil) }
        do {
            // Field 0: whether the row was read by the pass; 1: next due instant; 2: last
            // sent day or NULL (unchanged); 3: cycle or NULL (unchanged).
            let move = try RawStatement(db, """
                UPDATE subscription NOT INDEXED SET next_due_at = \(function)(rowid, 1),
                    last_sent_day = coalesce(\(function)(rowid, 2), last_sent_day),
                    cycle = coalesce(\(function)(rowid, 3), cycle)
                WHERE \(function)(rowid, 0)
                """)
            try move.execute()
        }
    }

    /// The updates, found by rowid from the SQL function.
    final class MoveTable {
        let updates: [SubscriptionUpdate]
        /// The row found last: the statement asks for each field of a row in turn, rows in order.
        private var last = -1

        init(_ updates: [SubscriptionUpdate]) {
            self.updates = updates
        }

        func index(of rowid: Int64) -> Int? {
            if last >= 0, last < updates.count, updates[last].rowid == rowid { return last }
            if last + 1 < updates.count, updates[last + 1].rowid == rowid {
                last += 1
                return last
            }
            var low = 0, high = updates.count
            while low < high {
                let middle = (low + high) / 2
                if updates[middle].rowid < rowid { low = middle + 1 } else { high = middle }
            }
            guard low < updates.count, updates[low].rowid == rowid else {
                last = low - 1   // the next row read is likely the one at `low`
                return nil
            }
            last = low
            return low
        }

        static func call(_ context: OpaquePointer?, _ arguments: UnsafeMutablePointer<OpaquePointer?>?) {
            guard let context, let arguments else { return }
            let table = Unmanaged<MoveTable>.fromOpaque(sqlite3_user_data(context)).takeUnretainedValue()
            let found = table.index(of: sqlite3_value_int64(arguments[0]))
            let field = sqlite3_value_int(arguments[1])
            guard let found else {
                if field == 0 { sqlite3_result_int(context, 0) } else { sqlite3_result_null(context) }
                return
            }
            let update = table.updates[found]
            switch field {
            case 0: sqlite3_result_int(context, 1)
            case 1: sqlite3_result_double(context, update.next)
            default:
                guard var text = field == 2 ? update.lastSentDay : update.cycle else { return sqlite3_result_null(context) }
                text.withUTF8 { bytes in
                    if let base = bytes.baseAddress {
                        sqlite3_result_text(context, UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self), Int32(bytes.count),
                                            RawStatement.transient)
                    } else {
                        sqlite3_result_text(context, "", 0, RawStatement.transient)
                    }
                }
            }
        }
    }
}
