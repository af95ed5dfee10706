import FluentKit
import Foundation
import RecoupCore
import SQLKit

/// A promise on the dashboard.
public struct PromiseLine: Sendable {
    public var debtID: Int64
    public var debtRef: String
    public var debtorName: String
    public var view: PromiseView
}

/// The dashboard's figures, through the user's client scope.
public enum DashboardQueries {
    /// Money received in the month of `today` (payments less their reversals, less refunds), by currency.
    public static func collected(
        month today: LocalDate, scope: ClientScope, on database: any Database
    ) async throws
        -> [(currency: Currency, amount: Int64)]
    {
        let sql = database as! any SQLDatabase
        let first = try LocalDate(year: today.year, month: today.month, day: 1)
        var query: SQLQueryString = """
            SELECT d.currency, CAST(COALESCE(SUM(CASE WHEN l.kind = 'payment' THEN l.amount ELSE -l.amount END), 0) AS BIGINT) AS amount \
            FROM ledger_entries l JOIN debts d ON d.id = l.debt_id \
            WHERE l.kind IN ('payment', 'payment_reversal', 'refund') \
            AND l.effective_on BETWEEN \(bind: first.daysSinceEpoch) AND \(bind: today.daysSinceEpoch)
            """
        if let clientID = scope.clientID { query += " AND d.client_id = \(bind: clientID)" }
        query += " GROUP BY d.currency ORDER BY d.currency"
        return try await sql.raw(query).all().map { row in
            (
                try Currency(code: try row.decode(column: "currency", as: String.self)),
                try row.decode(column: "amount", as: Int64.self)
            )
        }
    }

    /// Promises due between `from` and `through`, evaluated on `asOf`, soonest first.
    public static func promises(
        dueFrom from: LocalDate, through: LocalDate, asOf: LocalDate, scope: ClientScope, on database: any Database
    ) async throws -> [PromiseLine] {
        let sql = database as! any SQLDatabase
        var query: SQLQueryString = """
            SELECT p.id, p.debt_id, d.ref, d.currency, p.amount, p.due_on, p.made_on, p.via, p.note, b.name AS debtor_name \
            FROM promises p JOIN debts d ON d.id = p.debt_id JOIN debtors b ON b.id = d.debtor_id \
            WHERE p.due_on BETWEEN \(bind: from.daysSinceEpoch) AND \(bind: through.daysSinceEpoch)
            """
        if let clientID = scope.clientID { query += " AND d.client_id = \(bind: clientID)" }
        query += " ORDER BY p.due_on, p.id LIMIT 200"
        var lines: [PromiseLine] = []
        let rows = try await sql.raw(query).all()
        let paymentsByDebt = try await PromiseStore.paymentsByDebt(
            debts: try PromiseStore.debtsOf(rows), since: nil, on: sql)
        for row in rows {
            let debtID = try row.decode(column: "debt_id", as: Int64.self)
            let ref = try row.decode(column: "ref", as: String.self)
            let promise = try PromiseStore.promise(from: row)
            let payments = paymentsByDebt[debtID] ?? []
            lines.append(
                PromiseLine(
                    debtID: debtID, debtRef: ref, debtorName: try row.decode(column: "debtor_name", as: String.self),
                    view: PromiseView(
                        id: try row.decode(column: "id", as: Int64.self), debtRef: ref,
                        currency: try Currency(code: try row.decode(column: "currency", as: String.self)),
                        promise: promise,
                        note: try row.decode(column: "note", as: String?.self),
                        outcome: promise.evaluate(payments: payments, asOf: asOf))))
        }
        return lines
    }
}
