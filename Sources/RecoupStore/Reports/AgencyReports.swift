import FluentKit
import Foundation
import RecoupCore
import SQLKit

/// The reports agencies live by (issue 16; docs/agency-reports.md): liquidation by placement month, recovery by
/// client, the promise-kept rate and collector performance. Each is computed by the database where it can be (one
/// aggregate), returns Core values, and is limited to a client scope: a client's staff see their own client only.
public enum AgencyReports {
    // MARK: Liquidation

    /// The stair-step at the end of `asOf`: for each month accounts were placed (on or before `asOf`), the accounts
    /// and the amount placed, and for each month since placement the cumulative amount collected on them.
    ///
    /// Collected = payments dated from the placement date to its close (or `asOf`), to the agency or direct to the
    /// client, minus reversals of those payments dated through `asOf`, as the trust ledger records them (`collected`).
    /// One query: an aggregate of the placements and one of their collections by (placement month, payment month),
    /// the months worked out by the database once a (placement day, day) pair.
    public static func liquidation(
        asOf: LocalDate, clientRef: String? = nil, currency: Currency? = nil, scope: ClientScope = .all,
        on sql: any SQLDatabase
    ) async throws -> LiquidationReport {
        let clientID = try await clientID(clientRef: clientRef, scope: scope, on: sql)
        let chosen = try await placementCurrency(currency, clientID: clientID, on: sql)
        let day = asOf.daysSinceEpoch
        let clientFilter: SQLQueryString = clientID.map { " AND pl.client_id = \(bind: $0)" } ?? ""
        // Placements by day, then by month; collections by (placement day, payment day), then by the two months:
        // the month arithmetic runs once a day (pair), not once a row.
        let query: SQLQueryString =
            """
            SELECT 0 AS part, \(unsafeRaw: monthIndexSQL("d")) AS placed_month, 0 AS paid_month, \
            CAST(SUM(n) AS BIGINT) AS accounts, CAST(SUM(a) AS BIGINT) AS amount, 0 AS agency FROM \
            (SELECT pl.placed_on AS d, COUNT(*) AS n, SUM(pl.balance_at_placement) AS a FROM agency_placements pl \
            WHERE pl.currency = \(bind: chosen.code) AND pl.placed_on <= \(bind: day)
            """ + clientFilter
                + """
                 GROUP BY pl.placed_on) placed GROUP BY 2 UNION ALL SELECT 1, \(unsafeRaw: monthIndexSQL("d")), \
                \(unsafeRaw: monthIndexSQL("p")), 0, CAST(SUM(collected) AS BIGINT), CAST(SUM(agency) AS BIGINT) FROM (
                """
            + collected(
                keys: "t.placed_on AS d, t.on_day AS p", groupBy: "t.placed_on, t.on_day", through: day,
                currency: chosen, clientID: clientID) + ") pairs GROUP BY 2, 3"
        var cohorts: [Int: (accounts: Int, placed: Int64)] = [:]
        var collected: [Int: [Int: (all: Int64, agency: Int64)]] = [:]
        for row in try await sql.raw(query).all() {
            let placed = try row.decode(column: "placed_month", as: Int.self)
            if try row.decode(column: "part", as: Int.self) == 0 {
                cohorts[placed] = (
                    try row.decode(column: "accounts", as: Int.self), try row.decode(column: "amount", as: Int64.self)
                )
            } else {
                collected[placed, default: [:]][try row.decode(column: "paid_month", as: Int.self)] = (
                    try row.decode(column: "amount", as: Int64.self), try row.decode(column: "agency", as: Int64.self)
                )
            }
        }
        let lastMonth = CalendarMonth(asOf)
        let report = cohorts.keys.sorted().map { index in
            let month = calendarMonth(sqlIndex: index)
            let increments = collected[index] ?? [:]
            var all: Int64 = 0
            var agency: Int64 = 0
            let months = (0...max(0, lastMonth.months(since: month))).map { offset in
                if let step = increments[index + offset] {
                    all = all.addingReportingOverflow(step.all).partialValue
                    agency = agency.addingReportingOverflow(step.agency).partialValue
                }
                return LiquidationMonth(monthsSincePlacement: offset, collected: all, collectedByAgency: agency)
            }
            return LiquidationCohort(
                placementMonth: month, accounts: cohorts[index]!.accounts, placed: cohorts[index]!.placed,
                months: months)
        }
        return LiquidationReport(asOf: asOf, currency: chosen, cohorts: report)
    }

