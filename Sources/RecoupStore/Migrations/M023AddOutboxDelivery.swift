import FluentKit
import SQLKit

/// What delivering the outbox keeps (issue 15; docs/messages.md):
///
/// - on `outbox_messages`: `attempts` (how many times a sender took it), `message_key` (the one Message-ID it keeps
///   through every attempt), `claimed_until` (a sender working it holds it until then; a sender that died lets it go
///   when that passes), `last_error` (the last answer of a failed attempt), `sent_at` and `delivery_ref` (what the
///   service called it: the letter's file, the SMTP server's queue id).
/// - `outbox_changes`: every status a message moves to, when, why and by whom (append only).
struct M023AddOutboxDelivery: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        let isSQLite = SQLFlavor(sql) == .sqlite
        let key = isSQLite ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "BIGSERIAL PRIMARY KEY"
        let instant = isSQLite ? "REAL" : "TIMESTAMPTZ"
        let statements: [String] = [
            "ALTER TABLE outbox_messages ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0",
            "ALTER TABLE outbox_messages ADD COLUMN message_key TEXT",
            "ALTER TABLE outbox_messages ADD COLUMN claimed_until \(instant)",
            "ALTER TABLE outbox_messages ADD COLUMN last_error TEXT",
            "ALTER TABLE outbox_messages ADD COLUMN sent_at \(instant)",
            "ALTER TABLE outbox_messages ADD COLUMN delivery_ref TEXT",
            """
            CREATE TABLE outbox_changes (id \(key), message_id BIGINT NOT NULL, status TEXT NOT NULL, \
            at \(instant) NOT NULL, detail TEXT, changed_by TEXT)
            """,
            "CREATE INDEX outbox_changes_by_message ON outbox_changes (message_id, id)",
        ]
        for statement in statements { try await sql.raw(SQLQueryString(statement)).run() }
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.raw("DROP TABLE outbox_changes").run()
        for column in ["delivery_ref", "sent_at", "last_error", "claimed_until", "message_key", "attempts"] {
            try await sql.raw("ALTER TABLE outbox_messages DROP COLUMN \(unsafeRaw: column)").run()
        }
    }
}
