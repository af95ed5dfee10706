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
    /// The latest call, text, email or letter with the debtor; nil when there was none (lists only).
    public var lastContact: Date? = nil

    /// Open when something is still owed.
    public var isOpen: Bool { balance > 0 }
}

/// What a debts list asks for.
public struct DebtFilter: Sendable {
    /// At most this many (1–500).
    public var limit: Int = 50
    /// Only debts after this one in the list's order (the previous page's `next`).
    public var after: Int64? = nil
    /// Only debts before this one in the list's order (the next page's `previous`); not with `after`.
    public var before: Int64? = nil
    /// The list's order: as chosen, else the order debts were added, or for a search, reference order.
    public var sort: DebtSort {
        get { chosenSort ?? (search.map { !SearchTerms.Query($0).isEmpty } == true ? .reference : .added) }
        set { chosenSort = newValue }
    }
    /// The order chosen, if one was.
    private var chosenSort: DebtSort? = nil
    /// Largest first (for days past due: the oldest due date first).
    public var descending = false
    /// Only this debtor's debts (their reference).
    public var debtorRef: String? = nil
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

/// The orders a debts list can be in.
public enum DebtSort: String, Sendable, CaseIterable {
    /// The order the debts were added (id).
    case added
    case balance
    /// Days past due: ascending is the latest due date first.
    case daysPastDue = "days"
    /// The latest contact with the debtor, never contacted first.
    case lastContact = "contact"
    /// The debt's reference, letter case aside (byte order): a search's order unless another is chosen.
    case reference = "ref"
}

/// A page of a debts list: the cursors are debt ids (nil when there is no such page).
public struct DebtPage: Sendable {
    public var items: [DebtSummary]
    public var next: Int64?
    public var previous: Int64?
}

/// How many debts a list's filters match and what they owe, per currency.
public struct DebtTotals: Sendable, Equatable {
    public var count: Int
    public var balances: [Money]