    // MARK: Recovery by client

    /// Per client with placements on or before `asOf`: accounts open and closed at its end, the amount placed and
    /// what was collected on it (the liquidation report's definition), in one query. Both parts are summed by
    /// (placement day, client) first, in the order of their covering indexes (no sort over the placements or the
    /// movements), then by client.
    public static func recovery(
        asOf: LocalDate, clientRef: String? = nil, currency: Currency? = nil, scope: ClientScope = .all,
        on sql: any SQLDatabase
    ) async throws -> RecoveryReport {
        let clientID = try await clientID(clientRef: clientRef, scope: scope, on: sql)
        let chosen = try await placementCurrency(currency, clientID: clientID, on: sql)
        let day = asOf.daysSinceEpoch
        let clientFilter: SQLQueryString = clientID.map { " AND pl.client_id = \(bind: $0)" } ?? ""
        let query: SQLQueryString =
            """
            SELECT 0 AS part, c AS client_id, CAST(SUM(n) AS BIGINT) AS accounts, \
            CAST(SUM(o) AS BIGINT) AS open_accounts, CAST(SUM(a) AS BIGINT) AS amount, 0 AS agency FROM \
            (SELECT pl.client_id AS c, COUNT(*) AS n, \
            SUM(CASE WHEN pl.closed_on IS NULL OR pl.closed_on > \(bind: day) THEN 1 ELSE 0 END) AS o, \
            SUM(pl.balance_at_placement) AS a FROM agency_placements pl \
            WHERE pl.placed_on <= \(bind: day) AND pl.currency = \(bind: chosen.code)
            """ + clientFilter
                + """
                 GROUP BY pl.placed_on, pl.client_id) placed GROUP BY c \
                UNION ALL SELECT 1, c, 0, 0, CAST(SUM(collected) AS BIGINT), \
                CAST(SUM(agency) AS BIGINT) FROM (
                """
            + collected(
                keys: "t.client_id AS c", groupBy: "t.placed_on, t.on_day, t.client_id", through: day,
                currency: chosen, clientID: clientID)
            + ") collections GROUP BY c"
        var byClient: [Int64: ClientRecovery] = [:]
        let names = try await clientNames(on: sql)
        for row in try await sql.raw(query).all() {
            let id = try row.decode(column: "client_id", as: Int64.self)
            var client =
                byClient[id]
                ?? ClientRecovery(
                    clientRef: names[id]?.ref ?? String(id), clientName: names[id]?.name ?? String(id), open: 0,
                    closed: 0, placed: 0, collected: 0, collectedByAgency: 0)
            if try row.decode(column: "part", as: Int.self) == 0 {
                let accounts = try row.decode(column: "accounts", as: Int.self)
                client.open = try row.decode(column: "open_accounts", as: Int.self)
                client.closed = accounts - client.open
                client.placed = try row.decode(column: "amount", as: Int64.self)
            } else {
                client.collected = try row.decode(column: "amount", as: Int64.self)
                client.collectedByAgency = try row.decode(column: "agency", as: Int64.self)
            }
            byClient[id] = client
        }
        return RecoveryReport(
            asOf: asOf, currency: chosen, clients: byClient.values.sorted { $0.clientRef < $1.clientRef })
    }

    // MARK: Promises kept

    /// The promises to pay made from `from` through `to`, each judged on `asOf` by the rule the promise list and the
    /// segments use (`PromiseToPay.evaluate` over the debt's payments and reversals), counted by the month made.
    public static func promises(
        from: LocalDate, to: LocalDate, asOf: LocalDate, clientRef: String? = nil, currency: Currency? = nil,
        scope: ClientScope = .all, on sql: any SQLDatabase
    ) async throws -> PromiseKeptReport {
        let clientID = try await clientID(clientRef: clientRef, scope: scope, on: sql)
        let chosen = try await debtCurrency(currency, clientID: clientID, on: sql)
        let clientFilter: SQLQueryString = clientID.map { " AND p.client_id = \(bind: $0)" } ?? ""
        let rows = try await sql.raw(
            """
            SELECT p.id, p.debt_id, d.ref, p.amount, p.due_on, p.made_on, p.via FROM promises p \
            JOIN debts d ON d.id = p.debt_id WHERE p.made_on >= \(bind: from.daysSinceEpoch) \
            AND p.made_on <= \(bind: to.daysSinceEpoch) AND d.currency = \(bind: chosen.code)
            """ + clientFilter + " ORDER BY p.made_on, p.id"
        ).all()
        let payments = try await PromiseStore.paymentsByDebt(
            debts: try PromiseStore.debtsOf(rows), since: nil, on: sql)
        var months: [CalendarMonth: PromiseKeptMonth] = [:]
        for row in rows {
            let promise = try PromiseStore.promise(from: row)
            let debtID = try row.decode(column: "debt_id", as: Int64.self)
            let month = CalendarMonth(promise.madeOn)
            months[month, default: PromiseKeptMonth(month: month)].count(
                promise, promise.evaluate(payments: payments[debtID] ?? [], asOf: asOf))
        }
        return PromiseKeptReport(
            from: from, to: to, asOf: asOf, currency: chosen,
            months: months.keys.sorted().map { months[$0]! })
    }

