import Foundation
import RecoupCore
import Testing

/// The worked example of docs/compliance.md as the contract's JSON: a message on Apr 1, unanswered calls Apr 2–7.
enum ComplianceFixtures {
    static func request(at: String, action: String = "call", extraEvents: [String] = []) -> String {
        let calls = (2...7).map {
            #"{"type":"call","at":"2026-04-0\#($0)T16:00:00Z","debtIds":["D1"],"direction":"outbound","to":"+16175550100","outcome":"no_answer"}"#
        }
        let events =
            [
                #"{"type":"call","at":"2026-04-01T16:00:00Z","debtIds":["D1"],"direction":"outbound","to":"+16175550100","outcome":"voicemail","messageLeft":true}"#
            ]
            + calls + extraEvents
        return """
            {"at": "\(at)", "action": "\(action)", "debtId": "D1", "to": "+16175550100", "purpose": "collection",
             "debtor": {"kind": "consumer", "timeZones": ["America/New_York"],
                        "phones": [{"number": "+16175550100", "type": "mobile"}],
                        "emails": [{"address": "pat@example.com"}],
                        "addresses": [{"type": "home", "state": "NY", "postalCode": "10001", "country": "US"}]},
             "events": [\(events.joined(separator: ",\n"))]}
            """
    }

    static let eighthCallDecision =
        #"{"decision":"block","rules":[{"rule":"call-frequency","effect":"block","citation":"12 CFR 1006.14(b)(2)(i)(A)","reason":"7 calls about D1 already placed in the 7 days ending 2026-04-07; the limit is 7."}],"nextAllowedAt":"2026-04-08T12:00:00Z"}"#
}

