import Foundation
import Testing

@testable import RecoupCore

@Suite("Contact events as they arrive to be recorded")
struct ContactEventIntakeTests {
    static let now = Date(timeIntervalSince1970: 1_796_000_000)  // 2026-11-30T00:53:20Z

    func read(_ json: String) throws(ComplianceRequestError) -> ContactEvent {
        try ContactEventIntake.read(try! JSONValue.parse(Data(json.utf8)).objectValue!, now: Self.now)
    }

    func refusal(_ json: String) -> ComplianceRequestError? {
        do {
            _ = try read(json)
            return nil
        } catch {
            return error
        }
    }

    @Test("documented events read")
    func documented() throws {
        let call = try read(
            #"{"type": "call", "at": "2026-11-29T15:00:00Z", "debtIds": ["D1"], "direction": "outbound", "to": "+16175550100", "outcome": "voicemail", "messageLeft": true, "purpose": "collection"}"#
        )
        #expect(call.kind == .call(direction: .outbound, to: "+16175550100", outcome: .voicemail, messageLeft: true))
        #expect(call.debtIDs == ["D1"])
        _ = try read(#"{"type": "dispute", "at": "2026-11-29T15:00:00Z"}"#)
        _ = try read(
            #"{"type": "inconvenient", "at": "2026-11-29T15:00:00Z", "weekdays": ["tue"], "from": "09:00", "to": "12:00"}"#
        )
        _ = try read(#"{"type": "opt_out", "at": "2026-11-29T15:00:00Z", "channel": "sms"}"#)
    }

    @Test(
        "unknown members, values outside the lists and instants outside the window are refused naming the field",
        arguments: [
            (#"{"type": "letter", "at": "2026-11-29T15:00:00Z", "colour": "red"}"#, "colour"),
            (#"{"type": "dispute", "at": "2026-11-29T15:00:00Z", "outcome": "busy"}"#, "outcome"),
            (#"{"type": "call", "at": "2026-11-29T15:00:00Z", "outcome": "hung_up"}"#, "outcome"),
            (
                #"{"type": "call", "at": "2026-11-29T15:00:00Z", "outcome": "busy", "direction": "sideways"}"#,
                "direction"
            ),
            (#"{"type": "sms", "at": "2026-11-29T15:00:00Z", "purpose": "threat"}"#, "purpose"),
            (#"{"type": "telegram", "at": "2026-11-29T15:00:00Z"}"#, "type"),
            (#"{"type": "call", "at": "1830-01-01T12:00:00Z", "outcome": "conversation"}"#, "at"),
            (#"{"type": "letter", "at": "2016-11-01T00:00:00Z"}"#, "at"),
            (#"{"type": "letter", "at": "2026-11-30T01:30:00Z"}"#, "at"),
            (#"{"type": "letter", "at": "nope"}"#, "at"),
            (#"{"type": "dispute", "at": "2026-11-29T15:00:00Z", "debtIds": [""]}"#, "debtIds[0]"),
            (#"{"type": "dispute", "at": "2026-11-29T15:00:00Z", "debtIds": "D1"}"#, "debtIds"),
            (#"{"type": "consent", "at": "2026-11-29T15:00:00Z", "until": "2026-11-01T00:00:00Z"}"#, "until"),
        ])
    func refused(json: String, field: String) {
        let error = refusal(json)
        #expect(error?.field == field, "\(json) → \(String(describing: error))")
    }

    @Test("fifteen minutes ahead of the clock is allowed; an event ten years and a day old is not")
    func window() {
        #expect(refusal(#"{"type": "letter", "at": "2026-11-30T01:05:00Z"}"#) == nil)
        #expect(refusal(#"{"type": "letter", "at": "2016-12-05T00:00:00Z"}"#) == nil)
        #expect(refusal(#"{"type": "letter", "at": "2016-11-20T00:00:00Z"}"#)?.problem.contains("ten years") == true)
    }
}
