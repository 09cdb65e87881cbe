#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension S3Store {
    /// Where and how an ``S3Store`` writes. Every default lives in ``init(bucket:prefix:region:endpoint:addressingStyle:credentials:serverSideEncryption:partSize:multipartThreshold:listPageSize:connectTimeout:requestTimeout:retry:)``.
    ///
    /// Values left `nil` come from the standard environment when the store is created (see
    /// ``resolved(environment:)``): `AWS_REGION` / `AWS_DEFAULT_REGION`, `AWS_ENDPOINT_URL_S3` /
    /// `AWS_ENDPOINT_URL`, `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` / `AWS_SESSION_TOKEN`.
    public struct Configuration: Sendable, Hashable {
        /// The bucket (YAML `bucket`).
        public var bucket: String
        /// Prepended to every key with a `/` (YAML `prefix`); leading and trailing `/` are ignored.
        public var prefix: String
        /// The signing region (YAML `region`); `nil`: the environment, else `us-east-1`.
        public var region: String?
        /// A custom endpoint such as `http://127.0.0.1:9000` for MinIO, R2 or moto (YAML `endpoint`);
        /// `nil`: the environment, else AWS (`https://s3.<region>.amazonaws.com`).
        public var endpoint: String?
        /// `nil`: virtual-hosted for AWS, path-style for a custom endpoint (YAML `addressing_style`).
        public var addressingStyle: AddressingStyle?
        /// `nil`: the environment.
        public var credentials: Credentials?
        /// Server-side encryption requested on every put (YAML `sse`, `kms_key_id`).
        public var serverSideEncryption: ServerSideEncryption?
        /// Bytes per multipart part (YAML `part_size`); at least 5 MiB. Each part is held in memory
        /// while it uploads.
        public var partSize: Int
        /// File bodies larger than this go up as a multipart upload; smaller ones in one PutObject.
        public var multipartThreshold: Int
        /// Keys per ListObjectsV2 page (1…1000).
        public var listPageSize: Int
        public var connectTimeout: Duration
        /// Deadline for one HTTP request (one attempt), body included.
        public var requestTimeout: Duration
        public var retry: RetryPolicy

        public static let minimumPartSize = 5 << 20

        public init(
            bucket: String,
            prefix: String = "",
            region: String? = nil,
            endpoint: String? = nil,
            addressingStyle: AddressingStyle? = nil,
            credentials: Credentials? = nil,
            serverSideEncryption: ServerSideEncryption? = nil,
            partSize: Int = 16 << 20,
            multipartThreshold: Int? = nil,
            listPageSize: Int = 1000,
            connectTimeout: Duration = .seconds(10),
            requestTimeout: Duration = .seconds(120),
            retry: RetryPolicy = RetryPolicy()
        ) {
            self.bucket = bucket
            self.prefix = prefix
            self.region = region
            self.endpoint = endpoint
            self.addressingStyle = addressingStyle
            self.credentials = credentials
            self.serverSideEncryption = serverSideEncryption
            self.partSize = partSize
            self.multipartThreshold = multipartThreshold ?? partSize
            self.listPageSize = listPageSize
            self.connectTimeout = connectTimeout
            self.requestTimeout = requestTimeout
            self.retry = retry
        }

        /// This configuration with `nil` values filled from `environment` (by default the process
        /// environment); configured values win.
        public func resolved(environment: [String: String] = ProcessEnvironment.current()) -> Configuration {
            var configuration = self
            if configuration.region == nil {
                configuration.region = environment["AWS_REGION"] ?? environment["AWS_DEFAULT_REGION"]
            }
            if configuration.endpoint == nil {
                configuration.endpoint = environment["AWS_ENDPOINT_URL_S3"] ?? environment["AWS_ENDPOINT_URL"]
            }
            if configuration.credentials == nil {
                configuration.credentials = Credentials(environment: environment)
            }
            return configuration
        }
    }

    public enum AddressingStyle: String, Sendable, Hashable {
        /// `https://endpoint/bucket/key`
        case path
        /// `https://bucket.endpoint/key`
        case virtualHosted

        /// From a configuration value (YAML `addressing_style`): `path`, or `virtual`,
        /// `virtual_hosted`, `virtual-hosted`, `virtualHosted`; `nil` for a value it does not know.
        public init?(configurationValue value: String) {
            switch value.lowercased() {
            case "path": self = .path
            case "virtual", "virtual_hosted", "virtual-hosted", "virtualhosted": self = .virtualHosted
            default: return nil
            }
        }
    }

    public enum ServerSideEncryption: Sendable, Hashable {
        /// `x-amz-server-side-encryption: AES256` (SSE-S3).
        case aes256
        /// `x-amz-server-side-encryption: aws:kms`, with the key id when given (else the bucket's default key).
        case kms(keyID: String?)

        /// From configuration values (YAML `sse`, `kms_key_id`): `AES256` or `aws:kms` as S3 spells
        /// them (case-insensitive; `kms` also accepted); `nil` or `none` for no header.
        public init?(_ name: String?, kmsKeyID: String? = nil) throws(StoreError) {
            switch name?.lowercased() {
            case nil, "", "none":
                guard kmsKeyID == nil else {
                    throw StoreError(.invalidRequest, "S3: kms_key_id is set but sse is not aws:kms")
                }
                return nil
            case "aes256":
                guard kmsKeyID == nil else {
                    throw StoreError(.invalidRequest, "S3: kms_key_id is set but sse is AES256")
                }
                self = .aes256
            case "aws:kms", "kms":
                self = .kms(keyID: kmsKeyID)
            default:
                throw StoreError(.invalidRequest, "S3: sse must be AES256 or aws:kms, not '\(name ?? "")'")
            }
        }
    }

    /// Access keys. `description` shows the access key id only, never the secret or token.
    public struct Credentials: Sendable, Hashable, CustomStringConvertible {
        public var accessKeyID: String
        public var secretAccessKey: String
        public var sessionToken: String?

        public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil) {
            self.accessKeyID = accessKeyID
            self.secretAccessKey = secretAccessKey
            self.sessionToken = sessionToken
        }

        /// From `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN`; `nil` unless
        /// both keys are set and not empty.
        public init?(environment: [String: String] = ProcessEnvironment.current()) {
            guard let accessKeyID = environment["AWS_ACCESS_KEY_ID"], !accessKeyID.isEmpty,
                let secretAccessKey = environment["AWS_SECRET_ACCESS_KEY"], !secretAccessKey.isEmpty
            else { return nil }
            let sessionToken = environment["AWS_SESSION_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
            self.init(accessKeyID: accessKeyID, secretAccessKey: secretAccessKey, sessionToken: sessionToken)
        }

        public var description: String {
            "Credentials(accessKeyID: \(self.accessKeyID), secretAccessKey: <redacted>"
                + (self.sessionToken == nil ? ")" : ", sessionToken: <redacted>)")
        }
    }

    /// Retries with exponential backoff and full jitter: before attempt `n + 1` the store sleeps a
    /// random time in `0 … min(maximumDelay, baseDelay × 2ⁿ⁻¹)`. Throttling (503 SlowDown, 429),
    /// 408, 5xx, connection errors and timeouts are retried; other 4xx are not.
    public struct RetryPolicy: Sendable, Hashable {
        /// Attempts in all, the first included (1 disables retries).
        public var maximumAttempts: Int
        public var baseDelay: Duration
        public var maximumDelay: Duration

        public init(
            maximumAttempts: Int = 5,
            baseDelay: Duration = .milliseconds(100),
            maximumDelay: Duration = .seconds(5)
        ) {
            self.maximumAttempts = max(1, maximumAttempts)
            self.baseDelay = baseDelay
            self.maximumDelay = maximumDelay
        }

        /// The delay before the attempt after `attempt` (1-based), drawn with full jitter.
        func delay(after attempt: Int, using generator: inout some RandomNumberGenerator) -> Duration {
            let exponent = min(attempt - 1, 30)
            let ceiling = min(self.maximumDelay, self.baseDelay * (1 << exponent))
            let nanoseconds = ceiling.nanoseconds
            guard nanoseconds > 0 else { return .zero }
            return .nanoseconds(Int64.random(in: 0...nanoseconds, using: &generator))
        }
    }
}

/// The process environment, read without Foundation.
public enum ProcessEnvironment {
    /// The variables the stores read.
    public static let names = [
        "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_REGION", "AWS_DEFAULT_REGION",
        "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3",
    ]

    /// The values of ``names`` that are set.
    public static func current() -> [String: String] {
        var values: [String: String] = [:]
        for name in Self.names {
            if let value = getenv(name) { values[name] = String(cString: value) }
        }
        return values
    }
}
