import Foundation
import RecoupCore
import Testing

@Suite("Reading compliance check requests")
struct ComplianceRequestTests {
    static let contractExample = """
        {"at": "2026-04-08T16:00:00Z", "action": "call", "debtId": "D1", "to": "+16175550100", "purpose": "collection",
         "debtor": {"kind": "consumer", "timeZones": ["America/New_York"],
                    "phones": [{"number": "+16175550100", "type": "mobile"}], "emails": [{"address": "pat@example.com"}],
                    "addresses": [{"type": "home", "state": "MA", "postalCode": "02118", "country": "US"}]},
         "events": [
           {"type": "call", "at": "2026-04-01T16:00:00Z", "debtIds": ["D1"], "direction": "outbound",
            "to": "+16175550100", "outcome": "voicemail", "messageLeft": true},
           {"type": "consent", "at": "2026-04-05T12:00:00Z", "debtIds": ["D1"], "until": "2026-04-06T23:59:59-04:00"},
           {"type": "inconvenient", "at": "2026-04-02T12:00:00Z", "weekdays": ["tue", "thu"], "from": "09:00", "to": "12:00"},
           {"type": "opt_out", "at": "2026-04-02T12:00:00Z", "channel": "email", "address": "pat@example.com"},
           {"type": "inconvenient_place", "at": "2026-04-02T12:00:00Z", "place": "work"}
         ]}
        """

    @Test("the contract's example reads into values")
    func contractExample() throws {
        let request = try ComplianceRequest(json: Data(Self.contractExample.utf8))
        #expect(request.action == .call)
        #expect(request.debtID == "D1")
        #expect(request.purpose == .collection)
        #expect(request.at == ISO8601Instant.parse("2026-04-08T16:00:00Z"))
        #expect(request.debtor.kind == .consumer)
        #expect(request.debtor.timeZones == ["America/New_York"])
        #expect(request.debtor.phones.first?.type == .mobile)
        #expect(request.debtor.addresses.first?.state == "MA")
        #expect(request.events.count == 5)
        #expect(
            request.events[0].kind
                == .call(direction: .outbound, to: "+16175550100", outcome: .voicemail, messageLeft: true))
        #expect(request.events[0].debtIDs == ["D1"])
        #expect(request.events[1].kind == .consent(until: ISO8601Instant.parse("2026-04-07T03:59:59Z")))
        #expect(
            request.events[2].kind
                == .inconvenient(
                    weekdays: [2, 4], from: LocalTime(hour: 9, minute: 0), to: LocalTime(hour: 12, minute: 0),
                    until: nil))
        #expect(request.events[2].debtIDs == nil)
        #expect(request.events[3].kind == .optOut(channel: .email, address: "pat@example.com"))
        #expect(request.events[4].kind == .inconvenientPlace(.work))
    }

    @Test(
        "a bad request names the field",
        arguments: [
            ("not json", "the request is not valid JSON"),
            ("[]", "the request must be a JSON object"),
            (#"{"action": "call", "debtId": "D1", "debtor": {"kind": "consumer"}}"#, "at is missing"),
            (
                #"{"at": "yesterday", "action": "call", "debtId": "D1", "debtor": {"kind": "consumer"}}"#,
                "at is \"yesterday\""
            ),
            (
                #"{"at": "2026-04-08T16:00:00Z", "action": "fax", "debtId": "D1", "debtor": {"kind": "consumer"}}"#,
                "action is \"fax\"; use one of call, voicemail, sms, email, letter"
            ),
            (#"{"at": "2026-04-08T16:00:00Z", "action": "call", "debtor": {"kind": "consumer"}}"#, "debtId is missing"),
            (
                #"{"at": "2026-04-08T16:00:00Z", "action": "call", "debtId": "D1", "debtor": {"kind": "alien"}}"#,
                "debtor.kind is \"alien\""
            ),
            (
                #"{"at": "2026-04-08T16:00:00Z", "action": "call", "debtId": "D1", "debtor": {"kind": "consumer", "timeZones": ["Mars/Olympus"]}}"#,
                "debtor.timeZones[0] is \"Mars/Olympus\", not an IANA time zone"
            ),
            (
                #"{"at": "2026-04-08T16:00:00Z", "action": "call", "debtId": "D1", "debtor": {"kind": "consumer", "phones": [{"number": "617"}]}}"#,
                "debtor.phones[0] number \"617\" is not in E.164 form"
            ),
            (
                #"{"at": "2026-04-08T16:00:00Z", "action": "call", "debtId": "D1", "debtor": {"kind": "consumer"}, "events": [{"type": "visit", "at": "2026-04-01T16:00:00Z"}]}"#,
                "events[0] type \"visit\" is not an event type"
            ),
            (
                #"{"at": "2026-04-08T16:00:00Z", "action": "call", "debtId": "D1", "debtor": {"kind": "consumer"}, "events": [{"type": "call", "at": "2026-04-01T16:00:00Z", "outcome": "ringing"}]}"#,
                "events[0].outcome is \"ringing\""
            ),
            (
                #"{"at": "2026-04-08T16:00:00Z", "action": "call", "debtId": "D1", "debtor": {"kind": "consumer"}, "events": [{"type": "inconvenient", "at": "2026-04-01T16:00:00Z", "weekdays": ["someday"]}]}"#,
                "events[0].weekdays[0] is \"someday\""
            ),
            (
                #"{"at": "2026-04-08T16:00:00Z", "action": "call", "debtId": "D1", "debtor": {"kind": "consumer"}, "events": [{"type": "call", "at": "2026-04-01T16:00:00Z", "outcome": "busy", "messageLeft": "yes"}]}"#,
                "events[0].messageLeft must be true or false"
            ),
        ])
    func namesTheField(json: String, expected: String) {
        do {
            _ = try ComplianceRequest(json: Data(json.utf8))
            Issue.record("accepted: \(json)")
        } catch {
            #expect(error.description.hasPrefix(expected), "\(error.description)")
        }
    }
}
