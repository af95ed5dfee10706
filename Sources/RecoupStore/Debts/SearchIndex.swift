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
