import Testing

@testable import LaketapStorage

/// AWS's published SigV4 test suite (aws-sig-v4-test-suite: credentials `AKIDEXAMPLE`, region
/// `us-east-1`, service `service`, 2015-08-30T12:36:00Z) and the examples of S3's "Signature
/// Calculations for the Authorization Header: Transferring Payload in a Single Chunk".
@Suite struct SigV4SignerTests {
    struct Vector: Sendable, CustomTestStringConvertible {
        var name: String
        var method: String
        var canonicalURI: String
        var query: [(String, String)] = []
        var headers: [(String, String)]
        var body: String = ""
        var canonicalRequest: String
        var authorization: String

        var testDescription: String { self.name }
    }

    static let suiteSigner = SigV4Signer(
        accessKeyID: "AKIDEXAMPLE",
        secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        region: "us-east-1",
        service: "service"
    )
    static let suiteTime = SigV4Signer.Timestamp(dateTime: "20150830T123600Z")
    static let emptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    static let credential = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request"
    static let basicHeaders = [("Host", "example.amazonaws.com"), ("X-Amz-Date", "20150830T123600Z")]

    static let vectors: [Vector] = [
        Vector(
            name: "get-vanilla",
            method: "GET",
            canonicalURI: "/",
            headers: basicHeaders,
            canonicalRequest:
                "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n\(emptyHash)",
            authorization: "\(credential), SignedHeaders=host;x-amz-date, "
                + "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
        ),
        Vector(
            name: "get-vanilla-query-order-key-case",
            method: "GET",
            canonicalURI: "/",
            query: [("Param2", "value2"), ("Param1", "value1")],
            headers: basicHeaders,
            canonicalRequest: "GET\n/\nParam1=value1&Param2=value2\nhost:example.amazonaws.com\n"
                + "x-amz-date:20150830T123600Z\n\nhost;x-amz-date\n\(emptyHash)",
            authorization: "\(credential), SignedHeaders=host;x-amz-date, "
                + "Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"
        ),
        Vector(
            name: "get-vanilla-query-unreserved",
            method: "GET",
            canonicalURI: "/",
            query: [
                (
                    "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
                    "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                )
            ],
            headers: basicHeaders,
            canonicalRequest: "GET\n/\n-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz="
                + "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz\nhost:example.amazonaws.com\n"
                + "x-amz-date:20150830T123600Z\n\nhost;x-amz-date\n\(emptyHash)",
            authorization: "\(credential), SignedHeaders=host;x-amz-date, "
                + "Signature=9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197"
        ),
        Vector(
            name: "get-utf8",
            method: "GET",
            canonicalURI: SigV4Signer.encode("/ሴ", keepSlash: true),
            headers: basicHeaders,
            canonicalRequest: "GET\n/%E1%88%B4\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\n"
                + "host;x-amz-date\n\(emptyHash)",
            authorization: "\(credential), SignedHeaders=host;x-amz-date, "
                + "Signature=8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85"
        ),
        Vector(
            name: "get-unreserved",
            method: "GET",
            canonicalURI: SigV4Signer.encode(
                "/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
                keepSlash: true
            ),
            headers: basicHeaders,
            canonicalRequest: "GET\n/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz\n\n"
                + "host:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n\(emptyHash)",
            authorization: "\(credential), SignedHeaders=host;x-amz-date, "
                + "Signature=07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f"
        ),
        Vector(
            name: "get-header-value-trim",
            method: "GET",
            canonicalURI: "/",
            headers: [
                ("Host", "example.amazonaws.com"), ("My-Header1", " value1"), ("My-Header2", " \"a   b   c\""),
                ("X-Amz-Date", "20150830T123600Z"),
            ],
            canonicalRequest: "GET\n/\n\nhost:example.amazonaws.com\nmy-header1:value1\nmy-header2:\"a b c\"\n"
                + "x-amz-date:20150830T123600Z\n\nhost;my-header1;my-header2;x-amz-date\n\(emptyHash)",
            authorization: "\(credential), SignedHeaders=host;my-header1;my-header2;x-amz-date, "
                + "Signature=acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736"
        ),
        Vector(
            name: "get-header-value-order",
            method: "GET",
            canonicalURI: "/",
            headers: [
                ("Host", "example.amazonaws.com"), ("My-Header1", "value4"), ("My-Header1", "value1"),
                ("My-Header1", "value3"), ("My-Header1", "value2"), ("X-Amz-Date", "20150830T123600Z"),
            ],
            canonicalRequest: "GET\n/\n\nhost:example.amazonaws.com\nmy-header1:value4,value1,value3,value2\n"
                + "x-amz-date:20150830T123600Z\n\nhost;my-header1;x-amz-date\n\(emptyHash)",
            authorization: "\(credential), SignedHeaders=host;my-header1;x-amz-date, "
                + "Signature=08c7e5a9acfcfeb3ab6b2185e75ce8b1deb5e634ec47601a50643f830c755c01"
        ),
        Vector(
            name: "post-header-key-sort",
            method: "POST",
            canonicalURI: "/",
            headers: [
                ("Host", "example.amazonaws.com"), ("My-Header1", "value1"), ("X-Amz-Date", "20150830T123600Z"),
            ],
            canonicalRequest:
                "POST\n/\n\nhost:example.amazonaws.com\nmy-header1:value1\nx-amz-date:20150830T123600Z\n\n"
                + "host;my-header1;x-amz-date\n\(emptyHash)",
            authorization: "\(credential), SignedHeaders=host;my-header1;x-amz-date, "
                + "Signature=c5410059b04c1ee005303aed430f6e6645f61f4dc9e1461ec8f8916fdf18852c"
        ),
        // The suite's .creq of this case also lists content-length, but its .sts and .authz were
        // computed without it; the signature is what servers check, so it is the reference here.
        Vector(
            name: "post-x-www-form-urlencoded",
            method: "POST",
            canonicalURI: "/",
            headers: [
                ("Content-Type", "application/x-www-form-urlencoded"), ("Host", "example.amazonaws.com"),
                ("X-Amz-Date", "20150830T123600Z"),
            ],
            body: "Param1=value1",
            canonicalRequest: "POST\n/\n\ncontent-type:application/x-www-form-urlencoded\nhost:example.amazonaws.com\n"
                + "x-amz-date:20150830T123600Z\n\ncontent-type;host;x-amz-date\n"
                + "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e",
            authorization: "\(credential), SignedHeaders=content-type;host;x-amz-date, "
                + "Signature=ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a"
        ),
    ]

    @Test(arguments: Self.vectors)
    func awsTestSuite(_ vector: Vector) {
        let signature = Self.suiteSigner.sign(
            method: vector.method,
            canonicalURI: vector.canonicalURI,
            query: vector.query,
            headers: vector.headers,
            payloadHash: SigV4Signer.hexSHA256(Array(vector.body.utf8)),
            timestamp: Self.suiteTime
        )
        #expect(signature.canonicalRequest == vector.canonicalRequest)
        #expect(signature.authorization == vector.authorization)
    }

    @Test func stringToSignOfGetVanilla() {
        let signature = Self.suiteSigner.sign(
            method: "GET",
            canonicalURI: "/",
            query: [],
            headers: Self.basicHeaders,
            payloadHash: Self.emptyHash,
            timestamp: Self.suiteTime
        )
        #expect(
            signature.stringToSign
                == "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
                + "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63"
        )
    }

