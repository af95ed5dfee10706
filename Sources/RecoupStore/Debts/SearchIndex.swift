import FluentKit
import RecoupCore
import SQLKit

/// Writes and reads the search index (`search_terms`, see `SearchTerms` for what is stored).
enum SearchIndex {
    /// Indexes every debtor again from their stored name and phones, a page of debtors at a time.
    static func rebuild(on sql: any SQLDatabase) async throws {
        var after: Int64 = 0
        while true {
            let debtors = try await sql.raw(
                "SELECT id, name FROM debtors WHERE id > \(bind: after) ORDER BY id LIMIT 2000"
            ).all()
            guard let last = debtors.last else { return }
            let lastID = try last.decode(column: "id", as: Int64.self)
            var phones: [Int64: [String]] = [:]
            for row in try await sql.raw(
                """
                SELECT debtor_id, value FROM contact_points WHERE kind = 'phone' \
                AND debtor_id > \(bind: after) AND debtor_id <= \(bind: lastID)
                """
            ).all() {
                phones[try row.decode(column: "debtor_id", as: Int64.self), default: []].append(
                    try row.decode(column: "value", as: String.self))
            }
            var pairs: [(String, Int64)] = []
            for row in debtors {
                let id = try row.decode(column: "id", as: Int64.self)
                let name = try row.decode(column: "name", as: String.self)
                for term in SearchTerms.terms(name: name, phones: phones[id] ?? []) { pairs.append((term, id)) }
            }
            try await insert(pairs, on: sql)
            after = lastID
        }
    }

    /// How many debts and debtors a search's words match, each counted up to a limit: what decides how the page is
    /// read (`DebtQueries.list`).
    struct MatchCounts: Equatable {
        /// Debts of matching debtors, up to the limit (a debt counts once for each of its debtor's terms that begins
        /// with the longest word).
        var debts: Int
        /// Matching debtors, up to the limit (counted the same way).
        var debtors: Int
    }

    /// Counts the debts and the debtors with a term beginning with each of `prefixes`, reading at most `debtLimit`
    /// and `debtorLimit` index entries: one statement, answered from the indexes.
    static func countMatches(
        _ prefixes: [String], debtsUpTo debtLimit: Int, debtorsUpTo debtorLimit: Int, on sql: any SQLDatabase
    ) async throws -> MatchCounts {
        let flavor = SQLFlavor(sql)
        var debts: SQLQueryString = "SELECT 1 AS one FROM search_terms s \(unsafeRaw: flavor.lookupJoin) debts t "
        debts += "ON t.debtor_id = s.debtor_id WHERE \(termCondition(prefixes)) LIMIT \(unsafeRaw: String(debtLimit))"
        // In the index's order, or PostgreSQL reads the whole table when most terms match.
        var debtors: SQLQueryString = "SELECT 1 AS one FROM search_terms s WHERE \(termCondition(prefixes)) "
        debtors += "ORDER BY s.term LIMIT \(unsafeRaw: String(debtorLimit))"
        let row = try await sql.raw(
            """
            SELECT (SELECT COUNT(*) FROM (\(debts)) AS a) AS debts, (SELECT COUNT(*) FROM (\(debtors)) AS b) AS debtors
            """
        ).first()
        return MatchCounts(
            debts: try row?.decode(column: "debts", as: Int.self) ?? 0,
            debtors: try row?.decode(column: "debtors", as: Int.self) ?? 0)
    }

    /// The ids of the debts of the debtors with a term beginning with each of `prefixes`: all of them when
    /// `countMatches` counted fewer than `limit` debts.
    static func debtIDsOfMatchingDebtors(
        _ prefixes: [String], upTo limit: Int, on sql: any SQLDatabase
    )
        async throws -> Set<Int64>
    {
        var query: SQLQueryString = "SELECT t.id FROM search_terms s \(unsafeRaw: SQLFlavor(sql).lookupJoin) debts t "
        query += "ON t.debtor_id = s.debtor_id WHERE \(termCondition(prefixes)) LIMIT \(unsafeRaw: String(limit))"
        return Set(try await sql.raw(query).all().map { try $0.decode(column: "id", as: Int64.self) })
    }

    /// A query of the ids of the debtors with a term beginning with each of `prefixes` (a debtor may come more than
    /// once), for `IN (…)`: the database gathers them once, then tests each debt cheaply. For few debtors.
    static func matchingDebtors(_ prefixes: [String]) -> SQLQueryString {
        "SELECT s.debtor_id FROM search_terms s WHERE \(termCondition(prefixes))"
    }

    /// SQL that is true when the debtor in `debtorColumn` has, for every one of `prefixes`, a term beginning with
    /// it: one probe of the index `search_terms (debtor_id, term)` a prefix (`M014IndexSearchTermsByDebtor`). For
    /// many debtors, where gathering them costs more than probing the few debts a page's walk reads.
    ///
    /// Each probe is a scalar subquery: PostgreSQL turns `IN` and `EXISTS` alike into one hash of every matching
    /// debtor, which for a one-letter prefix is most debtors (SQLite does the same for `IN`).
    static func debtorMatches(_ prefixes: [String], debtorColumn: String) -> SQLQueryString {
        var condition: SQLQueryString = ""
        for (index, prefix) in prefixes.enumerated() {
            let alias = "m\(index)"
            if index > 0 { condition += " AND " }
            condition += """
                (SELECT 1 FROM search_terms \(unsafeRaw: alias) WHERE \(unsafeRaw: alias).debtor_id = \(unsafeRaw: debtorColumn) \
                AND \(unsafeRaw: alias).term >= \(bind: prefix) \
                AND \(unsafeRaw: alias).term < \(bind: SearchTerms.upperBound(ofPrefix: prefix)) LIMIT 1) IS NOT NULL
                """
        }
        return condition
    }

    /// The condition on `search_terms s`: a term beginning with the longest prefix (the fewest rows to read), of a
    /// debtor who also has a term beginning with each of the others (probed).
    private static func termCondition(_ prefixes: [String]) -> SQLQueryString {
        let ordered = prefixes.sorted { $0.count > $1.count }
        guard let first = ordered.first else { return "1 = 0" }
        var condition: SQLQueryString = """
            s.term >= \(bind: first) AND s.term < \(bind: SearchTerms.upperBound(ofPrefix: first))
            """
        if ordered.count > 1 {
            condition += " AND \(debtorMatches(Array(ordered.dropFirst()), debtorColumn: "s.debtor_id"))"
        }
        return condition
    }

    /// Stores (term, debtor id) pairs, skipping those already stored.
    static func insert(_ pairs: [(String, Int64)], on sql: any SQLDatabase) async throws {
        for start in stride(from: 0, to: pairs.count, by: 1000) {
            let chunk = pairs[start..<min(pairs.count, start + 1000)]
            var query: SQLQueryString = "INSERT INTO search_terms (term, debtor_id) VALUES "
            for (index, pair) in chunk.enumerated() {
                query += index == 0 ? "(\(bind: pair.0), \(bind: pair.1))" : ", (\(bind: pair.0), \(bind: pair.1))"
            }
            query += " ON CONFLICT DO NOTHING"
            try await sql.raw(query).run()
        }
    }
}