    public init(count: Int, balances: [Money]) {
        self.count = count
        self.balances = balances
    }
}

/// Reads debts through a client scope: a query cannot be written without saying whose debts it may see.
public enum DebtQueries {
    /// A page of debts with the cursors of the next and previous pages (nil when there is none), in the filter's
    /// sort: id order by default, or for a search, lower-cased reference (then id), unless another sort is chosen. A
    /// cursor is a debt's id, and its sort key is looked up (through the scope: a debt the user may not see starts no
    /// page). `after` walks forward from a debt; `before` walks backward from one and gives the page in the same order.
    ///
    /// Every sort walks one index of `debts` (`M018AddDebtListSortKeys`), and a search is that walk with the search's
    /// conditions, stopping at the page's end. In reference order even a one-letter search over a million debts reads
    /// about a page's worth of rows: the debts of the debtors whose terms match (`M011CreateSearchTerms`) are
    /// counted, up to `DebtFilter.broadSearchDebts`, and read as a list when they are fewer: then the references
    /// that begin with the text typed (a range of the reference index) and that list are two walks, merged. When
    /// they are many (a common word or a single letter matches debts everywhere), one walk along the reference index
    /// tests each debt both ways; when the matching debtors are many too (`DebtFilter.probedSearchDebtors`), by
    /// probing the debt's debtor in the index rather than gathering them all first (`SearchIndex.debtorMatches`).
    /// In another sort the references that begin with the text are counted the same way: when both kinds of match
    /// are few, their debts are read by id and put in order (a few thousand rows at most); otherwise matches are
    /// common, and the walk along the sort's index that tests each debt soon fills a page.
    public static func list(
        _ filter: DebtFilter, scope: ClientScope, on database: any Database
    ) async throws -> DebtPage {
        let sql = database as! any SQLDatabase
        guard let narrowed = try await clientAsScope(filter, scope, sql: sql) else {
            return DebtPage(items: [], next: nil, previous: nil)
        }
        let (filter, scope) = narrowed
        let limit = min(500, max(1, filter.limit))
        guard let order = try await startingOrder(filter, scope: scope, sql: sql) else {
            return DebtPage(items: [], next: nil, previous: nil)
        }
        guard let text = filter.search, case let search = SearchTerms.Query(text), !search.isEmpty else {
            let rows = try await page(filter, scope: scope, limit: limit + 1, order: order, sql: sql)
            return finish(rows.map(\.debt), limit: limit, filter: filter)
        }
        let flavor = SQLFlavor(sql)
        let key: SQLQueryString = flavor == .sqlite ? "lower(d.ref)" : "(lower(d.ref) COLLATE \"C\")"
        let byReference: SQLQueryString = """
            \(key) >= \(bind: search.referencePrefix) \
            AND \(key) < \(bind: SearchTerms.upperBound(ofPrefix: search.referencePrefix))
            """
        let broad = max(1, filter.broadSearchDebts)
        let probed = max(1, filter.probedSearchDebtors)
        guard case .reference(_, let descending, _) = order else {
            // Another sort. Few matches: read them by id and let the database put them in order.
            let references = try await sql.raw(
                "SELECT d.id FROM debts d WHERE \(byReference) LIMIT \(unsafeRaw: String(broad))"
            ).all().map { try $0.decode(column: "id", as: Int64.self) }
            let counts =
                search.prefixes.isEmpty
                ? SearchIndex.MatchCounts(debts: 0, debtors: 0)
                : try await SearchIndex.countMatches(search.prefixes, debtsUpTo: broad, debtorsUpTo: probed, on: sql)
            if references.count < broad, counts.debts < broad {
                var ids = Set(references)
                if !search.prefixes.isEmpty {
                    ids.formUnion(try await SearchIndex.debtIDsOfMatchingDebtors(search.prefixes, upTo: broad, on: sql))
                }
                guard !ids.isEmpty else { return finish([], limit: limit, filter: filter) }
                let rows = try await page(
                    filter, scope: scope, limit: limit + 1, order: order,
                    condition: "d.id IN (\(SQLQueryString.boundList(ids.sorted())))", sql: sql)
                return finish(rows.map(\.debt), limit: limit, filter: filter)
            }
            // Many: one walk along the sort's index, testing each debt both ways. The reference is tested as an
            // expression no index holds (`+`), so that SQLite walks the sort's index rather than read every debt in
            // the references' range and sort them.
            let walked: SQLQueryString =
                flavor == .sqlite
                ? """
                +lower(d.ref) >= \(bind: search.referencePrefix) \
                AND +lower(d.ref) < \(bind: SearchTerms.upperBound(ofPrefix: search.referencePrefix))
                """ : byReference
            var condition = walked
            if !search.prefixes.isEmpty {
                let listed =
                    counts.debts < broad
                    ? try await SearchIndex.debtIDsOfMatchingDebtors(search.prefixes, upTo: broad, on: sql).sorted()
                    : []
                let matches: SQLQueryString =
                    counts.debts < broad
                    ? "d.id IN (\(SQLQueryString.boundList(listed)))"
                    : counts.debtors < probed
                        ? "+d.debtor_id IN (\(SearchIndex.matchingDebtors(search.prefixes)))"
                        : SearchIndex.debtorMatches(search.prefixes, debtorColumn: "d.debtor_id")
                condition = "(\(walked)) OR \(matches)"
            }
            let rows = try await page(
                filter, scope: scope, limit: limit + 1, order: order, condition: condition, sql: sql)
            return finish(rows.map(\.debt), limit: limit, filter: filter)
        }
        guard !search.prefixes.isEmpty else {
            let rows = try await page(
                filter, scope: scope, limit: limit + 1, order: order, condition: byReference, sql: sql)
            return finish(rows.map(\.debt), limit: limit, filter: filter)
        }
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
            return finish(rows.map(\.debt), limit: limit, filter: filter)
        }
        let ids = try await SearchIndex.debtIDsOfMatchingDebtors(search.prefixes, upTo: broad, on: sql)
        let listed: SQLQueryString = "d.id IN (\(SQLQueryString.boundList(ids.sorted())))"
        let rows =
            try await page(filter, scope: scope, limit: limit + 1, order: order, condition: byReference, sql: sql)
            + page(filter, scope: scope, limit: limit + 1, order: order, condition: listed, sql: sql)
        var seen = Set<Int64>()
        let merged = rows.sorted { a, b in
            let ascending =
                a.key == b.key
                ? a.debt.id < b.debt.id : Array(a.key.utf8).lexicographicallyPrecedes(Array(b.key.utf8))
            return ascending != descending
        }.filter { seen.insert($0.debt.id).inserted }
        return finish(merged.map(\.debt), limit: limit, filter: filter)
    }

