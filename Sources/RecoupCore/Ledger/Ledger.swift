import Foundation

/// The order in which a payment pays down the balance components.
public struct AllocationOrder: Hashable, Sendable {
    /// Components in the order they are paid; every component appears exactly once.
    public let components: [BalanceComponent]

    /// Makes an order; throws unless every component appears exactly once.
    public init(_ components: [BalanceComponent]) throws(LedgerError) {
        guard components.count == BalanceComponent.allCases.count, Set(components).count == components.count else {
            throw .invalidAllocationOrder
        }
        self.components = components
    }

    private init(unchecked components: [BalanceComponent]) { self.components = components }

    /// Fees first, then interest, then principal: the usual order and the default.
    public static let feesInterestPrincipal = AllocationOrder(unchecked: [.fees, .interest, .principal])
}

/// What a ledger refuses, and why.
public enum LedgerError: Error, Equatable, Sendable, CustomStringConvertible {
    case nonPositiveAmount(LedgerEntryKind, Int64)
    case zeroAdjustment
    case emptyIdempotencyKey
    case conflictingRetry(key: String)
    case unknownPayment(key: String)
    case alreadyReversed(key: String)
    case reversalBeforePayment(key: String)
    case nothingToWriteOff
    case invalidAllocationOrder
    case refundAboveCredit(amount: Int64, credit: Int64)
    /// A payment or refund dated before the debt's first charge.
    case dateBeforeCharge(LocalDate, charged: LocalDate)
    /// A payment or refund dated after today in every time zone.
    case dateInFuture(LocalDate, today: LocalDate)

    public var description: String {
        switch self {
        case .nonPositiveAmount(let kind, let amount):
            return
                "a \(kind.rawValue.replacingOccurrences(of: "_", with: " ")) must be above zero (got \(amount) minor units)"
        case .zeroAdjustment: return "an adjustment of zero changes nothing"
        case .emptyIdempotencyKey: return "every ledger entry needs a non-empty idempotency key"
        case .conflictingRetry(let key):
            return "idempotency key \"\(key)\" was already used for a different entry"
        case .unknownPayment(let key): return "there is no payment with key \"\(key)\" to reverse"
        case .alreadyReversed(let key): return "the payment \"\(key)\" has already been reversed"
        case .reversalBeforePayment(let key): return "a reversal cannot take effect before its payment \"\(key)\""
        case .nothingToWriteOff: return "there is no balance left to write off"
        case .invalidAllocationOrder: return "an allocation order must name principal, interest and fees once each"
        case .refundAboveCredit(let amount, let credit):
            return credit <= 0
                ? "there is no credit to refund (a refund of \(amount) minor units was asked for)"
                : "a refund of \(amount) minor units is more than the credit of \(credit) minor units"
        case .dateBeforeCharge(let date, let charged):
            return
                "the date \(date) is before the debt was charged (\(charged)); money cannot move on a debt before it exists"
        case .dateInFuture(let date, let today):
            return "the date \(date) is after today (\(today)); post a payment once it has been received"
        }
    }
}

/// What posting to a ledger did.
public enum PostingOutcome: Hashable, Sendable {
    /// A new entry was appended.
    case posted(LedgerEntry)
    /// The same idempotency key was posted before with the same request: nothing changed.
    case alreadyPosted(LedgerEntry)

    /// The entry, new or earlier.
    public var entry: LedgerEntry {
        switch self {
        case .posted(let entry), .alreadyPosted(let entry): entry
        }
    }
}

/// A request to change a ledger. Amounts are positive minor units unless noted.
public enum LedgerPosting: Hashable, Sendable {
    case charge(amount: Int64, on: LocalDate, key: String)
    case interest(amount: Int64, on: LocalDate, key: String)
    case fee(amount: Int64, on: LocalDate, key: String)
    case payment(amount: Int64, on: LocalDate, key: String)
    case reversal(paymentKey: String, on: LocalDate, key: String)
    /// Pays back part or all of a credit (an overpayment) on the date; never more than the credit then.
    case refund(amount: Int64, on: LocalDate, key: String)
    /// A signed correction of one component.
    case adjustment(component: BalanceComponent, amount: Int64, on: LocalDate, key: String)
    /// Removes the whole positive balance left at the end of the date.
    case writeOff(on: LocalDate, key: String)

