import Foundation
import GRDB
import GRDBSQLite

/// A statement prepared once and stepped many times through the SQLite C
/// API: positional bindings of plain values, no `StatementArguments` or
/// existential boxes per row. For the hot loops of a prompt pass; it lives
/// within one database access (the `Database` it was prepared on) and is
/// finalized when released.
final class RawStatement {
    private let handle: OpaquePointer
    private let connection: OpaquePointer
    let sql: String

    init(_ db: Database, _ sql: String) throws {
        guard let connection = db.sqliteConnection else { throw DatabaseError(resultCode: .SQLITE_MISUSE, message: "connection closed") }
        var handle: OpaquePointer?
        let code = sqlite3_prepare_v2(connection, sql, -1, &handle, nil)
        guard code == SQLITE_OK, let handle else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(connection)), sql: sql)
        }
        self.connection = connection
        self.handle = handle
        self.sql = sql
    }

    deinit { sqlite3_finalize(handle) }

    // MARK: Bindings (1-based, as in SQL)

    func bind(_ index: Int32, _ value: String) {
        var value = value
        value.withUTF8 { bytes in
            // An empty buffer may have no address: SQLite would bind NULL, not ''.
            if let base = bytes.baseAddress {
                _ = sqlite3_bind_text(handle, index, UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self), Int32(bytes.count),
                                      Self.transient)
            } else {
                _ = sqlite3_bind_text(handle, index, "", 0, Self.transient)
            }
        }
    }

    func bind(_ index: Int32, _ value: String?) {
        if let value { bind(index, value) } else { bindNull(index) }
    }

    func bind(_ index: Int32, _ value: Double) { _ = sqlite3_bind_double(handle, index, value) }
    func bind(_ index: Int32, _ value: Int64) { _ = sqlite3_bind_int64(handle, index, value) }
    func bind(_ index: Int32, _ value: Bool) { _ = sqlite3_bind_int64(handle, index, value ? 1 : 0) }
    func bindNull(_ index: Int32) { _ = sqlite3_bind_null(handle, index) }

    func bind(_ index: Int32, _ value: [UInt8]) {
        value.withUnsafeBytes { bytes in
            // A zero-length blob, never NULL (the columns are NOT NULL).
            _ = sqlite3_bind_blob(handle, index, bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(bytes.count), Self.transient)
        }
    }

    // MARK: Execution

    /// Runs a statement that returns no row; the number of rows it changed.
    @discardableResult
    func execute() throws -> Int {
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE else { throw failure() }
        let changes = Int(sqlite3_changes(connection))
        sqlite3_reset(handle)
        return changes
    }

    /// Steps a query: true while a row is available.
    func step() throws -> Bool {
        switch sqlite3_step(handle) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: sqlite3_reset(handle); return false
        default: throw failure()
        }
    }

    // MARK: Columns of the current row (0-based)

    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }
    func bool(_ column: Int32) -> Bool { sqlite3_column_int64(handle, column) != 0 }
    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

    /// The column as text ('' for NULL).
    func string(_ column: Int32) -> String {
        guard let text = sqlite3_column_text(handle, column) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
    }

    /// Whether the column is text equal to `bytes` (false for NULL), without making a String.
    func text(_ column: Int32, equals bytes: [UInt8]) -> Bool {
        guard let text = sqlite3_column_text(handle, column) else { return false }
        let count = Int(sqlite3_column_bytes(handle, column))
        guard count == bytes.count else { return false }
        guard count > 0 else { return true }
        return bytes.withUnsafeBufferPointer { memcmp(text, $0.baseAddress!, count) == 0 }
    }

    /// The connection's error, read before the statement is reset for its next use.
    private func failure() -> DatabaseError {
        let error = DatabaseError(resultCode: ResultCode(rawValue: sqlite3_extended_errcode(connection)),
                                  message: String(cString: sqlite3_errmsg(connection)), sql: sql)
        sqlite3_reset(handle)
        return error
    }

    static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
}