    /// The order a page walks in (the filter's sort and direction, turned around for `before`), from the cursor's
    /// sort key; nil when the cursor is a debt the scope does not see (or none at all): then the page is empty.
    private static func startingOrder(
        _ filter: DebtFilter, scope: ClientScope, sql: any SQLDatabase
    ) async throws -> Order? {
        let cursor = filter.before ?? filter.after
        let backward = filter.before != nil
        if filter.sort == .reference {
            var after: (key: String, id: Int64)? = nil
            if let cursor {
                let row = try await sql.raw(
                    "SELECT lower(d.ref) AS ref_key FROM debts d WHERE d.id = \(bind: cursor)\(scopeFilter(scope))"
                ).first()
                guard let key = try row?.decode(column: "ref_key", as: String.self) else { return nil }
                after = (key, cursor)
            }
            return .reference(after: after, descending: filter.descending != backward, flavor: SQLFlavor(sql))
        }
        var after: (key: Int64, id: Int64)? = nil
        if let cursor {
            let column = filter.sort == .added ? "id" : sortColumn(filter.sort)
            let row = try await sql.raw(
                "SELECT \(unsafeRaw: column) AS sort_key FROM debts d WHERE d.id = \(bind: cursor)\(scopeFilter(scope))"
            ).first()
            guard let key = try row?.decode(column: "sort_key", as: Int64.self) else { return nil }
            after = (key, cursor)
        }
        return filter.sort == .added
            ? .id(after: after?.id, descending: filter.descending != backward)
            : .column(
                sortColumn(filter.sort), after: after,
                descending: (filter.sort == .daysPastDue ? !filter.descending : filter.descending) != backward)
    }

    /// The column a sort walks.
    private static func sortColumn(_ sort: DebtSort) -> String {
        switch sort {
        case .added: "d.id"
        case .balance: "d.balance"
        case .daysPastDue: "d.due_on"
        case .lastContact: "d.last_contact_at"
        case .reference: "lower(d.ref)"
        }
    }

    /// The page from rows in walk order (one more than `limit` when there are more): a backward walk is turned
    /// around, and the cursor it came from means there is a next page.
    private static func finish(_ rows: [DebtSummary], limit: Int, filter: DebtFilter) -> DebtPage {
        let more = rows.count > limit
        let walked = Array(rows.prefix(limit))
        guard filter.before != nil else {
            return DebtPage(
                items: walked, next: more ? walked.last?.id : nil,
                previous: filter.after == nil ? nil : walked.first?.id)
        }
        let items = Array(walked.reversed())
        return DebtPage(items: items, next: items.last?.id, previous: more ? items.first?.id : nil)
    }

    /// How many debts the filters match (the search, the cursors and the sort aside) and their balances by currency.
    public static func totals(
        _ filter: DebtFilter, scope: ClientScope, on database: any Database
    ) async throws -> DebtTotals {
        let sql = database as! any SQLDatabase
        guard let narrowed = try await clientAsScope(filter, scope, sql: sql) else {
            return DebtTotals(count: 0, balances: [])
        }
        let (filter, scope) = narrowed
        var query: SQLQueryString = """
            SELECT d.currency, COUNT(*) AS debts, CAST(COALESCE(SUM(d.balance), 0) AS BIGINT) AS balance FROM debts d
            """
        query += " WHERE 1 = 1"
        query += scopeFilter(scope, indexed: filter.debtorRef == nil)
        query += conditions(filter, bySegment: false)
        query += " GROUP BY d.currency ORDER BY d.currency"
        var totals = DebtTotals(count: 0, balances: [])
        for row in try await sql.raw(query).all() {
            totals.count += try row.decode(column: "debts", as: Int.self)
            totals.balances.append(
                Money(
                    minorUnits: try row.decode(column: "balance", as: Int64.self),
                    currency: try Currency(code: try row.decode(column: "currency", as: String.self))))
        }
        return totals
    }

