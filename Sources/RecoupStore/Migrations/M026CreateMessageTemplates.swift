import FluentKit
import SQLKit

/// Templates per client and language (issue 15; docs/messages.md, "Templates"):
///
/// - `message_templates`: every saved version of a template, per scope (`scope_client_id`, 0 for the installation's
///   own, which every client without its own uses), name, channel and language. The highest version is in force; a
///   version whose `body` is NULL puts the built-in wording back. Older versions stay readable. `attach_statement`:
///   the email goes with a PDF statement of its debts.
/// - `debtors.language`: the language a debtor's messages are written in (`en` or `es`; NULL reads as English).
struct M026CreateMessageTemplates: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        let isSQLite = SQLFlavor(sql) == .sqlite
        let key = isSQLite ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "BIGSERIAL PRIMARY KEY"
        let instant = isSQLite ? "REAL" : "TIMESTAMPTZ"
        try await sql.raw(
            """
            CREATE TABLE message_templates (id \(unsafeRaw: key), scope_client_id BIGINT NOT NULL DEFAULT 0, \
            name TEXT NOT NULL, channel TEXT NOT NULL, language TEXT NOT NULL, version INTEGER NOT NULL, \
            subject TEXT, body TEXT, attach_statement BOOLEAN NOT NULL DEFAULT FALSE, \
            saved_at \(unsafeRaw: instant) NOT NULL, saved_by TEXT, \
            UNIQUE (scope_client_id, name, channel, language, version))
            """
        ).run()
        try await sql.raw("ALTER TABLE debtors ADD COLUMN language TEXT").run()
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.raw("ALTER TABLE debtors DROP COLUMN language").run()
        try await sql.raw("DROP TABLE message_templates").run()
    }
}
