import Testing

@testable import Parquet

@Suite struct ByteArrayBufferTests {
    @Test func appendsAndSlices() {
        var buffer = ByteArrayBuffer(["a", "", "héllo"])
        #expect(buffer.count == 3)
        #expect(Array(buffer[2]) == Array("héllo".utf8))
        #expect(buffer.length(at: 1) == 0)
        let tail = buffer.slice(1..<3)
        #expect(tail.offsets == [0, 0, 6])
        buffer.removeAll()
        #expect(buffer.isEmpty)
    }
}
