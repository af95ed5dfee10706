// Micro-benchmarks of the compliance engine. Run from Benchmarks/: `swift package benchmark --target ComplianceBenchmarks`.
//
// The fixture is 1,000 proposed contacts, each with a 50-event history spread over the 10 days before it (calls
// with every outcome, voicemails, texts, emails, consents, an inconvenient-time statement), for debtors whose
// zones are recorded or inferred from phones and addresses, some in Massachusetts, some commercial. One measured
// iteration decides all 1,000; `decisionsPerSecond` is single-threaded, so it is also decisions per second per core.

import Benchmark
import Foundation
import RecoupCore

let requestCount = 1_000
let eventsPerHistory = 50

/// A small deterministic generator (SplitMix64), so every run sees the same requests.
struct Mix {
    var state: UInt64
    mutating func next(_ bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) % UInt64(bound))
    }
}

struct Fixture: Sendable {
    let requests: [ComplianceRequest]
    let jsonBodies: [Data]
    /// How the verdicts of `requests` split (allow, review, block), to show what the engine had to do.
    let verdicts: [Verdict: Int]

    /// `historyDays`: the days the 50 events are spread over before the proposed contact (10 = dense: every rule
    /// sees most of the history; 90 = a quarter's worth of collection work).
    init(historyDays: Int = 10, seed: UInt64 = 20_261_129) {
        var mix = Mix(state: seed)
        let numbers = ["+16175550100", "+12125550101", "+13105550102", "+17135550103"]
        let zones: [[String]?] = [["America/New_York"], nil, ["America/Chicago", "America/New_York"], nil]
        let states = ["MA", "CA", "NY", "TX"]
        let start = ISO8601Instant.parse("2026-04-01T00:00:00Z")!
        var requests: [ComplianceRequest] = []
        for index in 0..<requestCount {
            let debtor = DebtorContactProfile(
                kind: index % 10 == 9 ? .commercial : .consumer, timeZones: zones[index % zones.count],
                phones: [
                    try! Phone(number: numbers[index % 4], type: .mobile),
                    try! Phone(number: numbers[(index + 1) % 4], type: .work),
                ],
                emails: ["debtor\(index)@example.com"],
                addresses: [PostalAddress(type: .home, state: states[index % 4], postalCode: nil, country: "US")])
            var events: [ContactEvent] = []
            for _ in 0..<eventsPerHistory {
                let at = start.addingTimeInterval(Double(mix.next(historyDays * 86_400)))
                let debts = mix.next(3) == 0 ? ["D2", "D1"] : ["D1"]
                let kind: ContactEvent.Kind
                switch mix.next(20) {
                case 0..<10:
                    kind = .call(
                        direction: .outbound, to: numbers[mix.next(4)], outcome: CallOutcome.allCases[mix.next(7)],
                        messageLeft: mix.next(4) == 0)
                case 10, 11: kind = .sms(direction: .outbound, to: numbers[0])
                case 12, 13: kind = .email(direction: .outbound, to: "debtor\(index)@example.com")
                case 14: kind = .call(direction: .inbound, to: nil, outcome: .conversation, messageLeft: false)
                case 15: kind = .consent(until: nil)
                case 16: kind = .consentRevoked
                case 17: kind = .inconvenient(weekdays: [2], from: LocalTime(parsing: "18:00"), to: nil, until: nil)
                case 18: kind = .letter
                default: kind = .sms(direction: .inbound, to: nil)
                }
                events.append(ContactEvent(kind, at: at, debtIDs: debts))
            }
            // A history as the contact log keeps it: in time order (an unordered one is sorted first; the
            // "unordered" benchmark measures that).
            events.sort { $0.at < $1.at }
            let action = ContactAction.allCases[mix.next(5)]
            requests.append(
                ComplianceRequest(
                    at: start.addingTimeInterval(Double(historyDays * 86_400 + mix.next(86_400))), action: action,
                    debtID: "D1",
                    to: action == .email ? "debtor\(index)@example.com" : numbers[index % 4], debtor: debtor,
                    events: events))
        }
        self.requests = requests
        jsonBodies = requests.map(Self.json)
        var verdicts: [Verdict: Int] = [:]
        for request in requests { verdicts[ComplianceEngine.decide(request).verdict, default: 0] += 1 }
        self.verdicts = verdicts
    }

    /// The request as the contract's JSON, for the parse-and-decide benchmark.
    static func json(_ request: ComplianceRequest) -> Data {
        func event(_ event: ContactEvent) -> String {
            let head =
                "\"at\":\"\(ISO8601Instant.format(event.at))\",\"debtIds\":[\(event.debtIDs!.map { "\"\($0)\"" }.joined(separator: ","))]"
            switch event.kind {
            case .call(let direction, let to, let outcome, let left):
                return "{\"type\":\"call\",\(head),\"direction\":\"\(direction.rawValue)\""
                    + (to.map { ",\"to\":\"\($0)\"" } ?? "")
                    + ",\"outcome\":\"\(outcome.rawValue)\",\"messageLeft\":\(left)}"
            case .sms(let direction, _): return "{\"type\":\"sms\",\(head),\"direction\":\"\(direction.rawValue)\"}"
            case .email(let direction, _): return "{\"type\":\"email\",\(head),\"direction\":\"\(direction.rawValue)\"}"
            case .consent: return "{\"type\":\"consent\",\(head)}"
            case .consentRevoked: return "{\"type\":\"consent_revoked\",\(head)}"
            case .inconvenient: return "{\"type\":\"inconvenient\",\(head),\"weekdays\":[\"tue\"],\"from\":\"18:00\"}"
            default: return "{\"type\":\"letter\",\(head)}"
            }
        }
        let debtor = request.debtor
        let zones = debtor.timeZones.map { ",\"timeZones\":[\($0.map { "\"\($0)\"" }.joined(separator: ","))]" } ?? ""
        let text = """
            {"at":"\(ISO8601Instant.format(request.at))","action":"\(request.action.rawValue)","debtId":"D1",\
            "to":"\(request.to!)","debtor":{"kind":"\(debtor.kind.rawValue)"\(zones),\
            "phones":[\(debtor.phones.map { "{\"number\":\"\($0.number)\",\"type\":\"\($0.type.rawValue)\"}" }.joined(separator: ","))],\
            "addresses":[{"type":"home","state":"\(debtor.addresses[0].state!)","country":"US"}]},\
            "events":[\(request.events.map(event).joined(separator: ","))]}
            """
        return Data(text.utf8)
    }
}

