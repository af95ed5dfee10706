import FluentKit
import SQLKit

/// When an API token stops working (`recoup token create EMAIL --days N`); null for a token that works until it is
/// revoked, as every earlier token does.
struct M013AddTokenExpiry: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("api_tokens").field("expires_at", .datetime).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("api_tokens").deleteField("expires_at").update()
    }
}
