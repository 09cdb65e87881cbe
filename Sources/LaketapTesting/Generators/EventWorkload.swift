/// The `events` workload of `bench/gen_events.py`: analytics events from user sessions walking a Markov chain.
///
/// Two thousand sessions are active at once and interleaved, so lines are ordered by time (from
/// 2023-06-18T00:00:00Z). Each session moves visit → visit 0.4, → account 0.4, → lost 0.2; account →
/// measurement 0.7, → lost 0.3; measurement → measurement 0.9, → lost 0.1; a lost session is replaced by a new
/// one. About 2% of lines are exact duplicates re-emitted 0–50 lines later (at-least-once delivery). Each
/// line is `{"name","tstamp","payload","payload_md5"}`: `payload` is a JSON document, encoded as a string by
/// default or nested as an object, and `payload_md5` the MD5 hex of its compact text.
public struct EventWorkload: Workload, Sendable {
    /// How `payload` appears in a line.
    public enum PayloadEncoding: String, Sendable, CaseIterable {
        /// A JSON document encoded as a string (`"payload":"{\"dvce_os\":…}"`).
        case string
        /// The document itself (`"payload":{"dvce_os":…}`).
        case object
    }

    private enum State: Sendable {
        case visit, account, measurement
    }

    private struct Session: Sendable {
        var state = State.visit
        var operatingSystem = 0
        var country = 0
        var accountNumber: Int?
        var usesPounds = false
        var weight = 0.0
        var heartRate = 0.0
    }

    /// Sessions active at once.
    public static let activeSessions = 2000
    /// The probability that a line is emitted a second time.
    public static let duplicateRate = 0.02

    private static let sessionIDLength = 20
    private static let startTime = 1_687_046_400.0

    private var random: WorkloadRandom
    private let payloadEncoding: PayloadEncoding
    private var sequence = 0
    private var nextAccountNumber = 100_000
    private var heap = SessionHeap(capacity: EventWorkload.activeSessions)
    private var sessions: [Session]
    /// `sessionIDLength` letters per session slot.
    private var sessionIDs: [UInt8]
    /// Duplicates waiting to be re-emitted: lines to go, and the line.
    private var pending: [(countdown: Int, line: [UInt8])] = []
    /// Duplicates due now, emitted before the next new line.
    private var ready: [[UInt8]] = []
    private var readyIndex = 0
    private var payload = JSONBuffer(capacity: 512)

    private let names = ByteStringTable(["anonymous_visited", "account_created", "measurement_recorded"])
    private let operatingSystems = ByteStringTable(EventVocabulary.operatingSystems)
    private let operatingSystemWeights = WorkloadRandom.cumulative(EventVocabulary.operatingSystemWeights)
    private let browsers = ByteStringTable(EventVocabulary.browsers)
    private let pages = ByteStringTable(EventVocabulary.pages)
    private let referrers = ByteStringTable(EventVocabulary.referrers)
    private let countries = ByteStringTable(EventVocabulary.countries)
    private let plans = ByteStringTable(EventVocabulary.plans)
    private let emailDomains = ByteStringTable(EventVocabulary.emailDomains)
    private let deviceModels = ByteStringTable(EventVocabulary.deviceModels)

    /// Creates the workload for `seed`, with the first 2,000 sessions starting in the first ten minutes.
    public init(seed: UInt64, payload: PayloadEncoding = .string) {
        self.random = WorkloadRandom(seed: seed)
        self.payloadEncoding = payload
        self.sessions = Array(repeating: Session(), count: Self.activeSessions)
        self.sessionIDs = Array(repeating: 0, count: Self.activeSessions * Self.sessionIDLength)
        for slot in 0..<Self.activeSessions {
            self.startSession(slot: slot, at: Self.startTime + self.random.uniform(0, 600))
        }
    }

    public mutating func appendLine(to buffer: inout JSONBuffer) {
        if self.readyIndex < self.ready.count {
            buffer.append(raw: self.ready[self.readyIndex])
            self.readyIndex += 1
            if self.readyIndex == self.ready.count {
                self.ready.removeAll(keepingCapacity: true)
                self.readyIndex = 0
            }
            return
        }

        let entry = self.heap.pop()
        var session = self.sessions[entry.slot]
        if session.state == .account && session.accountNumber == nil {
            self.nextAccountNumber += 1
            session.accountNumber = self.nextAccountNumber
            if self.random.chance(0.3) { session.usesPounds = true }
        }
        self.payload.removeAll()
        self.appendPayload(session: &session, slot: entry.slot)

        let lineStart = buffer.count
        buffer.append("{\"name\":\"")
        switch session.state {
        case .visit: self.names.append(0, to: &buffer)
        case .account: self.names.append(1, to: &buffer)
        case .measurement: self.names.append(2, to: &buffer)
        }
        buffer.append("\",\"tstamp\":\"")
        let seconds = Int(entry.time)
        CivilTime(unixSeconds: seconds).append(to: &buffer, separator: UInt8(ascii: " "))
        buffer.append(UInt8(ascii: "."))
        buffer.append(decimal: Int((entry.time - Double(seconds)) * 1e6), width: 6)
        buffer.append("\",\"payload\":")
        switch self.payloadEncoding {
        case .string: buffer.append(quoting: self.payload.bytes)
        case .object: buffer.append(raw: self.payload.bytes)
        }
        buffer.append(",\"payload_md5\":\"")
        MD5.appendHexDigest(of: self.payload.bytes, to: &buffer)
        buffer.append("\"}\n")

        if self.random.chance(Self.duplicateRate) {
            self.pending.append((self.random.integer(in: 0...50), Array(buffer.bytes[lineStart...])))
        }
        if !self.pending.isEmpty {
            var kept = 0
            for index in self.pending.indices {
                if self.pending[index].countdown <= 0 {
                    self.ready.append(self.pending[index].line)
                } else {
                    self.pending[index].countdown -= 1
                    self.pending[kept] = self.pending[index]
                    kept += 1
                }
            }
            self.pending.removeLast(self.pending.count - kept)
        }

        let step = self.random.unit()
        let next: State?
        switch session.state {
        case .visit: next = step < 0.4 ? .visit : step < 0.8 ? .account : nil
        case .account: next = step < 0.7 ? .measurement : nil
        case .measurement: next = step < 0.9 ? .measurement : nil
        }
        if let next {
            session.state = next
            let gap = self.random.exponential(rate: next == .measurement ? 1 / 900.0 : 1 / 40.0)
            self.sessions[entry.slot] = session
            self.sequence += 1
            self.heap.push(.init(time: entry.time + gap, sequence: self.sequence, slot: entry.slot))
        } else {
            self.startSession(slot: entry.slot, at: entry.time + self.random.exponential(rate: 1 / 2.0))
        }
    }

