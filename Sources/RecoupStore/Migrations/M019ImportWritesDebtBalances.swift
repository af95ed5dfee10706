import FluentKit
import SQLKit

/// The importer writes each new debt's balance itself, and the ledger's balance trigger (`M018AddDebtListSortKeys`)
/// skips the entries it wrote: firing once per imported entry (two million for a million invoices) cost a 1M-row import
/// about a third of its time (docs/performance.md).
///
/// `ledger_entries.counted_by_writer` marks an entry whose writer also put it into `debts.balance`: the importer, which
/// writes a new debt's balance with the debt, and adds to a stored debt's balance what it posts to it
/// (`DebtBatchWriter`). Every other writer leaves it false and the trigger adds the entry as before.
///
/// It also gives the debts list a client's debts in each of its orders: a list filtered by client (`?client=REF`, and
/// a client's own staff through their scope) read every debt of the client through `(client_id, ref)` and sorted them,
/// 164 ms when one client has a million debts. `(client_id, id)`, `(client_id, balance, id)`, `(client_id, due_on, id)`
/// and `(client_id, last_contact_at, id)` make it a walk of one index from the cursor, as without the filter. A list
/// of one debtor's debts (`?debtor=REF`) walked every debt (1 s over a million): `debtors_by_ref` finds the debtor,
/// then `debts_debtor_id` their debts.
struct M019ImportWritesDebtBalances: AsyncMigration {
    static let clientIndexes = [
        ("debts_by_client", "client_id, id"), ("debts_by_client_balance", "client_id, balance, id"),
        ("debts_by_client_due_on", "client_id, due_on, id"),
        ("debts_by_client_last_contact", "client_id, last_contact_at, id"),
    ]

    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        let isSQLite = SQLFlavor(sql) == .sqlite
        if isSQLite {
            try await sql.raw("ALTER TABLE ledger_entries ADD COLUMN counted_by_writer INTEGER NOT NULL DEFAULT 0")
                .run()
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
        for (name, columns) in Self.clientIndexes {
            try await sql.raw("CREATE INDEX \(unsafeRaw: name) ON debts (\(unsafeRaw: columns))").run()
        }
        try await sql.raw("CREATE INDEX debtors_by_ref ON debtors (ref)").run()
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        let isSQLite = SQLFlavor(sql) == .sqlite
        try await sql.raw("DROP INDEX debtors_by_ref").run()
        for (name, _) in Self.clientIndexes.reversed() {
            try await sql.raw("DROP INDEX \(unsafeRaw: name)").run()
        }
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
