/// The kinds of ledger entry. Stored by their raw values.
public enum LedgerEntryKind: String, CaseIterable, Codable, Sendable {
    /// Principal charged (the invoice or the debt itself).
    case charge
    /// Interest accrued.
    case interest
    /// A fee charged.
    case fee
    /// A payment received, allocated across the components.
    case payment
    /// A payment undone (returned cheque, chargeback): exactly the reversed payment's allocation, added back.
    case paymentReversal = "payment_reversal"
    /// Money paid back to the debtor out of a credit (an overpayment): raises principal toward zero.
    case refund
    /// A correction of one component, up or down.
    case adjustment
    /// The remaining balance removed as uncollectable.
    case writeOff = "write_off"
}

/// One append-only line of a debt's ledger.
public struct LedgerEntry: Hashable, Sendable {
    /// What happened.
    public var kind: LedgerEntryKind
    /// The business date the entry takes effect (its balance counts from the end of this day).
    public var effectiveDate: LocalDate
    /// The entry's face amount in minor units: what was charged, paid or reversed (signed only for adjustments).
    public var amount: Int64
    /// The signed change the entry makes to each balance component.
    public var effect: ComponentAmounts
    /// A key unique within the debt: posting the same key again changes nothing.
    public var idempotencyKey: String
    /// For a reversal, the idempotency key of the payment it undoes.
    public var reversedKey: String?

    /// Makes an entry; `Ledger.post` computes entries for you, this is for loading stored ones.
    public init(
        kind: LedgerEntryKind, effectiveDate: LocalDate, amount: Int64, effect: ComponentAmounts,
        idempotencyKey: String, reversedKey: String? = nil
    ) {
        self.kind = kind
        self.effectiveDate = effectiveDate
        self.amount = amount
        self.effect = effect
        self.idempotencyKey = idempotencyKey
        self.reversedKey = reversedKey
    }
}
