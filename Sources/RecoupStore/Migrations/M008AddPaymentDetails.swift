import FluentKit
import SQLKit

/// How a payment was made and its outside reference (a card authorisation, a check number), kept on its ledger
/// entry; for a reversal, `method` holds the reason (nsf, chargeback).
struct M008AddPaymentDetails: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.raw("ALTER TABLE ledger_entries ADD COLUMN method TEXT").run()
        try await sql.raw("ALTER TABLE ledger_entries ADD COLUMN reference TEXT").run()
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.raw("ALTER TABLE ledger_entries DROP COLUMN reference").run()
        try await sql.raw("ALTER TABLE ledger_entries DROP COLUMN method").run()
    }
}
