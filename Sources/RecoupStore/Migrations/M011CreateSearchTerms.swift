import FluentKit
import RecoupCore
import SQLKit

/// The search index: each debtor's name words and phone digits (`SearchTerms`), and an index on lower-cased debt
/// references, so a search over a million debts reads a few index pages instead of every row.
///
/// Terms compare byte by byte (`COLLATE "C"` on PostgreSQL, SQLite's default), which makes a prefix one range
/// scan. Existing debtors are indexed here; the importer keeps the index from then on.
struct M011CreateSearchTerms: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        let isSQLite = SQLFlavor(sql) == .sqlite
        try await sql.raw(
            """
            CREATE TABLE search_terms (\
            term TEXT \(unsafeRaw: isSQLite ? "" : "COLLATE \"C\" ")NOT NULL, \
            debtor_id \(unsafeRaw: isSQLite ? "INTEGER" : "BIGINT") NOT NULL, \
            PRIMARY KEY (term, debtor_id))\(unsafeRaw: isSQLite ? " WITHOUT ROWID" : "")
            """
        ).run()
        try await sql.raw(
            isSQLite
                ? "CREATE INDEX debts_ref_search ON debts (lower(ref))"
                : "CREATE INDEX debts_ref_search ON debts ((lower(ref) COLLATE \"C\"))"
        ).run()
        try await SearchIndex.rebuild(on: sql)
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.raw("DROP INDEX debts_ref_search").run()
        try await sql.raw("DROP TABLE search_terms").run()
    }
}
