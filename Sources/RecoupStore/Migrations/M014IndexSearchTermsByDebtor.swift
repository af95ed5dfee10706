import FluentKit
import SQLKit

/// The search index by debtor: `search_terms (debtor_id, term)`, so a search can ask of one debtor whether a term of
/// theirs begins with the text typed (`SearchIndex.debtorMatches`) instead of gathering every debtor whose terms do,
/// which for a one-letter search is most of them (docs/performance.md).
struct M014IndexSearchTermsByDebtor: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.raw("CREATE INDEX search_terms_by_debtor ON search_terms (debtor_id, term)").run()
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.raw("DROP INDEX search_terms_by_debtor").run()
    }
}