    var key: String {
        switch self {
        case .charge(_, _, let key), .interest(_, _, let key), .fee(_, _, let key), .payment(_, _, let key),
            .reversal(_, _, let key), .refund(_, _, let key), .adjustment(_, _, _, let key), .writeOff(_, let key):
            key
        }
    }

    /// The date the posting takes effect.
    public var date: LocalDate {
        switch self {
        case .charge(_, let date, _), .interest(_, let date, _), .fee(_, let date, _), .payment(_, let date, _),
            .reversal(_, let date, _), .refund(_, let date, _), .adjustment(_, _, let date, _), .writeOff(let date, _):
            date
        }
    }
}

/// A debt's append-only ledger: entries in posting order, balances at any date, payment allocation.
public struct Ledger: Hashable, Sendable {
    /// The currency of every entry.
    public let currency: Currency
    /// How payments pay down the components.
    public let allocationOrder: AllocationOrder
    /// The entries in the order they were posted.
    public private(set) var entries: [LedgerEntry]

    /// Makes a ledger, optionally from stored entries.
    public init(
        currency: Currency, entries: [LedgerEntry] = [], allocationOrder: AllocationOrder = .feesInterestPrincipal
    ) {
        self.currency = currency
        self.entries = entries
        self.allocationOrder = allocationOrder
    }

    /// The balance by component at the end of `date`: the sum of every entry effective on or before it.
    public func balance(asOf date: LocalDate) -> ComponentAmounts {
        var total = ComponentAmounts.zero
        for entry in entries where entry.effectiveDate <= date { total = total + entry.effect }
        return total
    }

    /// The balance counting every entry, whatever its date.
    public var balance: ComponentAmounts {
        entries.reduce(ComponentAmounts.zero) { $0 + $1.effect }
    }

    /// The earliest date a charge took effect, if any.
    public var firstChargeDate: LocalDate? {
        entries.filter { $0.kind == .charge }.map(\.effectiveDate).min()
    }

    /// Refuses a payment or refund dated before the debt's first charge, or after today wherever today is latest
    /// (UTC+14, so no time zone's business date is refused). Live payments (the API, the pages, the command line and
    /// payment files) are checked; a debt import records the settlements of its history as the file states them.
    public func checkReceivedDate(_ date: LocalDate, now: Date) throws(LedgerError) {
        let latestToday = LocalDate(localSecondsSinceEpoch: Int(now.timeIntervalSince1970.rounded(.down)) + 14 * 3_600)
        guard date <= latestToday else { throw .dateInFuture(date, today: latestToday) }
        if let charged = firstChargeDate, date < charged { throw .dateBeforeCharge(date, charged: charged) }
    }

    /// Appends the entry a posting calls for, or returns the earlier one when the key was already used.
    ///
    /// Retrying a posting with the same key and the same request changes nothing; reusing a key for a
    /// different request is refused.
    @discardableResult
    public mutating func post(_ posting: LedgerPosting) throws(LedgerError) -> PostingOutcome {
        guard !posting.key.isEmpty else { throw .emptyIdempotencyKey }
        let entry = try makeEntry(for: posting)
        if let earlier = entries.first(where: { $0.idempotencyKey == posting.key }) {
            guard Ledger.isSameRequest(earlier, entry) else { throw .conflictingRetry(key: posting.key) }
            return .alreadyPosted(earlier)
        }
        entries.append(entry)
        return .posted(entry)
    }

    /// Splits a payment across the components in `order`: each takes up to its positive balance; anything
    /// left over (an overpayment) becomes a credit on principal. The parts always sum to the payment.
    public static func allocate(
        payment: Int64, against balance: ComponentAmounts, order: AllocationOrder
    ) -> ComponentAmounts {
        var remaining = payment
        var effect = ComponentAmounts.zero
        for component in order.components where remaining > 0 {
            let share = min(remaining, max(0, balance[component]))
            effect[component] -= share
            remaining -= share
        }
        effect.principal -= remaining
        return effect
    }

