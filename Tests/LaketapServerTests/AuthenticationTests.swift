import HTTPTypes
import HummingbirdTesting
import LaketapServer
import Testing

@testable import LaketapServer

@Suite struct AuthenticationTests {
    static let tokenHeader = HTTPField.Name("X-Laketap-Token")!

    func harness() -> ServerHarness {
        ServerHarness {
            $0.tokens = ["global-secret"]
            $0.streamTokens = ["orders": ["orders-secret"]]
        }
    }

    @Test func globalTokenOpensEveryStream() async throws {
        let harness = self.harness()
        try await harness.test { client in
            for stream in ["orders", "clicks"] {
                let response = try await client.post(
                    "/v1/streams/\(stream)/records",
                    "{}",
                    headers: [.authorization: "Bearer global-secret"]
                )
                #expect(response.status == .ok)
            }
        }
    }

    @Test func streamTokenOpensItsStreamOnly() async throws {
        let harness = self.harness()
        try await harness.test { client in
            let own = try await client.post(
                "/v1/streams/orders/records",
                "{}",
                headers: [.authorization: "bearer orders-secret"]
            )
            #expect(own.status == .ok)
            let other = try await client.post(
                "/v1/streams/clicks/records",
                "{}",
                headers: [.authorization: "Bearer orders-secret"]
            )
            #expect(other.status == .forbidden)
            #expect(try other.decode(ErrorReply.self).error == "forbidden")
            let header = try await client.post("/ingest/orders", "{}", headers: [Self.tokenHeader: "orders-secret"])
            #expect(header.status == .ok)
        }
        #expect(harness.ingest.records(of: "clicks").isEmpty)
    }

    @Test func missingOrMalformedCredentialsGet401() async throws {
        let harness = self.harness()
        try await harness.test { client in
            for headers: HTTPFields in [
                [:], [.authorization: "Basic Z2xvYmFsOnNlY3JldA=="], [.authorization: "Bearer "],
            ] {
                let response = try await client.post("/v1/streams/orders/records", "{}", headers: headers)
                #expect(response.status == .unauthorized)
                #expect(response.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
                #expect(try response.decode(ErrorReply.self).error == "unauthorized")
            }
            let wrong = try await client.post(
                "/v1/streams/orders/records",
                "{}",
                headers: [.authorization: "Bearer nope"]
            )
            #expect(wrong.status == .forbidden)
        }
        #expect(harness.ingest.records(of: "orders").isEmpty)
    }

    @Test func authenticationComesBeforeTheBody() async throws {
        let harness = self.harness()
        try await harness.test { client in
            let response = try await client.post(
                "/v1/streams/orders/records",
                "not json",
                contentType: "application/xml"
            )
            #expect(response.status == .unauthorized)
        }
    }

    @Test func flushNeedsAToken() async throws {
        let harness = self.harness()
        try await harness.test { client in
            let anonymous = try await client.execute(uri: "/v1/streams/orders/flush", method: .post)
            #expect(anonymous.status == .unauthorized)
            let allowed = try await client.execute(
                uri: "/v1/streams/orders/flush",
                method: .post,
                headers: [.authorization: "Bearer orders-secret"]
            )
            #expect(allowed.status == .ok)
        }
        #expect(harness.ingest.flushed == ["orders"])
    }

    @Test func noTokensMeansOpen() {
        let authenticator = TokenAuthenticator(tokens: [], streamTokens: ["orders": []])
        #expect(!authenticator.isEnabled)
        #expect(authenticator.authenticate(.none, stream: "orders") == .allowed)
        #expect(!ServerConfiguration().requiresAuthentication)
        #expect(ServerConfiguration(streamTokens: ["a": ["t"]]).requiresAuthentication)
    }

    @Test func streamTokensAloneCloseOtherStreams() {
        let authenticator = TokenAuthenticator(tokens: [], streamTokens: ["orders": ["t"]])
        #expect(authenticator.authenticate(.token(Array("t".utf8)), stream: "orders") == .allowed)
        #expect(authenticator.authenticate(.token(Array("t".utf8)), stream: "clicks") == .forbidden)
        #expect(authenticator.authenticate(.none, stream: "clicks") == .missing)
    }

    @Test func constantTimeComparison() {
        let equal = TokenAuthenticator.constantTimeEqual
        #expect(equal(Array("secret".utf8), Array("secret".utf8)) == 1)
        #expect(equal(Array("secret".utf8), Array("secreT".utf8)) == 0)
        #expect(equal(Array("secret".utf8), Array("Secret".utf8)) == 0)
        #expect(equal(Array("secret".utf8), Array("secret2".utf8)) == 0)
        #expect(equal(Array("secret".utf8), Array("secre".utf8)) == 0)
        #expect(equal(Array("secret".utf8), []) == 0)
        #expect(equal([], []) == 1)
        // Differences in every bit of one byte are all seen.
        for bit in 0..<8 {
            #expect(equal([0x55, 0x00], [0x55, UInt8(1 << bit)]) == 0)
        }
    }

    @Test func credentialsAreParsedStrictly() {
        #expect(Credential(authorization: "Bearer abc", tokenHeader: nil) == .token(Array("abc".utf8)))
        #expect(Credential(authorization: "  BEARER   abc  ", tokenHeader: nil) == .token(Array("abc".utf8)))
        #expect(Credential(authorization: "Bearer a b", tokenHeader: nil) == .malformed)
        #expect(Credential(authorization: "Bearerabc", tokenHeader: nil) == .malformed)
        #expect(Credential(authorization: "Token abc", tokenHeader: "x") == .malformed)
        #expect(Credential(authorization: nil, tokenHeader: "x") == .token([UInt8(ascii: "x")]))
        #expect(Credential(authorization: nil, tokenHeader: nil) == .none)
    }
}
