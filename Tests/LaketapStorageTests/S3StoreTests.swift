import AsyncHTTPClient
import Foundation
import InMemoryLogging
import Logging
import NIOHTTP1
import Testing

@testable import LaketapStorage

#if canImport(Glibc)
import Glibc
#endif

/// S3Store against moto with SigV4 checking on.
@Suite(
    .enabled(
        if: TestEnvironment.motoAvailable,
        "moto_server not installed (set LAKETAP_VENV); CI=1 makes this a failure"
    )
)
struct S3StoreMotoTests {
    static let logger = Logger(label: "laketap.storage.tests")

    /// A store on the shared moto bucket, under a prefix of its own so tests do not meet.
    static func makeStore(
        secret: String? = nil,
        configure: (inout S3Store.Configuration) -> Void = { _ in }
    ) async throws -> S3Store {
        let moto = try await MotoServer.shared.value
        var configuration = S3Store.Configuration(
            bucket: moto.bucket,
            prefix: "test-\(UInt64.random(in: 0...UInt64.max))/",
            region: "us-east-1",
            endpoint: moto.endpoint,
            credentials: .init(accessKeyID: moto.accessKeyID, secretAccessKey: secret ?? moto.secretAccessKey),
            partSize: 5 << 20,
            listPageSize: 3,
            retry: .init(maximumAttempts: 3, baseDelay: .milliseconds(10), maximumDelay: .milliseconds(100))
        )
        configure(&configuration)
        return try S3Store(configuration: configuration, environment: [:], logger: Self.logger)
    }

    @Test func conformance() async throws {
        let scratch = try TemporaryDirectory()
        try await checkObjectStoreConformance(
            makeStore: { try await Self.makeStore() },
            shutdown: { try await $0.shutdown() },
            scratch: scratch,
            largeFileBytes: 12 << 20,
            // moto 5 checks `If-None-Match: *` and then stores the object without a lock between (its
            // `put_object` response handler): two of eight concurrent puts both won in one local run.
            // Real S3 serializes them; what the store sends and how it reads a 412 is checked by the
            // sequential if-absent checks.
            serverSerializesConditionalPuts: false
        )
    }

    @Test func listFollowsContinuationTokens() async throws {
        let store = try await Self.makeStore { $0.listPageSize = 2 }
        defer { Task { try await store.shutdown() } }
        let keys = (0..<7).map { "paged/key-\($0)" }
        for key in keys.reversed() {
            try await store.put(key, body: .bytes([1]), options: PutOptions())
        }
        #expect(try await store.list(prefix: "paged/").map(\.key) == keys)
        #expect(try await store.list(prefix: "paged/key-6").map(\.key) == ["paged/key-6"])
    }

    @Test func conditionalCompleteOfAMultipartUploadReportsAlreadyExists() async throws {
        let store = try await Self.makeStore()
        defer { Task { try await store.shutdown() } }
        let scratch = try TemporaryDirectory()
        let first = [UInt8](repeating: 1, count: 6 << 20)
        let path = try scratch.write("first.bin", bytes: first)
        #expect(try await store.put("multi/object", body: .file(path: path), options: PutOptions()) == .created)
        // Past the HEAD pre-check: the If-None-Match on CompleteMultipartUpload must refuse it.
        let second = try scratch.write("second.bin", bytes: [UInt8](repeating: 2, count: 6 << 20))
        let outcome = try await store.multipartUpload(
            try store.objectKey("multi/object"),
            key: "multi/object",
            path: second,
            size: 6 << 20,
            options: PutOptions()
        )
        #expect(outcome == .alreadyExists)
        #expect(try await store.get("multi/object") == first)
    }

    @Test func aFailedMultipartUploadIsAborted() async throws {
        let store = try await Self.makeStore()
        defer { Task { try await store.shutdown() } }
        let scratch = try TemporaryDirectory()
        let path = try scratch.write("short.bin", bytes: [UInt8](repeating: 3, count: 7 << 20))
        // The file is shorter than announced: the second part's read fails after the first part went up.
        await expectStoreError(.io) {
            _ = try await store.multipartUpload(
                try store.objectKey("aborted/object"),
                key: "aborted/object",
                path: path,
                size: 12 << 20,
                options: PutOptions()
            )
        }
        #expect(try await store.head("aborted/object") == nil)
        let uploads = try await store.send(.init(method: .GET, objectKey: nil, query: [("uploads", "")]), key: nil)
        #expect(uploads.status == 200)
        let open = S3XML(uploads.body).elements("Upload").map { S3XML(text: String($0)).value("Key") ?? "" }
        #expect(!open.contains(try store.objectKey("aborted/object")))
    }

