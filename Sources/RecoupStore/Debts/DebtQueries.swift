import FluentKit
import Foundation
import RecoupCore
import SQLKit

/// One debt as lists show it.
public struct DebtSummary: Sendable, Equatable {
    public var id: Int64
    public var ref: String
    public var clientRef: String
    public var clientName: String
    public var debtorID: Int64
    public var debtorRef: String
    public var debtorName: String
    public var debtorKind: String
    public var currency: Currency
    public var dueOn: LocalDate
    public var balance: Int64
    public var disputed: Bool

    /// Open when something is still owed.
    public var isOpen: Bool { balance > 0 }
}

/// What a debts list asks for.
public struct DebtFilter: Sendable {
    /// At most this many (1–500).
    public var limit: Int = 50
    /// Only debts with an id above this (the previous page's `next`).
    public var after: Int64? = nil
    /// `open`, `closed`, or nil for both.
    public var status: String? = nil
    /// Only this client's debts.
    public var clientRef: String? = nil
    /// A name, debt reference or phone number (digits) to look for.
    public var search: String? = nil
    /// Only debts in this aging bucket on `today`.
    public var bucket: AgingBucket? = nil
    /// Only debts stored in this segment by the last `SegmentStore.refresh`.
    public var segment: Segment? = nil
    /// How many debts of matching debtors make a search by name "broad", answered by testing each debt while walking
    /// the reference index instead of reading the matches as a list (both give the same page; only speed differs).
    public var broadSearchDebts = 2_000
    /// How many matching debtors make the walk of a broad search probe each debt's debtor in the index by debtor
    /// instead of gathering the matching debtors first (a one-letter search matches most debtors; same page).
    public var probedSearchDebtors = 5_000
    /// The day days past due are counted to.
    public var today: LocalDate

    public init(today: LocalDate) { self.today = today }
}

/// Reads debts through a client scope: a query cannot be written without saying whose debts it may see.
public enum DebtQueries {
    /// A page of debts, and the cursor of the next page (nil on the last): in id order, or, for a search, in order
    /// of lower-cased reference (then id). Either way the cursor is the last debt's id.
    ///
    /// A search walks in reference order and stops at the page's end, so even a one-letter search over a million
    /// debts reads about a page's worth of rows. The debts of the debtors whose terms match (`M011CreateSearchTerms`)
    /// are counted, up to `DebtFilter.broadSearchDebts`, and read as a list when they are fewer: then the references
    /// that begin with the text typed (a range of the reference index) and that list are two walks, merged. When
    /// they are many (a common word or a single letter matches debts everywhere), one walk along the reference index
    /// tests each debt both ways; when the matching debtors are many too (`DebtFilter.probedSearchDebtors`), by
    /// probing the debt's debtor in the index rather than gathering them all first (`SearchIndex.debtorMatches`).
    public static func list(
        _ filter: DebtFilter, scope: ClientScope, on database: any Database
    ) async throws
        -> (items: [DebtSummary], next: Int64?)
    {
        let sql = database as! any SQLDatabase
        let limit = min(500, max(1, filter.limit))
        guard let text = filter.search, case let search = SearchTerms.Query(text), !search.isEmpty else {
            let rows = try await page(filter, scope: scope, limit: limit + 1, order: .id(after: filter.after), sql: sql)
            return finish(rows.map(\.debt), limit: limit)
        }
        let flavor = SQLFlavor(sql)
        var cursor: (key: String, id: Int64)? = nil
        if let after = filter.after {
            let row = try await sql.raw("SELECT lower(ref) AS ref_key FROM debts WHERE id = \(bind: after)").first()
            guard let key = try row?.decode(column: "ref_key", as: String.self) else { return ([], nil) }
            cursor = (key, after)
        }
        let order = Order.reference(after: cursor, flavor: flavor)
        let key: SQLQueryString = flavor == .sqlite ? "lower(d.ref)" : "(lower(d.ref) COLLATE \"C\")"
        let byReference: SQLQueryString = """
            \(key) >= \(bind: search.referencePrefix) \
            AND \(key) < \(bind: SearchTerms.upperBound(ofPrefix: search.referencePrefix))
            """
        guard !search.prefixes.isEmpty else {
            let rows = try await page(
                filter, scope: scope, limit: limit + 1, order: order, condition: byReference, sql: sql)
            return finish(rows.map(\.debt), limit: limit)
        }
        let broad = max(1, filter.broadSearchDebts)
        let probed = max(1, filter.probedSearchDebtors)
        let counts = try await SearchIndex.countMatches(
            search.prefixes, debtsUpTo: broad, debtorsUpTo: probed, on: sql)
        guard counts.debts < broad else {
            // One walk along the reference index, testing both ways of matching on each debt: against the matching
            // debtors gathered once when they are few, by probing each debt's debtor when they are many.
            let matches =
                counts.debtors < probed
                ? "+d.debtor_id IN (\(SearchIndex.matchingDebtors(search.prefixes)))"
                : SearchIndex.debtorMatches(search.prefixes, debtorColumn: "d.debtor_id")
            let rows = try await page(
                filter, scope: scope, limit: limit + 1, order: order, condition: "(\(byReference)) OR \(matches)",
                sql: sql)
            return finish(rows.map(\.debt), limit: limit)
        }
        let ids = try await SearchIndex.debtIDsOfMatchingDebtors(search.prefixes, upTo: broad, on: sql)
        let listed: SQLQueryString = "d.id IN (\(SQLQueryString.boundList(ids.sorted())))"
        let rows =
            try await page(filter, scope: scope, limit: limit + 1, order: order, condition: byReference, sql: sql)
            + page(filter, scope: scope, limit: limit + 1, order: order, condition: listed, sql: sql)
        var seen = Set<Int64>()
        let merged = rows.sorted { a, b in
            a.key == b.key ? a.debt.id < b.debt.id : Array(a.key.utf8).lexicographicallyPrecedes(Array(b.key.utf8))
        }.filter { seen.insert($0.debt.id).inserted }
        return finish(merged.map(\.debt), limit: limit)
    }