    // MARK: Collectors

    /// Per collector (the user who recorded the calls), from `from` through `to` on the calendar of `zone`:
    /// outbound calls (attempts), calls that reached the debtor (conversations), promises taken on a call the day of
    /// one of their conversations with the debtor, and payments (net of their reversals through `to`) dated in the
    /// period within `CollectorResult.attributionDays` days after their latest conversation with the debtor. Each
    /// payment is attributed to at most one collector: the one whose conversation was the latest before it.
    public static func collectors(
        from: LocalDate, to: LocalDate, zone: TimeZone, clientRef: String? = nil, currency: Currency? = nil,
        scope: ClientScope = .all, on sql: any SQLDatabase
    ) async throws -> CollectorReport {
        let clientID = try await clientID(clientRef: clientRef, scope: scope, on: sql)
        let chosen = try await debtCurrency(currency, clientID: clientID, on: sql)
        let start = ContactScheduling.startOfDay(from, in: zone)
        let end = ContactScheduling.startOfDay(to.adding(days: 1), in: zone)
        let lookBack = ContactScheduling.startOfDay(from.adding(days: -CollectorResult.attributionDays), in: zone)
        let clientJoin: SQLQueryString =
            clientID.map { " JOIN debtors dr ON dr.id = ce.debtor_id AND dr.client_id = \(bind: $0)" } ?? ""
        var results: [String: CollectorResult] = [:]
        for row in try await sql.raw(
            """
            SELECT ce.recorded_by AS collector, \
            SUM(CASE WHEN ce.details LIKE '%"direction":"outbound"%' THEN 1 ELSE 0 END) AS attempts, \
            SUM(CASE WHEN ce.details LIKE \(bind: conversationPattern) THEN 1 ELSE 0 END) AS conversations \
            FROM contact_events ce
            """ + clientJoin
                + """
                 WHERE ce.type = 'call' AND ce.recorded_by IS NOT NULL AND ce.at >= \(bind: start) \
                AND ce.at < \(bind: end) GROUP BY ce.recorded_by
                """
        ).all() {
            var result = CollectorResult(collector: try row.decode(column: "collector", as: String.self))
            result.attempts = try row.decode(column: "attempts", as: Int.self)
            result.conversations = try row.decode(column: "conversations", as: Int.self)
            results[result.collector] = result
        }
        // Conversations from the look-back on, by debtor, oldest first: the payments and promises they earn.
        var conversations: [Int64: [(day: LocalDate, collector: String)]] = [:]
        for row in try await sql.raw(
            """
            SELECT ce.debtor_id, ce.recorded_by, ce.at FROM contact_events ce
            """ + clientJoin
                + """
                 WHERE ce.type = 'call' AND ce.recorded_by IS NOT NULL AND ce.details LIKE \
                \(bind: conversationPattern) AND ce.at >= \(bind: lookBack) AND ce.at < \(bind: end) \
                ORDER BY ce.debtor_id, ce.at, ce.id
                """
        ).all() {
            conversations[try row.decode(column: "debtor_id", as: Int64.self), default: []].append(
                (
                    LocalDate(try row.decode(column: "at", as: Date.self), in: zone),
                    try row.decode(column: "recorded_by", as: String.self)
                ))
        }
        /// The collector of the debtor's latest conversation on or before `day` and at most `days` days before it.
        func collector(debtorID: Int64, on day: LocalDate, within days: Int) -> String? {
            guard let talks = conversations[debtorID],
                let latest = talks.last(where: { $0.day <= day }), day.days(since: latest.day) <= days
            else { return nil }
            return latest.collector
        }
        let debtorIDs = Array(conversations.keys).sorted()
        for chunkStart in stride(from: 0, to: debtorIDs.count, by: 1_000) {
            let chunk = SQLQueryString.boundList(debtorIDs[chunkStart..<min(debtorIDs.count, chunkStart + 1_000)])
            var attributed: [String: (debtorID: Int64, collector: String)] = [:]
            var reversals: [(reverses: String, debtorID: Int64, amount: Int64)] = []
            for row in try await sql.raw(
                """
                SELECT d.debtor_id, e.debt_id, e.kind, e.effective_on, e.amount, e.idempotency_key, e.reversed_key \
                FROM ledger_entries e JOIN debts d ON d.id = e.debt_id WHERE d.debtor_id IN (\(chunk)) \
                AND d.currency = \(bind: chosen.code) AND e.kind IN ('payment', 'payment_reversal') \
                AND e.effective_on <= \(bind: to.daysSinceEpoch)
                """
            ).all() {
                let debtorID = try row.decode(column: "debtor_id", as: Int64.self)
                let key = "\(try row.decode(column: "debt_id", as: Int64.self))#"
                let amount = try row.decode(column: "amount", as: Int64.self)
                if try row.decode(column: "kind", as: String.self) == "payment" {
                    let day = LocalDate(daysSinceEpoch: try row.decode(column: "effective_on", as: Int.self))
                    guard day >= from,
                        let name = collector(debtorID: debtorID, on: day, within: CollectorResult.attributionDays)
                    else { continue }
                    attributed[key + (try row.decode(column: "idempotency_key", as: String.self))] = (debtorID, name)
                    results[name, default: CollectorResult(collector: name)].collected += amount
                } else if let reversed = try row.decode(column: "reversed_key", as: String?.self) {
                    reversals.append((key + reversed, debtorID, amount))
                }
            }
            for reversal in reversals {
                guard let payment = attributed[reversal.reverses] else { continue }
                results[payment.collector]?.collected -= reversal.amount
            }
            for row in try await sql.raw(
                """
                SELECT d.debtor_id, p.made_on FROM promises p JOIN debts d ON d.id = p.debt_id \
                WHERE d.debtor_id IN (\(chunk)) AND p.via = 'call' AND p.made_on >= \(bind: from.daysSinceEpoch) \
                AND p.made_on <= \(bind: to.daysSinceEpoch)
                """
            ).all() {
                let day = LocalDate(daysSinceEpoch: try row.decode(column: "made_on", as: Int.self))
                guard
                    let name = collector(
                        debtorID: try row.decode(column: "debtor_id", as: Int64.self), on: day, within: 0)
                else { continue }
                results[name, default: CollectorResult(collector: name)].promises += 1
            }
        }
        return CollectorReport(
            from: from, to: to, currency: chosen, collectors: results.values.sorted { $0.collector < $1.collector })
    }