    // MARK: S3 documentation examples

    static let s3Signer = SigV4Signer(
        accessKeyID: "AKIAIOSFODNN7EXAMPLE",
        secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        region: "us-east-1",
        service: "s3"
    )
    static let s3Time = SigV4Signer.Timestamp(dateTime: "20130524T000000Z")

    @Test func s3GetObjectWithRange() {
        let signature = Self.s3Signer.sign(
            method: "GET",
            canonicalURI: "/test.txt",
            query: [],
            headers: [
                ("Host", "examplebucket.s3.amazonaws.com"), ("Range", "bytes=0-9"),
                ("x-amz-content-sha256", Self.emptyHash), ("x-amz-date", "20130524T000000Z"),
            ],
            payloadHash: Self.emptyHash,
            timestamp: Self.s3Time
        )
        #expect(
            signature.stringToSign
                == "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n"
                + "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972"
        )
        #expect(signature.signature == "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
        #expect(signature.signedHeaders == "host;range;x-amz-content-sha256;x-amz-date")
    }

    @Test func s3PutObjectEncodesTheKeyOnce() {
        let body = Array("Welcome to Amazon S3.".utf8)
        let payloadHash = SigV4Signer.hexSHA256(body)
        #expect(payloadHash == "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072")
        let signature = Self.s3Signer.sign(
            method: "PUT",
            canonicalURI: "/" + SigV4Signer.encode("test$file.text", keepSlash: true),
            query: [],
            headers: [
                ("Date", "Fri, 24 May 2013 00:00:00 GMT"), ("Host", "examplebucket.s3.amazonaws.com"),
                ("x-amz-date", "20130524T000000Z"), ("x-amz-storage-class", "REDUCED_REDUNDANCY"),
                ("x-amz-content-sha256", payloadHash),
            ],
            payloadHash: payloadHash,
            timestamp: Self.s3Time
        )
        #expect(signature.canonicalRequest.hasPrefix("PUT\n/test%24file.text\n\n"))
        #expect(signature.signature == "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd")
    }

    @Test func s3ListObjects() {
        let signature = Self.s3Signer.sign(
            method: "GET",
            canonicalURI: "/",
            query: [("prefix", "J"), ("max-keys", "2")],
            headers: [
                ("Host", "examplebucket.s3.amazonaws.com"), ("x-amz-date", "20130524T000000Z"),
                ("x-amz-content-sha256", Self.emptyHash),
            ],
            payloadHash: Self.emptyHash,
            timestamp: Self.s3Time
        )
        #expect(signature.signature == "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7")
    }

    @Test func encodingKeepsSlashesOnlyInPaths() {
        #expect(
            SigV4Signer.encode("date=2026-11-22/name=a b/ü+", keepSlash: true)
                == "date%3D2026-11-22/name%3Da%20b/%C3%BC%2B"
        )
        #expect(SigV4Signer.encode("a/b", keepSlash: false) == "a%2Fb")
        #expect(SigV4Signer.canonicalQuery([("uploads", "")]) == "uploads=")
    }

    @Test func timestampIsUTCBasicFormat() {
        let timestamp = SigV4Signer.Timestamp.now()
        #expect(timestamp.dateTime.count == 16)
        #expect(timestamp.dateTime.hasSuffix("Z"))
        #expect(timestamp.date.count == 8)
    }
}
