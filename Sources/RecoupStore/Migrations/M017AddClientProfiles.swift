import FluentKit

/// A client's profile (issue 13): the phone, email, website, mailing address and how to pay that pages, the portal
/// and agreements show. The client's name stays in `clients.name`. Each column is added on its own, since SQLite
/// adds one column per `ALTER TABLE`.
struct M017AddClientProfiles: AsyncMigration {
    static let columns = [
        "phone", "email", "website", "mailing_address", "payment_instructions", "payment_link",
    ]

    func prepare(on database: any Database) async throws {
        for column in Self.columns {
            try await database.schema("clients").field(.string(column), .string).update()
        }
    }

    func revert(on database: any Database) async throws {
        for column in Self.columns.reversed() {
            try await database.schema("clients").deleteField(.string(column)).update()
        }
    }
}
