import FluentKit
import SQLKit

/// What issue 4 adds: each client's terms (interest, fees, plan bounds), stops on accrual (hardship, breathing
/// space), arrangements with their debts, installments, written agreement and acceptance, and promises to pay.
struct M009CreateArrangements: AsyncMigration {
    func prepare(on database: any Database) async throws {
        // The client's terms as the JSON document `recoup client terms` takes (docs/arrangements.md).
        try await database.schema("clients").field("terms", .string).update()

        try await database.schema("accrual_pauses")
            .field("id", .int64, .identifier(auto: true))
            .field("debt_id", .int64, .required, .references("debts", "id"))
            .field("from_on", .int32, .required)
            .field("until_on", .int32)
            .field("reason", .string, .required)
            .field("created_at", .datetime, .required)
            .create()

        try await database.schema("arrangements")
            .field("id", .int64, .identifier(auto: true))
            .field("client_id", .int64, .required, .references("clients", "id"))
            .field("debtor_id", .int64, .required, .references("debtors", "id"))
            .field("ref", .string, .required)
            .field("kind", .string, .required)
            .field("state", .string, .required)
            .field("currency", .string, .required)
            .field("total", .int64, .required)
            .field("grace_days", .int32, .required)
            .field("created_on", .int32, .required)
            .field("agreement_text", .string, .required)
            .field("agreement_html", .string, .required)
            .field("agreement_sha256", .string, .required)
            .field("accepted_by", .string)
            .field("accepted_at", .datetime)
            .field("acceptance_method", .string)
            .field("acceptance_details", .string)
            .field("state_reason", .string)
            .field("state_changed_on", .int32)
            .field("created_at", .datetime, .required)
            .unique(on: "client_id", "ref")
            .create()

        try await database.schema("arrangement_debts")
            .field("arrangement_id", .int64, .required, .references("arrangements", "id"))
            .field("debt_id", .int64, .required, .references("debts", "id"))
            .field("amount", .int64, .required)
            .unique(on: "arrangement_id", "debt_id")
            .create()

        try await database.schema("arrangement_installments")
            .field("arrangement_id", .int64, .required, .references("arrangements", "id"))
            .field("number", .int32, .required)
            .field("due_on", .int32, .required)
            .field("amount", .int64, .required)
            .unique(on: "arrangement_id", "number")
            .create()

        try await database.schema("promises")
            .field("id", .int64, .identifier(auto: true))
            .field("client_id", .int64, .required, .references("clients", "id"))
            .field("debt_id", .int64, .required, .references("debts", "id"))
            .field("amount", .int64, .required)
            .field("due_on", .int32, .required)
            .field("made_on", .int32, .required)
            .field("via", .string, .required)
            .field("note", .string)
            .field("created_at", .datetime, .required)
            .create()

        let sql = database as! any SQLDatabase
        try await sql.create(index: "accrual_pauses_debt_id").on("accrual_pauses").column("debt_id").run()
        try await sql.create(index: "arrangement_debts_debt_id").on("arrangement_debts").column("debt_id").run()
        try await sql.create(index: "promises_debt_id").on("promises").column("debt_id").run()
        try await sql.create(index: "promises_due_on").on("promises").column("due_on").run()
    }

    func revert(on database: any Database) async throws {
        for table in ["promises", "arrangement_installments", "arrangement_debts", "arrangements", "accrual_pauses"] {
            try await database.schema(table).delete()
        }
        try await database.schema("clients").deleteField("terms").update()
    }
}