    /// The order of a page, and where it starts.
    enum Order {
        case id(after: Int64?, descending: Bool)
        /// A column of `debts`, then id, after the given key and id.
        case column(String, after: (key: Int64, id: Int64)?, descending: Bool)
        /// Lower-cased reference, then id, after the given key and id.
        case reference(after: (key: String, id: Int64)?, descending: Bool, flavor: SQLFlavor)
    }

    /// The filters' conditions (the client, debtor, segment, status and age). `byBalance`: a balance index may serve the
    /// status; false when the page walks another index.
    private static func conditions(_ filter: DebtFilter, bySegment: Bool, byBalance: Bool = true) -> SQLQueryString {
        var query: SQLQueryString = ""
        // The client's id, as the scope's: PostgreSQL then walks an index by (client, sort key) in order
        // (`M019ImportWritesDebtBalances`) rather than the sort's index for every client's debts.
        // With a debtor, their debts are few: the client is tested on them (`+`), or SQLite walks every debt of the
        // client in the sort's order looking for the debtor's (0.13-1.3 s for a client of a million debts).
        let clientID = filter.debtorRef == nil ? "d.client_id" : "+d.client_id"
        if let client = filter.clientRef {
            query += " AND \(unsafeRaw: clientID) = (SELECT id FROM clients WHERE ref = \(bind: client))"
        }
        // The debtor's debts through their index: `p.ref = …` walked every debt (1 s over a million).
        if let debtor = filter.debtorRef {
            query += " AND d.debtor_id IN (SELECT id FROM debtors WHERE ref = \(bind: debtor))"
        }
        if let segment = filter.segment {
            query +=
                bySegment
                ? " AND s.segment = \(bind: segment.rawValue)"
                : " AND EXISTS (SELECT 1 FROM debt_segments s WHERE s.debt_id = d.id AND s.segment = \(bind: segment.rawValue))"
        }
        // `+` keeps SQLite from reading the open (or closed) debts through a balance index and sorting them all when
        // the page walks another index: with a client filter it took `(client_id, balance, id)`, 40,000 open debts of
        // a million read and sorted for a page, 130-180 ms (docs/performance.md).
        let balance = byBalance ? "d.balance" : "+d.balance"
        switch filter.status {
        case "open": query += " AND \(unsafeRaw: balance) > 0"
        case "closed": query += " AND \(unsafeRaw: balance) <= 0"
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
        return query
    }

    /// One query: the first `limit` debts in `order` that pass the filters and `condition`, with each one's sort key.
    private static func page(
        _ filter: DebtFilter, scope: ClientScope, limit: Int, order: Order, condition: SQLQueryString? = nil,
        sql: any SQLDatabase
    ) async throws -> [(debt: DebtSummary, key: String)] {
        if case .column(let column, let after?, let descending) = order {
            // Two walks of the index (column, id): the debts with the cursor's key beyond its id, then those beyond
            // its key. One condition on both walked every debt with the cursor's key first on SQLite (every paid-off
            // debt has balance 0), row values included.
            let comparison = descending ? "<" : ">"
            let unbounded = Order.column(column, after: nil, descending: descending)
            func and(_ extra: SQLQueryString) -> SQLQueryString {
                guard let condition else { return extra }
                return "(\(condition)) AND \(extra)"
            }
            let equal = try await page(
                filter, scope: scope, limit: limit, order: unbounded,
                condition: and(
                    "\(unsafeRaw: column) = \(bind: after.key) AND d.id \(unsafeRaw: comparison) \(bind: after.id)"),
                sql: sql)
            guard equal.count < limit else { return equal }
            return try await equal
                + page(
                    filter, scope: scope, limit: limit - equal.count, order: unbounded,
                    condition: and("\(unsafeRaw: column) \(unsafeRaw: comparison) \(bind: after.key)"), sql: sql)
        }
        var bySegment = false
        if case .id = order, filter.segment != nil { bySegment = true }
        var query: SQLQueryString = """
            SELECT d.id, d.ref, lower(d.ref) AS ref_key, c.ref AS client_ref, c.name AS client_name, p.id AS debtor_id, \
            p.ref AS debtor_ref, p.name AS debtor_name, p.kind AS debtor_kind, d.currency, d.due_on, d.disputed, \
            d.balance, d.last_contact_at \
            FROM \(unsafeRaw: bySegment ? "debt_segments s JOIN debts d ON d.id = s.debt_id" : "debts d") \
            JOIN clients c ON c.id = d.client_id JOIN debtors p ON p.id = d.debtor_id WHERE 1 = 1
            """
        if let condition { query += " AND (\(condition))" }
        query += scopeFilter(scope, indexed: filter.debtorRef == nil)
        var byBalance = false
        if case .column(let column, _, _) = order, column == sortColumn(.balance) { byBalance = true }
        query += conditions(filter, bySegment: bySegment, byBalance: byBalance)
        switch order {
        case .id(let after, let descending):
            // In id order with a segment, walk the segment's index (segment, debt_id): it is in the same order.
            let id = bySegment ? "s.debt_id" : "d.id"
            let comparison = descending ? "<" : ">"
            if let after {
                query += " AND \(unsafeRaw: id) \(unsafeRaw: comparison) \(bind: after)"
                // Said of both tables: PostgreSQL does not carry a range across a join, and would merge-join the
                // debts from the first id.
                if bySegment { query += " AND d.id \(unsafeRaw: comparison) \(bind: after)" }
            }
            query += " ORDER BY \(unsafeRaw: id)\(unsafeRaw: descending ? " DESC" : "")"
        case .column(let column, _, let descending):
            // A cursor was turned into two walks without one at the top of this function.
            let direction = descending ? " DESC" : ""
            query += " ORDER BY \(unsafeRaw: column)\(unsafeRaw: direction), d.id\(unsafeRaw: direction)"
        case .reference(let after, let descending, let flavor):
            let key: SQLQueryString = flavor == .sqlite ? "lower(d.ref)" : "(lower(d.ref) COLLATE \"C\")"
            let (comparison, direction) = descending ? ("<", " DESC") : (">", "")
            if let after {
                query += """
                     AND \(key) \(unsafeRaw: comparison)= \(bind: after.key) \
                    AND (\(key) \(unsafeRaw: comparison) \(bind: after.key) OR d.id \(unsafeRaw: comparison) \(bind: after.id))
                    """
            }
            query += " ORDER BY \(key)\(unsafeRaw: direction), d.id\(unsafeRaw: direction)"
        }
        query += " LIMIT \(unsafeRaw: String(limit))"
        return try await sql.raw(query).all().map { row in
            var debt = try summary(from: row)
            let seconds = try row.decode(column: "last_contact_at", as: Int64.self)
            debt.lastContact = seconds == 0 ? nil : Date(timeIntervalSince1970: TimeInterval(seconds))
            return (debt, try row.decode(column: "ref_key", as: String.self))
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

    /// A client filter as the scope of that client: its id is then a value bound in the statement, so PostgreSQL plans
    /// with that client's share of the debts (from a subquery it guessed half of them whatever the client, and walked
    /// every debt's id in order for a small client's first page: 155 ms at 1M debts). Nil when the client is unknown
    /// or outside the scope: nothing matches.
    private static func clientAsScope(
        _ filter: DebtFilter, _ scope: ClientScope, sql: any SQLDatabase
    ) async throws -> (DebtFilter, ClientScope)? {
        guard let ref = filter.clientRef else { return (filter, scope) }
        guard
            let id = try await sql.raw("SELECT id FROM clients WHERE ref = \(bind: ref)").first()?.decode(
                column: "id", as: Int64.self),
            scope.clientID == nil || scope.clientID == id
        else { return nil }
        var narrowed = filter
        narrowed.clientRef = nil
        return (narrowed, .client(id: id, ref: ref))
    }

    /// `indexed`: false when another condition picks fewer debts than the client's (a debtor's), so that SQLite tests
    /// the client on those rather than walk the client's index.
    private static func scopeFilter(_ scope: ClientScope, indexed: Bool = true) -> SQLQueryString {
        guard let clientID = scope.clientID else { return "" }
        return " AND \(unsafeRaw: indexed ? "" : "+")d.client_id = \(bind: clientID)"
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
