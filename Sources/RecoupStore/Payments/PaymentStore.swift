import FluentKit
import Foundation
import RecoupCore
import SQLKit

/// A payment (or its reversal) to post to one debt.
public struct PaymentRequest: Sendable {
    public enum Action: Sendable {
        /// A payment received on a date.
        case pay(amount: EnteredAmount, on: LocalDate)
        /// Undo the payment posted with `paymentKey` (a returned check, a chargeback), effective on a date.
        case reverse(paymentKey: String, on: LocalDate, reason: String)
        /// Pay back part or all of a credit (an overpayment) to the debtor on a date.
        case refund(amount: EnteredAmount, on: LocalDate)
    }

    public var clientRef: String
    public var debtRef: String
    public var action: Action
    /// Makes retries harmless: the same key and request again posts nothing and answers with the first result.
    public var idempotencyKey: String
    public var method: String?
    public var reference: String?
    /// Who received a payment: the agency (the default; into trust when the debt is placed) or the client directly.
    public var receivedBy: PaymentReceiver
    /// For an agency payment to a placed debt: the day it clears and may be remitted (default: the contract's hold).
    public var releaseOn: LocalDate?

    public init(
        clientRef: String, debtRef: String, action: Action, idempotencyKey: String, method: String? = nil,
        reference: String? = nil, receivedBy: PaymentReceiver = .agency, releaseOn: LocalDate? = nil
    ) {
        self.clientRef = clientRef
        self.debtRef = debtRef
        self.action = action
        self.idempotencyKey = idempotencyKey
        self.method = method
        self.reference = reference
        self.receivedBy = receivedBy
        self.releaseOn = releaseOn
    }
}

extension PaymentRequest.Action {
    /// The date the payment, reversal or refund takes effect.
    public var date: LocalDate {
        switch self {
        case .pay(_, let date), .reverse(_, let date, _), .refund(_, let date): date
        }
    }
}

/// What posting did.
public struct PaymentResult: Sendable, Equatable {
    /// True when this call wrote the entry; false when the same request had already been posted.
    public var posted: Bool
    public var currency: Currency
    /// The ledger entry (new or the earlier one): its effect says how it was allocated.
    public var entry: LedgerEntry
    /// The debt's balance by component after the entry, counting every entry.
    public var balance: ComponentAmounts
}

/// Posts payments and reversals to the ledger exactly once.
///
/// Each post runs in one transaction that first locks the debt's row (`SELECT … FOR UPDATE` on PostgreSQL;
/// SQLite has a single writer), then replays the debt's ledger and posts through ``Ledger/post(_:)``, which
/// answers a retry with the earlier entry and refuses a key reused for a different request. The ledger's
/// primary key (debt, idempotency key) makes a duplicate impossible even if the lock were bypassed.
public enum PaymentStore {
    /// Posts a payment, a reversal or a refund to one debt, the whole use case in one transaction: finds the debt
    /// (`unknownClient`, `unknownDebt`), reads the amount in the debt's currency, posts through the ledger
    /// (`idempotencyConflict` when the key was used for a different entry, `invalid` for anything else the ledger
    /// refuses), writes the entry and stores the debtor's segments again as of today (`now` in `zone`). A retry of
    /// the same request writes nothing and answers with the first result.
    public static func post(
        _ request: PaymentRequest, on database: any Database, now: Date, zone: TimeZone = TimeZone(identifier: "UTC")!
    ) async throws -> PaymentResult {
        let key = request.idempotencyKey.trimmedSpaces
        guard !key.isEmpty else { throw StoreError.invalid("the idempotency key cannot be empty") }
        return try await serializedTransaction(database) { sql in
            let lock = SQLFlavor(sql) == .postgres ? " FOR UPDATE OF d" : ""
            guard
                let row = try await sql.raw(
                    """
                    SELECT d.id, d.currency, d.debtor_id FROM debts d JOIN clients c ON c.id = d.client_id \
                    WHERE c.ref = \(bind: request.clientRef) AND d.ref = \(bind: request.debtRef)\(unsafeRaw: lock)
                    """
                ).first()
            else {
                if try await ClientQueries.clientID(ref: request.clientRef, on: sql) == nil {
                    throw StoreError.unknownClient(request.clientRef)
                }
                throw StoreError.unknownDebt(client: request.clientRef, debt: request.debtRef)
            }
            let debtID = try row.decode(column: "id", as: Int64.self)
            let currency = try Currency(code: try row.decode(column: "currency", as: String.self))
            var ledger = Ledger(currency: currency, entries: try await entries(of: debtID, on: sql))
            let posting: LedgerPosting
            switch request.action {
            case .pay(let amount, let date):
                posting = .payment(amount: try amount.minorUnits(in: currency), on: date, key: key)
            case .reverse(let paymentKey, let date, _): posting = .reversal(paymentKey: paymentKey, on: date, key: key)
            case .refund(let amount, let date):
                posting = .refund(amount: try amount.minorUnits(in: currency), on: date, key: key)
            }
            let outcome: PostingOutcome
            do {
                try ledger.checkReceivedDate(request.action.date, now: now)
                outcome = try ledger.post(posting)
            } catch LedgerError.conflictingRetry(let key) {
                throw StoreError.idempotencyConflict(
                    key: key, message: "\(request.debtRef): \(LedgerError.conflictingRetry(key: key))")
            } catch {
                throw StoreError.invalid("\(request.debtRef): \(error)")
            }
            if case .posted(let entry) = outcome {
                var note = request.method
                if case .reverse(_, _, let reason) = request.action { note = reason }
                let receivedBy: PaymentReceiver = entry.kind == .payment ? request.receivedBy : .agency
                try await insert(
                    entry, debtID: debtID, note: note, reference: request.reference, receivedBy: receivedBy,
                    releaseOn: entry.kind == .payment ? request.releaseOn : nil, now: now, on: sql)
                try await TrustStore.record(
                    [TrustPosting(debtID: debtID, entry: entry, receivedBy: receivedBy, releaseOn: request.releaseOn)],
                    now: now, sql: sql)
                try await SegmentStore.refreshAfterChange(
                    debtorIDs: [try row.decode(column: "debtor_id", as: Int64.self)], now: now, zone: zone, sql: sql)
            }
            return PaymentResult(
                posted: { if case .posted = outcome { true } else { false } }(), currency: currency,
                entry: outcome.entry,
                balance: ledger.balance)
        }
    }

