import Testing

@testable import LaketapConvert

/// Finding object members by name: names of every length up to 40 bytes, some alike in all but a few
/// bytes, found whatever member is guessed first; names not in the table are not found.
@Suite struct MemberLookupTests {
    static let names: [String] = {
        var names = ["", "a", "ab", "abc", "abcd", "abcde", "session_id", "session_ix", "sessionid"]
        // Same length, same first and last eight bytes, different middles (only a full compare tells them).
        names += ["business_capability_x", "business_domain_cap_x", "business_services_y_x"]
        names += (7...40).map { String(repeating: "k", count: $0) }
        names += ["tag", "tags", "tag\u{e9}", "\u{6771}\u{4eac}"]
        return names
    }()

    static func find(_ lookup: MemberLookup, _ name: String, expected: Int? = nil) -> Int? {
        Array(name.utf8).withUnsafeBytes { bytes in
            expected.map { lookup.index(of: bytes, expected: $0) } ?? lookup.index(of: bytes)
        }
    }

    @Test func findsEveryMemberWhateverIsExpected() {
        let lookup = MemberLookup(Self.names.map { Array($0.utf8) })
        for (index, name) in Self.names.enumerated() {
            #expect(Self.find(lookup, name) == index, "\(name)")
            for expected in [0, index, index + 1, Self.names.count, Self.names.count + 5] {
                #expect(Self.find(lookup, name, expected: expected) == index, "\(name) expecting \(expected)")
            }
        }
    }

    @Test func doesNotFindOtherNames() {
        let lookup = MemberLookup(Self.names.map { Array($0.utf8) })
        let others = [
            "abcdef", "session_iy", "Session_id", "business_capabilitz_x", "business_capybility_x",
            String(repeating: "k", count: 41), String(repeating: "k", count: 6), "ta", "tag\u{e8}", "b",
        ]
        for name in others {
            #expect(Self.find(lookup, name) == nil, "\(name)")
            #expect(Self.find(lookup, name, expected: 0) == nil, "\(name)")
        }
    }
}
