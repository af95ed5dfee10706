import FluentKit

/// One row per import run: what file, what format, what came of it.
struct M004CreateImportBatches: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("import_batches")
            .field("id", .int64, .identifier(auto: true))
            .field("client_id", .int64, .required, .references("clients", "id"))
            .field("format", .string, .required)
            .field("file_name", .string, .required)
            .field("imported", .int64, .required)
            .field("unchanged", .int64, .required)
            .field("updated", .int64, .required)
            .field("rejected", .int64, .required)
            .field("started_at", .datetime, .required)
            .field("finished_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("import_batches").delete()
    }
}
