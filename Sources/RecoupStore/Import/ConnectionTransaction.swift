import SQLKit

/// One transaction on a connection already taken from the pool, begun and ended by its own statements.
///
/// A bulk write holds a connection (`Database.withConnection`) so that it can change the connection's settings
/// before and after its transaction (`BulkWriteTuning`). Fluent's `transaction` cannot be used on such a connection:
/// the PostgreSQL driver (fluent-postgres-driver 2.14, `_FluentPostgresDatabase.withConnection`) marks every
/// connection it lends as already in a transaction, so `transaction` runs the closure without sending `BEGIN` and
/// each statement commits on its own. Sending `BEGIN`, `COMMIT` and `ROLLBACK` here works the same on both databases.
enum ConnectionTransaction {
    /// Runs `body` between `BEGIN` and `COMMIT` on `connection`; rolls back and rethrows when `body` throws. Every
    /// statement of `body` must run on `connection`, and must have finished when `body` returns or throws.
    static func run<T>(on connection: any SQLDatabase, _ body: () async throws -> T) async throws -> T {
        try await connection.raw("BEGIN").run()
        do {
            let result = try await body()
            try await connection.raw("COMMIT").run()
            return result
        } catch {
            // Also after a failed COMMIT: SQLite keeps the transaction open when COMMIT fails (say, while busy).
            try? await connection.raw("ROLLBACK").run()
            throw error
        }
    }
}
