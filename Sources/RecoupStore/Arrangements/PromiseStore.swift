import FluentKit
import Foundation
import RecoupCore
import SQLKit

/// A stored promise with where it stands on a date.
public struct PromiseView: Sendable {
    public var id: Int64
    public var debtRef: String
    public var currency: Currency
    public var promise: PromiseToPay
    public var note: String?
    public var outcome: PromiseOutcome
}

/// Promises to pay: a single amount by a date, from a call or the portal, evaluated against the debt's payments.
public enum PromiseStore {
    /// Records a promise and returns it as of the day it was made, the whole use case in one transaction: finds and
    /// locks the debt (`unknownClient`, `unknownDebt`), reads the amount in its currency, checks the promise against
    /// the debt's balance (`PromiseToPay.check`: more than zero, not above what is owed, due from the day it was
    /// made to `PromiseToPay.maxDaysAhead` days after; else `invalid` with the sentence), writes it and stores the debtor's segments again as of today (`now` in `zone`).
    public static func add(
        clientRef: String, debtRef: String, amount: EnteredAmount, due: LocalDate, madeOn: LocalDate,
        via: PromiseToPay.Channel, note: String?, on database: any Database, now: Date,
        zone: TimeZone = TimeZone(identifier: "UTC")!
    ) async throws -> PromiseView {
        try await PaymentStore.serializedTransaction(database) { sql in
            try await insert(
                clientRef: clientRef, debtRef: debtRef, amount: amount, due: due, madeOn: madeOn, via: via, note: note,
                now: now, zone: zone, sql: sql)
        }
    }

    /// `add(…)` for a form (`submission`, the portal's promise): the form's id is claimed in the promise's own
    /// transaction, so the same form sent again records no second promise and answers `.repeated` with the first
    /// one's id, and a refused promise leaves the id unclaimed for the corrected form.
    public static func add(
        clientRef: String, debtRef: String, amount: EnteredAmount, due: LocalDate, madeOn: LocalDate,
        via: PromiseToPay.Channel, note: String?, once submission: FormSubmission, on database: any Database, now: Date,
        zone: TimeZone = TimeZone(identifier: "UTC")!
    ) async throws -> OnceOnly<PromiseView> {
        try await PaymentStore.serializedTransaction(database) { sql in
            if let earlier = try await FormSubmissions.claim(submission, kind: "promise", now: now, sql: sql) {
                return .repeated(earlier)
            }
            let view = try await insert(
                clientRef: clientRef, debtRef: debtRef, amount: amount, due: due, madeOn: madeOn, via: via, note: note,
                now: now, zone: zone, sql: sql)
            try await FormSubmissions.complete(submission, result: String(view.id), sql: sql)
            return .done(view)
        }
    }

    /// Checks the promise against the debt's balance and stores it, inside the caller's transaction.
    private static func insert(
        clientRef: String, debtRef: String, amount: EnteredAmount, due: LocalDate, madeOn: LocalDate,
        via: PromiseToPay.Channel, note: String?, now: Date, zone: TimeZone, sql: any SQLDatabase
    ) async throws -> PromiseView {
        let debt = try await AccrualStore.debt(clientRef: clientRef, debtRef: debtRef, lock: true, on: sql)
        let units = try amount.minorUnits(in: debt.currency)
        let balance = try await sql.raw(
            """
            SELECT CAST(COALESCE(SUM(total), 0) AS BIGINT) AS balance FROM ledger_entries \
            WHERE debt_id = \(bind: debt.id)
            """
        ).first()!.decode(column: "balance", as: Int64.self)
        let promise: PromiseToPay
        do {
            try PromiseToPay.check(
                amount: units, due: due, madeOn: madeOn, balance: balance, currency: debt.currency)
            promise = try PromiseToPay(amount: units, due: due, madeOn: madeOn, via: via)
        } catch {
            throw StoreError.invalid("\(error)")
        }
        let clientID = try await ClientQueries.clientID(ref: clientRef, on: sql)!
        try await sql.raw(
            """
            INSERT INTO promises (client_id, debt_id, amount, due_on, made_on, via, note, created_at) VALUES \
            (\(bind: clientID), \(bind: debt.id), \(bind: units), \(bind: due.daysSinceEpoch), \
            \(bind: madeOn.daysSinceEpoch), \(bind: via.rawValue), \(bind: note), \(bind: now))
            """
        ).run()
        let id = try await sql.raw(
            "SELECT MAX(id) AS id FROM promises WHERE debt_id = \(bind: debt.id)"
        ).first()!.decode(column: "id", as: Int64.self)
        try await SegmentStore.refreshAfterChange(debtorIDs: [debt.debtorID], now: now, zone: zone, sql: sql)
        let payments = try await payments(debts: [(debt.id, debtRef)], since: madeOn, on: sql)
        return PromiseView(
            id: id, debtRef: debtRef, currency: debt.currency, promise: promise, note: note,
            outcome: promise.evaluate(payments: payments, asOf: madeOn))
    }