    /// Runs `body` in one transaction. PostgreSQL: an ordinary transaction (the row lock orders writers).
    /// SQLite: writers in this process take turns, and the transaction starts with `BEGIN IMMEDIATE` under a busy
    /// timeout, so a writer in another process makes this one wait instead of failing half-way.
    static func serializedTransaction<T: Sendable>(
        _ database: any Database, _ body: @escaping @Sendable (any SQLDatabase) async throws -> T
    ) async throws -> T {
        guard SQLFlavor(database as! any SQLDatabase) == .sqlite else {
            return try await database.transaction { transaction in try await body(transaction as! any SQLDatabase) }
        }
        let gate = WriteGate.gate(for: database)
        await gate.acquire()
        do {
            let result = try await database.withConnection { connection in
                let sql = connection as! any SQLDatabase
                try await sql.raw("PRAGMA busy_timeout = 10000").run()
                try await sql.raw("BEGIN IMMEDIATE").run()
                do {
                    let result = try await body(sql)
                    try await sql.raw("COMMIT").run()
                    return result
                } catch {
                    try? await sql.raw("ROLLBACK").run()
                    throw error
                }
            }
            await gate.release()
            return result
        } catch {
            await gate.release()
            throw error
        }
    }

    /// Writes one ledger entry with its payment details.
    static func insert(
        _ entry: LedgerEntry, debtID: Int64, note: String?, reference: String?, receivedBy: PaymentReceiver = .agency,
        releaseOn: LocalDate? = nil, now: Date, on sql: any SQLDatabase
    ) async throws {
        // NULL: received here (this installation); only a direct payment says so.
        let receiver = receivedBy == .client ? receivedBy.rawValue : nil
        try await sql.raw(
            """
            INSERT INTO ledger_entries (debt_id, idempotency_key, kind, effective_on, amount, principal, interest, \
            fees, total, reversed_key, created_at, method, reference, received_by, release_on) VALUES (\(bind: debtID), \
            \(bind: entry.idempotencyKey), \(bind: entry.kind.rawValue), \(bind: entry.effectiveDate.daysSinceEpoch), \
            \(bind: entry.amount), \(bind: entry.effect.principal), \(bind: entry.effect.interest), \
            \(bind: entry.effect.fees), \(bind: entry.effect.total), \(bind: entry.reversedKey), \(bind: now), \
            \(bind: note), \(bind: reference), \(bind: receiver), \(bind: releaseOn?.daysSinceEpoch))
            """
        ).run()
    }

    /// The debt's stored entries, in the order they were written.
    static func entries(of debtID: Int64, on sql: any SQLDatabase) async throws -> [LedgerEntry] {
        try await sql.raw(
            """
            SELECT kind, effective_on, amount, principal, interest, fees, idempotency_key, reversed_key \
            FROM ledger_entries WHERE debt_id = \(bind: debtID) ORDER BY created_at, idempotency_key
            """
        ).all().map { row in
            LedgerEntry(
                kind: LedgerEntryKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .adjustment,
                effectiveDate: LocalDate(daysSinceEpoch: try row.decode(column: "effective_on", as: Int.self)),
                amount: try row.decode(column: "amount", as: Int64.self),
                effect: ComponentAmounts(
                    principal: try row.decode(column: "principal", as: Int64.self),
                    interest: try row.decode(column: "interest", as: Int64.self),
                    fees: try row.decode(column: "fees", as: Int64.self)),
                idempotencyKey: try row.decode(column: "idempotency_key", as: String.self),
                reversedKey: try row.decode(column: "reversed_key", as: String?.self))
        }
    }
}

/// One writer at a time, in arrival order.
actor WriteGate {
    /// One gate a SQLite database (its file, or its in-memory name): writers of different databases in one process (the
    /// tests' many) do not wait for each other.
    static func gate(for database: any Database) -> WriteGate {
        let key = storageKey(database)
        lock.lock()
        defer { lock.unlock() }
        if let gate = gates[key] { return gate }
        let gate = WriteGate()
        gates[key] = gate
        return gate
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var gates: [String: WriteGate] = [:]

    /// The SQLite storage the database opens (`memory(identifier: …)`, `file(path: …)`), read from its configuration.
    private static func storageKey(_ database: any Database) -> String {
        let configuration = Mirror(reflecting: database.context.configuration).children.first {
            $0.label == "configuration"
        }?.value
        guard let configuration,
            let storage = Mirror(reflecting: configuration).children.first(where: { $0.label == "storage" })?.value
        else { return "sqlite" }
        return String(describing: storage)
    }

    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func acquire() async {
        guard busy else {
            busy = true
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty {
            busy = false
        } else {
            waiting.removeFirst().resume()
        }
    }
}
