import FluentKit
import SQLKit

/// The append-only ledger: each entry's face amount and its signed effect on each balance component.
///
/// Keyed by (debt, idempotency key): the key that makes retries harmless is also the table's order, so a debt's
/// entries sit together and balances are one ordered scan. On SQLite the table is `WITHOUT ROWID` (one b-tree
/// instead of three: measured 2.4× faster bulk inserts, docs/performance.md).
struct M006CreateLedgerEntries: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        let isSQLite = SQLFlavor(sql) == .sqlite
        let integer = isSQLite ? "INTEGER" : "BIGINT"
        let instant = isSQLite ? "REAL" : "TIMESTAMPTZ"
        try await sql.raw(
            """
            CREATE TABLE ledger_entries (\
            debt_id \(unsafeRaw: integer) NOT NULL REFERENCES debts (id), \
            idempotency_key TEXT NOT NULL, \
            kind TEXT NOT NULL, \
            effective_on INTEGER NOT NULL, \
            amount \(unsafeRaw: integer) NOT NULL, \
            principal \(unsafeRaw: integer) NOT NULL, \
            interest \(unsafeRaw: integer) NOT NULL, \
            fees \(unsafeRaw: integer) NOT NULL, \
            total \(unsafeRaw: integer) NOT NULL, \
            reversed_key TEXT, \
            created_at \(unsafeRaw: instant) NOT NULL, \
            PRIMARY KEY (debt_id, idempotency_key))\(unsafeRaw: isSQLite ? " WITHOUT ROWID" : "")
            """
        ).run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("ledger_entries").delete()
    }
}
