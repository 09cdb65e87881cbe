#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#endif

/// The identity of a data directory: 8 lowercase hex digits, made once when the directory is first
/// used and kept in `<dataDirectory>/IDENTITY`. File names carry it next to the segment and offsets,
/// so that a new data directory (wiped, replaced, or a second instance writing to the same lake)
/// can never produce a name an earlier one used: with `ifAbsent` puts, such a collision would
/// otherwise be taken for an earlier flush of the same records, and the new records lost.
enum BufferIdentity {
    static func loadOrCreate(dataDirectory: String) throws(FileIOError) -> String {
        let path = dataDirectory + "/IDENTITY"
        if let bytes = try? FileIO.read(path) {
            let text = String(decoding: bytes, as: UTF8.self).filter { !$0.isWhitespace }
            guard Self.isValid(text) else {
                throw FileIOError(
                    message: "'\(path)' does not hold an identity (8 hex digits): remove it to make a new one"
                )
            }
            return text
        }
        var generator = SystemRandomNumberGenerator()
        let value = generator.next() as UInt32
        let hex = String(value, radix: 16)
        let identity = String(repeating: "0", count: 8 - hex.count) + hex
        let temporary = path + ".tmp"
        _ = try? FileIO.remove(temporary)
        let descriptor = try FileIO.create(temporary)
        do {
            try FileIO.write(descriptor, Array((identity + "\n").utf8), path: temporary)
            try FileIO.synchronize(descriptor, path: temporary)
        } catch {
            FileIO.close(descriptor)
            throw error
        }
        FileIO.close(descriptor)
        guard rename(temporary, path) == 0 else { throw .last("cannot rename", temporary) }
        try FileIO.synchronizeDirectory(dataDirectory)
        return identity
    }

    static func isValid(_ text: String) -> Bool {
        text.utf8.count == 8 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }
}
