import Testing

@testable import RecoupCore

@Suite("The debt-collector disclosure the portal shows")
struct CollectorDisclosureTests {
    @Test("message lint reads the portal's sentence as the mini-Miranda, and finds nothing forbidden in it")
    func lintReadsIt() {
        let with = MessageLint.check(
            "Acme Collections writes to you. " + CollectorDisclosure.sentence, channel: .letter)
        #expect(!with.findings.contains { $0.rule == "missing-mini-miranda" })
        #expect(!with.findings.contains { $0.severity == .error && !$0.rule.hasPrefix("missing-") })
        // Without it the same letter is missing the disclosure: the check above could fail.
        let without = MessageLint.check("Acme Collections writes to you.", channel: .letter)
        #expect(without.findings.contains { $0.rule == "missing-mini-miranda" })
    }

    @Test("it applies when a collector other than the creditor is named")
    func applies() {
        #expect(CollectorDisclosure.applies(collector: "Acme Collections", creditor: "Harbor Dental"))
        #expect(!CollectorDisclosure.applies(collector: nil, creditor: "Harbor Dental"))
        #expect(!CollectorDisclosure.applies(collector: "Harbor Dental", creditor: "Harbor Dental"))
    }
}
