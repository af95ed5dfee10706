import FluentKit
import SQLKit

/// What strategies and the daily run keep (issue 14; docs/strategies.md):
///
/// - `strategies`: every activated version of a strategy file, per client (`scope_client_id`, 0 for the default
///   every client without its own uses). The highest version of a scope is the active one; older ones stay readable.
/// - `strategy_runs` and `run_counts`: each run of `recoup run` and its counts by action, step, segment and rule.
/// - `strategy_actions`: what the run (or a person, by hand) did for a debt, keyed by (debt, step, occurrence) so
///   each happens once whatever re-runs, versions or processes; `status` is `created` or `skipped`.
/// - `run_blocked`: actions the compliance engine (or the message lint) blocked, with their rules; tried again on a
///   later run.
/// - `run_claims`: which process works which chunk of debtors for a date, so two processes never work the same one.
/// - `outbox_messages`: rendered messages waiting to be delivered (`queued`); `dedupe_key` makes the run's one
///   message per debtor, client and day once.
/// - `work_items`: calls, voicemails and tasks for people, with the claim that locks one for a collector.
/// - `strategy_pauses`, `automation_exclusions`: when the strategy waits for a debt or a debtor, and who is left to
///   manual work only.
/// - `placements`: debts handed to an agency, at most one in force per debt.
struct M021CreateStrategyRuns: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        let isSQLite = SQLFlavor(sql) == .sqlite
        let key = isSQLite ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "BIGSERIAL PRIMARY KEY"
        let instant = isSQLite ? "REAL" : "TIMESTAMPTZ"
        let statements: [String] = [
            """
            CREATE TABLE strategies (id \(key), scope_client_id BIGINT NOT NULL DEFAULT 0, version INTEGER NOT NULL, \
            name TEXT NOT NULL, source TEXT NOT NULL, activated_at \(instant) NOT NULL, activated_by TEXT, \
            UNIQUE (scope_client_id, version))
            """,
            """
            CREATE TABLE strategy_runs (id \(key), as_of INTEGER NOT NULL, client_id BIGINT, \
            started_at \(instant) NOT NULL, finished_at \(instant), started_by TEXT, \
            processed INTEGER NOT NULL DEFAULT 0, created INTEGER NOT NULL DEFAULT 0, \
            already_done INTEGER NOT NULL DEFAULT 0, skipped INTEGER NOT NULL DEFAULT 0, \
            blocked INTEGER NOT NULL DEFAULT 0, paused INTEGER NOT NULL DEFAULT 0, \
            messages INTEGER NOT NULL DEFAULT 0)
            """,
            "CREATE INDEX strategy_runs_by_as_of ON strategy_runs (as_of, id)",
            """
            CREATE TABLE run_counts (run_id BIGINT NOT NULL, dimension TEXT NOT NULL, key TEXT NOT NULL, \
            count INTEGER NOT NULL, PRIMARY KEY (run_id, dimension, key))
            """,
            """
            CREATE TABLE strategy_actions (id \(key), debt_id BIGINT NOT NULL, step_id TEXT NOT NULL, \
            occurrence INTEGER NOT NULL, scheduled_on INTEGER NOT NULL, status TEXT NOT NULL, action TEXT NOT NULL, \
            strategy_id BIGINT, run_id BIGINT, as_of INTEGER NOT NULL, segment TEXT, reason TEXT NOT NULL, \
            message_id BIGINT, planned_at \(instant), created_by TEXT, created_at \(instant) NOT NULL, \
            UNIQUE (debt_id, step_id, occurrence))
            """,
            "CREATE INDEX strategy_actions_by_run ON strategy_actions (run_id)",
            "CREATE INDEX strategy_actions_by_message ON strategy_actions (message_id)",
            """
            CREATE TABLE run_blocked (id \(key), run_id BIGINT NOT NULL, debt_id BIGINT NOT NULL, \
            step_id TEXT NOT NULL, occurrence INTEGER NOT NULL, action TEXT NOT NULL, rules TEXT NOT NULL, \
            reason TEXT NOT NULL, as_of INTEGER NOT NULL)
            """,
            "CREATE INDEX run_blocked_by_run ON run_blocked (run_id)",
            "CREATE INDEX run_blocked_by_debt ON run_blocked (debt_id)",
            """
            CREATE TABLE run_claims (as_of INTEGER NOT NULL, scope BIGINT NOT NULL, chunk BIGINT NOT NULL, \
            run_id BIGINT NOT NULL, claimed_at \(instant) NOT NULL, PRIMARY KEY (as_of, scope, chunk))
            """,
            """
            CREATE TABLE outbox_messages (id \(key), client_id BIGINT NOT NULL, debtor_id BIGINT NOT NULL, \
            channel TEXT NOT NULL, recipient TEXT, subject TEXT, body TEXT NOT NULL, template TEXT NOT NULL, \
            status TEXT NOT NULL, send_after \(instant) NOT NULL, as_of INTEGER NOT NULL, step_id TEXT, \
            run_id BIGINT, created_by TEXT, created_at \(instant) NOT NULL, status_changed_at \(instant), \
            dedupe_key TEXT UNIQUE)
            """,
            "CREATE INDEX outbox_messages_by_status ON outbox_messages (status, send_after, id)",
            "CREATE INDEX outbox_messages_by_debtor ON outbox_messages (debtor_id, id)",
            """
            CREATE TABLE work_items (id \(key), kind TEXT NOT NULL, debt_id BIGINT NOT NULL, \
            debtor_id BIGINT NOT NULL, client_id BIGINT NOT NULL, action_id BIGINT UNIQUE, reason TEXT NOT NULL, \
            due_on INTEGER NOT NULL, status TEXT NOT NULL, claimed_by TEXT, claimed_until \(instant), \
            created_at \(instant) NOT NULL, done_at \(instant), done_by TEXT, outcome TEXT)
            """,
            "CREATE INDEX work_items_by_status ON work_items (status, kind, due_on, id)",
            "CREATE INDEX work_items_by_debtor ON work_items (debtor_id)",
            """
            CREATE TABLE strategy_pauses (id \(key), debtor_id BIGINT NOT NULL, debt_id BIGINT, \
            until_on INTEGER NOT NULL, reason TEXT NOT NULL, created_by TEXT, created_at \(instant) NOT NULL, \
            ended_at \(instant), ended_by TEXT)
            """,
            "CREATE INDEX strategy_pauses_by_debtor ON strategy_pauses (debtor_id)",
            """
            CREATE TABLE automation_exclusions (id \(key), client_id BIGINT, debtor_id BIGINT, reason TEXT NOT NULL, \
            created_by TEXT, created_at \(instant) NOT NULL, ended_at \(instant), ended_by TEXT)
            """,
            "CREATE INDEX automation_exclusions_by_debtor ON automation_exclusions (debtor_id)",
            """
            CREATE TABLE placements (id \(key), debt_id BIGINT NOT NULL, agency TEXT NOT NULL, \
            placed_on INTEGER NOT NULL, balance_at_placement BIGINT NOT NULL, currency TEXT NOT NULL, \
            contingency_percent TEXT, action_id BIGINT, file_path TEXT, created_by TEXT, \
            created_at \(instant) NOT NULL, recalled_on INTEGER, recalled_by TEXT, recall_reason TEXT)
            """,
            "CREATE INDEX placements_by_debt ON placements (debt_id)",
            "CREATE UNIQUE INDEX placements_in_force ON placements (debt_id) WHERE recalled_on IS NULL",
        ]
        for statement in statements { try await sql.raw(SQLQueryString(statement)).run() }
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        for table in [
            "placements", "automation_exclusions", "strategy_pauses", "work_items", "outbox_messages", "run_claims",
            "run_blocked", "strategy_actions", "run_counts", "strategy_runs", "strategies",
        ] {
            try await sql.raw("DROP TABLE \(unsafeRaw: table)").run()
        }
    }
}