    @Test func wrongSecretIsAccessDenied() async throws {
        let good = try await Self.makeStore()
        defer { Task { try await good.shutdown() } }
        try await good.put("auth/object", body: .bytes([1]), options: PutOptions())

        let store = try await Self.makeStore(secret: "not-the-secret") { $0.prefix = good.configuration.prefix }
        defer { Task { try await store.shutdown() } }
        await expectStoreError(.accessDenied) { _ = try await store.get("auth/object") }
        await expectStoreError(.accessDenied) {
            _ = try await store.put("auth/other", body: .bytes([1]), options: PutOptions())
        }
        await expectStoreError(.accessDenied) { _ = try await store.list(prefix: "") }
        do {
            _ = try await store.get("auth/object")
        } catch {
            #expect(error.message.contains("SignatureDoesNotMatch"))
            #expect(!error.message.contains("not-the-secret"))
        }
        #expect(try await good.head("auth/other") == nil)
    }

    @Test(arguments: [S3Store.ServerSideEncryption.aes256, .kms(keyID: "alias/laketap")])
    func serverSideEncryptionHeadersAreAccepted(_ encryption: S3Store.ServerSideEncryption) async throws {
        let store = try await Self.makeStore { $0.serverSideEncryption = encryption }
        defer { Task { try await store.shutdown() } }
        try await store.put(
            "sse/object",
            body: .bytes([1, 2, 3]),
            options: PutOptions(contentType: "application/vnd.apache.parquet")
        )
        #expect(try await store.get("sse/object") == [1, 2, 3])
        let scratch = try TemporaryDirectory()
        let path = try scratch.write("large.bin", bytes: [UInt8](repeating: 7, count: (5 << 20) + 1))
        #expect(try await store.put("sse/large", body: .file(path: path), options: PutOptions()) == .created)
        #expect(try await store.head("sse/large")?.size == Int64((5 << 20) + 1))
    }

    @Test func unknownBucketIsAConfigurationError() async throws {
        let store = try await Self.makeStore { $0.bucket = "no-such-bucket-\(UInt32.random(in: 0...UInt32.max))" }
        defer { Task { try await store.shutdown() } }
        await expectStoreError(.invalidRequest) { _ = try await store.list(prefix: "") }
    }
}

/// Retries against a fault-injecting server and a closed port: bounded attempts, bounded time.
@Suite struct S3StoreRetryTests {
    static func makeStore(endpoint: String, attempts: Int = 3) throws -> S3Store {
        try S3Store(
            configuration: .init(
                bucket: "bucket",
                endpoint: endpoint,
                credentials: .init(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "secret"),
                connectTimeout: .seconds(2),
                requestTimeout: .seconds(5),
                retry: .init(maximumAttempts: attempts, baseDelay: .milliseconds(10), maximumDelay: .milliseconds(50))
            ),
            environment: [:],
            logger: Logger(label: "laketap.storage.tests")
        )
    }

    @Test func slowDownIsRetriedThenReportedAsThrottled() async throws {
        let server = try await FaultServer(status: 503, failures: -1, code: "SlowDown")
        let store = try Self.makeStore(endpoint: server.endpoint, attempts: 4)
        let start = ContinuousClock.now
        await expectStoreError(.throttled) { _ = try await store.put("k", body: .bytes([1]), options: PutOptions()) }
        // Bounded: three quick attempts, not a hang. Generous: on a 2-core machine CPU-heavy synchronous
        // tests can hold both cooperative threads for over a minute (74 s seen), so this is a bound, not
        // a speed target.
        #expect(ContinuousClock.now - start < .seconds(300))
        try await store.shutdown()
        #expect(await server.finish() == 4)
    }

    @Test func serverErrorsAreRetriedUntilTheyPass() async throws {
        let server = try await FaultServer(status: 500, failures: 2, code: "InternalError")
        let store = try Self.makeStore(endpoint: server.endpoint)
        #expect(try await store.put("k", body: .bytes([1]), options: PutOptions()) == .created)
        try await store.shutdown()
        #expect(await server.finish() == 3)
    }

    @Test func tooManyRequestsIsRetried() async throws {
        let server = try await FaultServer(status: 429, failures: 1, code: "TooManyRequests")
        let store = try Self.makeStore(endpoint: server.endpoint)
        try await store.delete("k")
        try await store.shutdown()
        #expect(await server.finish() == 2)
    }