    private func makeEntry(for posting: LedgerPosting) throws(LedgerError) -> LedgerEntry {
        switch posting {
        case .charge(let amount, let date, let key):
            try Ledger.requirePositive(amount, .charge)
            return LedgerEntry(
                kind: .charge, effectiveDate: date, amount: amount, effect: .init(principal: amount),
                idempotencyKey: key)
        case .interest(let amount, let date, let key):
            try Ledger.requirePositive(amount, .interest)
            return LedgerEntry(
                kind: .interest, effectiveDate: date, amount: amount, effect: .init(interest: amount),
                idempotencyKey: key)
        case .fee(let amount, let date, let key):
            try Ledger.requirePositive(amount, .fee)
            return LedgerEntry(
                kind: .fee, effectiveDate: date, amount: amount, effect: .init(fees: amount), idempotencyKey: key)
        case .payment(let amount, let date, let key):
            try Ledger.requirePositive(amount, .payment)
            if let earlier = entries.first(where: { $0.idempotencyKey == key }), earlier.kind == .payment,
                earlier.amount == amount, earlier.effectiveDate == date
            {
                return earlier  // a retry: allocation is whatever it was the first time
            }
            let effect = Ledger.allocate(payment: amount, against: balance(asOf: date), order: allocationOrder)
            return LedgerEntry(kind: .payment, effectiveDate: date, amount: amount, effect: effect, idempotencyKey: key)
        case .reversal(let paymentKey, let date, let key):
            guard let payment = entries.first(where: { $0.idempotencyKey == paymentKey && $0.kind == .payment }) else {
                throw .unknownPayment(key: paymentKey)
            }
            if let earlier = entries.first(where: { $0.kind == .paymentReversal && $0.reversedKey == paymentKey }) {
                guard earlier.idempotencyKey == key else { throw .alreadyReversed(key: paymentKey) }
                guard earlier.effectiveDate == date else { throw .conflictingRetry(key: key) }
                return earlier
            }
            guard date >= payment.effectiveDate else { throw .reversalBeforePayment(key: paymentKey) }
            return LedgerEntry(
                kind: .paymentReversal, effectiveDate: date, amount: payment.amount, effect: -payment.effect,
                idempotencyKey: key, reversedKey: paymentKey)
        case .refund(let amount, let date, let key):
            try Ledger.requirePositive(amount, .refund)
            if let earlier = entries.first(where: { $0.idempotencyKey == key }), earlier.kind == .refund,
                earlier.amount == amount, earlier.effectiveDate == date
            {
                return earlier  // a retry: the credit has already gone down
            }
            // The credit must cover the refund both on its date and today: a later charge may have used it up.
            let credit = min(-balance(asOf: date).total, -balance.total)
            guard amount <= credit else { throw .refundAboveCredit(amount: amount, credit: max(0, credit)) }
            return LedgerEntry(
                kind: .refund, effectiveDate: date, amount: amount, effect: .init(principal: amount),
                idempotencyKey: key)
        case .adjustment(let component, let amount, let date, let key):
            guard amount != 0 else { throw .zeroAdjustment }
            var effect = ComponentAmounts.zero
            effect[component] = amount
            return LedgerEntry(
                kind: .adjustment, effectiveDate: date, amount: amount, effect: effect, idempotencyKey: key)
        case .writeOff(let date, let key):
            if let earlier = entries.first(where: { $0.idempotencyKey == key }), earlier.kind == .writeOff {
                guard earlier.effectiveDate == date else { throw .conflictingRetry(key: key) }
                return earlier
            }
            let open = balance(asOf: date)
            let effect = ComponentAmounts(
                principal: -max(0, open.principal), interest: -max(0, open.interest), fees: -max(0, open.fees))
            guard effect.total < 0 else { throw .nothingToWriteOff }
            return LedgerEntry(
                kind: .writeOff, effectiveDate: date, amount: -effect.total, effect: effect, idempotencyKey: key)
        }
    }

    private static func requirePositive(_ amount: Int64, _ kind: LedgerEntryKind) throws(LedgerError) {
        guard amount > 0 else { throw .nonPositiveAmount(kind, amount) }
    }

    private static func isSameRequest(_ earlier: LedgerEntry, _ retry: LedgerEntry) -> Bool {
        earlier.kind == retry.kind && earlier.effectiveDate == retry.effectiveDate && earlier.amount == retry.amount
            && earlier.reversedKey == retry.reversedKey
            // An adjustment's component is part of the request: the same amount on another component differs.
            && (earlier.kind != .adjustment || earlier.effect == retry.effect)
    }
}
