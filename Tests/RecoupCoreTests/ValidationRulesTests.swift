import Foundation
import Testing

@testable import RecoupCore

/// `validation-notice` and `validation-period`: a debt collector's notice comes first, and a final notice waits for
/// the end of the validation period, counted past weekends and federal holidays.
@Suite("Validation notice rules")
struct ValidationRulesTests {
    static func email(
        _ at: String, purpose: ContactPurpose = .collection, sent: String?, owed: Bool = true,
        kind: DebtorKind = .consumer
    ) -> ComplianceRequest {
        var request = Scenario.request(
            at, .email, to: "pat@example.com", purpose: purpose, debtor: Scenario.consumer(kind: kind))
        if owed { request.validationNotice = ValidationNoticeFacts(sentAt: sent.map(Scenario.t)) }
        return request
    }

    static func rules(_ decision: Decision) -> [String] {
        decision.findings.filter { $0.effect == .block }.map(\.rule.rawValue)
    }

    @Test("before the notice is sent, collection waits; the notice itself and a creditor's own mail do not")
    func noticeFirst() {
        let waiting = ComplianceEngine.decide(Self.email("2026-06-01T15:00:00Z", sent: nil))
        #expect(Self.rules(waiting) == ["validation-notice"])
        #expect(waiting.verdict == .block)
        #expect(waiting.nextAllowedAt == nil, "nothing in the history lifts it")
        #expect(waiting.findings.first?.reason.contains("No validation notice about D1 has been sent") == true)
        #expect(waiting.findings.first?.citation == "12 CFR 1006.34(a)(1)")

        let notice = ComplianceEngine.decide(
            Self.email("2026-06-01T15:00:00Z", purpose: .validationNotice, sent: nil))
        #expect(Self.rules(notice).isEmpty)
        let demand = ComplianceEngine.decide(Self.email("2026-06-01T15:00:00Z", purpose: .demand, sent: nil))
        #expect(Self.rules(demand) == ["validation-notice"])
        // A creditor collecting its own debt owes no notice; nor does anyone for a business debt.
        #expect(Self.rules(ComplianceEngine.decide(Self.email("2026-06-01T15:00:00Z", sent: nil, owed: false))).isEmpty)
        #expect(
            Self.rules(ComplianceEngine.decide(Self.email("2026-06-01T15:00:00Z", sent: nil, kind: .commercial)))
                .isEmpty)
        // A notice recorded later than the moment checked does not count yet.
        let early = ComplianceEngine.decide(Self.email("2026-06-01T15:00:00Z", sent: "2026-06-02T15:00:00Z"))
        #expect(Self.rules(early) == ["validation-notice"])
    }

    @Test(
        "a final notice waits until the day after the period ends; other collection goes on",
        arguments: [
            // Monday 1 June 2026: received Monday 8 June, ends Wednesday 8 July (docs/compliance.md's example).
            ("2026-06-01T15:00:00Z", "2026-07-08", "2026-07-09"),
            // Wednesday 25 November: Thanksgiving (Thursday 26) is not counted: received Thursday 3 December,
            // ends Saturday 2 January 2027.
            ("2026-11-25T15:00:00Z", "2027-01-02", "2027-01-03"),
            // Wednesday 23 December: Christmas (Friday 25) is not counted: received Thursday 31 December, ends
            // Saturday 30 January 2027.
            ("2026-12-23T15:00:00Z", "2027-01-30", "2027-01-31"),
            // Thursday 2 July: Independence Day falls on a Saturday and is observed on Friday 3 July, which is not
            // counted: received Friday 10 July, ends Sunday 9 August.
            ("2026-07-02T15:00:00Z", "2026-08-09", "2026-08-10"),
        ])
    func period(sent: String, lastDay: String, allowed: String) throws {
        let last = ComplianceEngine.decide(Self.email("\(lastDay)T16:00:00Z", purpose: .demand, sent: sent))
        #expect(Self.rules(last) == ["validation-period"], "\(sent)")
        let finding = try #require(last.findings.first { $0.rule == .validationPeriod })
        #expect(finding.reason.contains("ends on \(lastDay)"), "\(finding.reason)")
        // The first instant of the next day in the debtor's zone (New York).
        let zone = TimeZone(identifier: "America/New_York")!
        #expect(finding.allowedFrom.map { LocalDate($0, in: zone).isoString } == allowed)
        #expect(finding.allowedFrom.map { LocalDate($0.addingTimeInterval(-1), in: zone).isoString } == lastDay)
        #expect(
            Self.rules(ComplianceEngine.decide(Self.email("\(allowed)T16:00:00Z", purpose: .demand, sent: sent)))
                .isEmpty)
        #expect(Self.rules(ComplianceEngine.decide(Self.email("\(lastDay)T16:00:00Z", sent: sent))).isEmpty)
    }

    @Test("the request reads validationNotice from JSON; the purposes validation_notice and demand")
    func json() throws {
        let text = """
            {"at": "2026-06-10T15:00:00Z", "action": "email", "debtId": "D1", "to": "pat@example.com",
             "purpose": "demand", "debtor": {"kind": "consumer", "timeZones": ["America/New_York"],
             "emails": [{"address": "pat@example.com", "type": "personal"}]}, "validationNotice": {"sentAt": "2026-06-01T15:00:00Z"}}
            """
        let request = try ComplianceRequest(json: Data(text.utf8))
        #expect(request.purpose == .demand)
        #expect(request.validationNotice == ValidationNoticeFacts(sentAt: Scenario.t("2026-06-01T15:00:00Z")))
        #expect(Self.rules(ComplianceEngine.decide(request)) == ["validation-period"])
        let unsent = try ComplianceRequest(
            json: Data(text.replacingOccurrences(of: #""2026-06-01T15:00:00Z""#, with: "null").utf8))
        #expect(unsent.validationNotice == ValidationNoticeFacts(sentAt: nil))
        #expect(Self.rules(ComplianceEngine.decide(unsent)) == ["validation-notice"])
        #expect(throws: ComplianceRequestError.self) {
            try ComplianceRequest(json: Data(text.replacingOccurrences(of: #"{"sentAt""#, with: #"["sentAt""#).utf8))
        }
    }
}
