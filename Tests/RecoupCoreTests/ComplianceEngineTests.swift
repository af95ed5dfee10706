import Foundation
import Testing

@testable import RecoupCore

/// Builds requests and histories for the compliance tests in a few words.
enum Scenario {
    static func t(_ text: String) -> Date { ISO8601Instant.parse(text)! }

    static let mobile = try! Phone(number: "+16175550100", type: .mobile)
    static let work = try! Phone(number: "+16175550199", type: .work)
    static let home = try! Phone(number: "+16175550177", type: .home)

    static func consumer(
        zones: [String]? = ["America/New_York"], phones: [Phone] = [mobile, work, home], state: String = "NY",
        kind: DebtorKind = .consumer
    ) -> DebtorContactProfile {
        DebtorContactProfile(
            kind: kind, timeZones: zones, phones: phones, emails: ["pat@example.com", "pat@work.example"],
            workEmails: ["pat@work.example"],
            addresses: [PostalAddress(type: .home, state: state, postalCode: nil, country: "US")])
    }

    static func request(
        _ at: String, _ action: ContactAction = .call, debt: String = "D1", to: String? = "+16175550100",
        purpose: ContactPurpose = .collection, debtor: DebtorContactProfile = consumer(), _ events: [ContactEvent] = []
    ) -> ComplianceRequest {
        ComplianceRequest(
            at: t(at), action: action, debtID: debt, to: to, purpose: purpose, debtor: debtor, events: events)
    }

    /// A call (the usual proposal) against a history.
    static func request(
        _ at: String, debt: String = "D1", to: String? = "+16175550100", purpose: ContactPurpose = .collection,
        debtor: DebtorContactProfile = consumer(), _ events: [ContactEvent]
    ) -> ComplianceRequest {
        request(at, .call, debt: debt, to: to, purpose: purpose, debtor: debtor, events)
    }

    static func call(
        _ at: String, _ outcome: CallOutcome = .noAnswer, debts: [String]? = ["D1"], to: String = "+16175550100",
        direction: ContactDirection = .outbound, message: Bool = false
    ) -> ContactEvent {
        ContactEvent(
            .call(direction: direction, to: to, outcome: outcome, messageLeft: message), at: t(at), debtIDs: debts)
    }

    static func event(_ kind: ContactEvent.Kind, _ at: String, debts: [String]? = nil) -> ContactEvent {
        ContactEvent(kind, at: t(at), debtIDs: debts)
    }

    static func decide(_ request: ComplianceRequest, policy: CompliancePolicy = .standard) -> Decision {
        ComplianceEngine.decide(request, policy: policy)
    }
}

extension Decision {
    var rules: [RuleID] { findings.map(\.rule) }
}

@Suite("Compliance engine: calls")
struct CallRuleTests {
    typealias S = Scenario

    /// docs/compliance.md's first worked example: Apr 1 message, unanswered calls Apr 2–7 (noon New York time).
    static let aprilWeek: [ContactEvent] =
        [S.call("2026-04-01T16:00:00Z", .voicemail, message: true)]
        + (2...7).map { S.call("2026-04-0\($0)T16:00:00Z") }

