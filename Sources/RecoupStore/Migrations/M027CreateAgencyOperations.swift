import FluentKit
import SQLKit

/// The agency's side (issue 16; docs/agency.md):
///
/// - `agency_contracts` and `agency_contract_rates`: every saved version of a client's contract (the highest in
///   force) and its rate tiers in order. Rates are thousandths of a percent (25% is 25000).
/// - `placement_batches` and `placement_rejections`: each placement file taken in, with the accounts it refused and
///   why (the acknowledgement is written from them).
/// - `agency_placements`: accounts placed with the agency, priced when placed (the rate of the tier the debt's age
///   and balance fell in, the free-demand window), at most one open per debt; closing or recalling one stamps
///   `closed_on` and a reason code.
/// - `ledger_entries.received_by` (`client` for a direct payment; NULL: received by this installation) and
///   `release_on` (a payment held in trust until it clears).
/// - `trust_entries`: the per-client trust ledger. A payment to a placed account writes `received` (or `direct`),
///   its reversal `reversed` (or `direct_reversed`), each with the commission its rate earned; a statement marks the
///   movements it covers (`statement_id`) and writes its own: `commission_taken`, `commission_returned`, `remitted`
///   and `clawback`.
/// - `remittance_statements`: one per client, currency and date closed through, with its figures.
struct M027CreateAgencyOperations: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        let isSQLite = SQLFlavor(sql) == .sqlite
        let key = isSQLite ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "BIGSERIAL PRIMARY KEY"
        let instant = isSQLite ? "REAL" : "TIMESTAMPTZ"
        let statements: [String] = [
            """
            CREATE TABLE agency_contracts (id \(key), client_id BIGINT NOT NULL, version INTEGER NOT NULL, \
            remittance TEXT NOT NULL, direct_commission BOOLEAN NOT NULL, free_days INTEGER, free_rate INTEGER, \
            schedule TEXT NOT NULL, remit_days INTEGER NOT NULL, hold_days INTEGER NOT NULL, \
            saved_at \(instant) NOT NULL, saved_by TEXT, UNIQUE (client_id, version))
            """,
            """
            CREATE TABLE agency_contract_rates (contract_id BIGINT NOT NULL, position INTEGER NOT NULL, \
            up_to_days INTEGER, up_to_balance TEXT, rate INTEGER NOT NULL, PRIMARY KEY (contract_id, position))
            """,
            """
            CREATE TABLE placement_batches (id \(key), client_id BIGINT NOT NULL, placed_on INTEGER NOT NULL, \
            file_name TEXT, accepted INTEGER NOT NULL, rejected INTEGER NOT NULL, created_at \(instant) NOT NULL, \
            created_by TEXT)
            """,
            """
            CREATE TABLE placement_rejections (batch_id BIGINT NOT NULL, line INTEGER NOT NULL, debt_ref TEXT, \
            reason TEXT NOT NULL)
            """,
            "CREATE INDEX placement_rejections_by_batch ON placement_rejections (batch_id, line)",
            """
            CREATE TABLE agency_placements (id \(key), client_id BIGINT NOT NULL, debt_id BIGINT NOT NULL, \
            batch_id BIGINT, batch_line INTEGER, contract_id BIGINT NOT NULL, placed_on INTEGER NOT NULL, currency TEXT NOT NULL, \
            balance_at_placement BIGINT NOT NULL, days_at_placement INTEGER NOT NULL, rate INTEGER NOT NULL, \
            free_through INTEGER, free_rate INTEGER, closed_on INTEGER, close_reason TEXT, close_note TEXT, \
            closed_by TEXT, created_at \(instant) NOT NULL, created_by TEXT)
            """,
            "CREATE UNIQUE INDEX agency_placements_open ON agency_placements (debt_id) WHERE closed_on IS NULL",
            "CREATE INDEX agency_placements_by_debt ON agency_placements (debt_id, placed_on)",
            "CREATE INDEX agency_placements_by_client ON agency_placements (client_id, placed_on)",
            "ALTER TABLE ledger_entries ADD COLUMN received_by TEXT",
            "ALTER TABLE ledger_entries ADD COLUMN release_on INTEGER",
            """
            CREATE TABLE remittance_statements (id \(key), client_id BIGINT NOT NULL, currency TEXT NOT NULL, \
            through INTEGER NOT NULL, method TEXT NOT NULL, collected BIGINT NOT NULL, commission BIGINT NOT NULL, \
            direct_payments BIGINT NOT NULL, commission_on_direct BIGINT NOT NULL, \
            reversals_after_remittance BIGINT NOT NULL, commission_returned BIGINT NOT NULL, \
            due_to_client BIGINT NOT NULL, due_to_agency BIGINT NOT NULL, remitted BIGINT NOT NULL, \
            commission_taken BIGINT NOT NULL, clawback BIGINT NOT NULL, lines INTEGER NOT NULL, \
            created_at \(instant) NOT NULL, created_by TEXT, UNIQUE (client_id, currency, through))
            """,
            """
            CREATE TABLE trust_entries (id \(key), client_id BIGINT NOT NULL, currency TEXT NOT NULL, \
            kind TEXT NOT NULL, amount BIGINT NOT NULL, on_day INTEGER NOT NULL, release_on INTEGER, debt_id BIGINT, \
            placement_id BIGINT, ledger_key TEXT, payment_key TEXT, rate INTEGER, \
            commission BIGINT NOT NULL DEFAULT 0, statement_id BIGINT, after_remittance BOOLEAN, \
            created_at \(instant) NOT NULL)
            """,
            "CREATE INDEX trust_entries_open ON trust_entries (client_id, on_day) WHERE statement_id IS NULL",
            "CREATE INDEX trust_entries_by_statement ON trust_entries (statement_id)",
            """
            CREATE UNIQUE INDEX trust_entries_by_ledger ON trust_entries (debt_id, ledger_key) \
            WHERE ledger_key IS NOT NULL
            """,
            "CREATE INDEX trust_entries_by_payment ON trust_entries (debt_id, payment_key) WHERE payment_key IS NOT NULL",
        ]
        for statement in statements { try await sql.raw(SQLQueryString(statement)).run() }
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        for table in [
            "trust_entries", "remittance_statements", "agency_placements", "placement_rejections", "placement_batches",
            "agency_contract_rates", "agency_contracts",
        ] {
            try await sql.raw("DROP TABLE \(unsafeRaw: table)").run()
        }
        try await sql.raw("ALTER TABLE ledger_entries DROP COLUMN release_on").run()
        try await sql.raw("ALTER TABLE ledger_entries DROP COLUMN received_by").run()
    }
}
