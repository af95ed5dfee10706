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

    /// The section "The rules" of docs/compliance.md as the repository holds it.
    static let documentation: String = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let text = (try? String(contentsOf: root.appendingPathComponent("docs/compliance.md"), encoding: .utf8)) ?? ""
        guard let start = text.range(of: "\n## The rules\n") else { return "" }
        let rest = text[start.upperBound...]
        return String(rest[..<(rest.range(of: "\n## ")?.lowerBound ?? rest.endIndex)])
    }()

    @Test(
        "every rule id has its row in docs/compliance.md, and the row cites the rule's source",
        arguments: RuleID.allCases)
    func ruleIDs(rule: RuleID) throws {
        #expect(rule.rawValue == rule.rawValue.lowercased())
        let row = try #require(
            Self.documentation.split(separator: "\n").first { $0.hasPrefix("| `\(rule.rawValue)` |") },
            "docs/compliance.md's rules have no table row for \(rule.rawValue)")
        guard rule.citation != "house rule" else { return }
        // "12 CFR 1006.14(b)(2)(i), comment 14(b)(2)(i)-2" → "1006.14(b)(2)(i)" and "14(b)(2)(i)-2": the row names one.
        let parts = rule.citation.replacingOccurrences(of: "12 CFR ", with: "").split(separator: ",").map {
            $0.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "comment ", with: "")
        }
        #expect(parts.contains { row.contains($0) }, "the row for \(rule.rawValue) does not cite \(rule.citation)")
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