    // MARK: Shared parts

    /// How a stored call with the debtor reached reads in its details (`ContactEventCodec.json` writes it so).
    static let conversationPattern = "%\"outcome\":\"" + CallOutcome.conversation.rawValue + "\"%"

    /// What counts as collected on placed accounts through `day`, summed by `groupBy` into `keys` (columns of the trust
    /// movement `t`) with `collected` and `agency` (the same without direct payments to the client): each payment
    /// movement (`received` or `direct`) of a placement whose payment falls within it (from its placement date to its
    /// close, `in_placement`), less each reversal of such a payment dated through `day`.
    ///
    /// The trust ledger holds a movement for every payment to a placed account and every reversal of one, as it is
    /// posted (`TrustStore.record`), with its placement's date (M029): the sums read one index in (placement day, day)
    /// order, `trust_entries_collections`, with no join; grouped by a prefix of that order they need no sort either.
    static func collected(
        keys: String, groupBy: String, through day: Int, currency: Currency, clientID: Int64?
    ) -> SQLQueryString {
        let clientFilter: SQLQueryString = clientID.map { " AND t.client_id = \(bind: $0)" } ?? ""
        return
            """
            SELECT \(unsafeRaw: keys), \
            SUM(CASE WHEN t.kind IN ('received', 'direct') THEN t.amount ELSE -t.amount END) AS collected, \
            SUM(CASE t.kind WHEN 'received' THEN t.amount WHEN 'reversed' THEN -t.amount ELSE 0 END) AS agency \
            FROM trust_entries t WHERE t.currency = \(bind: currency.code) AND t.placed_on IS NOT NULL \
            AND t.on_day <= \(bind: day) AND t.in_placement
            """ + clientFilter + " GROUP BY \(unsafeRaw: groupBy)"
    }

