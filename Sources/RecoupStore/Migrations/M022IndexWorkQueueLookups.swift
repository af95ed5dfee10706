import FluentKit
import SQLKit

/// What the work queue (`WorkQueue`, docs/strategies.md "The work queue") looks up on every request, as index walks:
///
/// - `arrangements_by_state (state, state_changed_on)`: the arrangements that broke in the last
///   `WorkQueue.followUpDays` days. Without it every request read every arrangement row, and an arrangement's row
///   carries its agreement's text and HTML before the state columns, so SQLite followed each row's overflow pages.
struct M022IndexWorkQueueLookups: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.raw("CREATE INDEX arrangements_by_state ON arrangements (state, state_changed_on)").run()
    }

    func revert(on database: any Database) async throws {
        try await (database as! any SQLDatabase).raw("DROP INDEX arrangements_by_state").run()
    }
}