    @Test func clientErrorsAreNotRetried() async throws {
        let server = try await FaultServer(status: 403, failures: -1, code: "AccessDenied")
        let store = try Self.makeStore(endpoint: server.endpoint)
        do {
            _ = try await store.get("k")
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .accessDenied)
            #expect(error.message.contains("AccessDenied"))
            #expect(error.message.contains("injected fault"))
        }
        try await store.shutdown()
        #expect(await server.finish() == 1)
    }

    @Test func unreachableEndpointIsUnavailableAfterRetries() async throws {
        let store = try Self.makeStore(endpoint: "http://127.0.0.1:\(try Self.closedPort())")
        let start = ContinuousClock.now
        do {
            _ = try await store.get("k")
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .unavailable)
            #expect(error.isRetryable)
            #expect(error.message.contains("after 3 attempts"))
        }
        // Bounded: three quick attempts, not a hang. Generous: on a 2-core machine CPU-heavy synchronous
        // tests can hold both cooperative threads for over a minute (74 s seen), so this is a bound, not
        // a speed target.
        #expect(ContinuousClock.now - start < .seconds(300))
        try await store.shutdown()
    }

    @Test func logsNeverCarrySecrets() async throws {
        let server = try await FaultServer(status: 500, failures: 1, code: "InternalError")
        let handler = InMemoryLogHandler()
        var logger = Logger(label: "laketap.storage.tests", factory: { _ in handler })
        logger.logLevel = .trace
        let store = try S3Store(
            configuration: .init(
                bucket: "bucket",
                endpoint: server.endpoint,
                credentials: .init(
                    accessKeyID: "AKIDEXAMPLE",
                    secretAccessKey: "SECRETKEY",
                    sessionToken: "TOKENVALUE"
                ),
                retry: .init(maximumAttempts: 2, baseDelay: .milliseconds(1), maximumDelay: .milliseconds(1))
            ),
            environment: [:],
            logger: logger
        )
        #expect(try await store.put("k", body: .bytes([1]), options: PutOptions()) == .created)
        try await store.shutdown()
        #expect(await server.finish() == 2)

        let lines = handler.entries.map { "\($0.message) \($0.metadata)" }
        #expect(lines.contains { $0.contains("retrying S3 request") })
        #expect(lines.contains { $0.contains("authorization: <redacted>") })
        for line in lines {
            #expect(!line.contains("SECRETKEY"))
            #expect(!line.contains("TOKENVALUE"))
            #expect(!line.contains("Signature="))
        }
    }

    /// A port nothing listens on: bound, then closed.
    static func closedPort() throws -> Int {
        let socket = try Socket()
        return socket.port
    }

    private struct Socket: ~Copyable {
        let descriptor: Int32
        let port: Int

        init() throws {
            let descriptor = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = 0
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafeMutablePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                    bind(descriptor, socketAddress, length) == 0
                        && getsockname(descriptor, socketAddress, &length) == 0
                }
            }
            self.descriptor = descriptor
            guard bound else { throw MotoServer.Failed(description: "cannot bind a socket") }
            self.port = Int(UInt16(bigEndian: address.sin_port))
        }

        deinit {
            close(self.descriptor)
        }
    }
}

/// Configuration, addressing and XML, without a server.
@Suite struct S3StoreUnitTests {
    static let logger = Logger(label: "laketap.storage.tests")

    @Test func environmentFillsWhatIsNotConfigured() throws {
        let environment = [
            "AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": "SECRET", "AWS_SESSION_TOKEN": "TOKEN",
            "AWS_DEFAULT_REGION": "eu-west-1", "AWS_ENDPOINT_URL": "http://127.0.0.1:9000",
        ]
        let resolved = S3Store.Configuration(bucket: "b").resolved(environment: environment)
        #expect(resolved.region == "eu-west-1")
        #expect(resolved.endpoint == "http://127.0.0.1:9000")
        #expect(resolved.credentials == .init(accessKeyID: "AKID", secretAccessKey: "SECRET", sessionToken: "TOKEN"))

        var preferred = environment
        preferred["AWS_REGION"] = "eu-central-1"
        preferred["AWS_ENDPOINT_URL_S3"] = "https://s3.example.com"
        let configured = S3Store.Configuration(bucket: "b", region: "us-west-2").resolved(environment: preferred)
        #expect(configured.region == "us-west-2")
        #expect(configured.endpoint == "https://s3.example.com")
        #expect(S3Store.Credentials(environment: ["AWS_ACCESS_KEY_ID": "AKID"]) == nil)
    }

