import FluentKit
import SQLKit

/// What the liquidation and recovery reports (`AgencyReports`, docs/agency-reports.md) read, as index walks:
///
/// - `ledger_entries_collections`: the payments and reversals only (a partial index; charges, interest and fees are
///   most of the ledger), with the columns the reports sum, so the reports read them without the table.
/// - `agency_placements_by_month (currency, placed_on, client_id, balance_at_placement, closed_on)`: the placements
///   in placement-date order with what the reports add up. Without it SQLite chose `agency_placements_by_client` and
///   fetched every placement's row from it (8–14 s over 1,000,000 placements, docs/performance.md).
struct M028IndexAgencyReports: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.raw(
            """
            CREATE INDEX ledger_entries_collections ON ledger_entries \
            (debt_id, effective_on, kind, amount, received_by, reversed_key) \
            WHERE kind IN ('payment', 'payment_reversal')
            """
        ).run()
        try await sql.raw(
            """
            CREATE INDEX agency_placements_by_month ON agency_placements \
            (currency, placed_on, client_id, balance_at_placement, closed_on)
            """
        ).run()
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.raw("DROP INDEX agency_placements_by_month").run()
        try await sql.raw("DROP INDEX ledger_entries_collections").run()
    }
}
