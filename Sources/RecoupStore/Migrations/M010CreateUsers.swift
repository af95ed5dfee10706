import FluentKit
import SQLKit

/// Accounts and what proves who is asking: users with their role (and client, for a client's staff), API tokens and
/// login sessions stored only as SHA-256 hashes, debtor portal links (hashed too), and the hash-chained audit trail.
struct M010CreateUsers: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("users")
            .field("id", .int64, .identifier(auto: true))
            .field("email", .string, .required)
            .field("role", .string, .required)
            .field("client_id", .int64, .references("clients", "id"))
            .field("password_hash", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "email")
            .create()
        try await database.schema("api_tokens")
            .field("id", .int64, .identifier(auto: true))
            .field("user_id", .int64, .required, .references("users", "id"))
            .field("token_hash", .string, .required)
            .field("prefix", .string, .required)
            .field("created_at", .datetime, .required)
            .field("revoked_at", .datetime)
            .unique(on: "token_hash")
            .create()
        try await database.schema("sessions")
            .field("id", .int64, .identifier(auto: true))
            .field("user_id", .int64, .required, .references("users", "id"))
            .field("token_hash", .string, .required)
            .field("csrf_token", .string, .required)
            .field("created_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .unique(on: "token_hash")
            .create()
        try await database.schema("portal_links")
            .field("id", .int64, .identifier(auto: true))
            .field("debtor_id", .int64, .required, .references("debtors", "id"))
            .field("token_hash", .string, .required)
            .field("created_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .field("revoked_at", .datetime)
            .unique(on: "token_hash")
            .create()
        try await database.schema("audit_log")
            .field("id", .int64, .identifier(auto: true))
            .field("at", .datetime, .required)
            .field("actor", .string, .required)
            .field("action", .string, .required)
            .field("target", .string, .required)
            .field("source", .string, .required)
            .field("status", .int32, .required)
            .field("previous_hash", .string, .required)
            .field("hash", .string, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        for table in ["audit_log", "portal_links", "sessions", "api_tokens", "users"] {
            try await database.schema(table).delete()
        }
    }
}