    private static func finish(_ rows: [DebtSummary], limit: Int) -> (items: [DebtSummary], next: Int64?) {
        guard rows.count > limit else { return (rows, nil) }
        let items = Array(rows.prefix(limit))
        return (items, items.last?.id)
    }

    /// The order of a page, and where it starts.
    enum Order {
        case id(after: Int64?)
        /// Lower-cased reference, then id, after the given key and id.
        case reference(after: (key: String, id: Int64)?, flavor: SQLFlavor)
    }

    /// One query: the first `limit` debts in `order` that pass the filters and `condition`, with each one's sort key.
    private static func page(
        _ filter: DebtFilter, scope: ClientScope, limit: Int, order: Order, condition: SQLQueryString? = nil,
        sql: any SQLDatabase
    ) async throws -> [(debt: DebtSummary, key: String)] {
        var bySegment = false
        if case .id = order, filter.segment != nil { bySegment = true }
        var query: SQLQueryString = """
            SELECT d.id, d.ref, lower(d.ref) AS ref_key, c.ref AS client_ref, c.name AS client_name, p.id AS debtor_id, \
            p.ref AS debtor_ref, p.name AS debtor_name, p.kind AS debtor_kind, d.currency, d.due_on, d.disputed, \
            (SELECT CAST(COALESCE(SUM(l.total), 0) AS BIGINT) FROM ledger_entries l WHERE l.debt_id = d.id) AS balance \
            FROM \(unsafeRaw: bySegment ? "debt_segments s JOIN debts d ON d.id = s.debt_id" : "debts d") \
            JOIN clients c ON c.id = d.client_id JOIN debtors p ON p.id = d.debtor_id WHERE 1 = 1
            """
        if let condition { query += " AND (\(condition))" }
        query += scopeFilter(scope)
        if let client = filter.clientRef { query += " AND c.ref = \(bind: client)" }
        if let segment = filter.segment {
            query +=
                bySegment
                ? " AND s.segment = \(bind: segment.rawValue)"
                : " AND EXISTS (SELECT 1 FROM debt_segments s WHERE s.debt_id = d.id AND s.segment = \(bind: segment.rawValue))"
        }
        let balance: SQLQueryString = "(SELECT COALESCE(SUM(l.total), 0) FROM ledger_entries l WHERE l.debt_id = d.id)"
        switch filter.status {
        case "open": query += " AND \(balance) > 0"
        case "closed": query += " AND \(balance) <= 0"
        default: break
        }
        if let bucket = filter.bucket {
            let today = filter.today.daysSinceEpoch
            switch bucket {
            case .current: query += " AND d.due_on >= \(bind: today)"
            case .days1To30: query += " AND d.due_on BETWEEN \(bind: today - 30) AND \(bind: today - 1)"
            case .days31To60: query += " AND d.due_on BETWEEN \(bind: today - 60) AND \(bind: today - 31)"
            case .days61To90: query += " AND d.due_on BETWEEN \(bind: today - 90) AND \(bind: today - 61)"
            case .days91Plus: query += " AND d.due_on <= \(bind: today - 91)"
            }
        }
        switch order {
        case .id(let after):
            // In id order with a segment, walk the segment's index (segment, debt_id): it is in the same order.
            let id = bySegment ? "s.debt_id" : "d.id"
            if let after {
                query += " AND \(unsafeRaw: id) > \(bind: after)"
                // Said of both tables: PostgreSQL does not carry a range across a join, and would merge-join the
                // debts from the first id.
                if bySegment { query += " AND d.id > \(bind: after)" }
            }
            query += " ORDER BY \(unsafeRaw: id)"
        case .reference(let after, let flavor):
            let key: SQLQueryString = flavor == .sqlite ? "lower(d.ref)" : "(lower(d.ref) COLLATE \"C\")"
            if let after {
                query +=
                    " AND \(key) >= \(bind: after.key) AND (\(key) > \(bind: after.key) OR d.id > \(bind: after.id))"
            }
            query += " ORDER BY \(key), d.id"
        }
        query += " LIMIT \(unsafeRaw: String(limit))"
        return try await sql.raw(query).all().map {
            (try summary(from: $0), try $0.decode(column: "ref_key", as: String.self))
        }
    }