    @Test("the worked example: an 8th call on Apr 7 is blocked until Apr 8 08:00, a call on Apr 8 is allowed")
    func workedExample() {
        let eighth = S.decide(S.request("2026-04-07T18:00:00Z", Self.aprilWeek))
        #expect(eighth.verdict == .block)
        #expect(eighth.rules == [.callFrequency])
        #expect(
            eighth.findings[0].reason
                == "7 calls about D1 already placed in the 7 days ending 2026-04-07; the limit is 7.")
        #expect(eighth.nextAllowedAt == S.t("2026-04-08T12:00:00Z"))
        let next = S.decide(S.request("2026-04-08T16:00:00Z", Self.aprilWeek))
        #expect(next.verdict == .allow)
        #expect(next.findings.isEmpty)
        #expect(next.nextAllowedAt == S.t("2026-04-08T16:00:00Z"))
    }

    @Test("day 7 vs day 8 at the local day's edges: 23:59 on Apr 7 blocked, 08:00 Apr 8 allowed")
    func localDayEdges() {
        // 23:59 New York on Apr 7 is 03:59Z on Apr 8: still Apr 7 locally, and quiet hours too.
        let late = S.decide(S.request("2026-04-08T03:59:00Z", Self.aprilWeek))
        #expect(late.rules == [.quietHours, .callFrequency])
        #expect(late.nextAllowedAt == S.t("2026-04-08T12:00:00Z"))
        #expect(S.decide(S.request("2026-04-08T12:00:00Z", Self.aprilWeek)).verdict == .allow)
        #expect(S.decide(S.request("2026-04-08T11:59:59Z", Self.aprilWeek)).rules == [.quietHours])
    }

    @Test("six counted calls leave room for a seventh", arguments: 0..<7)
    func seventhAllowed(drop: Int) {
        var events = Self.aprilWeek
        events.remove(at: drop)
        #expect(S.decide(S.request("2026-04-07T18:00:00Z", events)).verdict == .allow)
    }

    @Test("busy signals and numbers not in service never count", arguments: [CallOutcome.busy, .notInService])
    func uncounted(outcome: CallOutcome) {
        let events =
            (1...7).map { S.call("2026-04-0\($0)T16:00:00Z", outcome) }
            + (1...7).map { S.call("2026-04-0\($0)T17:00:00Z", outcome) }
        #expect(S.decide(S.request("2026-04-07T18:00:00Z", events)).rules.contains(.callFrequency) == false)
    }

    @Test("every other outcome counts", arguments: [CallOutcome.noAnswer, .voicemail, .answeredDropped, .thirdParty])
    func counted(outcome: CallOutcome) {
        let events = (1...7).map { S.call("2026-04-0\($0)T16:00:00Z", outcome) }
        #expect(S.decide(S.request("2026-04-07T18:00:00Z", events)).rules == [.callFrequency])
    }

    @Test("calls to all numbers count; inbound calls do not; other debts do not")
    func whatCounts() {
        let mixed =
            (1...4).map { S.call("2026-04-0\($0)T16:00:00Z", to: "+16175550199") }
            + (5...7).map { S.call("2026-04-0\($0)T16:00:00Z", to: "+16175550177") }
        #expect(S.decide(S.request("2026-04-07T18:00:00Z", mixed)).rules == [.callFrequency])
        let inbound = (1...7).map { S.call("2026-04-0\($0)T16:00:00Z", .noAnswer, direction: .inbound) }
        #expect(S.decide(S.request("2026-04-07T18:00:00Z", inbound)).verdict == .allow)
        let otherDebt = (1...7).map { S.call("2026-04-0\($0)T16:00:00Z", debts: ["D2"]) }
        #expect(S.decide(S.request("2026-04-07T18:00:00Z", otherDebt)).verdict == .allow)
        #expect(S.decide(S.request("2026-04-07T18:00:00Z", debt: "D2", otherDebt)).rules == [.callFrequency])
    }

    @Test("calls to a number that is not the debtor's (their attorney, the creditor) do not count")
    func someoneElse() {
        let attorney = (1...7).map { S.call("2026-04-0\($0)T16:00:00Z", .conversation, to: "+12125550111") }
        #expect(S.decide(S.request("2026-04-07T18:00:00Z", attorney)).verdict == .allow)
        // Without numbers on file nothing says whose number it was: the calls count.
        let unknown = DebtorContactProfile(kind: .consumer, timeZones: ["America/New_York"])
        #expect(
            S.decide(S.request("2026-04-07T18:00:00Z", debtor: unknown, attorney)).rules.contains(.postConversation))
        let mixed =
            (1...6).map { S.call("2026-04-0\($0)T16:00:00Z") } + [S.call("2026-04-07T16:00:00Z", to: "+12125550111")]
        #expect(S.decide(S.request("2026-04-07T18:00:00Z", mixed)).verdict == .allow)
    }

    @Test("an unanswered call about several debts counts toward the first only; a conversation toward each")
    func attribution() {
        let unanswered = (1...7).map { S.call("2026-04-0\($0)T16:00:00Z", debts: ["D2", "D1"]) }
        #expect(S.decide(S.request("2026-04-07T18:00:00Z", unanswered)).verdict == .allow)
        #expect(S.decide(S.request("2026-04-07T18:00:00Z", debt: "D2", unanswered)).rules == [.callFrequency])
        let talk = [S.call("2026-04-06T16:00:00Z", .conversation, debts: ["D2", "D1"])]
        #expect(S.decide(S.request("2026-04-07T18:00:00Z", talk)).rules == [.postConversation])
        #expect(S.decide(S.request("2026-04-07T18:00:00Z", debt: "D2", talk)).rules == [.postConversation])
        #expect(S.decide(S.request("2026-04-07T18:00:00Z", debt: "D3", talk)).verdict == .allow)
        let everyDebt = (1...7).map { S.call("2026-04-0\($0)T16:00:00Z", debts: nil) }
        #expect(S.decide(S.request("2026-04-07T18:00:00Z", debt: "D9", everyDebt)).rules == [.callFrequency])
    }

    @Test("events after the moment checked are ignored")
    func futureEventsIgnored() {
        let events = Self.aprilWeek + [S.call("2026-04-07T19:00:00Z", .conversation)]
        #expect(S.decide(S.request("2026-04-06T18:00:00Z", events)).verdict == .allow)
    }

    @Test("the conversation worked example: Thu Aug 13 inbound talk; Aug 19 blocked, Aug 20 allowed")
    func postConversation() {
        let talk = [S.call("2026-08-13T15:00:00Z", .conversation, direction: .inbound)]
        let blocked = S.decide(S.request("2026-08-19T16:00:00Z", talk))
        #expect(blocked.rules == [.postConversation])
        #expect(blocked.findings[0].reason.contains("2026-08-13"))
        #expect(blocked.nextAllowedAt == S.t("2026-08-20T12:00:00Z"))
        #expect(S.decide(S.request("2026-08-20T12:00:00Z", talk)).verdict == .allow)
        // The same local day as the conversation is day D: blocked.
        #expect(S.decide(S.request("2026-08-13T20:00:00Z", talk)).rules == [.postConversation])
        // 23:59 on Aug 19 local is still day D+6.
        #expect(S.decide(S.request("2026-08-20T03:59:00Z", talk)).rules.contains(.postConversation))
    }

    @Test("post-conversation across the spring DST change: first call Mar 9 at 08:00 EDT")
    func postConversationDST() {
        let talk = [S.call("2026-03-02T17:00:00Z", .conversation)]
        let decision = S.decide(S.request("2026-03-08T17:00:00Z", talk))
        #expect(decision.rules == [.postConversation])
        #expect(decision.nextAllowedAt == S.t("2026-03-09T12:00:00Z"))
    }

    @Test("texts, emails and letters are not calls")
    func notCalls() {
        let events = Self.aprilWeek + [S.call("2026-04-06T16:00:00Z", .conversation)]
        #expect(S.decide(S.request("2026-04-07T18:00:00Z", .email, to: "pat@example.com", events)).verdict == .allow)
        #expect(S.decide(S.request("2026-04-07T18:00:00Z", .letter, to: nil, events)).verdict == .allow)
        #expect(S.decide(S.request("2026-04-07T18:00:00Z", .sms, events)).verdict == .allow)
    }

    @Test("consent excludes calls from both limits for 7 days counting the day it was given")
    func consent() {
        let consent = S.event(.consent(until: nil), "2026-04-05T14:00:00Z", debts: ["D1"])
        // The calls of Apr 5–7 were placed under consent: only 4 count.
        #expect(S.decide(S.request("2026-04-07T18:00:00Z", Self.aprilWeek + [consent])).verdict == .allow)
        // A conversation: the consent still covers the next call? No — it ends at the conversation.
        let talked = Self.aprilWeek + [consent, S.call("2026-04-07T17:00:00Z", .conversation)]
        #expect(S.decide(S.request("2026-04-07T18:00:00Z", talked)).rules == [.postConversation])
        // Covered on day 7 (Apr 11), not on day 8 (Apr 12).
        let talkFirst = [S.call("2026-04-05T13:00:00Z", .conversation), consent]
        #expect(S.decide(S.request("2026-04-05T18:00:00Z", talkFirst)).verdict == .allow)
        #expect(S.decide(S.request("2026-04-11T18:00:00Z", talkFirst)).verdict == .allow)
        let facts = ContactCheck.Facts(request: S.request("2026-04-13T16:00:00Z", [consent]), policy: .standard)
        #expect(facts.covered(S.t("2026-04-05T14:00:00Z")))
        #expect(!facts.covered(S.t("2026-04-05T13:59:59Z")))
        #expect(facts.covered(S.t("2026-04-12T03:59:59Z")))  // 23:59:59 on Apr 11, day 7
        #expect(!facts.covered(S.t("2026-04-12T04:00:00Z")))  // 00:00 on Apr 12, day 8
    }

    @Test("consent ends at the time the consumer named and when revoked; it never lifts quiet hours")
    func consentEnds() {
        let talk = S.call("2026-04-05T13:00:00Z", .conversation)
        let until = [talk, S.event(.consent(until: S.t("2026-04-06T23:59:59-04:00")), "2026-04-05T14:00:00Z")]
        #expect(S.decide(S.request("2026-04-06T18:00:00Z", until)).verdict == .allow)
        #expect(S.decide(S.request("2026-04-07T18:00:00Z", until)).rules == [.postConversation])
        let revoked = [
            talk, S.event(.consent(until: nil), "2026-04-05T14:00:00Z"),
            S.event(.consentRevoked, "2026-04-06T14:00:00Z"),
        ]
        #expect(S.decide(S.request("2026-04-06T13:59:00Z", revoked)).verdict == .allow)
        #expect(S.decide(S.request("2026-04-06T14:01:00Z", revoked)).rules == [.postConversation])
        #expect(S.decide(S.request("2026-04-06T02:00:00Z", revoked)).rules == [.quietHours])
        let otherDebt = [talk, S.event(.consent(until: nil), "2026-04-05T14:00:00Z", debts: ["D2"])]
        #expect(S.decide(S.request("2026-04-06T18:00:00Z", otherDebt)).rules == [.postConversation])
    }

    @Test("a second call to a number within 5 minutes, or a 7th call to it in a day, is a red flag for review")
    func redFlags() {
        let recent = [S.call("2026-04-07T18:00:00Z", .busy)]
        let soon = S.decide(S.request("2026-04-07T18:04:59Z", recent))
        #expect(soon.verdict == .review)
        #expect(soon.rules == [.callRedFlag])
        #expect(soon.nextAllowedAt == S.t("2026-04-07T18:05:01Z"))
        #expect(S.decide(S.request("2026-04-07T18:05:01Z", recent)).verdict == .allow)
        #expect(S.decide(S.request("2026-04-07T18:04:00Z", to: "+16175550177", recent)).verdict == .allow)
        let six = (0..<6).map { S.call("2026-04-07T1\($0 + 2):00:00Z", .busy) }
        let seventh = S.decide(S.request("2026-04-07T19:00:00Z", six))
        #expect(seventh.verdict == .review)
        #expect(seventh.nextAllowedAt == S.t("2026-04-08T12:00:00Z"))
        #expect(S.decide(S.request("2026-04-07T19:00:00Z", Array(six.dropLast()))).verdict == .allow)
    }

    @Test("commercial debts get no call caps, only house rules, quiet hours and holds")
    func commercial() {
        let business = S.consumer(kind: .commercial)
        let many = (1...7).map { S.call("2026-04-0\($0)T16:00:00Z") } + [S.call("2026-04-07T16:01:00Z", .conversation)]
        #expect(S.decide(S.request("2026-04-07T16:02:00Z", debtor: business, many)).verdict == .allow)
        #expect(S.decide(S.request("2026-04-08T02:00:00Z", debtor: business, many)).rules == [.quietHours])
        #expect(
            S.decide(
                S.request("2026-04-07T18:00:00Z", debtor: business, many + [S.event(.cease, "2026-04-07T17:00:00Z")])
            ).rules == [.cease])
        let message = [S.call("2026-04-07T14:00:00Z", .voicemail, message: true)]
        #expect(
            S.decide(S.request("2026-04-07T18:00:00Z", .voicemail, debtor: business, message)).rules == [
                .voicemailDailyLimit
            ])
    }
}