let fixture = Fixture()
let spreadFixture = Fixture(historyDays: 90, seed: 42)

let decisionsPerSecond = BenchmarkMetric.custom("decisionsPerSecond", polarity: .prefersLarger, useScalingFactor: false)

func record(_ benchmark: Benchmark, count: Int, elapsed: Duration) {
    let (seconds, attoseconds) = elapsed.components
    let nanoseconds = Double(seconds) * 1e9 + Double(attoseconds) / 1e9
    guard nanoseconds > 0 else { return }
    benchmark.measurement(decisionsPerSecond, Int((Double(count) * 1e9 / nanoseconds).rounded()))
}

/// Decides every request once per measured iteration and records decisions per second.
func measureDecisions(_ benchmark: Benchmark, _ requests: [ComplianceRequest]) {
    let clock = ContinuousClock()
    benchmark.startMeasurement()
    for _ in benchmark.scaledIterations {
        let start = clock.now
        for request in requests { blackHole(ComplianceEngine.decide(request)) }
        record(benchmark, count: requests.count, elapsed: clock.now - start)
    }
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal, .peakMemoryResident, decisionsPerSecond],
        warmupIterations: 2, scalingFactor: .one, maxDuration: .seconds(3), maxIterations: 500)
    let clock = ContinuousClock()

    // (1) The engine alone: a decision (with nextAllowedAt when blocked) for 1,000 requests of 50 events each.
    Benchmark("Compliance decide: 1,000 requests x 50 events") { benchmark in
        let requests = fixture.requests
        var verdicts = [Verdict: Int]()
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            let start = clock.now
            for request in requests {
                let decision = ComplianceEngine.decide(request)
                verdicts[decision.verdict, default: 0] += 1
                blackHole(decision)
            }
            record(benchmark, count: requests.count, elapsed: clock.now - start)
        }
        benchmark.stopMeasurement()
        blackHole(verdicts)
    }

    // (1w) The first 100 requests only (their histories, about 650 KB, stay in the core's 1 MiB L2 cache): a
    // decision when the debtor's history was just loaded, as in the daily run and the API.
    Benchmark("Compliance decide, warm: 100 requests x 50 events") { benchmark in
        let requests = Array(fixture.requests.prefix(100))
        measureDecisions(benchmark, requests)
    }

    Benchmark("Compliance decide, warm, 90-day histories: 100 requests x 50 events") { benchmark in
        let requests = Array(spreadFixture.requests.prefix(100))
        measureDecisions(benchmark, requests)
    }

    // (1a) 50 events spread over 90 days: fewer rules engaged, fewer blocks to search past.
    Benchmark("Compliance decide, 90-day histories: 1,000 requests x 50 events") { benchmark in
        let requests = spreadFixture.requests
        print("verdicts, 10-day histories: \(fixture.verdicts); 90-day histories: \(spreadFixture.verdicts)")
        measureDecisions(benchmark, requests)
    }

    // (1b) The same requests with their histories shuffled: the engine sorts them first.
    Benchmark("Compliance decide, unordered histories: 1,000 requests x 50 events") { benchmark in
        var mix = Mix(state: 7)
        let requests = fixture.requests.map { request in
            var shuffled = request
            for index in shuffled.events.indices.reversed() {
                shuffled.events.swapAt(index, mix.next(index + 1))
            }
            return shuffled
        }
        measureDecisions(benchmark, requests)
    }

    // (2) What the CLI and the API do per request: parse the contract's JSON, decide, write the JSON answer.
    Benchmark("Compliance parse+decide+encode: 1,000 JSON requests x 50 events") { benchmark in
        let bodies = fixture.jsonBodies
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            let start = clock.now
            for body in bodies {
                let request = try! ComplianceRequest(json: body)
                blackHole(ComplianceEngine.decide(request).jsonText)
            }
            record(benchmark, count: bodies.count, elapsed: clock.now - start)
        }
    }

    // (2b) Message checks on a 1 KB email (a compliant letter text repeated).
    Benchmark("Message lint: 1 KB email") { benchmark in
        var text = ""
        while text.utf8.count < 1024 {
            text +=
                "This is Acme Recovery, a debt collector. This is an attempt to collect a debt. You owe $1,234.56 "
                + "to Big Bank. Call us at 617-555-0100 or reply STOP to opt out. We will not sue you. "
        }
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(MessageLint.check(text, channel: .email))
        }
    }

    // (3) Anchor: only turning each of the 50 events into a local date with Foundation's Calendar, the per-event
    // work the issue warns against. The engine's whole decision should cost less than this alone.
    Benchmark("Anchor: Calendar local dates for 1,000 x 50 events") { benchmark in
        let requests = fixture.requests
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "America/New_York")!
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            let start = clock.now
            for request in requests {
                for event in request.events {
                    blackHole(calendar.dateComponents([.year, .month, .day], from: event.at))
                }
            }
            record(benchmark, count: requests.count, elapsed: clock.now - start)
        }
    }
}
