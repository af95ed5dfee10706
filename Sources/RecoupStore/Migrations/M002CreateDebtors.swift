import FluentKit

/// Debtors: people (consumer) or companies (commercial), each belonging to one client.
struct M002CreateDebtors: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("debtors")
            .field("id", .int64, .identifier(auto: true))
            .field("client_id", .int64, .required, .references("clients", "id"))
            .field("ref", .string, .required)
            .field("kind", .string, .required)
            .field("name", .string, .required)
            // IANA zone names separated by ";", the primary zone first; empty when none is recorded.
            .field("time_zones", .string, .required)
            .field("source_country_code", .string)
            .field("created_at", .datetime, .required)
            .unique(on: "client_id", "ref")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("debtors").delete()
    }
}
