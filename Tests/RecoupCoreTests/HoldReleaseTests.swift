import Foundation
import PropertyBased
import Testing

@testable import RecoupCore

@Suite("Holds: releases, the client's file, and the list of holds")
struct HoldReleaseTests {
    typealias S = Scenario

    @Test("an attorney's withdrawal recorded after the notice ends the attorney hold; a later notice places it again")
    func attorneyWithdrawn() {
        let noted = [S.event(.attorney, "2026-04-01T16:00:00Z", debts: ["D1"])]
        let withdrawn = noted + [S.event(.attorneyWithdrawn, "2026-04-03T16:00:00Z", debts: ["D1"])]
        #expect(S.decide(S.request("2026-04-02T16:00:00Z", withdrawn)).rules == [.attorney])
        #expect(S.decide(S.request("2026-04-08T16:00:00Z", withdrawn)).verdict == .allow)
        let again = withdrawn + [S.event(.attorney, "2026-04-05T16:00:00Z", debts: ["D1"])]
        #expect(S.decide(S.request("2026-04-08T16:00:00Z", again)).rules == [.attorney])
        // A withdrawal about another debt, or before the notice, lifts nothing.
        let elsewhere = noted + [S.event(.attorneyWithdrawn, "2026-04-03T16:00:00Z", debts: ["D2"])]
        #expect(S.decide(S.request("2026-04-08T16:00:00Z", elsewhere)).rules == [.attorney])
        let before = [S.event(.attorneyWithdrawn, "2026-03-30T16:00:00Z", debts: ["D1"])] + noted
        #expect(S.decide(S.request("2026-04-08T16:00:00Z", before)).rules == [.attorney])
    }

    @Test("a bankruptcy dismissed after the filing ends the stay; one dismissed before it does not")
    func bankruptcyDismissed() {
        let filed = [S.event(.bankruptcy, "2026-04-01T16:00:00Z")]
        let dismissed = filed + [S.event(.bankruptcyDismissed, "2026-04-03T16:00:00Z")]
        #expect(S.decide(S.request("2026-04-02T16:00:00Z", .sms, dismissed)).rules == [.bankruptcy])
        #expect(S.decide(S.request("2026-04-08T16:00:00Z", .sms, dismissed)).verdict == .allow)
        let earlier = [S.event(.bankruptcyDismissed, "2026-03-01T16:00:00Z")] + filed
        #expect(S.decide(S.request("2026-04-08T16:00:00Z", .sms, earlier)).rules == [.bankruptcy])
    }