@Suite("Compliance engine: Massachusetts")
struct MassachusettsRuleTests {
    typealias S = Scenario
    static let resident = S.consumer(state: "MA")

    @Test("a third call or text in 7 days is blocked; voicemail reached counts, unanswered calls do not")
    func thirdBlocked() {
        let two = [
            S.call("2026-04-01T16:00:00Z", .voicemail),
            S.event(.sms(direction: .outbound, to: "+16175550100"), "2026-04-03T16:00:00Z", debts: ["D1"]),
        ]
        let third = S.decide(S.request("2026-04-07T16:00:00Z", debtor: Self.resident, two))
        #expect(third.rules == [.stateFrequency])
        #expect(third.nextAllowedAt == S.t("2026-04-08T12:00:00Z"))
        #expect(S.decide(S.request("2026-04-08T12:00:00Z", debtor: Self.resident, two)).verdict == .allow)
        #expect(
            S.decide(S.request("2026-04-07T16:00:00Z", .sms, debtor: Self.resident, two)).rules.contains(
                .stateFrequency))
        let unanswered = (1...5).map { S.call("2026-04-0\($0)T16:00:00Z") }
        #expect(S.decide(S.request("2026-04-07T16:00:00Z", debtor: Self.resident, unanswered)).verdict == .allow)
        #expect(S.decide(S.request("2026-04-07T16:00:00Z", debtor: S.consumer(state: "NY"), two)).verdict == .allow)
    }

    @Test("work numbers, replies to the debtor and commercial debts are outside the state rule")
    func outside() {
        let two = [S.call("2026-04-01T16:00:00Z", .voicemail), S.call("2026-04-02T16:00:00Z", .voicemail)]
        #expect(
            S.decide(S.request("2026-04-07T16:00:00Z", to: "+16175550199", debtor: Self.resident, two)).verdict
                == .allow)
        #expect(
            S.decide(S.request("2026-04-07T16:00:00Z", purpose: .response, debtor: Self.resident, two)).verdict
                == .allow)
        let atWork = two.map { S.call(ISO8601Instant.format($0.at), .voicemail, to: "+16175550199") }
        #expect(S.decide(S.request("2026-04-07T16:00:00Z", debtor: Self.resident, atWork)).verdict == .allow)
        #expect(
            S.decide(S.request("2026-04-07T16:00:00Z", debtor: S.consumer(state: "MA", kind: .commercial), two)).verdict
                == .allow)
    }
}

