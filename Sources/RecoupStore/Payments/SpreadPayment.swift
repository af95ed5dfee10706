import FluentKit
import Foundation
import RecoupCore
import SQLKit

/// A payment from a debtor who owes several debts, spread across them.
public struct SpreadPaymentRequest: Sendable {
    public var clientRef: String
    public var debtorRef: String
    /// More than zero, in the debts' currency.
    public var amount: EnteredAmount
    public var on: LocalDate
    public var idempotencyKey: String
    public var method: String?
    public var reference: String?
    /// Who received it (see `PaymentRequest.receivedBy`).
    public var receivedBy: PaymentReceiver
    /// When an agency payment clears (see `PaymentRequest.releaseOn`).
    public var releaseOn: LocalDate?

    public init(
        clientRef: String, debtorRef: String, amount: EnteredAmount, on: LocalDate, idempotencyKey: String,
        method: String? = nil, reference: String? = nil, receivedBy: PaymentReceiver = .agency,
        releaseOn: LocalDate? = nil
    ) {
        self.receivedBy = receivedBy
        self.releaseOn = releaseOn
        self.clientRef = clientRef
        self.debtorRef = debtorRef
        self.amount = amount
        self.on = on
        self.idempotencyKey = idempotencyKey
        self.method = method
        self.reference = reference
    }
}

/// What spreading did: one ledger entry per debt that received part of the payment.
public struct SpreadPaymentResult: Sendable, Equatable {
    public struct Part: Sendable, Equatable {
        public var debtRef: String
        public var entry: LedgerEntry
        public var balance: ComponentAmounts
    }

    public var posted: Bool
    public var currency: Currency
    public var parts: [Part]
}

extension PaymentStore {
    /// Spreads a payment across the debtor's debts that are open on the payment date, **oldest due date first**
    /// (then by reference): each takes up to its whole balance, fees → interest → principal; whatever is left
    /// after the last open debt is a credit on it (on the newest debt when none is open). Each part is a ledger
    /// payment keyed `KEY#DEBT`. A retry with the same key, amount and date answers with the parts first posted;
    /// the same key with another amount or date is refused (`idempotencyConflict`). The whole use case is one
    /// transaction, the debtor's segments stored again as of today (`now` in `zone`) included.
    public static func spread(
        _ request: SpreadPaymentRequest, on database: any Database, now: Date,
        zone: TimeZone = TimeZone(identifier: "UTC")!
    ) async throws -> SpreadPaymentResult {
        let key = request.idempotencyKey.trimmedSpaces
        guard !key.isEmpty else { throw StoreError.invalid("the idempotency key cannot be empty") }
        if case .minorUnits(let units) = request.amount, units <= 0 {
            throw StoreError.invalid("a payment must be more than zero")
        }
        return try await serializedTransaction(database) { sql in
            let lock = SQLFlavor(sql) == .postgres ? " FOR UPDATE OF d" : ""
            let rows = try await sql.raw(
                """
                SELECT d.id, d.ref, d.currency, d.due_on, d.debtor_id FROM debts d JOIN debtors p ON p.id = d.debtor_id \
                JOIN clients c ON c.id = d.client_id \
                WHERE c.ref = \(bind: request.clientRef) AND p.ref = \(bind: request.debtorRef) \
                ORDER BY d.due_on, d.ref\(unsafeRaw: lock)
                """
            ).all()
            guard !rows.isEmpty else {
                if try await ClientQueries.clientID(ref: request.clientRef, on: sql) == nil {
                    throw StoreError.unknownClient(request.clientRef)
                }
                throw StoreError.unknownDebtor(client: request.clientRef, debtor: request.debtorRef)
            }
            var debts: [(id: Int64, ref: String, ledger: Ledger)] = []
            var currency: Currency? = nil
            for row in rows {
                let code = try row.decode(column: "currency", as: String.self)
                let debtCurrency = try Currency(code: code)
                if let currency, currency != debtCurrency {
                    throw StoreError.invalid(
                        "debtor \"\(request.debtorRef)\" owes in \(currency.code) and \(code); post to one debt at a time"
                    )
                }
                currency = debtCurrency
                let id = try row.decode(column: "id", as: Int64.self)
                debts.append(
                    (
                        id, try row.decode(column: "ref", as: String.self),
                        Ledger(currency: debtCurrency, entries: try await entries(of: id, on: sql))
                    ))
            }
            let amount = try request.amount.minorUnits(in: currency!)
            let debtorID = try rows[0].decode(column: "debtor_id", as: Int64.self)
            let prefix = key + "#"
            // A retry: every part was written together, so finding one means the payment was posted.
            let earlier = debts.compactMap { debt in
                debt.ledger.entries.first { $0.kind == .payment && $0.idempotencyKey.hasPrefix(prefix) }
                    .map { SpreadPaymentResult.Part(debtRef: debt.ref, entry: $0, balance: debt.ledger.balance) }
            }
            if !earlier.isEmpty {
                let total = earlier.reduce(0) { $0 + $1.entry.amount }
                guard total == amount, earlier.allSatisfy({ $0.entry.effectiveDate == request.on }) else {
                    throw StoreError.idempotencyConflict(
                        key: key,
                        message:
                            "the idempotency key \"\(key)\" was already used for a different payment to debtor \"\(request.debtorRef)\""
                    )
                }
                return SpreadPaymentResult(posted: false, currency: currency!, parts: earlier)
            }
            var remaining = amount
            var shares: [(index: Int, amount: Int64)] = []
            for (index, debt) in debts.enumerated() where remaining > 0 {
                let owed = debt.ledger.balance(asOf: request.on).total
                guard owed > 0 else { continue }
                let share = min(owed, remaining)
                shares.append((index, share))
                remaining -= share
            }
            if remaining > 0 {
                // Overpayment: a credit on the last debt that took a share, else on the newest debt.
                if shares.isEmpty {
                    shares.append((debts.count - 1, remaining))
                } else {
                    shares[shares.count - 1].amount += remaining
                }
            }
            var parts: [SpreadPaymentResult.Part] = []
            for (index, share) in shares {
                let partKey = prefix + debts[index].ref
                let outcome: PostingOutcome
                do {
                    try debts[index].ledger.checkReceivedDate(request.on, now: now)
                    outcome = try debts[index].ledger.post(.payment(amount: share, on: request.on, key: partKey))
                } catch {
                    throw StoreError.invalid("\(debts[index].ref): \(error)")
                }
                let entry = outcome.entry
                try await insert(
                    entry, debtID: debts[index].id, note: request.method, reference: request.reference,
                    receivedBy: request.receivedBy, releaseOn: request.releaseOn, now: now, on: sql)
                try await TrustStore.record(
                    [
                        TrustPosting(
                            debtID: debts[index].id, entry: entry, receivedBy: request.receivedBy,
                            releaseOn: request.releaseOn)
                    ], now: now, sql: sql)
                parts.append(.init(debtRef: debts[index].ref, entry: entry, balance: debts[index].ledger.balance))
            }
            try await SegmentStore.refreshAfterChange(debtorIDs: [debtorID], now: now, zone: zone, sql: sql)
            return SpreadPaymentResult(posted: true, currency: currency!, parts: parts)
        }
    }
}
