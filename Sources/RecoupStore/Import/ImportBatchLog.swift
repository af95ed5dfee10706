import Foundation
import RecoupCore
import SQLKit

/// Keeps a row per import run in `import_batches`.
enum ImportBatchLog {
    static func record(
        _ summary: ImportSummary, clientID: Int64, format: ImportFormat, fileName: String, startedAt: Date,
        finishedAt: Date, on sql: any SQLDatabase
    ) async throws {
        try await sql.insert(into: "import_batches")
            .columns(
                "client_id", "format", "file_name", "imported", "unchanged", "updated", "rejected", "started_at",
                "finished_at"
            )
            .values(
                SQLBind(clientID), SQLBind(format.rawValue), SQLBind(fileName), SQLBind(Int64(summary.imported)),
                SQLBind(Int64(summary.unchanged)), SQLBind(Int64(summary.updated)), SQLBind(Int64(summary.rejected)),
                SQLBind(startedAt), SQLBind(finishedAt)
            )
            .run()
    }
}
