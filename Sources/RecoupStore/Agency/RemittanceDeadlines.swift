import FluentKit
import Foundation
import RecoupCore
import SQLKit

/// The oldest money a client's trust account holds that no statement has covered yet, and the day it must be
/// remitted by under the client's contract (`RemittanceDeadline.due`).
public struct RemittanceDue: Sendable, Equatable {
    public var clientRef: String
    public var currency: Currency
    /// The day the oldest payment not yet on a statement was collected.
    public var oldestCollectedOn: LocalDate
    /// The payments collected in that payment's month that are not on a statement yet.
    public var payments: Int
    /// Their total, in minor units of `currency`.
    public var amount: Int64
    /// The last day to remit them: the end of that month plus the contract's `remitWithinDaysAfterMonth`.
    public var due: LocalDate
}

/// The remittance deadlines the dashboard warns about (docs/agency.md, "Pages").
public enum RemittanceDeadlines {
    /// For each client in `scope` with an agency contract, and each currency it holds money in: the oldest payment the
    /// agency received (`trust_entries` of kind `received`) that is on no statement yet, and its deadline. Clients
    /// with nothing waiting are left out. Ordered by deadline, the earliest first.
    public static func pending(scope: ClientScope, on database: any Database) async throws -> [RemittanceDue] {
        let sql = database as! any SQLDatabase
        var condition: SQLQueryString = "t.kind = 'received' AND t.statement_id IS NULL"
        if let clientID = scope.clientID { condition = condition + " AND t.client_id = \(bind: clientID)" }
        let oldest = try await sql.raw(
            """
            SELECT t.client_id, c.ref, t.currency, MIN(t.on_day) AS oldest, \
            (SELECT k.remit_days FROM agency_contracts k WHERE k.client_id = t.client_id \
            ORDER BY k.version DESC LIMIT 1) AS remit_days \
            FROM trust_entries t JOIN clients c ON c.id = t.client_id WHERE \(condition) \
            GROUP BY t.client_id, c.ref, t.currency
            """
        ).all()
        var dues: [RemittanceDue] = []
        for row in oldest {
            // A client without a contract has no trust money; a row without one is left out rather than guessed at.
            guard let days = try row.decode(column: "remit_days", as: Int?.self) else { continue }
            let clientID = try row.decode(column: "client_id", as: Int64.self)
            let currency = try Currency(code: try row.decode(column: "currency", as: String.self))
            let first = LocalDate(daysSinceEpoch: try row.decode(column: "oldest", as: Int.self))
            let monthStart = first.adding(days: 1 - first.day)
            let month = try await sql.raw(
                """
                SELECT COUNT(*) AS payments, CAST(COALESCE(SUM(amount), 0) AS BIGINT) AS amount FROM trust_entries \
                WHERE client_id = \(bind: clientID) AND currency = \(bind: currency.code) AND kind = 'received' \
                AND statement_id IS NULL AND on_day >= \(bind: monthStart.daysSinceEpoch) \
                AND on_day <= \(bind: first.endOfMonth.daysSinceEpoch)
                """
            ).first()
            dues.append(
                RemittanceDue(
                    clientRef: try row.decode(column: "ref", as: String.self), currency: currency,
                    oldestCollectedOn: first, payments: try month?.decode(column: "payments", as: Int.self) ?? 0,
                    amount: try month?.decode(column: "amount", as: Int64.self) ?? 0,
                    due: RemittanceDeadline.due(collectedOn: first, daysAfterMonth: days)))
        }
        return dues.sorted { ($0.due, $0.clientRef, $0.currency.code) < ($1.due, $1.clientRef, $1.currency.code) }
    }
}
