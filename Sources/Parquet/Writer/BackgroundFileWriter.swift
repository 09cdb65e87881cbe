internal import CSyscalls

#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#elseif canImport(Darwin)
internal import Darwin
#endif

/// Writes a file on a thread of its own, for ``FileSink``'s `writesInBackground`.
///
/// The writer hands a row group over as its pages (arrays it no longer needs, not copied) and goes on
/// encoding; this thread stages them in an aligned block and writes each full block with `O_DIRECT`,
/// from the block straight to the device. Through the page cache, the kernel's copy of each row group
/// (25–45 MB) took 30–150 ms of the writing thread on this machine's fresh pages, while the other
/// conversion thread ran out of chunks and waited. Where the file system refuses `O_DIRECT` (at open
/// or at the first write), the thread writes through the page cache, still off the writer's thread.
///
/// Bounded: past ``queueLimit`` bytes handed over and not yet written, ``enqueue(_:)`` waits.
/// The last partial block is written padded to the alignment, and the file then truncated to its length.
final class BackgroundFileWriter: @unchecked Sendable {
    /// Bytes of a staging block, written with one `pwrite`.
    static var blockSize: Int { 4 << 20 }
    /// Alignment of the block's address, of every write's length and of every file offset (covers
    /// devices with 512-byte and 4 KiB logical blocks).
    static var alignment: Int { 4096 }
    /// Bytes handed over and not yet written, at most, before ``enqueue(_:)`` waits.
    static var queueLimit: Int { 64 << 20 }

    private let state: State
    private let thread: WorkerThread
    private var isFinished = false

    /// - Parameter direct: whether to try `O_DIRECT` (tests turn it off to write through the page cache).
    init(path: String, synchronize: Bool, direct: Bool = true) throws(ParquetError) {
        var direct = direct && laketap_direct_flag() != 0
        var file: DescriptorWriter
        do {
            file = try DescriptorWriter(path: path, synchronize: synchronize, flags: direct ? laketap_direct_flag() : 0)
        } catch {
            // A file system without O_DIRECT refuses it at open (EINVAL); whatever else failed, the
            // open without it fails again and says why.
            guard direct else { throw error }
            direct = false
            file = try DescriptorWriter(path: path, synchronize: synchronize, flags: 0)
        }
        let state = State(file: file, direct: direct)
        guard let thread = WorkerThread({ state.run() }) else {
            state.file.close()
            throw ParquetError(.io, "cannot start a thread to write '\(path)'")
        }
        self.state = state
        self.thread = thread
    }

    deinit {
        // Abandoned without finish (the conversion failed): stop the thread, close the file.
        guard !self.isFinished else { return }
        self.state.close()
        self.thread.join()
        self.state.file.close()
    }

    /// Hands `bytes` to the thread; throws the error of an earlier write.
    func enqueue(_ bytes: [UInt8]) throws(ParquetError) {
        try self.state.enqueue(bytes)
    }

    /// Writes what is queued, the last partial block, fsyncs when synchronized and closes the file.
    func finish() throws(ParquetError) {
        guard !self.isFinished else { return }
        self.isFinished = true
        self.state.close()
        self.thread.join()
        // The thread has ended: its state is this thread's now.
        try self.state.finishFile()
    }

    /// What the thread and the writer share (behind `lock`), and the thread's own staging state.
    ///
    /// `@unchecked Sendable`: `queue`, `queuedBytes`, `closing` and `failure` are touched only inside
    /// `lock.withLock`; the rest only by the thread while it runs and by ``finishFile()`` after it is
    /// joined.
    private final class State: @unchecked Sendable {
        let lock = ConditionLock()
        var queue: [[UInt8]] = []
        var queuedBytes = 0
        var closing = false
        var failure: ParquetError?

        var file: DescriptorWriter
        var direct: Bool
        let block: UnsafeMutableRawPointer
        var blockCount = 0
        /// File bytes written by whole blocks, in direct mode.
        var blocksWritten = 0

        init(file: DescriptorWriter, direct: Bool) {
            self.file = file
            self.direct = direct
            self.block = UnsafeMutableRawPointer.allocate(
                byteCount: BackgroundFileWriter.blockSize,
                alignment: BackgroundFileWriter.alignment
            )
        }

        deinit {
            self.block.deallocate()
        }

        func enqueue(_ bytes: [UInt8]) throws(ParquetError) {
            let failure: ParquetError? = self.lock.withLock {
                while self.failure == nil && self.queuedBytes > BackgroundFileWriter.queueLimit { self.lock.wait() }
                if let failure = self.failure { return failure }
                self.queue.append(bytes)
                self.queuedBytes += bytes.count
                self.lock.broadcast()
                return nil
            }
            if let failure { throw failure }
        }

