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
    /// The terms as the API answers them: every member, except that a member with no value is left out (the
    /// document allows both).
    init(_ terms: ClientTerms) {
        let money = { (units: Int64) in DecimalText(Money.decimalString(minorUnits: units, currency: terms.currency)) }
        let percent = { (ppm: Int64) in DecimalText(AccrualTerms.percentText(ppm: ppm)) }
        func cap(_ cap: AccrualCap) -> Components.Schemas.AccrualCap {
            switch cap {
            case .amount(let amount): .case1(.init(amount: money(amount)))
            case .percentOfPrincipal(let ppm): .case2(.init(percentOfPrincipal: percent(ppm)))
            }
        }
        self.init(
            currency: terms.currency.code,
            accrual: .init(
                annualInterestPercent: percent(terms.accrual.annualRatePPM),
                interestCap: terms.accrual.interestCap.map(cap),
                fees: terms.accrual.fees.map { rule in
                    switch rule.charge {
                    case .flat(let amount): .case1(.init(step: rule.step, flat: money(amount)))
                    case .percentOfBalance(let ppm): .case2(.init(step: rule.step, percentOfBalance: percent(ppm)))
                    }
                },
                feeCap: terms.accrual.feeCap.map(cap)),
            plan: .init(
                minInstallment: terms.plan.minInstallment.map { Nullable(money($0)) },
                maxInstallments: terms.plan.maxInstallments.map { Nullable($0) },
                maxMonths: terms.plan.maxMonths.map { Nullable($0) },
                settlementPercent: terms.plan.settlementPercent.map { Nullable($0) },
                maxExtensionDays: terms.plan.maxExtensionDays.map { Nullable($0) }),
            graceDays: terms.graceDays, collector: terms.collectorName.map { Nullable($0) },
            contact: terms.contactLine.map { Nullable($0) })
    }
}

extension ClientTerms {
    /// Terms from a PUT body, checked by Core as a terms file is (`ClientTerms(_: Wire)`): the same refusals, in
    /// the same sentences (`graceDays is 99; use 0 to 60`, `accrual.fees[1].step repeats "a"; …`). The document
    /// has already refused unknown members and values of the wrong kind.
    init(_ body: Components.Schemas.ClientTerms) throws(ComplianceRequestError) {
        try self.init(
            ClientTerms.Wire(
                currency: body.currency,
                accrual: body.accrual.map { accrual in
                    AccrualTerms.Wire(
                        annualInterestPercent: accrual.annualInterestPercent?.text,
                        interestCap: accrual.interestCap.map(AccrualTerms.Wire.Cap.init),
                        fees: accrual.fees?.map(AccrualTerms.Wire.Fee.init),
                        feeCap: accrual.feeCap.map(AccrualTerms.Wire.Cap.init))
                },
                plan: body.plan.map { plan in
                    PlanTerms.Wire(
                        minInstallment: plan.minInstallment?.value?.text, maxInstallments: plan.maxInstallments?.value,
                        settlementPercent: plan.settlementPercent?.value,
                        maxExtensionDays: plan.maxExtensionDays?.value, maxMonths: plan.maxMonths?.value)
                },
                graceDays: body.graceDays, collector: body.collector?.value, contact: body.contact?.value))
    }
}

extension AccrualTerms.Wire.Cap {
    init(_ cap: Components.Schemas.AccrualCap) {
        switch cap {
        case .case1(let amount): self.init(amount: amount.amount.text)
        case .case2(let percent): self.init(percentOfPrincipal: percent.percentOfPrincipal.text)
        }
    }
}

extension AccrualTerms.Wire.Fee {
    init(_ fee: Components.Schemas.FeeRule) {
        switch fee {
        case .case1(let flat): self.init(step: flat.step, flat: flat.flat.text)
        case .case2(let percent): self.init(step: percent.step, percentOfBalance: percent.percentOfBalance.text)
        }
    }
}

extension Components.Schemas.Projection {
    init(_ projection: BalanceProjection, currency: Currency) {
        let money = { (units: Int64) in DecimalText(Money.decimalString(minorUnits: units, currency: currency)) }
        self.init(
            currency: currency.code, from: projection.from.isoString,
            points: projection.points.map { point in
                .init(
                    date: point.date.isoString, principal: money(point.principal), interest: money(point.interest),
                    fees: money(point.fees), total: money(point.total))
            },
            growth: money(projection.growth))
    }
}
