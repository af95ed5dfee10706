import FluentKit
import SQLKit

/// Each debt's segment as last worked out (`recoup segment refresh`), for filtering lists by segment; pages show
/// the segment worked out live.
struct M012CreateDebtSegments: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        let isSQLite = SQLFlavor(sql) == .sqlite
        try await sql.raw(
            """
            CREATE TABLE debt_segments (\
            debt_id \(unsafeRaw: isSQLite ? "INTEGER" : "BIGINT") PRIMARY KEY REFERENCES debts (id), \
            segment TEXT NOT NULL, \
            reasons TEXT NOT NULL, \
            as_of INTEGER NOT NULL, \
            updated_at \(unsafeRaw: isSQLite ? "REAL" : "TIMESTAMPTZ") NOT NULL)
            """
        ).run()
        try await sql.raw("CREATE INDEX debt_segments_segment ON debt_segments (segment, debt_id)").run()
    }

    func revert(on database: any Database) async throws {
        try await (database as! any SQLDatabase).raw("DROP TABLE debt_segments").run()
    }
}
