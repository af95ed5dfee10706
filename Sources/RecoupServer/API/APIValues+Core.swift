import Foundation
import RecoupAPI
import RecoupCore

// The API's answers made from Core's values: one initializer per documented schema. Amounts are written with the
// currency's minor digits, instants in UTC with a Z, as the command line writes them.

extension Components.Schemas.Decision {
    init(_ decision: Decision) {
        self.init(
            decision: .init(rawValue: decision.verdict.rawValue) ?? .block,
            rules: decision.findings.map { finding in
                Components.Schemas.RuleFinding(
                    rule: finding.rule.rawValue, effect: .init(rawValue: finding.effect.rawValue) ?? .block,
                    citation: finding.citation, reason: finding.reason)
            },
            nextAllowedAt: Nullable(decision.nextAllowedAt.map(ISO8601Instant.format)))
    }
}

extension Components.Schemas.LintResult {
    init(_ result: LintResult) {
        self.init(
            ok: result.ok, limitedContent: Nullable(result.limitedContent),
            findings: result.findings.map { finding in
                Components.Schemas.LintFinding(
                    rule: finding.rule, severity: .init(rawValue: finding.severity.rawValue) ?? .error,
                    excerpt: Nullable(finding.excerpt), message: finding.message)
            })
    }
}

extension Components.Schemas.ValidationPeriod {
    init(_ period: ValidationPeriod) {
        self.init(
            sent: period.sent.isoString, assumedReceived: period.assumedReceived.isoString,
            periodEnds: period.periodEnds.isoString)
    }
}

extension Components.Schemas.AgingReport {
    init(_ report: AgingReport) {
        let document = AgingReportDocument(report)
        self.init(
            asOf: document.asOf, currency: document.currency,
            buckets: document.buckets.map { bucket in
                .init(
                    bucket: .init(rawValue: bucket.bucket) ?? .current, count: bucket.count,
                    amount: DecimalText(bucket.amount))
            },
            total: .init(count: document.total.count, amount: DecimalText(document.total.amount)))
    }
}

extension Components.Schemas.PlanProposal {
    init(_ proposal: PlanProposal, currency: Currency) {
        let money = { (units: Int64) in DecimalText(Money.decimalString(minorUnits: units, currency: currency)) }
        self.init(
            accepted: proposal.accepted,
            options: proposal.options.map { option in
                Components.Schemas.PlanOption(
                    kind: .init(rawValue: option.kind.rawValue) ?? .installments,
                    count: option.kind == .installments ? option.installments.count : nil,
                    total: money(option.total),
                    installments: option.installments.map { .init(due: $0.due.isoString, amount: money($0.amount)) })
            },
            reasons: proposal.reasons)
    }
}

extension Components.Schemas.ClientTerms {
    /// The terms as Core writes them (every member, the shape the store keeps), read as the document's type: a
    /// member the document does not allow fails here rather than reaching a caller.
    init(_ terms: ClientTerms) throws {
        self = try JSONDecoder().decode(Self.self, from: Data(terms.jsonText.utf8))
    }
}
