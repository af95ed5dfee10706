import FluentKit

/// When an administrator disabled a user (`recoup user disable EMAIL`); null for a user who may sign in, as every
/// earlier user may.
struct M015AddUserDisabledAt: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("users").field("disabled_at", .datetime).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("users").deleteField("disabled_at").update()
    }
}