    @Test("a debt the client's file marks disputed is held from its import until a verification is sent after it")
    func disputedInFile() {
        var request = S.request("2026-04-08T16:00:00Z", [])
        request.disputedInFileSince = S.t("2026-04-01T16:00:00Z")
        let held = S.decide(request)
        #expect(held.rules == [.dispute])
        #expect(held.nextAllowedAt == nil)
        #expect(
            held.findings[0].reason
                == "The client's file marks D1 disputed (imported on 2026-04-01) and no verification has been sent; "
                + "collection stops until it is.")
        // Before the import nothing was known; the verification letter itself is allowed.
        var before = request
        before.at = S.t("2026-03-31T16:00:00Z")
        #expect(S.decide(before).verdict == .allow)
        var verification = request
        verification.action = .letter
        verification.to = nil
        verification.purpose = .verification
        #expect(S.decide(verification).verdict == .allow)
        // A verification sent before the import answers nothing; one sent after (or at) it does.
        request.events = [S.event(.verificationSent, "2026-03-20T16:00:00Z", debts: ["D1"])]
        #expect(S.decide(request).rules == [.dispute])
        request.events = [S.event(.verificationSent, "2026-04-01T16:00:00Z", debts: ["D1"])]
        #expect(S.decide(request).verdict == .allow)
        request.events = [S.event(.verificationSent, "2026-04-02T16:00:00Z", debts: ["D2"])]
        #expect(S.decide(request).rules == [.dispute])
        // The debtor's own dispute after the verification holds the debt again.
        request.events = [
            S.event(.verificationSent, "2026-04-02T16:00:00Z"), S.event(.dispute, "2026-04-03T16:00:00Z"),
        ]
        #expect(
            S.decide(request).findings.map(\.reason) == [
                "D1 was disputed on 2026-04-03 and no verification has been sent; collection stops until it is."
            ])
    }

    @Test("the holds list: since when, placed and released by which event, the file's dispute placed by nothing")
    func holdsList() {
        let events = [
            S.event(.dispute, "2026-04-01T16:00:00Z", debts: ["D1"]),
            S.event(.verificationSent, "2026-04-03T16:00:00Z", debts: ["D1"]),
            S.event(.attorney, "2026-04-04T16:00:00Z"),
            S.event(.attorney, "2026-04-05T16:00:00Z"),
            S.event(.optOut(channel: .sms, address: nil), "2026-04-06T16:00:00Z"),
            S.event(.bankruptcy, "2026-04-07T16:00:00Z", debts: ["D2"]),
            S.event(.attorneyWithdrawn, "2026-04-08T16:00:00Z"),
            S.event(.cease, "2026-04-20T16:00:00Z"),
        ]
        let holds = ContactHolds.holds(
            of: "D1", events: events, disputedInFileSince: S.t("2026-04-02T00:00:00Z"),
            asOf: S.t("2026-04-10T00:00:00Z"))
        #expect(
            holds == [
                // The file's dispute falls inside the debtor's: the one verification answers both.
                ContactHold(
                    kind: .dispute, since: S.t("2026-04-01T16:00:00Z"), placedBy: 0,
                    releasedAt: S.t("2026-04-03T16:00:00Z"), releasedBy: 1),
                ContactHold(
                    kind: .attorney, since: S.t("2026-04-04T16:00:00Z"), placedBy: 2,
                    releasedAt: S.t("2026-04-08T16:00:00Z"), releasedBy: 6),
                ContactHold(
                    kind: .optOut, since: S.t("2026-04-06T16:00:00Z"), placedBy: 4, channel: .sms, address: nil),
            ])
        let fileOnly = ContactHolds.holds(
            of: "D1", events: [], disputedInFileSince: S.t("2026-04-02T00:00:00Z"), asOf: S.t("2026-04-10T00:00:00Z"))
        #expect(fileOnly == [ContactHold(kind: .dispute, since: S.t("2026-04-02T00:00:00Z"), placedBy: nil)])
        #expect(ContactHold.Kind.dispute.release == .verificationSent)
        #expect(ContactHold.Kind.cease.release == nil)
    }

    @Test("the new event types read and write like the others, in a request, the log and at intake")
    func eventTypes() throws {
        for (kind, name) in [
            (ContactEvent.Kind.attorneyWithdrawn, "attorney_withdrawn"), (.bankruptcyDismissed, "bankruptcy_dismissed"),
        ] {
            #expect(ContactEventCodec.typeName(kind) == name)
            let entry = ContactLogEntry(ContactEvent(kind, at: S.t("2026-04-01T16:00:00Z"), debtIDs: ["D1"]))
            let json = ContactEventCodec.json(entry)
            #expect(json == #"{"type":"\#(name)","at":"2026-04-01T16:00:00Z","debtIds":["D1"]}"#)
            #expect(try ContactEventCodec.entry(json: json) == entry)
            #expect(
                try ContactEventCodec.entry(type: name, at: entry.event.at, debtIDs: #"["D1"]"#, details: "{}") == entry
            )
            let object = try #require(JSONValue.parse(Data(json.utf8)).objectValue)
            #expect(try ContactEventIntake.entry(object) == entry)
        }
    }

    @Test("the holds list agrees with the engine: a hold is active exactly when its rule blocks a collection call")
    func holdsAgreeWithEngine() async {
        let kinds: [ContactEvent.Kind] = [
            .dispute, .verificationSent, .attorney, .attorneyWithdrawn, .bankruptcy, .bankruptcyDismissed, .cease,
            .call(direction: .outbound, to: S.mobile.number, outcome: .noAnswer, messageLeft: false),
        ]
        let start = S.t("2026-04-01T00:00:00Z")
        let step = zip(Gen.int(in: 0..<(10 * 1440)), Gen.int(in: 0..<kinds.count), Gen.int(in: 0...2))
        var blocked = 0
        await propertyCheck(count: 400, input: step.array(of: 0...12), Gen.int(in: -1..<(10 * 1440))) { steps, mark in
            let events = steps.map { minute, kind, debt in
                ContactEvent(
                    kinds[kind], at: start.addingTimeInterval(Double(minute) * 60),
                    debtIDs: debt == 2 ? nil : [debt == 0 ? "D1" : "D2"])
            }
            var request = S.request("2026-04-11T16:00:00Z", events)
            request.disputedInFileSince = mark < 0 ? nil : start.addingTimeInterval(Double(mark) * 60)
            let rules = Set(S.decide(request).rules)
            let active = Set(
                ContactHolds.holds(
                    of: "D1", events: events, disputedInFileSince: request.disputedInFileSince, asOf: request.at
                ).filter(\.isActive).map(\.kind.rule))
            let holdRules: Set<RuleID> = [.dispute, .attorney, .bankruptcy, .cease]
            #expect(rules.intersection(holdRules) == active, "\(events) file \(mark)")
            if !active.isEmpty { blocked += 1 }
        }
        #expect(blocked > 50, "the generated histories should often hold")
    }
}