@Suite("Compliance engine: times and places")
struct TimeAndPlaceRuleTests {
    typealias S = Scenario

    @Test(
        "quiet hours: 08:00 and 20:59 allowed, 07:59 and 21:00 blocked (New York, April = UTC-4)",
        arguments: [
            ("2026-04-08T12:00:00Z", true), ("2026-04-09T00:59:00Z", true), ("2026-04-08T11:59:00Z", false),
            ("2026-04-09T01:00:00Z", false),
        ])
    func quietHours(at: String, allowed: Bool) {
        for action in [ContactAction.call, .voicemail, .sms, .email] {
            let decision = S.decide(S.request(at, action, to: action == .email ? "pat@example.com" : "+16175550100"))
            #expect((decision.verdict == .allow) == allowed)
            if !allowed { #expect(decision.rules == [.quietHours]) }
        }
        #expect(S.decide(S.request(at, .letter, to: nil)).verdict == .allow)
    }

    @Test("a debtor who writes at 22:00 may be answered once, the same way, before the window reopens")
    func replyInKind() {
        let late = [S.event(.email(direction: .inbound, to: nil), "2026-04-09T02:00:00Z")]  // 22:00 EDT
        let reply = S.request("2026-04-09T02:10:00Z", .email, to: "pat@example.com", purpose: .response, late)
        #expect(S.decide(reply).verdict == .allow)
        #expect(S.decide(S.request("2026-04-09T02:10:00Z", .email, to: "pat@example.com", late)).rules == [.quietHours])
        #expect(S.decide(S.request("2026-04-09T02:10:00Z", .sms, purpose: .response, late)).rules == [.quietHours])
        let answered = late + [S.event(.email(direction: .outbound, to: "pat@example.com"), "2026-04-09T02:05:00Z")]
        #expect(
            S.decide(S.request("2026-04-09T02:10:00Z", .email, to: "pat@example.com", purpose: .response, answered))
                .rules == [.quietHours])
        // After the window has opened and closed again the old message no longer excuses a late reply.
        #expect(
            S.decide(S.request("2026-04-10T02:10:00Z", .email, to: "pat@example.com", purpose: .response, late)).rules
                == [.quietHours])
        let tuesdays = [
            TimeAndPlaceRuleTests.tuesdaysThursdays, S.call("2026-04-07T15:00:00Z", .conversation, direction: .inbound),
        ]
        #expect(S.decide(S.request("2026-04-07T15:30:00Z", purpose: .response, tuesdays)).rules == [.postConversation])
    }

    @Test("an Eastern mobile with a California address: calls only 11:00–21:00 Eastern")
    func inferredZones() {
        let debtor = DebtorContactProfile(
            kind: .consumer, phones: [S.mobile],
            addresses: [PostalAddress(type: .home, state: "CA", postalCode: "94110", country: "US")])
        let early = S.decide(S.request("2026-04-08T14:30:00Z", debtor: debtor))
        #expect(early.rules == [.quietHours])
        #expect(early.nextAllowedAt == S.t("2026-04-08T15:00:00Z"))
        #expect(S.decide(S.request("2026-04-08T15:00:00Z", debtor: debtor)).verdict == .allow)
        #expect(S.decide(S.request("2026-04-09T01:00:00Z", debtor: debtor)).verdict == .block)
    }

    @Test("quiet hours across DST: 07:59 EDT on the first EDT day is blocked until 08:00 EDT; fall back too")
    func daylightSaving() {
        let spring = S.decide(S.request("2026-03-08T11:59:00Z"))
        #expect(spring.nextAllowedAt == S.t("2026-03-08T12:00:00Z"))
        let autumn = S.decide(S.request("2026-11-01T12:30:00Z"))  // 07:30 EST
        #expect(autumn.rules == [.quietHours])
        #expect(autumn.nextAllowedAt == S.t("2026-11-01T13:00:00Z"))
    }

    @Test("no zone known: every US zone applies")
    func unknownZone() {
        let nowhere = DebtorContactProfile(kind: .consumer)
        #expect(S.decide(S.request("2026-04-08T16:00:00Z", to: nil, debtor: nowhere)).rules == [.quietHours])
        #expect(S.decide(S.request("2026-04-08T18:00:00Z", to: nil, debtor: nowhere)).verdict == .allow)
    }

    static let tuesdaysThursdays = S.event(
        .inconvenient(weekdays: [2, 4], from: nil, to: nil, until: nil), "2026-04-01T16:00:00Z")

    @Test("inconvenient days block those days; the next allowed time is the next convenient morning")
    func inconvenientDays() {
        // 2026-04-07 is a Tuesday.
        let tuesday = S.decide(S.request("2026-04-07T16:00:00Z", [Self.tuesdaysThursdays]))
        #expect(tuesday.rules == [.inconvenientTime])
        #expect(tuesday.nextAllowedAt == S.t("2026-04-08T12:00:00Z"))
        #expect(S.decide(S.request("2026-04-08T16:00:00Z", [Self.tuesdaysThursdays])).verdict == .allow)
        #expect(
            S.decide(S.request("2026-04-07T16:00:00Z", .email, to: "pat@example.com", [Self.tuesdaysThursdays])).verdict
                == .block)
        #expect(
            S.decide(S.request("2026-04-07T16:00:00Z", .letter, to: nil, [Self.tuesdaysThursdays])).verdict == .allow)
    }

    @Test("an inconvenient window: before 17:00 on weekdays; one running past midnight; one with a last date")
    func inconvenientWindows() {
        let workHours = S.event(
            .inconvenient(weekdays: [1, 2, 3, 4, 5], from: nil, to: LocalTime(parsing: "17:00"), until: nil),
            "2026-04-01T16:00:00Z")
        let during = S.decide(S.request("2026-04-08T20:59:00Z", [workHours]))  // 16:59 EDT
        #expect(during.rules == [.inconvenientTime])
        #expect(during.nextAllowedAt == S.t("2026-04-08T21:00:00Z"))
        #expect(S.decide(S.request("2026-04-08T21:00:00Z", [workHours])).verdict == .allow)
        #expect(S.decide(S.request("2026-04-11T14:00:00Z", [workHours])).verdict == .allow)  // Saturday
        let evenings = S.event(
            .inconvenient(weekdays: [], from: LocalTime(parsing: "18:00"), to: LocalTime(parsing: "10:00"), until: nil),
            "2026-04-01T16:00:00Z")
        let evening = S.decide(S.request("2026-04-08T23:00:00Z", [evenings]))  // 19:00 EDT
        #expect(evening.rules == [.inconvenientTime])
        #expect(evening.nextAllowedAt == S.t("2026-04-09T14:00:00Z"))
        #expect(S.decide(S.request("2026-04-09T13:59:00Z", [evenings])).verdict == .block)
        let untilFriday = S.event(
            .inconvenient(weekdays: [], from: nil, to: nil, until: try! LocalDate(iso: "2026-04-10")),
            "2026-04-06T16:00:00Z")
        let away = S.decide(S.request("2026-04-07T16:00:00Z", [untilFriday]))
        #expect(away.rules == [.inconvenientTime])
        #expect(away.nextAllowedAt == S.t("2026-04-11T12:00:00Z"))
        let forever = S.event(.inconvenient(weekdays: [], from: nil, to: nil, until: nil), "2026-04-06T16:00:00Z")
        #expect(S.decide(S.request("2026-04-07T16:00:00Z", [forever])).nextAllowedAt == nil)
    }

    @Test("inconvenient places: work blocks the work number and work email; home blocks letters home and the landline")
    func places() {
        let work = [S.event(.inconvenientPlace(.work), "2026-04-01T16:00:00Z")]
        #expect(S.decide(S.request("2026-04-08T16:00:00Z", to: "+16175550199", work)).rules == [.inconvenientPlace])
        #expect(
            S.decide(S.request("2026-04-08T16:00:00Z", .email, to: "pat@work.example", work)).rules == [
                .inconvenientPlace
            ])
        #expect(S.decide(S.request("2026-04-08T16:00:00Z", work)).verdict == .allow)
        #expect(S.decide(S.request("2026-04-08T16:00:00Z", .email, to: "pat@example.com", work)).verdict == .allow)
        let home = [S.event(.inconvenientPlace(.home), "2026-04-01T16:00:00Z")]
        let letter = S.decide(S.request("2026-04-08T16:00:00Z", .letter, to: nil, home))
        #expect(letter.rules == [.inconvenientPlace])
        #expect(letter.nextAllowedAt == nil)
        #expect(S.decide(S.request("2026-04-08T16:00:00Z", to: "+16175550177", home)).rules == [.inconvenientPlace])
        #expect(S.decide(S.request("2026-04-08T16:00:00Z", home)).verdict == .allow)
    }
}