    @Test func configurationValuesForTheLoader() throws {
        #expect(try S3Store.ServerSideEncryption(nil) == nil)
        #expect(try S3Store.ServerSideEncryption("AES256") == .aes256)
        #expect(try S3Store.ServerSideEncryption("aws:kms") == .kms(keyID: nil))
        #expect(try S3Store.ServerSideEncryption("aws:kms", kmsKeyID: "alias/lake") == .kms(keyID: "alias/lake"))
        #expect(throws: StoreError.self) { try S3Store.ServerSideEncryption("des") }
        #expect(throws: StoreError.self) { try S3Store.ServerSideEncryption("AES256", kmsKeyID: "k") }
        #expect(S3Store.AddressingStyle(configurationValue: "path") == .path)
        #expect(S3Store.AddressingStyle(configurationValue: "virtual") == .virtualHosted)
        #expect(S3Store.AddressingStyle(configurationValue: "virtual-hosted") == .virtualHosted)
        #expect(S3Store.AddressingStyle(configurationValue: "dns") == nil)
    }

    @Test func credentialsNeverShowTheirSecrets() {
        let credentials = S3Store.Credentials(accessKeyID: "AKID", secretAccessKey: "SECRET", sessionToken: "TOKEN")
        #expect("\(credentials)".contains("AKID"))
        #expect(!"\(credentials)".contains("SECRET"))
        #expect(!"\(credentials)".contains("TOKEN"))
    }

    @Test func addressingStyles() throws {
        let credentials = S3Store.Credentials(accessKeyID: "AKID", secretAccessKey: "SECRET")
        let aws = try S3Store(
            configuration: .init(bucket: "lake", prefix: "/raw/", region: "eu-west-1", credentials: credentials),
            environment: [:],
            logger: Self.logger
        )
        defer { Task { try await aws.shutdown() } }
        #expect(aws.location == "s3://lake/raw")
        let awsTarget = aws.target(objectKey: try aws.objectKey("date=2026-11-22/a b.parquet"))
        #expect(awsTarget.host == "lake.s3.eu-west-1.amazonaws.com")
        #expect(awsTarget.path == "/raw/date%3D2026-11-22/a%20b.parquet")
        #expect(aws.target(objectKey: nil).path == "/")

        let custom = try S3Store(
            configuration: .init(bucket: "lake", endpoint: "http://127.0.0.1:9000/", credentials: credentials),
            environment: [:],
            logger: Self.logger
        )
        defer { Task { try await custom.shutdown() } }
        #expect(custom.target(objectKey: "k/v").host == "127.0.0.1:9000")
        #expect(custom.target(objectKey: "k/v").path == "/lake/k/v")
        #expect(custom.target(objectKey: nil).path == "/lake")

        let virtual = try S3Store(
            configuration: .init(
                bucket: "lake",
                endpoint: "https://r2.example.com:443",
                addressingStyle: .virtualHosted,
                credentials: credentials
            ),
            environment: [:],
            logger: Self.logger
        )
        defer { Task { try await virtual.shutdown() } }
        #expect(virtual.target(objectKey: "k").host == "lake.r2.example.com")

        let dotted = try S3Store(
            configuration: .init(bucket: "my.lake", credentials: credentials),
            environment: [:],
            logger: Self.logger
        )
        defer { Task { try await dotted.shutdown() } }
        #expect(dotted.target(objectKey: "k") == ("s3.us-east-1.amazonaws.com", "/my.lake/k"))
    }

    @Test func requestsAreSignedWithTheSessionToken() throws {
        let store = try S3Store(
            configuration: .init(
                bucket: "lake",
                prefix: "raw",
                endpoint: "http://127.0.0.1:9000",
                credentials: .init(accessKeyID: "AKID", secretAccessKey: "SECRET", sessionToken: "TOKEN")
            ),
            environment: [:],
            logger: Self.logger
        )
        defer { Task { try await store.shutdown() } }
        let request = store.signedRequest(
            .init(
                method: .PUT,
                objectKey: try store.objectKey("date=2026-11-22/a b.parquet"),
                headers: [("if-none-match", "*")],
                body: [1, 2, 3]
            ),
            timestamp: .init(dateTime: "20261122T120000Z")
        )
        #expect(request.url == "http://127.0.0.1:9000/lake/raw/date%3D2026-11-22/a%20b.parquet")
        #expect(request.headers.first(name: "host") == "127.0.0.1:9000")
        #expect(request.headers.first(name: "x-amz-security-token") == "TOKEN")
        #expect(request.headers.first(name: "x-amz-content-sha256") == SigV4Signer.hexSHA256([1, 2, 3] as [UInt8]))
        let authorization = try #require(request.headers.first(name: "authorization"))
        #expect(authorization.hasPrefix("AWS4-HMAC-SHA256 Credential=AKID/20261122/us-east-1/s3/aws4_request, "))
        #expect(
            authorization.contains(
                "SignedHeaders=host;if-none-match;x-amz-content-sha256;x-amz-date;x-amz-security-token, "
            )
        )
        let redacted = S3Store.redacted(request.headers)
        #expect(!redacted.contains("TOKEN") && !redacted.contains("Signature="))