    /// One debt, or nil when it is missing or outside the scope (the two cannot be told apart).
    public static func debt(id: Int64, scope: ClientScope, on database: any Database) async throws -> DebtSummary? {
        let sql = database as! any SQLDatabase
        var query: SQLQueryString = """
            SELECT d.id, d.ref, c.ref AS client_ref, c.name AS client_name, p.id AS debtor_id, p.ref AS debtor_ref, \
            p.name AS debtor_name, p.kind AS debtor_kind, d.currency, d.due_on, d.disputed, \
            (SELECT CAST(COALESCE(SUM(l.total), 0) AS BIGINT) FROM ledger_entries l WHERE l.debt_id = d.id) AS balance \
            FROM debts d JOIN clients c ON c.id = d.client_id JOIN debtors p ON p.id = d.debtor_id WHERE d.id = \(bind: id)
            """
        query += scopeFilter(scope)
        return try await sql.raw(query).first().map(summary(from:))
    }

    /// The debt's ledger entries in the order they were written.
    public static func ledger(of debt: DebtSummary, on database: any Database) async throws -> Ledger {
        Ledger(
            currency: debt.currency,
            entries: try await PaymentStore.entries(of: debt.id, on: database as! any SQLDatabase))
    }

    private static func scopeFilter(_ scope: ClientScope) -> SQLQueryString {
        guard let clientID = scope.clientID else { return "" }
        return " AND d.client_id = \(bind: clientID)"
    }

    private static func summary(from row: any SQLRow) throws -> DebtSummary {
        DebtSummary(
            id: try row.decode(column: "id", as: Int64.self), ref: try row.decode(column: "ref", as: String.self),
            clientRef: try row.decode(column: "client_ref", as: String.self),
            clientName: try row.decode(column: "client_name", as: String.self),
            debtorID: try row.decode(column: "debtor_id", as: Int64.self),
            debtorRef: try row.decode(column: "debtor_ref", as: String.self),
            debtorName: try row.decode(column: "debtor_name", as: String.self),
            debtorKind: try row.decode(column: "debtor_kind", as: String.self),
            currency: try Currency(code: try row.decode(column: "currency", as: String.self)),
            dueOn: LocalDate(daysSinceEpoch: try row.decode(column: "due_on", as: Int.self)),
            balance: try row.decode(column: "balance", as: Int64.self),
            disputed: try row.decode(column: "disputed", as: Bool.self))
    }
}
