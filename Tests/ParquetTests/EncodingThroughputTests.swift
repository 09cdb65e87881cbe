import Testing

@testable import Parquet

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Rough wall-clock throughput of the hot encoders; runs only with `LAKETAP_ENCODING_THROUGHPUT=1`, ideally
/// under `swift test -c release`. The numbers are for people; the benchmarks package tracks allocations.
@Suite(.enabled(if: throughputEnabled)) struct EncodingThroughputTests {
    private func measure(_ label: String, bytes: Int, repeats: Int = 20, _ body: () -> Void) {
        body()
        let clock = ContinuousClock()
        var best = Duration.seconds(1000)
        for _ in 0..<repeats { best = min(best, clock.measure(body)) }
        let seconds = Double(best.components.attoseconds) / 1e18 + Double(best.components.seconds)
        let megabytesPerSecond = Double(bytes) / seconds / 1e6
        print("\(label): \(Int(seconds * 1e6)) µs, \(Int(megabytesPerSecond)) MB/s of input")
    }

    @Test func hotEncoders() {
        let count = 1_000_000
        var generator = SplitMix64(seed: 1)
        let equalLevels = [UInt8](repeating: 1, count: count)
        let randomLevels = (0..<count).map { _ in UInt8.random(in: 0...3, using: &generator) }
        let indices = (0..<count).map { _ in UInt32.random(in: 0..<1000, using: &generator) }
        var timestamp: Int64 = 1_700_000_000_000_000
        let timestamps = (0..<count).map { _ in
            timestamp &+= Int64.random(in: 0..<5000, using: &generator)
            return timestamp
        }
        var output: [UInt8] = []
        output.reserveCapacity(16 * count)
        var decodedLevels = [UInt8](repeating: 0, count: count)
        var decodedIndices = [UInt32](repeating: 0, count: count)
        var decodedLongs = [Int64](repeating: 0, count: count)

        equalLevels.withUnsafeBufferPointer { values in
            self.measure("RLE encode 1M equal levels", bytes: count) {
                output.removeAll(keepingCapacity: true)
                RLEBitPackedHybridEncoder.encode(values, bitWidth: 1, into: &output)
            }
        }
        randomLevels.withUnsafeBufferPointer { values in
            self.measure("RLE encode 1M random levels bw2", bytes: count) {
                output.removeAll(keepingCapacity: true)
                RLEBitPackedHybridEncoder.encode(values, bitWidth: 2, into: &output)
            }
        }
        let levelBytes = output
        var decodedCount = 0
        levelBytes.withUnsafeBytes { raw in
            decodedLevels.withUnsafeMutableBufferPointer { destination in
                self.measure("RLE decode 1M random levels bw2", bytes: count) {
                    do {
                        var decoder = try RLEBitPackedHybridDecoder(raw, bitWidth: 2)
                        decodedCount = try decoder.decode(into: destination)
                    } catch {
                        decodedCount = -1
                    }
                }
            }
        }
        #expect(decodedCount == count)
        #expect(decodedLevels == randomLevels)
        indices.withUnsafeBufferPointer { values in
            self.measure("RLE encode 1M dictionary indices bw10", bytes: 4 * count) {
                output.removeAll(keepingCapacity: true)
                RLEBitPackedHybridEncoder.encode(values, bitWidth: 10, into: &output)
            }
        }
        let indexBytes = output
        decodedCount = 0
        indexBytes.withUnsafeBytes { raw in
            decodedIndices.withUnsafeMutableBufferPointer { destination in
                self.measure("RLE decode 1M dictionary indices bw10", bytes: 4 * count) {
                    do {
                        var decoder = try RLEBitPackedHybridDecoder(raw, bitWidth: 10)
                        decodedCount = try decoder.decode(into: destination)
                    } catch {
                        decodedCount = -1
                    }
                }
            }
        }
        #expect(decodedCount == count)
        #expect(decodedIndices == indices)
        timestamps.withUnsafeBufferPointer { values in
            self.measure("DBP encode 1M Int64 timestamps", bytes: 8 * count) {
                output.removeAll(keepingCapacity: true)
                DeltaBinaryPackedEncoder.encode(values, into: &output)
            }
        }
        let deltaBytes = output
        decodedCount = 0
        deltaBytes.withUnsafeBytes { raw in
            decodedLongs.withUnsafeMutableBufferPointer { destination in
                self.measure("DBP decode 1M Int64 timestamps", bytes: 8 * count) {
                    do {
                        var decoder = try DeltaBinaryPackedDecoder(raw)
                        decodedCount = try decoder.decode(into: destination)
                    } catch {
                        decodedCount = -1
                    }
                }
            }
        }
        #expect(decodedCount == count)
        #expect(decodedLongs == timestamps)
    }
}

private let throughputEnabled: Bool = {
    guard let value = getenv("LAKETAP_ENCODING_THROUGHPUT") else { return false }
    return String(cString: value) == "1"
}()
