import Foundation
import Testing

@testable import RecoupCore

/// Input from outside that used to trap the process or be stored when it should have been refused (issue 11).
@Suite("Outside input: no trap, a clear refusal")
struct OutsideInputTests {
    func date(_ text: String) -> LocalDate { try! LocalDate(iso: text) }

    @Test(
        "a plan for a balance near the 64-bit limit is worked out without overflow",
        arguments: [Int64.max, Int64.max - 1, Int64.max / 2 + 1, 9_999_999_999])
    func planNearTheLimit(balance: Int64) {
        // Before: `balance + amount - 1` in installmentCount and `product + 99` in the settlement trapped.
        let request = PlanRequest(
            balance: balance, currency: .usd, today: date("2026-12-01"),
            offer: PlanOffer(amount: balance, frequency: .monthly, firstDue: date("2027-01-01")),
            terms: PlanTerms(maxInstallments: 12, settlementPercent: 99, maxExtensionDays: 30))
        let proposal = PlanCalculator.propose(request)
        #expect(proposal.accepted)
        #expect(proposal.options[0].installments == [Installment(due: date("2027-01-01"), amount: balance)])
        let settlement = proposal.options.first { $0.kind == .settlement }!.installments[0].amount
        // 99 % rounded up, computed exactly: ceil(balance × 99 / 100).
        let (high, low) = balance.magnitude.multipliedFullWidth(by: 99)
        let (quotient, remainder) = UInt64(100).dividingFullWidth((high, low))
        #expect(settlement == Int64(quotient) + (remainder > 0 ? 1 : 0))
        #expect(settlement < balance)
    }

    @Test("a one-cent offer on the largest balance is countered within the installment limit")
    func tinyOfferOnHugeBalance() {
        let request = PlanRequest(
            balance: .max, currency: .usd, today: date("2026-12-01"),
            offer: PlanOffer(amount: 1, frequency: .weekly, firstDue: date("2026-12-02")),
            terms: PlanTerms(maxInstallments: 5_000, maxMonths: PlanTerms.monthsLimit))
        let proposal = PlanCalculator.propose(request)
        #expect(!proposal.accepted)
        let installments = proposal.options[0].installments
        #expect(installments.count == PlanCalculator.installmentLimit)
        #expect(proposal.reasons[0].contains("(more than 1,000 years)"))
        // Without bounds of its own, the defaults: 36 payments.
        let bounded = PlanCalculator.propose(
            PlanRequest(
                balance: .max, currency: .usd, today: date("2026-12-01"),
                offer: PlanOffer(amount: 1, frequency: .weekly, firstDue: date("2026-12-02"))))
        #expect(bounded.options[0].installments.count == PlanTerms.defaultMaxInstallments)
        #expect(bounded.options[0].total == .max)
        #expect(installments.reduce(Int64(0)) { $0 &+ $1.amount } == .max)
    }

    @Test("a payment is refused before the debt was charged and after today anywhere")
    func paymentDates() throws {
        var ledger = Ledger(currency: .usd)
        try ledger.post(.charge(amount: 10_000, on: date("2026-01-10"), key: "c"))
        let now = Date(timeIntervalSince1970: 1_796_000_000)  // 2026-11-30T00:53:20Z
        #expect(throws: LedgerError.dateBeforeCharge(date("2026-01-09"), charged: date("2026-01-10"))) {
            try ledger.checkReceivedDate(date("2026-01-09"), now: now)
        }
        // Already 30 November in Kiribati (UTC+14): allowed; 1 December is not yet anywhere.
        try ledger.checkReceivedDate(date("2026-11-30"), now: now)
        try ledger.checkReceivedDate(date("2026-01-10"), now: now)
        #expect(throws: LedgerError.dateInFuture(date("2026-12-01"), today: date("2026-11-30"))) {
            try ledger.checkReceivedDate(date("2026-12-01"), now: now)
        }
        #expect(
            LedgerError.dateInFuture(date("2026-12-01"), today: date("2026-11-30")).description.contains("after today"))
    }

    @Test("the validation period of a notice sent on 9999-12-31 is a clear error, not a five-digit year")
    func validationPeriodAtTheEndOfTime() throws {
        #expect {
            try ValidationPeriod(sent: date("9999-12-31"))
        } throws: { error in
            "\(error)".contains("after 9999-12-31")
        }
        let latest = try ValidationPeriod(sent: ValidationPeriod.latestSent)
        #expect(latest.periodEnds.year == 9999)
    }
}
