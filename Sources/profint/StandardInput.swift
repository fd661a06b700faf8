import Foundation

/// Lines of standard input as raw bytes, so that a line of invalid UTF-8
/// can be reported instead of silently repaired.
enum StandardInput {
    static func lines() -> [ArraySlice<UInt8>] {
        let data = FileHandle.standardInput.readDataToEndOfFile()
        let bytes = [UInt8](data)
        var lines = bytes.split(separator: 10, omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        return lines.map { line in line.last == 13 ? line.dropLast() : line }
    }

    static func write(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    static func error(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
