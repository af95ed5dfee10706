import Foundation
import RecoupCore

/// The first and last dates `LocalDate(iso:)` reads: every date a request can carry.
let firstReadableDay = try! LocalDate(year: 1, month: 1, day: 1).daysSinceEpoch
let lastReadableDay = try! LocalDate(year: 9999, month: 12, day: 31).daysSinceEpoch

/// A readable date from four bytes.
func readableDate(_ reader: inout ByteReader) -> LocalDate {
    let span = UInt64(lastReadableDay - firstReadableDay + 1)
    return LocalDate(daysSinceEpoch: firstReadableDay + Int(reader.unsigned(4) % span))
}

/// A plan proposal from raw bytes: the balance, the offered installment and the minimum installment are any
/// `Int64` (biased towards the ends of the range), the dates any that `LocalDate(iso:)` reads with the first
/// due date on or after today, and the other terms any value the plan request readers (`PlanRequest(_:)` of the API
/// and `recoup plan propose`, `PlanTerms.validate`) accept.
///
/// The proposal must pay the balance exactly, in at most `installmentLimit` installments that are all positive.
func fuzzPlan(_ bytes: UnsafeRawBufferPointer) {
    var reader = ByteReader(bytes)
    let balance = reader.int64()
    let amount = reader.int64()
    let control = reader.byte()
    let currency = moneyCurrencies[Int(control % 3)]
    let frequency = PaymentFrequency.allCases[Int(control / 3 % 3)]
    let today = readableDate(&reader)
    let firstDue = LocalDate(daysSinceEpoch: min(lastReadableDay, today.daysSinceEpoch + Int(reader.unsigned(2))))
    var terms = PlanTerms()
    let present = reader.byte()
    if present & 1 != 0 { terms.minInstallment = reader.int64() }
    if present & 2 != 0 { terms.maxInstallments = max(1, Int(truncatingIfNeeded: reader.int64())) }
    if present & 4 != 0 { terms.settlementPercent = 1 + Int(reader.byte() % 100) }
    if present & 8 != 0 { terms.maxExtensionDays = Int(reader.unsigned(2) % 3_651) }
    let request = PlanRequest(
        balance: balance, currency: currency, today: today,
        offer: PlanOffer(amount: amount, frequency: frequency, firstDue: firstDue), terms: terms)
    let proposal = PlanCalculator.propose(request)
    _ = proposal.jsonText(currency: currency)
    // Only what the request readers let through carries the promise: positive amounts, a non-negative minimum.
    guard balance > 0, amount > 0, (terms.minInstallment ?? 0) >= 0, let plan = proposal.options.first else { return }
    fuzzCheck(plan.installments.count <= PlanCalculator.installmentLimit, "more installments than the limit")
    fuzzCheck(plan.installments.allSatisfy { $0.amount > 0 }, "an installment of zero or less")
    fuzzCheck(plan.total == balance, "the installments add up to \(plan.total), not the balance \(balance)")
}
