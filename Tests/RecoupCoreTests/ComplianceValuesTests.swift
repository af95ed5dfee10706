import Foundation
import RecoupCore
import Testing

@Suite("Compliance values")
struct ComplianceValuesTests {
    @Test("a decision is the most restrictive of its findings")
    func verdictIsMostRestrictive() {
        #expect(Decision(findings: []).verdict == .allow)
        let review = RuleFinding(rule: .callRedFlag, effect: .review, reason: "second call within 5 minutes")
        let block = RuleFinding(rule: .quietHours, effect: .block, reason: "21:05 in America/New_York")
        #expect(Decision(findings: [review]).verdict == .review)
        #expect(Decision(findings: [review, block]).verdict == .block)
        #expect(Decision(findings: [block, review]).verdict == .block)
    }

    @Test("every rule id matches docs/compliance.md and has a citation", arguments: RuleID.allCases)
    func ruleIDs(rule: RuleID) {
        #expect(rule.rawValue == rule.rawValue.lowercased())
        #expect(!rule.citation.isEmpty)
        #expect(RuleID(rawValue: rule.rawValue) == rule)
    }

    @Test("busy and not-in-service calls are the only ones not counted")
    func countedOutcomes() {
        #expect(CallOutcome.allCases.filter { !$0.isCounted } == [.busy, .notInService])
    }

    @Test(
        "local times parse strictly",
        arguments: [("08:00", 480), ("20:59", 1259), ("00:00", 0), ("24:00", 1440), ("21:00", 1260)])
    func localTimes(text: String, minutes: Int) throws {
        let time = try #require(LocalTime(parsing: text))
        #expect(time.minutes == minutes)
        #expect(time.description == text)
    }

    @Test("malformed local times are refused", arguments: ["8:00", "24:01", "12:60", "noon", "12-00", ""])
    func malformedLocalTimes(text: String) {
        #expect(LocalTime(parsing: text) == nil)
    }

    @Test("an event without debt ids concerns every debt")
    func eventDebtScope() {
        let all = ContactEvent(.cease, at: Date(timeIntervalSince1970: 0))
        let one = ContactEvent(.dispute, at: Date(timeIntervalSince1970: 0), debtIDs: ["D1"])
        #expect(all.concerns("D2"))
        #expect(one.concerns("D1"))
        #expect(!one.concerns("D2"))
    }
}
