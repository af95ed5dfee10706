import FluentKit
import SQLKit

/// A phone number or email address that came back undeliverable (issue 15; docs/messages.md, "What comes back"): a
/// bounce (a delivery status notification) or a text provider's failed receipt marks the contact point with when and
/// why, and from then on it is not used: the compliance profile, the daily run and the outbox's re-check read only
/// contact points without a mark.
struct M025AddUndeliverableContactPoints: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        let instant = SQLFlavor(sql) == .sqlite ? "REAL" : "TIMESTAMPTZ"
        try await sql.raw("ALTER TABLE contact_points ADD COLUMN undeliverable_at \(unsafeRaw: instant)").run()
        try await sql.raw("ALTER TABLE contact_points ADD COLUMN undeliverable_reason TEXT").run()
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.raw("ALTER TABLE contact_points DROP COLUMN undeliverable_reason").run()
        try await sql.raw("ALTER TABLE contact_points DROP COLUMN undeliverable_at").run()
    }
}
