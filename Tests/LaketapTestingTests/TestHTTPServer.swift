import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A minimal HTTP/1.1 server on 127.0.0.1:0 for the load generator tests: one thread per connection,
/// keep-alive, `Content-Length` bodies. It counts NDJSON records (newlines) in accepted bodies and answers
/// the first `rejectFirst` requests with 503 and `Retry-After: 0`.
final class TestHTTPServer: Sendable {
    struct Counts: Sendable {
        var requests = 0
        var rejected = 0
        var records = 0
        var contentTypes: Set<String> = []
    }

    let port: Int
    private let listener: Int32
    private let rejectFirst: Int
    private let counts = Mutex(Counts())

    init(rejectFirst: Int = 0) throws {
        self.rejectFirst = rejectFirst
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(listener, pointer, length) == 0 && listen(listener, 64) == 0
                    && getsockname(listener, pointer, &length) == 0
            }
        }
        guard bound else { throw POSIXError(.EADDRNOTAVAIL) }
        self.listener = listener
        self.port = Int(UInt16(bigEndian: address.sin_port))
        let thread = Thread { [self] in self.acceptLoop() }
        thread.start()
    }

    var url: String { "http://127.0.0.1:\(self.port)/v1/streams/test" }

    var snapshot: Counts { self.counts.withLock { $0 } }

    func stop() {
        shutdown(self.listener, Int32(SHUT_RDWR))
        close(self.listener)
    }

    private func acceptLoop() {
        while true {
            let connection = accept(self.listener, nil, nil)
            guard connection >= 0 else { return }
            let thread = Thread { [self] in
                self.serve(connection)
                close(connection)
            }
            thread.start()
        }
    }

    private func serve(_ connection: Int32) {
        var pending: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        func fill() -> Bool {
            let count = chunk.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { return false }
            pending.append(contentsOf: chunk[0..<count])
            return true
        }
        func send(_ text: String) {
            var bytes = Array(text.utf8)
            var offset = 0
            while offset < bytes.count {
                let sent = bytes.withUnsafeMutableBytes {
                    Glibc.send(connection, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL))
                }
                guard sent > 0 else { return }
                offset += sent
            }
        }
        let separator = Array("\r\n\r\n".utf8)
        while true {
            var headEnd: Int?
            while headEnd == nil {
                if let range = pending.firstRange(of: separator) {
                    headEnd = range.upperBound
                } else if !fill() {
                    return
                }
            }
            let head = String(decoding: pending[0..<headEnd!], as: UTF8.self).lowercased()
            pending.removeFirst(headEnd!)
            var contentLength = 0
            var contentType = ""
            for line in head.split(separator: "\r\n") {
                if line.hasPrefix("content-length:") {
                    contentLength = Int(line.dropFirst(15).trimmingCharacters(in: .whitespaces)) ?? 0
                } else if line.hasPrefix("content-type:") {
                    contentType = line.dropFirst(13).trimmingCharacters(in: .whitespaces)
                } else if line.hasPrefix("expect:") && line.contains("100-continue") {
                    send("HTTP/1.1 100 Continue\r\n\r\n")
                }
            }
            while pending.count < contentLength {
                guard fill() else { return }
            }
            let records = pending[0..<contentLength].count { $0 == UInt8(ascii: "\n") }
            pending.removeFirst(contentLength)
            let reject = self.counts.withLock { counts in
                counts.requests += 1
                counts.contentTypes.insert(contentType)
                if counts.rejected < self.rejectFirst {
                    counts.rejected += 1
                    return true
                }
                counts.records += records
                return false
            }
            if reject {
                send("HTTP/1.1 503 Service Unavailable\r\nRetry-After: 0\r\nContent-Length: 0\r\n\r\n")
            } else {
                send("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
            }
        }
    }
}