@Suite("Compliance engine: holds")
struct HoldRuleTests {
    typealias S = Scenario

    @Test("cease: everything blocked with no next time, except a remedy notice by letter")
    func cease() {
        let cease = [S.event(.cease, "2026-04-01T16:00:00Z")]
        for action in ContactAction.allCases {
            let decision = S.decide(S.request("2026-04-08T16:00:00Z", action, cease))
            #expect(decision.rules == [.cease])
            #expect(decision.nextAllowedAt == nil)
        }
        #expect(
            S.decide(S.request("2026-04-08T16:00:00Z", .letter, to: nil, purpose: .remedyNotice, cease)).verdict
                == .allow)
        #expect(S.decide(S.request("2026-04-08T16:00:00Z", .email, purpose: .remedyNotice, cease)).verdict == .block)
        #expect(S.decide(S.request("2026-03-31T16:00:00Z", cease)).verdict == .allow)
    }

    @Test("dispute: collection blocked until verification is sent; the verification itself is allowed")
    func dispute() {
        let disputed = [S.event(.dispute, "2026-04-01T16:00:00Z", debts: ["D1"])]
        #expect(S.decide(S.request("2026-04-08T16:00:00Z", disputed)).rules == [.dispute])
        #expect(
            S.decide(S.request("2026-04-08T16:00:00Z", .letter, to: nil, purpose: .verification, disputed)).verdict
                == .allow)
        #expect(S.decide(S.request("2026-04-08T16:00:00Z", debt: "D2", disputed)).verdict == .allow)
        let verified = disputed + [S.event(.verificationSent, "2026-04-05T16:00:00Z", debts: ["D1"])]
        #expect(S.decide(S.request("2026-04-08T16:00:00Z", verified)).verdict == .allow)
        #expect(S.decide(S.request("2026-04-04T16:00:00Z", verified)).rules == [.dispute])
        let again = verified + [S.event(.dispute, "2026-04-06T16:00:00Z", debts: ["D1"])]
        #expect(S.decide(S.request("2026-04-08T16:00:00Z", again)).rules == [.dispute])
    }

    @Test("attorney and bankruptcy block every contact about the debt")
    func attorneyAndBankruptcy() {
        let attorney = [S.event(.attorney, "2026-04-01T16:00:00Z", debts: ["D1"])]
        #expect(S.decide(S.request("2026-04-08T16:00:00Z", .letter, to: nil, attorney)).rules == [.attorney])
        #expect(S.decide(S.request("2026-04-08T16:00:00Z", debt: "D2", attorney)).verdict == .allow)
        let bankrupt = [S.event(.bankruptcy, "2026-04-01T16:00:00Z")]
        let decision = S.decide(S.request("2026-04-08T16:00:00Z", .sms, bankrupt))
        #expect(decision.rules == [.bankruptcy])
        #expect(decision.nextAllowedAt == nil)
    }

    @Test("opt-out: the channel (or one address on it) is blocked; one confirmation is allowed")
    func optOut() {
        let texts = [S.event(.optOut(channel: .sms, address: nil), "2026-04-01T16:00:00Z")]
        #expect(S.decide(S.request("2026-04-08T16:00:00Z", .sms, texts)).rules == [.optOut])
        #expect(S.decide(S.request("2026-04-08T16:00:00Z", texts)).verdict == .allow)
        #expect(
            S.decide(S.request("2026-04-01T16:05:00Z", .sms, purpose: .optOutConfirmation, texts)).verdict == .allow)
        let confirmed = texts + [S.event(.sms(direction: .outbound, to: "+16175550100"), "2026-04-01T16:05:00Z")]
        #expect(
            S.decide(S.request("2026-04-01T16:10:00Z", .sms, purpose: .optOutConfirmation, confirmed)).rules == [
                .optOut
            ])
        let oneAddress = [S.event(.optOut(channel: .email, address: "pat@example.com"), "2026-04-01T16:00:00Z")]
        #expect(
            S.decide(S.request("2026-04-08T16:00:00Z", .email, to: "PAT@example.com", oneAddress)).rules == [.optOut])
        #expect(
            S.decide(S.request("2026-04-08T16:00:00Z", .email, to: "pat@work.example", oneAddress)).verdict == .allow)
        let calls = [S.event(.optOut(channel: .call, address: "+1 617 555 0100"), "2026-04-01T16:00:00Z")]
        #expect(S.decide(S.request("2026-04-08T16:00:00Z", .voicemail, calls)).rules == [.optOut])
        #expect(S.decide(S.request("2026-04-08T16:00:00Z", to: "+16175550177", calls)).verdict == .allow)
    }
}

