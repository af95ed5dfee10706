/// Fees charged when collection reaches a named strategy step, as idempotent ledger postings.
public enum FeeAccrual {
    /// The fee for reaching `step` on `date`, keyed `fee:<step>` so each step charges a debt at most once.
    ///
    /// A flat fee is its amount; a percentage fee is that share of the balance total at the end of `date`,
    /// rounded down. The fee is reduced to what still fits under the fee cap (fees charged so far are the
    /// ledger's `.fee` entries; a percentage cap counts the charges on or before `date`).
    /// Returns nil when the step was already charged, `date` is paused, the balance is zero or less,
    /// or nothing fits under the cap. Throws when the terms have no fee for `step`.
    public static func posting(
        step: String, ledger: Ledger, terms: AccrualTerms, pauses: [AccrualPause], on date: LocalDate
    ) throws(AccrualError) -> LedgerPosting? {
        guard let rule = terms.feeRule(for: step) else {
            throw .unknownFeeStep(step, knownSteps: terms.feeSteps)
        }
        let key = "fee:\(step)"
        guard !ledger.hasEntry(key: key), !pauses.contains(where: { $0.covers(date) }) else { return nil }
        let balance = ledger.balance(asOf: date).total
        guard balance > 0 else { return nil }
        var amount: Int64
        switch rule.charge {
        case .flat(let flat): amount = flat
        case .percentOfBalance(let ppm): amount = PartsPerMillion.share(of: balance, ppm: ppm)
        }
        if let cap = terms.feeCap {
            let room = cap.limit(principalCharged: ledger.principalCharged(through: date)) - ledger.feesCharged
            amount = min(amount, room)
        }
        guard amount > 0 else { return nil }
        return .fee(amount: amount, on: date, key: key)
    }
}
