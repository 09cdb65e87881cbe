import Testing

@testable import Parquet

/// Parses a hex string such as `"80 01 04"` into bytes (whitespace ignored).
func hexBytes(_ text: String) -> [UInt8] {
    let digits = text.filter { !$0.isWhitespace }
    var bytes: [UInt8] = []
    var index = digits.startIndex
    while index < digits.endIndex {
        let next = digits.index(index, offsetBy: 2)
        bytes.append(UInt8(digits[index..<next], radix: 16)!)
        index = next
    }
    return bytes
}

/// Lengths that exercise empty input, partial and whole groups, block boundaries and bulk paths.
let roundTripLengths = [0, 1, 7, 8, 9, 127, 128, 129, 1000, 100_000]

/// Runs `body` and returns the `ParquetError` it threw, or nil if it returned normally.
func thrownParquetError(_ body: () throws -> Void) -> ParquetError? {
    do {
        try body()
        return nil
    } catch let error as ParquetError {
        return error
    } catch {
        Issue.record("unexpected error type: \(error)")
        return nil
    }
}

/// Bytes as lowercase hex pairs separated by spaces, the inverse of ``hexBytes(_:)``.
func hexString(_ bytes: [UInt8]) -> String {
    bytes.map { $0 < 16 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined(separator: " ")
}