@Suite("Compliance engine: house rules and policy")
struct HouseRuleTests {
    typealias S = Scenario

    @Test("one phone message per debtor per local day, across debts and numbers")
    func voicemails() {
        let left = [S.call("2026-04-07T13:00:00Z", .voicemail, debts: ["D2"], to: "+16175550177", message: true)]
        let second = S.decide(S.request("2026-04-07T18:00:00Z", .voicemail, left))
        #expect(second.rules == [.voicemailDailyLimit])
        #expect(second.nextAllowedAt == S.t("2026-04-08T12:00:00Z"))
        #expect(S.decide(S.request("2026-04-07T18:00:00Z", .call, left)).verdict == .allow)
        #expect(S.decide(S.request("2026-04-08T12:00:00Z", .voicemail, left)).verdict == .allow)
        let noMessage = [S.call("2026-04-07T13:00:00Z", .voicemail)]
        #expect(S.decide(S.request("2026-04-07T18:00:00Z", .voicemail, noMessage)).verdict == .allow)
    }

    @Test("texts: one a day and three in 7 days; emails one a day; replies are not counted against")
    func textsAndEmails() {
        func text(_ at: String) -> ContactEvent { S.event(.sms(direction: .outbound, to: "+16175550100"), at) }
        let today = [text("2026-04-07T13:00:00Z")]
        #expect(S.decide(S.request("2026-04-07T18:00:00Z", .sms, today)).rules == [.textDailyLimit])
        #expect(S.decide(S.request("2026-04-07T18:00:00Z", .sms, purpose: .response, today)).verdict == .allow)
        let week = [text("2026-04-02T13:00:00Z"), text("2026-04-04T13:00:00Z"), text("2026-04-06T13:00:00Z")]
        let fourth = S.decide(S.request("2026-04-07T18:00:00Z", .sms, week))
        #expect(fourth.rules == [.textDailyLimit])
        #expect(fourth.nextAllowedAt == S.t("2026-04-09T12:00:00Z"))
        let email = [S.event(.email(direction: .outbound, to: "pat@example.com"), "2026-04-07T13:00:00Z")]
        #expect(
            S.decide(S.request("2026-04-07T18:00:00Z", .email, to: "pat@example.com", email)).rules == [
                .emailDailyLimit
            ])
        #expect(S.decide(S.request("2026-04-08T18:00:00Z", .email, to: "pat@example.com", email)).verdict == .allow)
        let inbound = [S.event(.email(direction: .inbound, to: nil), "2026-04-07T13:00:00Z")]
        #expect(S.decide(S.request("2026-04-07T18:00:00Z", .email, to: "pat@example.com", inbound)).verdict == .allow)
    }

    @Test("a client may switch off or change house rules but not loosen the law")
    func policy() throws {
        var relaxed = CompliancePolicy.standard
        relaxed.disabled = [.textDailyLimit]
        #expect(relaxed.problem() == nil)
        let today = [S.event(.sms(direction: .outbound, to: "+16175550100"), "2026-04-07T13:00:00Z")]
        #expect(S.decide(S.request("2026-04-07T18:00:00Z", .sms, today), policy: relaxed).verdict == .allow)
        var lawless = CompliancePolicy.standard
        lawless.disabled = [.callFrequency]
        #expect(lawless.problem()?.contains("call-frequency") == true)
        lawless = .standard
        lawless.maxCallsPerWeek = 8
        #expect(lawless.problem() != nil)
        var narrow = CompliancePolicy.standard
        narrow.contactWindow = ContactWindow(opens: LocalTime(parsing: "09:00")!, closes: LocalTime(parsing: "20:00")!)
        #expect(narrow.problem() == nil)
        let early = S.decide(S.request("2026-04-08T12:30:00Z"), policy: narrow)
        #expect(early.rules == [.quietHours])
        #expect(early.nextAllowedAt == S.t("2026-04-08T13:00:00Z"))
        narrow.contactWindow = ContactWindow(opens: LocalTime(parsing: "07:00")!, closes: LocalTime(parsing: "20:00")!)
        #expect(narrow.problem() != nil)
        var stricter = CompliancePolicy.standard
        stricter.maxCallsPerWeek = 3
        let three = (1...3).map { S.call("2026-04-0\($0)T16:00:00Z") }
        #expect(S.decide(S.request("2026-04-07T16:00:00Z", three), policy: stricter).rules == [.callFrequency])
    }

    @Test("several rules at once: the most restrictive verdict, every rule listed, and the time that passes all")
    func combined() {
        let events = CallRuleTests.aprilWeek + [S.call("2026-04-07T18:02:00Z", .busy)]
        let decision = S.decide(S.request("2026-04-07T18:04:00Z", events))
        #expect(decision.verdict == .block)
        #expect(decision.rules == [.callFrequency, .callRedFlag])
        #expect(decision.nextAllowedAt == S.t("2026-04-08T12:00:00Z"))
    }
}
