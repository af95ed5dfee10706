import Foundation
import RecoupCore
import SQLKit

/// Client look-ups and creation.
public enum ClientQueries {
    /// The scope of a client's own versions (strategies, templates): the client's id; 0, the installation's default,
    /// without a client. `unknownClient` for a client that does not exist.
    static func scopeID(clientRef: String?, sql: any SQLDatabase) async throws -> Int64 {
        guard let clientRef else { return 0 }
        guard let id = try await clientID(ref: clientRef, on: sql) else { throw StoreError.unknownClient(clientRef) }
        return id
    }

    /// The id of the client with `ref`, creating it (named after its ref) when new.
    public static func ensureClient(
        ref: String, name: String? = nil, on sql: any SQLDatabase, now: Date
    ) async throws
        -> Int64
    {
        let trimmed = ref.trimmedSpaces
        guard !trimmed.isEmpty else { throw StoreError.invalid("a client reference cannot be empty") }
        if let id = try await clientID(ref: trimmed, on: sql) { return id }
        try await sql.raw(
            """
            INSERT INTO clients (ref, name, created_at) VALUES (\(bind: trimmed), \(bind: name ?? trimmed), \(bind: now)) \
            ON CONFLICT (ref) DO NOTHING
            """
        ).run()
        guard let id = try await clientID(ref: trimmed, on: sql) else {
            throw StoreError.invalid("the client \"\(trimmed)\" could not be created")
        }
        return id
    }

    /// The id of the client with `ref`, if there is one.
    public static func clientID(ref: String, on sql: any SQLDatabase) async throws -> Int64? {
        try await sql.raw("SELECT id FROM clients WHERE ref = \(bind: ref)").first()?.decode(
            column: "id", as: Int64.self)
    }

    /// On PostgreSQL, takes the client's row for the rest of the transaction: two use cases of one client that must
    /// not interleave (two placement intakes, closes or remittance statements at once) wait for each other instead of
    /// both placing the same account or closing the same day. SQLite has one writer anyway.
    static func lock(clientID: Int64, sql: any SQLDatabase) async throws {
        guard SQLFlavor(sql) == .postgres else { return }
        try await sql.raw("SELECT id FROM clients WHERE id = \(bind: clientID) FOR UPDATE").run()
    }
}
