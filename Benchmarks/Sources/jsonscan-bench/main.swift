import Foundation
import JSONScan

/// Release-mode throughput of the JSON scanner and framer on NDJSON files (wall clock, for people; no
/// thresholds). Usage: `jsonscan-bench [--runs N] FILE...`, for example on
/// `python3 gen_events.py logs --bytes 256M -o /tmp/logs.ndjson`. Pin it to one core with `taskset -c 0`.
///
/// For each file it reports the best of N runs of: framing only, scanning only (every token of every
/// pre-framed record, strings not decoded), and framing plus scanning plus decoding every string into a
/// reused buffer (what the converter does).

var arguments = Array(CommandLine.arguments.dropFirst())
var runs = 5
if let index = arguments.firstIndex(of: "--runs"), index + 1 < arguments.count, let value = Int(arguments[index + 1]) {
    runs = value
    arguments.removeSubrange(index...index + 1)
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = ContinuousClock.now
    try body()
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}

for path in arguments {
    let data = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
    let megabytes = Double(data.count) / 1e6

    // Frame once to get the record ranges for the scan-only measurement.
    var records: [Range<Int>] = []
    var framer = JSONRecordFramer()
    framer.append(data)
    framer.finish()
    while let record = framer.nextRecord() { records.append(record.range) }

    var bestFrame = Double.infinity
    var bestScan = Double.infinity
    var bestAll = Double.infinity
    var tokens = 0
    for _ in 0..<runs {
        bestFrame = min(bestFrame, seconds {
            var framer = JSONRecordFramer()
            framer.append(data)
            framer.finish()
            var count = 0
            while framer.nextRecord() != nil { count += 1 }
            precondition(count == records.count)
        })
        bestScan = try min(bestScan, data.withUnsafeBytes { buffer in
            try seconds {
                var count = 0
                for range in records {
                    var scanner = JSONScanner(UnsafeRawBufferPointer(rebasing: buffer[range]))
                    while try scanner.next() != .endOfInput { count += 1 }
                }
                tokens = count
            }
        })
        bestAll = try min(bestAll, seconds {
            var framer = JSONRecordFramer()
            var scratch: [UInt8] = []
            scratch.reserveCapacity(1 << 16)
            var start = 0
            while start < data.count {
                let end = min(data.count, start + (1 << 20))
                data.withUnsafeBytes { framer.append(UnsafeRawBufferPointer(rebasing: $0[start..<end])) }
                start = end
                if start == data.count { framer.finish() }
                while let record = framer.nextRecord() {
                    try framer.withUnsafeBytes { buffer in
                        let bytes = UnsafeRawBufferPointer(rebasing: buffer[record.range])
                        var scanner = JSONScanner(bytes)
                        while true {
                            let token = try scanner.next()
                            switch token {
                            case .string(let string), .key(let string):
                                scratch.removeAll(keepingCapacity: true)
                                string.decode(from: bytes, appendingTo: &scratch)
                            case .endOfInput: return
                            default: break
                            }
                        }
                    }
                }
            }
        })
    }
    print(
        "\(path): \(data.count) bytes, \(records.count) records, \(tokens) tokens\n"
            + "  frame only           \(Int(megabytes / bestFrame)) MB/s\n"
            + "  scan only            \(Int(megabytes / bestScan)) MB/s\n"
            + "  frame+scan+decode    \(Int(megabytes / bestAll)) MB/s"
    )
}
