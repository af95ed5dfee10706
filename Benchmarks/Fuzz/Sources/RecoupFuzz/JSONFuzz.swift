import Foundation
import RecoupCore

/// The JSON parser alone, through both of its entry points.
func fuzzJSON(_ bytes: UnsafeRawBufferPointer) {
    let fromBuffer = try? JSONValue.parse(bytes)
    let fromData = try? JSONValue.parse(Data(bytes))
    fuzzCheck(fromBuffer == fromData, "the two entry points of JSONValue.parse disagree")
}

/// A compliance request, decided when it reads; a policy on its own.
func fuzzCompliance(_ bytes: UnsafeRawBufferPointer) {
    let data = Data(bytes)
    if let request = try? ComplianceRequest(json: data) {
        let decision = ComplianceEngine.decide(request, policy: request.policy ?? .standard)
        _ = decision.jsonText
    }
    _ = try? CompliancePolicy(json: data)
}

/// Accrual terms (in a currency picked by the first byte) and client terms: what reads is written back, by the
/// hand-written writer (`jsonText`, the command line's output) and by `JSONEncoder`, and must read again as the
/// same value.
func fuzzTermsJSON(_ bytes: UnsafeRawBufferPointer) {
    var reader = ByteReader(bytes)
    let currency = moneyCurrencies[Int(reader.byte()) % moneyCurrencies.count]
    let data = reader.rest()
    if let terms = try? AccrualTerms(json: data, currency: currency) {
        let text = terms.jsonText(currency: currency)
        let again = try? AccrualTerms(json: Data(text.utf8), currency: currency)
        fuzzCheck(again == terms, "AccrualTerms round trip: \(text)")
        let encoded = try? JSONEncoder().encode(AccrualTerms.Wire(terms, currency: currency))
        let decoded = encoded.flatMap { try? AccrualTerms(json: $0, currency: currency) }
        fuzzCheck(decoded == terms, "AccrualTerms round trip through JSONEncoder: \(text)")
        accrue(terms, currency: currency)
    }
    if let terms = try? ClientTerms(json: data) {
        let text = terms.jsonText
        let again = try? ClientTerms(json: Data(text.utf8))
        fuzzCheck(again == terms, "ClientTerms round trip: \(text)")
        let encoded = try? terms.encodedJSON()
        fuzzCheck(encoded.flatMap { try? ClientTerms(json: $0) } == terms, "ClientTerms round trip: encodedJSON")
    }
}

/// Applies terms read from outside to a small and a very large debt (ten billion minor units, about the most an
/// amount read from outside may be): every fee step, interest over 30 years, a 12-month projection.
private func accrue(_ terms: AccrualTerms, currency: Currency) {
    let chargedOn = try! LocalDate(iso: "2026-01-15")
    for principal: Int64 in [125_000, 10_000_000_000] {
        var ledger = Ledger(currency: currency)
        _ = try? ledger.post(.charge(amount: principal, on: chargedOn, key: "charge"))
        var date = chargedOn
        for step in terms.feeSteps {
            date = date.adding(days: 30)
            if let posting = try? FeeAccrual.posting(step: step, ledger: ledger, terms: terms, pauses: [], on: date) {
                _ = try? ledger.post(posting)
            }
        }
        let through = chargedOn.adding(months: 360)
        if let posting = InterestAccrual.posting(
            ledger: ledger, terms: terms, pauses: [], accruesAfter: chargedOn, through: through)
        {
            _ = try? ledger.post(posting)
        }
        let projection = BalanceProjection(
            ledger: ledger, terms: terms, pauses: [], accruesAfter: chargedOn, from: through, months: 12)
        _ = projection.jsonText(currency: currency)
        _ = ledger.balance.total
    }
}
