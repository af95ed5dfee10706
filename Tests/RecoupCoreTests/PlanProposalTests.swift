import Foundation
import PropertyBased
import Testing

@testable import RecoupCore

@Suite("Plan proposals")
struct PlanProposalTests {
    func date(_ text: String) -> LocalDate { try! LocalDate(iso: text) }

    /// A request proposed today, 2026-12-01 (the JSON form is read at the edge and tested there: PlanCommandTests).
    func propose(
        _ balance: Int64, _ currency: Currency = .usd, offer amount: Int64, _ frequency: PaymentFrequency = .monthly,
        firstDue: String, terms: PlanTerms = PlanTerms()
    ) -> (PlanRequest, PlanProposal) {
        let request = PlanRequest(
            balance: balance, currency: currency, today: date("2026-12-01"),
            offer: PlanOffer(amount: amount, frequency: frequency, firstDue: date(firstDue)), terms: terms)
        return (request, PlanCalculator.propose(request))
    }

    @Test("the contract's example: 13 monthly installments clamped to month ends, and a 70% settlement")
    func contractExample() throws {
        let (request, proposal) = propose(
            125_000, offer: 10_000, firstDue: "2027-01-31",
            terms: PlanTerms(minInstallment: 2_500, maxInstallments: 24, settlementPercent: 70))
        #expect(proposal.accepted)
        #expect(proposal.reasons.isEmpty)
        let plan = proposal.options[0]
        #expect(plan.kind == .installments)
        #expect(plan.installments.count == 13)
        #expect(
            plan.installments.prefix(4).map(\.due.isoString) == [
                "2027-01-31", "2027-02-28", "2027-03-31", "2027-04-30",
            ])
        #expect(plan.installments.dropLast().allSatisfy { $0.amount == 10_000 })
        #expect(plan.installments.last == Installment(due: date("2028-01-31"), amount: 5_000))
        #expect(proposal.options[1].kind == .settlement)
        #expect(proposal.options[1].installments == [Installment(due: date("2027-01-31"), amount: 87_500)])
        let json = proposal.jsonText(currency: request.currency)
        #expect(
            json.hasPrefix(
                #"{"accepted":true,"options":[{"kind":"installments","count":13,"total":"1250.00","installments":[{"due":"2027-01-31","amount":"100.00"},{"due":"2027-02-28","amount":"100.00"}"#
            ))
        #expect(
            json.hasSuffix(
                #"{"kind":"settlement","total":"875.00","installments":[{"due":"2027-01-31","amount":"875.00"}]}],"reasons":[]}"#
            ))
    }

    @Test("a leap year: Jan 31 → Feb 29 2028 → Mar 31")
    func leapYear() {
        let plan = PlanCalculator.schedule(30_000, 10_000, .monthly, from: date("2028-01-31"))
        #expect(plan.map(\.due.isoString) == ["2028-01-31", "2028-02-29", "2028-03-31"])
        let thirtieth = PlanCalculator.schedule(30_000, 10_000, .monthly, from: date("2027-01-30"))
        #expect(thirtieth.map(\.due.isoString) == ["2027-01-30", "2027-02-28", "2027-03-30"])
    }

    @Test("weekly and biweekly dates run across the year end")
    func yearEnd() {
        #expect(
            PlanCalculator.schedule(300, 100, .weekly, from: date("2026-12-24")).map(\.due.isoString)
                == ["2026-12-24", "2026-12-31", "2027-01-07"])
        #expect(
            PlanCalculator.schedule(300, 100, .biweekly, from: date("2026-12-24")).map(\.due.isoString)
                == ["2026-12-24", "2027-01-07", "2027-01-21"])
    }

    @Test("a remainder of one minor unit is its own last installment")
    func oneCentRemainder() throws {
        let (_, proposal) = propose(10_001, offer: 1_000, firstDue: "2027-01-15")
        let plan = proposal.options[0].installments
        #expect(plan.count == 11)
        #expect(plan.last?.amount == 1)
        #expect(proposal.options[0].total == 10_001)
    }

    @Test("an offer below the minimum is countered with the minimum, and says why")
    func tooSmall() throws {
        let (request, proposal) = propose(
            50_000, offer: 1_000, firstDue: "2027-01-01", terms: PlanTerms(minInstallment: 2_500, maxInstallments: 24))
        #expect(!proposal.accepted)
        #expect(
            proposal.reasons == [
                "The offer of $10.00 is below the smallest installment we can accept, $25.00.",
                "At $10.00 a month the balance of $500.00 would take 50 payments (4 years 2 months); the longest plan "
                    + "we can agree is 24 payments (2 years).",
                "The closest plan is $25.00 a month, 20 payments.",
            ])
        // 500 / 24 = 20.84 (rounded up) is below the minimum, so the minimum decides: 20 installments of 25.00.
        #expect(proposal.options[0].installments.count == 20)
        #expect(proposal.options[0].installments.allSatisfy { $0.amount == 2_500 })
        #expect(request.offer.frequency == .monthly)
    }

    @Test("an offer that takes too long is countered with the smallest installment that fits the count")
    func tooLong() throws {
        let (_, proposal) = propose(
            125_000, offer: 5_000, firstDue: "2027-01-31", terms: PlanTerms(minInstallment: 2_500, maxInstallments: 24))
        #expect(!proposal.accepted)
        #expect(
            proposal.reasons == [
                "At $50.00 a month the balance of $1,250.00 would take 25 payments (2 years 1 month); the longest "
                    + "plan we can agree is 24 payments (2 years).",
                "The closest plan is $52.09 a month, 24 payments.",
            ])
        let plan = proposal.options[0].installments
        #expect(plan.count == 24)
        #expect(plan[0].amount == 5_209)  // 1250.00 / 24 = 52.083… → 52.09
        #expect(plan.last?.amount == 5_193)  // 1250.00 - 23 × 52.09
    }

    @Test("$20 a month on $3,460.00 is not 173 payments over 14 years: the default bounds counter with 36")
    func defaultBounds() throws {
        let (_, proposal) = propose(346_000, offer: 2_000, firstDue: "2027-01-15")
        #expect(!proposal.accepted)
        #expect(
            proposal.reasons == [
                "At $20.00 a month the balance of $3,460.00 would take 173 payments (14 years 5 months); the longest "
                    + "plan we can agree is 36 payments (3 years).",
                "The closest plan is $96.12 a month, 36 payments.",
            ])
        let plan = proposal.options[0].installments
        #expect(plan.count == 36)
        #expect(plan[0].amount == 9_612)  // 3460.00 / 36 = 96.11… → 96.12
        #expect(plan.last == Installment(due: date("2029-12-15"), amount: 9_580))
        // An offer within the defaults is taken as it is.
        let (_, fits) = propose(346_000, offer: 10_000, firstDue: "2027-01-15")
        #expect(fits.accepted)
        #expect(fits.options[0].installments.count == 35)
    }

    @Test("the client's own bounds override the defaults; the months bound counts weekly payments too")
    func clientBounds() throws {
        let (_, longer) = propose(
            346_000, offer: 2_000, firstDue: "2027-01-15", terms: PlanTerms(maxInstallments: 60, maxMonths: 60))
        #expect(!longer.accepted)
        #expect(longer.reasons.last == "The closest plan is $57.67 a month, 60 payments.")
        #expect(longer.options[0].installments.count == 60)
        // 100 weekly payments are allowed, but only within 12 months: 53 (the last 364 days after the first).
        let (_, weekly) = propose(
            346_000, offer: 2_000, .weekly, firstDue: "2027-01-04",
            terms: PlanTerms(maxInstallments: 100, maxMonths: 12))
        #expect(!weekly.accepted)
        #expect(
            weekly.reasons[0]
                == "At $20.00 a week the balance of $3,460.00 would take 173 payments (3 years 3 months); the longest "
                + "plan we can agree is 53 payments (1 year).")
        let plan = weekly.options[0].installments
        #expect(plan.count == 53)
        #expect(plan.last!.due == date("2028-01-03"))
        #expect(plan.allSatisfy { $0.amount <= 6_529 })  // 3460.00 / 53 = 65.28… → 65.29
        #expect(PlanCalculator.maximumCount(PlanTerms(maxMonths: 1), .monthly, from: date("2027-01-31")) == 1)
    }

    @Test("an offer of the whole balance or more is one installment, even below the minimum")
    func wholeBalance() throws {
        let (_, proposal) = propose(
            2_000, offer: 5_000, .weekly, firstDue: "2026-12-01", terms: PlanTerms(minInstallment: 2_500))
        #expect(proposal.accepted)
        #expect(proposal.options[0].installments == [Installment(due: date("2026-12-01"), amount: 2_000)])
    }

    @Test("settlements round up to the minor unit; currencies with 0 and 3 minor digits")
    func settlementsAndCurrencies() throws {
        let (_, cents) = propose(
            125_001, offer: 10_000, firstDue: "2027-01-01", terms: PlanTerms(settlementPercent: 70))
        #expect(cents.options[1].total == 87_501)  // 875.007 → 875.01
        let (yenRequest, yen) = propose(
            10_001, .jpy, offer: 3_000, firstDue: "2027-01-01", terms: PlanTerms(settlementPercent: 33))
        #expect(yen.options[0].installments.map(\.amount) == [3000, 3000, 3000, 1001])
        #expect(yen.options[1].total == 3301)  // 3300.33 → 3301
        #expect(yen.jsonText(currency: yenRequest.currency).contains(#""total":"10001""#))
        let (dinarRequest, dinar) = propose(12_345, .kwd, offer: 5_000, firstDue: "2027-01-01")
        #expect(dinar.options[0].installments.map(\.amount) == [5_000, 5_000, 2_345])
        #expect(dinar.jsonText(currency: dinarRequest.currency).contains(#""amount":"2.345""#))
    }

    @Test("an extension offers the whole balance on one date within the allowed days")
    func extensionOption() throws {
        let (_, proposal) = propose(
            30_000, offer: 10_000, firstDue: "2027-03-01", terms: PlanTerms(maxExtensionDays: 45))
        #expect(proposal.options.map(\.kind) == [.installments, .extension])
        #expect(proposal.options[1].installments == [Installment(due: date("2027-01-15"), amount: 30_000)])
    }

    @Test("a huge balance with a tiny offer is capped at the installment limit, not scheduled forever")
    func installmentLimit() throws {
        let (_, proposal) = propose(9_999_999_999, offer: 1, .weekly, firstDue: "2026-12-07")
        #expect(!proposal.accepted)
        #expect(proposal.options[0].installments.count <= PlanCalculator.installmentLimit)
        #expect(proposal.options[0].total == 9_999_999_999)
    }

    @Test("properties: installments sum to the balance, none exceeds the installment amount, dates strictly increase")
    func properties() async {
        let gen = zip(
            Gen.int64(in: 1...50_000_000), Gen.int64(in: 1...5_000_000), Gen.int(in: 0...2), Gen.int(in: 0...800),
            Gen.int64(in: 0...100_000), Gen.int(in: 0...120), Gen.int(in: 0...72))
        await propertyCheck(count: 300, input: gen) {
            balance, offer, frequencyIndex, startOffset, minimum, maximum, months in
            // 0 leaves the bound to the default.
            let terms = PlanTerms(
                minInstallment: minimum, maxInstallments: maximum == 0 ? nil : maximum, settlementPercent: 50,
                maxMonths: months == 0 ? nil : months)
            let request = PlanRequest(
                balance: balance, currency: .usd, today: date("2026-01-01"),
                offer: PlanOffer(
                    amount: offer, frequency: PaymentFrequency.allCases[frequencyIndex],
                    firstDue: date("2026-01-01").adding(days: startOffset)),
                terms: terms)
            let proposal = PlanCalculator.propose(request)
            let plan = proposal.options[0].installments
            #expect(plan.reduce(0) { $0 + $1.amount } == balance)
            #expect(plan.count <= terms.installmentBound)
            #expect(plan.last!.due < request.offer.firstDue.adding(months: terms.monthsBound))
            let installment = plan[0].amount
            #expect(plan.allSatisfy { $0.amount > 0 && $0.amount <= installment })
            #expect(zip(plan, plan.dropFirst()).allSatisfy { $0.due < $1.due })
            #expect(plan[0].due == request.offer.firstDue)
            if proposal.accepted {
                #expect(installment == min(offer, balance))
            } else {
                #expect(installment >= min(offer, balance))
                #expect(installment >= min(minimum, balance))
                #expect(!proposal.reasons.isEmpty)
            }
            #expect(proposal.options.last?.total == (balance * 50 + 99) / 100)
        }
    }
}
