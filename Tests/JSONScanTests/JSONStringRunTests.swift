import CIntrinsics
import JSONScan
import Testing

/// ``laketap_json_string_run``, the vector run of a string body (AVX-512 or AVX2, whichever the CPU has),
/// against a byte-at-a-time model of its contract, on random bodies built from the bytes that stop it.
@Suite(.enabled(if: laketap_json_string_run_step() != 0, "the CPU has neither AVX-512 VBMI2 nor AVX2 and BMI2"))
struct JSONStringRunTests {
    static let step = Int(laketap_json_string_run_step())

    /// What the run must read and write: plain bytes copied, `\"` written as `"` unless its backslash
    /// is the last byte of a step (the quote is in the next step), stopping before anything else; with
    /// 32-byte steps also at a step that has fewer than 32 bytes left.
    static func model(_ source: [UInt8]) -> (read: Int, output: [UInt8]) {
        var output: [UInt8] = []
        var index = 0
        while index < source.count {
            if Self.step == 32 && index % 32 == 0 && source.count - index < 32 { break }
            let byte = source[index]
            if byte == UInt8(ascii: "\\") && index + 1 < source.count && source[index + 1] == UInt8(ascii: "\"")
                && index % Self.step != Self.step - 1
            {
                output.append(UInt8(ascii: "\""))
                index += 2
                continue
            }
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 || byte >= 0x80 { break }
            output.append(byte)
            index += 1
        }
        return (index, output)
    }

    @Test func matchesTheModelAndWritesNothingPastItsOutput() {
        var state: UInt64 = 11
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        // Mostly plain bytes and `\"`, sometimes a byte that stops the run.
        let stops: [UInt8] = [UInt8(ascii: "\""), UInt8(ascii: "\\"), 0x01, 0x1F, 0x80, 0xC3, 0xFF]
        for _ in 0..<20_000 {
            var source: [UInt8] = []
            let length = next(300)
            while source.count < length {
                switch next(40) {
                case 0: source.append(stops[next(stops.count)])
                case 1..<8: source += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
                default: source.append(UInt8(ascii: "a") + UInt8(next(26)))
                }
            }
            let expected = Self.model(source)
            var destination = [UInt8](repeating: 0xEE, count: source.count + 64)
            var written = 0
            let read = source.withUnsafeBufferPointer { input in
                destination.withUnsafeMutableBufferPointer { output in
                    laketap_json_string_run(input.baseAddress, input.count, output.baseAddress!, &written)
                }
            }
            #expect(read == expected.read, "\(source)")
            #expect(Array(destination[0..<written]) == expected.output, "\(source)")
            // 64-byte steps write nothing past their output, 32-byte steps nothing past the input's length.
            let untouched = Self.step == 64 ? written : source.count
            #expect(destination[untouched...].allSatisfy { $0 == 0xEE }, "\(source)")
        }
    }
}
