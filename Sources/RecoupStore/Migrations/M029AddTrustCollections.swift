import FluentKit
import SQLKit

/// The liquidation and recovery reports read the trust ledger (`AgencyReports`, docs/agency-reports.md): each payment
/// and reversal movement of a placed account carries what the reports group and filter by, so that one walk of an
/// index in (placement day, day) order sums them, with no join and no sort.
///
/// - `trust_entries.placed_on`: its placement's date (a placement's date never changes);
/// - `trust_entries.paid_on`: the day of the payment (for a reversal, of the payment it reverses);
/// - `trust_entries.in_placement`: whether that payment falls within the placement, on or before its close; a close
///   (`PlacementIntake.close`) clears it for the movements of payments after the close day;
/// - `trust_entries_collections (currency, placed_on, on_day, client_id, kind, amount, in_placement)`, over the
///   movements of placements only.
///
/// It also adds `agency_placements_by_day (placed_on, id)`, the order of the placed accounts' pages (the latest
/// placed first, a page at a time): the first page of 1,000,000 placements took 7.1 s without it (a sort of them
/// all), 2 ms with it.
///
/// Over 1,000,000 placements and 910,000 payment movements the sums take 0.32 s this way, against 1.6 s for the join
/// of ledger and placements and the sort its GROUP BY needs (sqlite3, docs/performance.md). Rows written before this
/// migration are filled in from their placements and payments.
struct M029AddTrustCollections: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        for column in ["placed_on INTEGER", "paid_on INTEGER", "in_placement BOOLEAN"] {
            try await sql.raw("ALTER TABLE trust_entries ADD COLUMN \(unsafeRaw: column)").run()
        }
        try await Self.fill(on: sql)
        try await sql.raw("CREATE INDEX agency_placements_by_day ON agency_placements (placed_on, id)").run()
        try await sql.raw(
            """
            CREATE INDEX trust_entries_collections ON trust_entries \
            (currency, placed_on, on_day, client_id, kind, amount, in_placement) WHERE placed_on IS NOT NULL
            """
        ).run()
    }

    /// Fills in the three columns of the movements of placements from their placements and payments.
    static func fill(on sql: any SQLDatabase) async throws {
        try await sql.raw(
            """
            UPDATE trust_entries SET placed_on = (SELECT p.placed_on FROM agency_placements p \
            WHERE p.id = trust_entries.placement_id), paid_on = on_day WHERE placement_id IS NOT NULL \
            AND kind IN ('received', 'direct')
            """
        ).run()
        try await sql.raw(
            """
            UPDATE trust_entries SET placed_on = (SELECT p.placed_on FROM agency_placements p \
            WHERE p.id = trust_entries.placement_id), paid_on = (SELECT t.on_day FROM trust_entries t \
            WHERE t.debt_id = trust_entries.debt_id AND t.ledger_key = trust_entries.payment_key) \
            WHERE placement_id IS NOT NULL AND kind IN ('reversed', 'direct_reversed')
            """
        ).run()
        try await sql.raw(
            """
            UPDATE trust_entries SET in_placement = (SELECT p.closed_on IS NULL OR trust_entries.paid_on <= p.closed_on \
            FROM agency_placements p WHERE p.id = trust_entries.placement_id) WHERE placed_on IS NOT NULL
            """
        ).run()
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.raw("DROP INDEX agency_placements_by_day").run()
        try await sql.raw("DROP INDEX trust_entries_collections").run()
        for column in ["in_placement", "paid_on", "placed_on"] {
            try await sql.raw("ALTER TABLE trust_entries DROP COLUMN \(unsafeRaw: column)").run()
        }
    }
}