        let list = store.signedRequest(
            .init(method: .GET, objectKey: nil, query: [("prefix", "raw/a b"), ("list-type", "2")]),
            timestamp: .init(dateTime: "20261122T120000Z")
        )
        #expect(list.url == "http://127.0.0.1:9000/lake?list-type=2&prefix=raw%2Fa%20b")
    }

    @Test func invalidConfigurationsAreRefused() {
        let credentials = S3Store.Credentials(accessKeyID: "AKID", secretAccessKey: "SECRET")
        for configuration in [
            S3Store.Configuration(bucket: "", credentials: credentials),
            S3Store.Configuration(bucket: "b"),
            S3Store.Configuration(bucket: "b", endpoint: "ftp://host", credentials: credentials),
            S3Store.Configuration(bucket: "b", endpoint: "http://host:99999", credentials: credentials),
            S3Store.Configuration(bucket: "b", credentials: credentials, partSize: 1 << 20),
        ] {
            do {
                let store = try S3Store(configuration: configuration, environment: [:], logger: Self.logger)
                Issue.record("accepted \(configuration)")
                Task { try await store.shutdown() }
            } catch {
                #expect(error.kind == .invalidRequest)
            }
        }
    }

    @Test func partSizeGrowsPastTenThousandParts() {
        #expect(S3Store.partSize(for: 12 << 20, configured: 5 << 20) == 5 << 20)
        let huge: Int64 = 1 << 40
        #expect(S3Store.partSize(for: huge, configured: 16 << 20) * 10_000 >= huge)
    }

    @Test func backoffStaysUnderItsCeiling() {
        let policy = S3Store.RetryPolicy(maximumAttempts: 5, baseDelay: .milliseconds(100), maximumDelay: .seconds(1))
        var generator = SystemRandomNumberGenerator()
        for attempt in 1...10 {
            let delay = policy.delay(after: attempt, using: &generator)
            #expect(delay >= .zero)
            #expect(delay <= min(.seconds(1), .milliseconds(100) * (1 << (attempt - 1))))
        }
    }

    @Test func xmlElementsAndEntities() {
        let document = S3XML(
            text: """
                <?xml version="1.0" encoding="UTF-8"?>
                <ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><KeyCount>2</KeyCount>
                <Contents><Key>a &amp; b&lt;c&gt;&#233;&#x4E2D;</Key><Size>12</Size></Contents>
                <Contents><Key>second</Key><Size>0</Size></Contents><Prefix/><KeyMarker/>
                <IsTruncated>true</IsTruncated><NextContinuationToken>tok/+=</NextContinuationToken></ListBucketResult>
                """
        )
        #expect(document.elements("Contents").count == 2)
        #expect(document.value("Key") == "a & b<c>é中")
        #expect(document.value("KeyCount") == "2")
        #expect(document.value("Prefix") == "")
        #expect(document.value("NextContinuationToken") == "tok/+=")
        #expect(document.value("Missing") == nil)
        #expect(document.elements("Key").count == 2)
        #expect(S3XML(text: "<A>1</A><A x=\"y\">2</A><A/><Ab>3</Ab>").elements("A") == ["1", "2", ""])
        #expect(S3XML.escape("\"a\" & <b>") == "&quot;a&quot; &amp; &lt;b&gt;")
    }

    @Test func errorDocumentsBecomeStoreErrors() throws {
        let store = try S3Store(
            configuration: .init(bucket: "b", credentials: .init(accessKeyID: "A", secretAccessKey: "S")),
            environment: [:],
            logger: Self.logger
        )
        defer { Task { try await store.shutdown() } }
        let body = Array("<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>".utf8)
        let error = store.error(
            for: .init(status: 503, headers: ["x-amz-request-id": "REQ1"], body: body),
            key: "k",
            action: "PutObject"
        )
        #expect(error.kind == .throttled)
        #expect(error.message == "PutObject: HTTP 503 SlowDown: Please reduce your request rate. (request id REQ1)")
        #expect(
            store.error(for: .init(status: 404, headers: [:], body: []), key: "k", action: "HeadObject").kind
                == .notFound
        )
        #expect(
            store.error(for: .init(status: 500, headers: [:], body: []), key: "k", action: "GetObject").kind
                == .unavailable
        )
    }
}
