import FluentKit
import SQLKit

/// The append-only contact history: calls, messages, consents, holds. Never deleted (12 CFR 1006.100).
struct M007CreateContactEvents: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("contact_events")
            .field("id", .int64, .identifier(auto: true))
            .field("debtor_id", .int64, .required, .references("debtors", "id"))
            .field("type", .string, .required)
            .field("at", .datetime, .required)
            // The debts the event is about, as a JSON array of debt ids; null means all of the debtor's debts.
            .field("debt_ids", .string)
            // The rest of the event (direction, outcome, channel, ...) as a JSON object, as in the API.
            .field("details", .string, .required)
            .field("recorded_by", .string)
            .field("created_at", .datetime, .required)
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "contact_events_debtor_at").on("contact_events").column("debtor_id").column("at")
            .run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("contact_events").delete()
    }
}
