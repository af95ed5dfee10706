import FluentKit
import SQLKit

/// Debts (accounts). Business dates are stored as whole days since 1970-01-01 (see docs/database.md).
struct M005CreateDebts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("debts")
            .field("id", .int64, .identifier(auto: true))
            .field("client_id", .int64, .required, .references("clients", "id"))
            .field("debtor_id", .int64, .required, .references("debtors", "id"))
            .field("ref", .string, .required)
            .field("original_creditor", .string)
            .field("currency", .string, .required)
            .field("charged_on", .int32, .required)
            .field("due_on", .int32, .required)
            .field("itemization_on", .int32)
            .field("disputed", .bool, .required)
            .field("import_batch_id", .int64)
            .field("created_at", .datetime, .required)
            .unique(on: "client_id", "ref")
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "debts_debtor_id").on("debts").column("debtor_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("debts").delete()
    }
}
