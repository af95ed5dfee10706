import FluentKit

/// A debtor's phones, email addresses and postal addresses.
struct M003CreateContactPoints: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("contact_points")
            .field("id", .int64, .identifier(auto: true))
            .field("debtor_id", .int64, .required, .references("debtors", "id"))
            .field("kind", .string, .required)  // phone | email | address
            .field("value", .string, .required)  // the number, the email, or the address's first line
            .field("type", .string, .required)  // mobile | home | work | other
            .field("city", .string)
            .field("state", .string)
            .field("postal_code", .string)
            .field("country", .string)
            .field("created_at", .datetime, .required)
            .unique(on: "debtor_id", "kind", "value")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("contact_points").delete()
    }
}
