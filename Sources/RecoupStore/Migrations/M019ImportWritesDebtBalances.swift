import FluentKit
import SQLKit

/// The importer writes each new debt's balance itself, and the ledger's balance trigger (`M018AddDebtListSortKeys`)
/// skips the entries it wrote: firing once per imported entry (two million for a million invoices) cost a 1M-row import
/// about a third of its time (docs/performance.md).
///
/// `ledger_entries.counted_by_writer` marks an entry whose writer also put it into `debts.balance`: the importer, which
/// writes a new debt's balance with the debt, and adds to a stored debt's balance what it posts to it
/// (`DebtBatchWriter`). Every other writer leaves it false and the trigger adds the entry as before.
struct M019ImportWritesDebtBalances: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        let isSQLite = SQLFlavor(sql) == .sqlite
        if isSQLite {
            try await sql.raw("ALTER TABLE ledger_entries ADD COLUMN counted_by_writer INTEGER NOT NULL DEFAULT 0").run()
            try await sql.raw("DROP TRIGGER ledger_entries_balance").run()
            try await sql.raw(
                """
                CREATE TRIGGER ledger_entries_balance AFTER INSERT ON ledger_entries \
                WHEN NOT NEW.counted_by_writer BEGIN \
                UPDATE debts SET balance = balance + NEW.total WHERE id = NEW.debt_id; END
                """
            ).run()
        } else {
            try await sql.raw(
                "ALTER TABLE ledger_entries ADD COLUMN counted_by_writer BOOLEAN NOT NULL DEFAULT FALSE"
            ).run()
            try await sql.raw("DROP TRIGGER ledger_entries_balance ON ledger_entries").run()
            try await sql.raw(
                """
                CREATE TRIGGER ledger_entries_balance AFTER INSERT ON ledger_entries \
                FOR EACH ROW WHEN (NOT NEW.counted_by_writer) EXECUTE FUNCTION recoup_ledger_balance()
                """
            ).run()
        }
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        let isSQLite = SQLFlavor(sql) == .sqlite
        // M018's trigger again, which counts every entry.
        if isSQLite {
            try await sql.raw("DROP TRIGGER ledger_entries_balance").run()
            try await sql.raw(
                """
                CREATE TRIGGER ledger_entries_balance AFTER INSERT ON ledger_entries BEGIN \
                UPDATE debts SET balance = balance + NEW.total WHERE id = NEW.debt_id; END
                """
            ).run()
        } else {
            try await sql.raw("DROP TRIGGER ledger_entries_balance ON ledger_entries").run()
            try await sql.raw(
                """
                CREATE TRIGGER ledger_entries_balance AFTER INSERT ON ledger_entries \
                FOR EACH ROW EXECUTE FUNCTION recoup_ledger_balance()
                """
            ).run()
        }
        try await sql.raw("ALTER TABLE ledger_entries DROP COLUMN counted_by_writer").run()
    }
}
