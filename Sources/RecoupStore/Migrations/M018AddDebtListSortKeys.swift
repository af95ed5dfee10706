import FluentKit
import SQLKit

/// What the debts list sorts by, kept on each debt so that a sort is a walk along an index rather than an aggregate
/// over a million debts: `debts.balance` (the sum of the debt's ledger totals) and `debts.last_contact_at` (the
/// latest call, text, email or letter with the debt's debtor, in whole seconds since 1970; 0 when there was none).
///
/// Triggers keep both as rows are written: the ledger and the contact history are append-only, so an insert is
/// the only change to follow. Indexes `(balance, id)`, `(due_on, id)` and `(last_contact_at, id)` serve the sorts
/// by balance, days past due and last contact in either direction (docs/performance.md).
struct M018AddDebtListSortKeys: AsyncMigration {
    static let contactTypes = "('call', 'sms', 'email', 'letter')"

    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        let isSQLite = SQLFlavor(sql) == .sqlite
        let types = Self.contactTypes
        if isSQLite {
            try await sql.raw("ALTER TABLE debts ADD COLUMN balance INTEGER NOT NULL DEFAULT 0").run()
            try await sql.raw("ALTER TABLE debts ADD COLUMN last_contact_at INTEGER NOT NULL DEFAULT 0").run()
        } else {
            try await sql.raw(
                """
                ALTER TABLE debts ADD COLUMN balance BIGINT NOT NULL DEFAULT 0, \
                ADD COLUMN last_contact_at BIGINT NOT NULL DEFAULT 0
                """
            ).run()
        }
        let seconds = isSQLite ? "CAST(MAX(e.at) AS INTEGER)" : "CAST(FLOOR(EXTRACT(EPOCH FROM MAX(e.at))) AS BIGINT)"
        try await sql.raw(
            """
            UPDATE debts SET \
            balance = (SELECT COALESCE(SUM(l.total), 0) FROM ledger_entries l WHERE l.debt_id = debts.id), \
            last_contact_at = COALESCE((SELECT \(unsafeRaw: seconds) FROM contact_events e \
            WHERE e.debtor_id = debts.debtor_id AND e.type IN \(unsafeRaw: types)), 0)
            """
        ).run()
        try await sql.raw("CREATE INDEX debts_by_balance ON debts (balance, id)").run()
        try await sql.raw("CREATE INDEX debts_by_due_on ON debts (due_on, id)").run()
        try await sql.raw("CREATE INDEX debts_by_last_contact ON debts (last_contact_at, id)").run()
        if isSQLite {
            try await sql.raw(
                """
                CREATE TRIGGER ledger_entries_balance AFTER INSERT ON ledger_entries BEGIN \
                UPDATE debts SET balance = balance + NEW.total WHERE id = NEW.debt_id; END
                """
            ).run()
            try await sql.raw(
                """
                CREATE TRIGGER contact_events_last_contact AFTER INSERT ON contact_events \
                WHEN NEW.type IN \(unsafeRaw: types) BEGIN \
                UPDATE debts SET last_contact_at = CAST(NEW.at AS INTEGER) \
                WHERE debtor_id = NEW.debtor_id AND last_contact_at < CAST(NEW.at AS INTEGER); END
                """
            ).run()
        } else {
            try await sql.raw(
                """
                CREATE FUNCTION recoup_ledger_balance() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
                UPDATE debts SET balance = balance + NEW.total WHERE id = NEW.debt_id; RETURN NULL; END $$
                """
            ).run()
            try await sql.raw(
                """
                CREATE TRIGGER ledger_entries_balance AFTER INSERT ON ledger_entries \
                FOR EACH ROW EXECUTE FUNCTION recoup_ledger_balance()
                """
            ).run()
            try await sql.raw(
                """
                CREATE FUNCTION recoup_last_contact() RETURNS trigger LANGUAGE plpgsql AS $$ \
                DECLARE seconds BIGINT := CAST(FLOOR(EXTRACT(EPOCH FROM NEW.at)) AS BIGINT); BEGIN \
                UPDATE debts SET last_contact_at = seconds \
                WHERE debtor_id = NEW.debtor_id AND last_contact_at < seconds; RETURN NULL; END $$
                """
            ).run()
            try await sql.raw(
                """
                CREATE TRIGGER contact_events_last_contact AFTER INSERT ON contact_events \
                FOR EACH ROW WHEN (NEW.type IN \(unsafeRaw: types)) EXECUTE FUNCTION recoup_last_contact()
                """
            ).run()
        }
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        let isSQLite = SQLFlavor(sql) == .sqlite
        try await sql.raw("DROP TRIGGER contact_events_last_contact\(unsafeRaw: isSQLite ? "" : " ON contact_events")")
            .run()
        try await sql.raw("DROP TRIGGER ledger_entries_balance\(unsafeRaw: isSQLite ? "" : " ON ledger_entries")").run()
        if !isSQLite {
            try await sql.raw("DROP FUNCTION recoup_last_contact()").run()
            try await sql.raw("DROP FUNCTION recoup_ledger_balance()").run()
        }
        for index in ["debts_by_last_contact", "debts_by_due_on", "debts_by_balance"] {
            try await sql.raw("DROP INDEX \(unsafeRaw: index)").run()
        }
        try await sql.raw("ALTER TABLE debts DROP COLUMN last_contact_at").run()
        try await sql.raw("ALTER TABLE debts DROP COLUMN balance").run()
    }
}