@Suite("recoup compliance on the command line")
struct ComplianceCommandTests {
    @Test("check reads a file or standard input and prints the contract's decision")
    func check() async throws {
        let recoup = try RecoupBinary()
        let file = try recoup.write(ComplianceFixtures.request(at: "2026-04-07T18:00:00Z"), to: "request.json")
        let blocked = try await recoup.run(["compliance", "check", file])
        #expect(blocked.status == 0)
        #expect(blocked.standardOutput == ComplianceFixtures.eighthCallDecision + "\n")
        let allowed = try await recoup.run(
            ["compliance", "check", "-"], input: ComplianceFixtures.request(at: "2026-04-08T16:00:00Z"))
        #expect(allowed.status == 0)
        #expect(
            allowed.standardOutput == #"{"decision":"allow","rules":[],"nextAllowedAt":"2026-04-08T16:00:00Z"}"# + "\n")
        let ceased = try await recoup.run(
            ["compliance", "check"],
            input: ComplianceFixtures.request(
                at: "2026-04-08T16:00:00Z", extraEvents: [#"{"type":"cease","at":"2026-04-07T20:00:00Z"}"#]))
        #expect(
            ceased.standardOutput.hasPrefix(
                #"{"decision":"block","rules":[{"rule":"cease","effect":"block","citation":"12 CFR 1006.6(c)""#))
        #expect(ceased.standardOutput.hasSuffix(#""nextAllowedAt":null}"# + "\n"))
    }

    @Test("a client's policy file changes the house rules and may not loosen the law")
    func policy() async throws {
        let recoup = try RecoupBinary()
        let request = try recoup.write(
            ComplianceFixtures.request(at: "2026-04-08T12:30:00Z"), to: "request.json")
        let narrow = try recoup.write(#"{"contactWindow": {"opens": "09:00", "closes": "20:00"}}"#, to: "narrow.json")
        let result = try await recoup.run(["compliance", "check", request, "--policy", narrow])
        #expect(result.standardOutput.contains(#""rule":"quiet-hours""#))
        #expect(result.standardOutput.contains(#""nextAllowedAt":"2026-04-08T13:00:00Z""#))
        let lawless = try recoup.write(#"{"disabled": ["quiet-hours"]}"#, to: "lawless.json")
        let refused = try await recoup.run(["compliance", "check", request, "--policy", lawless])
        #expect(refused.status == 2)
        #expect(refused.standardError.contains("quiet-hours is the law"))
    }

    @Test(
        "invalid requests exit 2 with one sentence naming the field",
        arguments: [
            ("not json", "the request is not valid JSON"),
            (#"{"action": "call"}"#, "at is missing"),
            (
                #"{"at": "yesterday", "action": "call", "debtId": "D1", "debtor": {"kind": "consumer"}}"#,
                "at is \"yesterday\""
            ),
            (
                #"{"at": "2026-04-08T16:00:00Z", "action": "fax", "debtId": "D1", "debtor": {"kind": "consumer"}}"#,
                "action is \"fax\"; use one of call, voicemail, sms, email, letter"
            ),
            (
                #"{"at": "2026-04-08T16:00:00Z", "action": "call", "debtId": "D1", "debtor": {"kind": "consumer", "timeZones": ["Mars/Olympus"]}}"#,
                "debtor.timeZones[0] is \"Mars/Olympus\""
            ),
            (
                #"{"at": "2026-04-08T16:00:00Z", "action": "call", "debtId": "D1", "debtor": {"kind": "consumer"}, "events": [{"type": "telegram", "at": "2026-04-01T16:00:00Z"}]}"#,
                "events[0] type \"telegram\" is not an event type"
            ),
            (
                #"{"at": "2026-04-08T16:00:00Z", "action": "call", "debtId": "D1", "debtor": {"kind": "consumer"}, "events": [{"type": "call", "at": "2026-04-01T16:00:00Z", "outcome": "ringing"}]}"#,
                "events[0].outcome is \"ringing\""
            ),
        ])
    func invalid(input: String, expected: String) async throws {
        let recoup = try RecoupBinary()
        let result = try await recoup.run(["compliance", "check", "-"], input: input)
        #expect(result.status == 2)
        #expect(result.standardOutput == "")
        #expect(result.standardError.hasPrefix("recoup: "))
        #expect(result.standardError.contains(expected))
        #expect(result.standardError.split(separator: "\n").count == 1)
    }

    @Test("validation-period: the docs/compliance.md example, a holiday in the count, and a bad date")
    func validationPeriod() async throws {
        let recoup = try RecoupBinary()
        let june = try await recoup.run(["compliance", "validation-period", "--sent", "2026-06-01"])
        #expect(
            june.standardOutput == #"{"sent":"2026-06-01","assumedReceived":"2026-06-08","periodEnds":"2026-07-08"}"#
                + "\n")
        // Sent Wed 2026-11-25: Thu 26 is Thanksgiving, so Fri 27, Mon 30, Tue 1, Wed 2, Thu 3 Dec.
        let thanksgiving = try await recoup.run(["compliance", "validation-period", "--sent", "2026-11-25"])
        #expect(thanksgiving.standardOutput.contains(#""assumedReceived":"2026-12-03","periodEnds":"2027-01-02""#))
        let bad = try await recoup.run(["compliance", "validation-period", "--sent", "2026-02-30"])
        #expect(bad.status == 2)
        #expect(bad.standardError.contains("February 2026 has 28 days"))
    }

    @Test("lint prints findings for a threatening text and passes a compliant one")
    func lint() async throws {
        let recoup = try RecoupBinary()
        let threat = try await recoup.run(
            ["compliance", "lint", "--channel", "sms"], input: "Pay now or you will be arrested and go to jail.")
        #expect(threat.status == 0)
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(threat.standardOutput.utf8)) as? [String: Any])
        #expect(object["ok"] as? Bool == false)
        #expect(object["limitedContent"] is NSNull)
        let rules = (object["findings"] as? [[String: Any]])?.compactMap { $0["rule"] as? String } ?? []
        #expect(rules.contains("threat-arrest"))
        let unknown = try await recoup.run(["compliance", "lint", "--channel", "fax"], input: "hello")
        #expect(unknown.status == 2)
    }
}