        func close() {
            self.lock.withLock {
                self.closing = true
                self.lock.broadcast()
            }
        }

        /// The thread's loop: writes what is queued until ``close()``; after a failure, drops the rest.
        func run() {
            while true {
                let (pieces, failed): ([[UInt8]], Bool) = self.lock.withLock {
                    while self.queue.isEmpty && !self.closing { self.lock.wait() }
                    var taken: [[UInt8]] = []
                    swap(&taken, &self.queue)
                    return (taken, self.failure != nil)
                }
                if pieces.isEmpty { return }
                var error: ParquetError? = nil
                if !failed {
                    do {
                        for piece in pieces { try self.write(piece) }
                    } catch let caught as ParquetError {
                        error = caught
                    } catch let caught {
                        error = ParquetError(.io, "cannot write '\(self.file.path)': \(caught)")
                    }
                }
                let bytes = pieces.reduce(0) { $0 + $1.count }
                self.lock.withLock {
                    if self.failure == nil { self.failure = error }
                    self.queuedBytes -= bytes
                    self.lock.broadcast()
                }
            }
        }

        /// Stages `piece` (or writes it, through the page cache); throws only ``ParquetError``s
        /// (`withUnsafeBytes` forgets the type).
        private func write(_ piece: [UInt8]) throws {
            guard self.direct else {
                try piece.withUnsafeBytes { try self.file.write($0) }
                return
            }
            try piece.withUnsafeBytes { bytes in
                var offset = 0
                while offset < bytes.count {
                    let count = min(bytes.count - offset, BackgroundFileWriter.blockSize - self.blockCount)
                    (self.block + self.blockCount).copyMemory(from: bytes.baseAddress! + offset, byteCount: count)
                    self.blockCount += count
                    offset += count
                    if self.blockCount == BackgroundFileWriter.blockSize { try self.writeBlock(padding: false) }
                }
            }
        }

        /// Writes the staged block at `blocksWritten`, padded to the alignment when `padding`; in
        /// direct mode only.
        private func writeBlock(padding: Bool) throws(ParquetError) {
            var length = self.blockCount
            if padding {
                let alignment = BackgroundFileWriter.alignment
                length = (self.blockCount + alignment - 1) / alignment * alignment
                (self.block + self.blockCount).initializeMemory(
                    as: UInt8.self,
                    repeating: 0,
                    count: length - self.blockCount
                )
            }
            var done = 0
            while done < length {
                let written = pwrite(
                    self.file.descriptor,
                    self.block + done,
                    length - done,
                    off_t(self.blocksWritten + done)
                )
                if written > 0 {
                    done += written
                    continue
                }
                if written < 0 && errno == EINTR { continue }
                if written < 0 && errno == EINVAL && done == 0 {
                    try self.leaveDirectMode()
                    return
                }
                throw ParquetError(.io, "cannot write '\(self.file.path)': \(DescriptorWriter.lastError())")
            }
            self.blocksWritten += self.blockCount
            self.blockCount = 0
        }

        /// The file system took `O_DIRECT` at open but refuses the writes: the staged bytes and the rest
        /// go through the page cache.
        private func leaveDirectMode() throws(ParquetError) {
            guard laketap_clear_direct(self.file.descriptor) == 0 else {
                throw ParquetError(.io, "cannot write '\(self.file.path)': \(DescriptorWriter.lastError())")
            }
            try self.file.move(to: self.blocksWritten)
            self.direct = false
            let staged = UnsafeRawBufferPointer(start: self.block, count: self.blockCount)
            self.blockCount = 0
            try self.file.write(staged)
        }

        /// After the thread ended: the last partial block, the file's exact length, fsync and close.
        func finishFile() throws(ParquetError) {
            if let failure = self.lock.withLock({ self.failure }) {
                self.file.close()
                throw failure
            }
            do throws(ParquetError) {
                if self.direct && self.blockCount > 0 {
                    let length = self.blocksWritten + self.blockCount
                    try self.writeBlock(padding: true)
                    if self.direct && ftruncate(self.file.descriptor, off_t(length)) != 0 {
                        throw ParquetError(.io, "cannot truncate '\(self.file.path)': \(DescriptorWriter.lastError())")
                    }
                }
                try self.file.finish()
            } catch {
                self.file.close()
                throw error
            }
        }
    }
}
