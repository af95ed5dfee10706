import FluentKit
import SQLKit

/// The one-time ids of the forms that made something (a contact recorded, an arrangement proposed), each with what it
/// made: a form sent twice (a reload, a double click, back and send again) is recognised by its id and makes nothing
/// the second time (`FormSubmissions`).
struct M016CreateFormSubmissions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        let isSQLite = SQLFlavor(sql) == .sqlite
        try await sql.raw(
            """
            CREATE TABLE form_submissions (\
            id \(unsafeRaw: isSQLite ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "BIGSERIAL PRIMARY KEY"), \
            token TEXT NOT NULL UNIQUE, \
            kind TEXT NOT NULL, \
            result TEXT, \
            submitted_by TEXT, \
            created_at \(unsafeRaw: isSQLite ? "REAL" : "TIMESTAMPTZ") NOT NULL)
            """
        ).run()
    }

    func revert(on database: any Database) async throws {
        try await (database as! any SQLDatabase).raw("DROP TABLE form_submissions").run()
    }
}
