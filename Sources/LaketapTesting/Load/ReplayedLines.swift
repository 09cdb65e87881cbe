#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The lines of an NDJSON file as a ``Workload``, from the first again after the last: a load test then
/// spends its CPU on HTTP instead of on generating records (generating the events workload takes about
/// one core at 170 MB/s, as much as the server it would measure).
///
/// The file is mapped, not read: its pages come from the page cache and count once, however long the
/// test. Blank lines are skipped; a last line without a newline gets one.
public struct ReplayedLines: Workload {
    private final class Mapping {
        let base: UnsafeMutableRawPointer
        let count: Int

        init(base: UnsafeMutableRawPointer, count: Int) {
            self.base = base
            self.count = count
        }

        deinit { munmap(self.base, self.count) }
    }

    private let mapping: Mapping
    private var position = 0

    /// Maps `path`; throws ``ReplayError`` when it cannot be opened or holds no line.
    public init(path: String) throws(ReplayError) {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw ReplayError("cannot open \(path): \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_size > 0 else { throw ReplayError("\(path) is empty") }
        let count = Int(status.st_size)
        guard let base = mmap(nil, count, PROT_READ, MAP_PRIVATE, descriptor, 0), base != MAP_FAILED else {
            throw ReplayError("cannot map \(path): \(String(cString: strerror(errno)))")
        }
        self.mapping = Mapping(base: base, count: count)
        let bytes = UnsafeRawBufferPointer(start: base, count: count)
        guard bytes.contains(where: { $0 != 0x0A && $0 != 0x0D && $0 != 0x20 && $0 != 0x09 }) else {
            throw ReplayError("\(path) holds no line")
        }
    }

    public mutating func appendLine(to buffer: inout JSONBuffer) {
        let bytes = UnsafeRawBufferPointer(start: self.mapping.base, count: self.mapping.count)
        while true {
            if self.position >= bytes.count { self.position = 0 }
            let rest = UnsafeRawBufferPointer(rebasing: bytes[self.position...])
            let end = memchr(rest.baseAddress!, 0x0A, rest.count).map {
                rest.baseAddress!.distance(to: UnsafeRawPointer($0))
            }
            let line = UnsafeRawBufferPointer(rebasing: rest[..<(end ?? rest.count)])
            self.position += (end ?? rest.count) + 1
            guard line.contains(where: { $0 != 0x0D && $0 != 0x20 && $0 != 0x09 }) else { continue }
            buffer.append(raw: line)
            buffer.append(0x0A)
            return
        }
    }
}

/// Why a file cannot be replayed.
public struct ReplayError: Error, CustomStringConvertible {
    public var description: String

    public init(_ description: String) { self.description = description }
}