    /// Puts a new anonymous session in `slot`, first seen at `start`.
    private mutating func startSession(slot: Int, at start: Double) {
        self.sequence += 1
        let base = slot * Self.sessionIDLength
        for offset in 0..<Self.sessionIDLength {
            self.sessionIDs[base + offset] = EventVocabulary.letters[self.random.below(EventVocabulary.letters.count)]
        }
        var session = Session()
        session.operatingSystem = self.random.weightedIndex(cumulative: self.operatingSystemWeights)
        session.country = self.random.below(self.countries.count)
        session.weight = self.random.gaussian(mean: 78.0, deviation: 15.0)
        session.heartRate = self.random.gaussian(mean: 72.0, deviation: 9.0)
        self.sessions[slot] = session
        self.heap.push(.init(time: start, sequence: self.sequence, slot: slot))
    }

    /// Writes the compact payload document of the session's current step into `self.payload`.
    private mutating func appendPayload(session: inout Session, slot: Int) {
        self.payload.append("{\"dvce_os\":\"")
        self.operatingSystems.append(session.operatingSystem, to: &self.payload)
        self.payload.append("\",\"session_id\":\"")
        let base = slot * Self.sessionIDLength
        self.payload.append(raw: self.sessionIDs[base..<(base + Self.sessionIDLength)])
        self.payload.append(UInt8(ascii: "\""))
        switch session.state {
        case .visit:
            self.payload.append(",\"page_url\":\"")
            self.pages.append(self.random.below(self.pages.count), to: &self.payload)
            let referrer = self.random.below(self.referrers.count)
            if self.referrers.length(referrer) > 0 {
                self.payload.append("\",\"referrer\":\"")
                self.referrers.append(referrer, to: &self.payload)
            }
            self.payload.append("\",\"br_family\":\"")
            self.browsers.append(self.random.below(self.browsers.count), to: &self.payload)
            self.payload.append("\",\"geo_country\":\"")
            self.countries.append(session.country, to: &self.payload)
            self.payload.append("\"}")
        case .account:
            self.appendAccountID(session)
            self.payload.append(",\"plan\":\"")
            self.plans.append(self.random.below(self.plans.count), to: &self.payload)
            self.payload.append("\",\"email_domain\":\"")
            self.emailDomains.append(self.random.below(self.emailDomains.count), to: &self.payload)
            self.payload.append("\",\"marketing_opt_in\":")
            self.payload.append(bool: self.random.chance(0.35))
            self.payload.append(UInt8(ascii: "}"))
        case .measurement:
            session.weight += self.random.gaussian(mean: 0, deviation: 0.4)
            let heartRate = Int(self.random.gaussian(mean: session.heartRate, deviation: 8.0))
            self.appendAccountID(session)
            self.payload.append(",\"measurement\":{\"heart_rate\":")
            self.payload.append(decimal: max(35, min(200, heartRate)))
            self.payload.append(",\"weight\":")
            self.payload.append(oneDecimal: session.usesPounds ? session.weight * 2.20462 : session.weight)
            self.payload.append(session.usesPounds ? ",\"unit\":\"lb\"" : ",\"unit\":\"kg\"")
            if self.random.chance(0.4) {
                self.payload.append(",\"systolic\":")
                self.payload.append(decimal: Int(self.random.gaussian(mean: 122, deviation: 12)))
                self.payload.append(",\"diastolic\":")
                self.payload.append(decimal: Int(self.random.gaussian(mean: 80, deviation: 8)))
            }
            if self.random.chance(0.25) {
                self.payload.append(",\"steps\":")
                self.payload.append(decimal: Int(self.random.exponential(rate: 1 / 6000.0)))
            }
            self.payload.append("},\"device_model\":\"")
            self.deviceModels.append(self.random.below(self.deviceModels.count), to: &self.payload)
            self.payload.append("\"}")
        }
    }

    private mutating func appendAccountID(_ session: Session) {
        self.payload.append(",\"account_id\":\"acc_")
        self.payload.append(decimal: session.accountNumber ?? 0, width: 8)
        self.payload.append(UInt8(ascii: "\""))
    }
}