    /// The client's promises (one debt's when `debtRef` is given), each evaluated on `asOf`, latest due first.
    public static func list(
        clientRef: String, debtRef: String? = nil, asOf: LocalDate, on database: any Database
    )
        async throws -> [PromiseView]
    {
        let sql = database as! any SQLDatabase
        guard let clientID = try await ClientQueries.clientID(ref: clientRef, on: sql) else {
            throw StoreError.unknownClient(clientRef)
        }
        if let debtRef { _ = try await AccrualStore.debt(clientRef: clientRef, debtRef: debtRef, lock: false, on: sql) }
        let filter: SQLQueryString = debtRef.map { " AND d.ref = \(bind: $0)" } ?? ""
        let rows = try await sql.raw(
            """
            SELECT p.id, p.debt_id, d.ref, d.currency, p.amount, p.due_on, p.made_on, p.via, p.note FROM promises p \
            JOIN debts d ON d.id = p.debt_id WHERE p.client_id = \(bind: clientID)\(filter) ORDER BY p.due_on DESC, p.id DESC
            """
        ).all()
        var views: [PromiseView] = []
        let paymentsByDebt = try await paymentsByDebt(debts: try debtsOf(rows), since: nil, on: sql)
        for row in rows {
            let debtID = try row.decode(column: "debt_id", as: Int64.self)
            let ref = try row.decode(column: "ref", as: String.self)
            let promise = try promise(from: row)
            views.append(
                PromiseView(
                    id: try row.decode(column: "id", as: Int64.self), debtRef: ref,
                    currency: try Currency(code: try row.decode(column: "currency", as: String.self)), promise: promise,
                    note: try row.decode(column: "note", as: String?.self),
                    outcome: promise.evaluate(payments: paymentsByDebt[debtID] ?? [], asOf: asOf)))
        }
        return views
    }

    /// The distinct debts (columns debt_id, ref) of promise rows.
    static func debtsOf(_ rows: [any SQLRow]) throws -> [(id: Int64, ref: String)] {
        var seen = Set<Int64>()
        var debts: [(id: Int64, ref: String)] = []
        for row in rows {
            let id = try row.decode(column: "debt_id", as: Int64.self)
            if seen.insert(id).inserted { debts.append((id, try row.decode(column: "ref", as: String.self))) }
        }
        return debts
    }

    /// A stored promise from its row (columns amount, due_on, made_on, via).
    static func promise(from row: any SQLRow) throws -> PromiseToPay {
        try PromiseToPay(
            amount: try row.decode(column: "amount", as: Int64.self),
            due: LocalDate(daysSinceEpoch: try row.decode(column: "due_on", as: Int.self)),
            madeOn: LocalDate(daysSinceEpoch: try row.decode(column: "made_on", as: Int.self)),
            via: PromiseToPay.Channel(rawValue: try row.decode(column: "via", as: String.self)) ?? .call)
    }

    /// Payments to the debts (on or after `since`, when given) as positive amounts, and reversals of those payments
    /// as negative ones on the reversal's date. Keys are `DEBT#KEY`.
    static func payments(
        debts: [(id: Int64, ref: String)], since: LocalDate?, on sql: any SQLDatabase
    ) async throws
        -> [ArrangementPayment]
    {
        let byDebt = try await paymentsByDebt(debts: debts, since: since, on: sql)
        return debts.flatMap { byDebt[$0.id] ?? [] }
    }

    /// The same, debt by debt, read with one query (at most 1,000 debts at a time).
    static func paymentsByDebt(
        debts: [(id: Int64, ref: String)], since: LocalDate?, on sql: any SQLDatabase
    ) async throws
        -> [Int64: [ArrangementPayment]]
    {
        var result: [Int64: [ArrangementPayment]] = [:]
        for start in stride(from: 0, to: debts.count, by: 1_000) {
            let chunk = Array(debts[start..<min(debts.count, start + 1_000)])
            result.merge(try await paymentsByDebtChunk(chunk, since: since, on: sql)) { first, _ in first }
        }
        return result
    }

    private static func paymentsByDebtChunk(
        _ debts: [(id: Int64, ref: String)], since: LocalDate?, on sql: any SQLDatabase
    ) async throws -> [Int64: [ArrangementPayment]] {
        var byDebt: [Int64: [ArrangementPayment]] = [:]
        guard !debts.isEmpty else { return byDebt }
        let ids = SQLQueryString.boundList(debts.map(\.id))
        var rowsByDebt: [Int64: [any SQLRow]] = [:]
        for row in try await sql.raw(
            """
            SELECT debt_id, kind, effective_on, amount, idempotency_key, reversed_key FROM ledger_entries \
            WHERE debt_id IN (\(ids)) AND kind IN ('payment', 'payment_reversal') ORDER BY debt_id, effective_on
            """
        ).all() {
            rowsByDebt[try row.decode(column: "debt_id", as: Int64.self), default: []].append(row)
        }
        for debt in debts {
            let rows = rowsByDebt[debt.id] ?? []
            var payments: [ArrangementPayment] = []
            var counted = Set<String>()
            var reversals: [(on: LocalDate, amount: Int64, key: String, reverses: String)] = []
            for row in rows {
                let on = LocalDate(daysSinceEpoch: try row.decode(column: "effective_on", as: Int.self))
                let amount = try row.decode(column: "amount", as: Int64.self)
                let key = try row.decode(column: "idempotency_key", as: String.self)
                if try row.decode(column: "kind", as: String.self) == "payment" {
                    guard since.map({ on >= $0 }) ?? true else { continue }
                    counted.insert(key)
                    payments.append(ArrangementPayment(on: on, amount: amount, key: "\(debt.ref)#\(key)"))
                } else if let reverses = try row.decode(column: "reversed_key", as: String?.self) {
                    reversals.append((on, amount, key, reverses))
                }
            }
            for reversal in reversals where counted.contains(reversal.reverses) {
                payments.append(
                    ArrangementPayment(on: reversal.on, amount: -reversal.amount, key: "\(debt.ref)#\(reversal.key)"))
            }
            byDebt[debt.id] = payments
        }
        return byDebt
    }
}