    /// SQL for the month of a day column (days since 1970-01-01) as months since March 1900, in integer arithmetic
    /// both databases share: 4-year cycles of 1,461 days from 1900-03-01 (each ending with its leap day), years of
    /// 365 days within a cycle, and months from March by `(5 × day of year + 2) ÷ 153`. Right from 1900-03-01 to
    /// 2100-02-28 (2100 is not a leap year); `calendarMonth(sqlIndex:)` turns the result back into a month.
    static func monthIndexSQL(_ column: String) -> String {
        let days = "(\(column) + 25508)"
        let inCycle = "(\(days) % 1461)"
        let yearInCycle = "((\(inCycle) - \(inCycle) / 1460) / 365)"
        return "(48 * (\(days) / 1461) + 12 * \(yearInCycle) + (5 * (\(inCycle) - 365 * \(yearInCycle)) + 2) / 153)"
    }

    /// The month of a `monthIndexSQL` result.
    static func calendarMonth(sqlIndex: Int) -> CalendarMonth { CalendarMonth(index: 1900 * 12 + 2 + sqlIndex) }

    /// The client a report is limited to: the scope's own client (another one asked for is `unknownClient`, as if
    /// it did not exist), else the one named, else none (every client).
    static func clientID(clientRef: String?, scope: ClientScope, on sql: any SQLDatabase) async throws -> Int64? {
        switch scope {
        case .client(let id, let ref):
            if let clientRef, clientRef != ref { throw StoreError.unknownClient(clientRef) }
            return id
        case .all:
            guard let clientRef else { return nil }
            guard let id = try await ClientQueries.clientID(ref: clientRef, on: sql) else {
                throw StoreError.unknownClient(clientRef)
            }
            return id
        }
    }

    /// The currency asked for, else the placements' only currency (the debts' when nothing is placed yet).
    static func placementCurrency(
        _ currency: Currency?, clientID: Int64?, on sql: any SQLDatabase
    ) async throws -> Currency {
        if let currency { return currency }
        if let only = try await onlyCurrency(table: "agency_placements", clientID: clientID, on: sql) { return only }
        return try await debtCurrency(nil, clientID: clientID, on: sql)
    }

    /// The currency asked for, else the debts' only currency (USD without debts).
    static func debtCurrency(_ currency: Currency?, clientID: Int64?, on sql: any SQLDatabase) async throws -> Currency
    {
        if let currency { return currency }
        return try await onlyCurrency(table: "debts", clientID: clientID, on: sql) ?? Currency(code: "USD")
    }

    /// The one currency of `table`'s rows (of the client), nil for none; several are `invalid`, naming them.
    private static func onlyCurrency(
        table: String, clientID: Int64?, on sql: any SQLDatabase
    ) async throws -> Currency? {
        let filter: SQLQueryString = clientID.map { " WHERE client_id = \(bind: $0)" } ?? ""
        let rows = try await sql.raw(
            "SELECT DISTINCT currency FROM \(unsafeRaw: table)" + filter + " ORDER BY currency"
        ).all()
        let codes = try rows.map { try $0.decode(column: "currency", as: String.self) }
        guard codes.count <= 1 else {
            throw StoreError.invalid(
                "the portfolio holds \(codes.joined(separator: ", ")): choose one currency (--currency, ?currency=)")
        }
        return try codes.first.map { try Currency(code: $0) }
    }

    /// Every client's reference and name by id.
    private static func clientNames(on sql: any SQLDatabase) async throws -> [Int64: (ref: String, name: String)] {
        var names: [Int64: (ref: String, name: String)] = [:]
        for row in try await sql.raw("SELECT id, ref, name FROM clients").all() {
            names[try row.decode(column: "id", as: Int64.self)] = (
                try row.decode(column: "ref", as: String.self), try row.decode(column: "name", as: String.self)
            )
        }
        return names
    }
}
