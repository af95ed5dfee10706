import FluentKit
import SQLKit

/// The append-only ledger: each entry's face amount and its signed effect on each balance component.
struct M006CreateLedgerEntries: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("ledger_entries")
            .field("id", .int64, .identifier(auto: true))
            .field("debt_id", .int64, .required, .references("debts", "id"))
            .field("kind", .string, .required)
            .field("effective_on", .int32, .required)
            .field("amount", .int64, .required)
            .field("principal", .int64, .required)
            .field("interest", .int64, .required)
            .field("fees", .int64, .required)
            .field("total", .int64, .required)  // principal + interest + fees, for fast balance sums
            .field("idempotency_key", .string, .required)
            .field("reversed_key", .string)
            .field("created_at", .datetime, .required)
            .unique(on: "debt_id", "idempotency_key")
            .create()
        // Balances at a date are sums over (debt, date): this index answers them without touching the table.
        let sql = database as! any SQLDatabase
        try await sql.create(index: "ledger_entries_balance").on("ledger_entries")
            .column("debt_id").column("effective_on").column("total").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("ledger_entries").delete()
    }
}
