import FluentKit
import RecoupCore
import SQLKit

/// The aging report computed by the database: one aggregate over the ledger, never a loop over debts in Swift.
public enum AgingQuery {
    /// The same report on the application's database.
    public static func report(
        asOf: LocalDate, clientRef: String? = nil, currency: Currency? = nil, on database: any Database
    ) async throws -> AgingReport {
        try await report(asOf: asOf, clientRef: clientRef, currency: currency, on: database as! any SQLDatabase)
    }

    /// The report at the end of `asOf`, for one client (by ref) or all, in one currency.
    ///
    /// Without `currency`, the portfolio's only currency is used; a portfolio holding several currencies
    /// must name one (`StoreError.invalid` says which exist).
    public static func report(
        asOf: LocalDate, clientRef: String? = nil, currency: Currency? = nil, on sql: any SQLDatabase
    ) async throws -> AgingReport {
        var clientID: Int64? = nil
        if let clientRef {
            guard let id = try await ClientQueries.clientID(ref: clientRef, on: sql) else {
                throw StoreError.unknownClient(clientRef)
            }
            clientID = id
        }
        let chosen = try await resolveCurrency(currency, clientID: clientID, on: sql)
        let day = asOf.daysSinceEpoch
        let clientFilter: SQLQueryString = clientID.map { " AND d.client_id = \(bind: $0)" } ?? ""
        let flavor = SQLFlavor(sql)
        let sum = flavor == .postgres ? "CAST(SUM(e.total) AS BIGINT)" : "SUM(e.total)"
        let outerSum = flavor == .postgres ? "CAST(SUM(balance) AS BIGINT)" : "SUM(balance)"
        let query: SQLQueryString = """
            SELECT CASE WHEN dpd <= 0 THEN 'current' WHEN dpd <= 30 THEN '1-30' WHEN dpd <= 60 THEN '31-60' \
            WHEN dpd <= 90 THEN '61-90' ELSE '91+' END AS bucket, COUNT(*) AS debts, \(unsafeRaw: outerSum) AS amount \
            FROM (SELECT \(bind: day) - d.due_on AS dpd, b.balance AS balance \
            FROM (SELECT e.debt_id AS debt_id, \(unsafeRaw: sum) AS balance FROM ledger_entries e \
            WHERE e.effective_on <= \(bind: day) GROUP BY e.debt_id HAVING SUM(e.total) > 0) b \
            JOIN debts d ON d.id = b.debt_id \
            WHERE d.charged_on <= \(bind: day) AND d.currency = \(bind: chosen.code)
            """ + clientFilter + ") open_debts GROUP BY 1"
        let rows = try await sql.raw(query).all()
        let totals = try rows.map { row in
            let name = try row.decode(column: "bucket", as: String.self)
            return AgingBucketTotal(
                bucket: AgingBucket(rawValue: name) ?? .current, count: try row.decode(column: "debts", as: Int.self),
                amount: try row.decode(column: "amount", as: Int64.self))
        }
        return AgingReport(asOf: asOf, currency: chosen, buckets: totals)
    }

    private static func resolveCurrency(
        _ currency: Currency?, clientID: Int64?, on sql: any SQLDatabase
    ) async throws
        -> Currency
    {
        if let currency { return currency }
        let filter: SQLQueryString = clientID.map { " WHERE client_id = \(bind: $0)" } ?? ""
        let rows = try await sql.raw("SELECT DISTINCT currency FROM debts" + filter + " ORDER BY currency").all()
        let codes = try rows.map { try $0.decode(column: "currency", as: String.self) }
        guard codes.count <= 1 else {
            throw StoreError.invalid(
                "the portfolio holds debts in \(codes.joined(separator: ", ")): choose one with --currency")
        }
        return try Currency(code: codes.first ?? "USD")
    }
}
