import FluentKit

/// Clients: the creditor businesses whose debts Recoup collects.
struct M001CreateClients: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("clients")
            .field("id", .int64, .identifier(auto: true))
            .field("ref", .string, .required)
            .field("name", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "ref")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("clients").delete()
    }
}
