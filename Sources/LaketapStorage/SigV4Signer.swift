import Crypto

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// AWS Signature Version 4 for the `Authorization` header, on swift-crypto (HMAC-SHA256, SHA-256).
///
/// The caller passes the canonical URI already encoded (for S3 the path is encoded exactly once,
/// each segment with ``encode(_:keepSlash:)``, and the same string goes on the wire), raw query
/// parameters (encoded and sorted here), every header to sign (names are lower-cased and values
/// trimmed here), and the hex SHA-256 of the payload.
struct SigV4Signer: Sendable {
    struct Timestamp: Sendable, Hashable {
        /// `20150830T123600Z`
        var dateTime: String
        /// `20150830`
        var date: String { String(self.dateTime.prefix(8)) }

        init(dateTime: String) {
            self.dateTime = dateTime
        }

        /// The current time in UTC.
        static func now() -> Timestamp {
            var seconds = time(nil)
            var parts = tm()
            gmtime_r(&seconds, &parts)
            func pad(_ value: CInt, _ width: Int) -> String {
                let digits = String(value)
                return String(repeating: "0", count: max(0, width - digits.count)) + digits
            }
            let date = pad(parts.tm_year + 1900, 4) + pad(parts.tm_mon + 1, 2) + pad(parts.tm_mday, 2)
            let time = pad(parts.tm_hour, 2) + pad(parts.tm_min, 2) + pad(parts.tm_sec, 2)
            return Timestamp(dateTime: "\(date)T\(time)Z")
        }
    }

    /// What signing produced; the canonical request and string to sign are kept for tests and errors.
    struct Signature: Sendable {
        var canonicalRequest: String
        var stringToSign: String
        var signedHeaders: String
        var signature: String
        var authorization: String
    }

    static let algorithm = "AWS4-HMAC-SHA256"
    static let emptyPayloadHash = Self.hexSHA256([UInt8]())
    static let unsignedPayload = "UNSIGNED-PAYLOAD"

    var accessKeyID: String
    var secretAccessKey: String
    var region: String
    var service: String

    func sign(
        method: String,
        canonicalURI: String,
        query: [(String, String)],
        headers: [(String, String)],
        payloadHash: String,
        timestamp: Timestamp
    ) -> Signature {
        let canonicalQuery = Self.canonicalQuery(query)

        // Lower-case names; trim values and collapse inner runs of spaces; join repeated names with ','.
        var canonicalHeaders: [String: String] = [:]
        for (name, value) in headers {
            let name = name.lowercased()
            let value = Self.trimmedHeaderValue(value)
            canonicalHeaders[name] = canonicalHeaders[name].map { "\($0),\(value)" } ?? value
        }
        let names = canonicalHeaders.keys.sorted()
        let signedHeaders = names.joined(separator: ";")
        let headerBlock = names.map { "\($0):\(canonicalHeaders[$0]!)\n" }.joined()

        let canonicalRequest = [
            method, canonicalURI, canonicalQuery, headerBlock, signedHeaders, payloadHash,
        ].joined(separator: "\n")
        let scope = "\(timestamp.date)/\(self.region)/\(self.service)/aws4_request"
        let stringToSign = [
            Self.algorithm, timestamp.dateTime, scope, Self.hexSHA256(Array(canonicalRequest.utf8)),
        ].joined(separator: "\n")

        var key = SymmetricKey(data: Array("AWS4\(self.secretAccessKey)".utf8))
        for part in [timestamp.date, self.region, self.service, "aws4_request"] {
            key = SymmetricKey(data: HMAC<SHA256>.authenticationCode(for: Array(part.utf8), using: key))
        }
        let signature = Self.hex(HMAC<SHA256>.authenticationCode(for: Array(stringToSign.utf8), using: key))
        let authorization =
            "\(Self.algorithm) Credential=\(self.accessKeyID)/\(scope), "
            + "SignedHeaders=\(signedHeaders), Signature=\(signature)"
        return Signature(
            canonicalRequest: canonicalRequest,
            stringToSign: stringToSign,
            signedHeaders: signedHeaders,
            signature: signature,
            authorization: authorization
        )
    }

    // MARK: Encoding and hashing

    /// Parameters encoded and sorted by name, then value: the canonical query string, which is also
    /// what goes on the wire so that the two never differ.
    static func canonicalQuery(_ query: [(String, String)]) -> String {
        query
            .map { (Self.encode($0.0, keepSlash: false), Self.encode($0.1, keepSlash: false)) }
            .sorted { $0.0 == $1.0 ? $0.1 < $1.1 : $0.0 < $1.0 }
            .map { "\($0.0)=\($0.1)" }
            .joined(separator: "&")
    }

    /// URI-encodes as SigV4 requires: every byte but `A-Z a-z 0-9 - _ . ~` becomes `%XX` (upper-case
    /// hex) of its UTF-8; `/` stays when `keepSlash` (S3 object paths).
    static func encode(_ value: String, keepSlash: Bool) -> String {
        let hexDigits = Array("0123456789ABCDEF".utf8)
        var encoded: [UInt8] = []
        encoded.reserveCapacity(value.utf8.count)
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                UInt8(ascii: "~"):
                encoded.append(byte)
            case UInt8(ascii: "/") where keepSlash:
                encoded.append(byte)
            default:
                encoded.append(UInt8(ascii: "%"))
                encoded.append(hexDigits[Int(byte >> 4)])
                encoded.append(hexDigits[Int(byte & 0x0F)])
            }
        }
        return String(decoding: encoded, as: UTF8.self)
    }

    static func trimmedHeaderValue(_ value: String) -> String {
        var result = ""
        var pendingSpace = false
        for character in value {
            if character == " " || character == "\t" {
                pendingSpace = !result.isEmpty
            } else {
                if pendingSpace { result.append(" ") }
                pendingSpace = false
                result.append(character)
            }
        }
        return result
    }

    static func hexSHA256(_ bytes: some Sequence<UInt8>) -> String {
        var hasher = SHA256()
        hasher.update(data: Array(bytes))
        return Self.hex(hasher.finalize())
    }

    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let hexDigits = Array("0123456789abcdef".utf8)
        var characters: [UInt8] = []
        for byte in bytes {
            characters.append(hexDigits[Int(byte >> 4)])
            characters.append(hexDigits[Int(byte & 0x0F)])
        }
        return String(decoding: characters, as: UTF8.self)
    }
}
