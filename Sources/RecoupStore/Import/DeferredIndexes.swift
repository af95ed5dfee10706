import Foundation
import SQLKit

/// Indexes of `debts` that a large SQLite import drops when it begins and builds again before it commits.
///
/// An import writes debts in the file's order, so these indexes take each new debt somewhere in their middle (by
/// debtor, by due date): over a million rows that cost about 3 s each of the database's time, and the days-past-due
/// sort has two of them (`M018AddDebtListSortKeys`, and by client `M019ImportWritesDebtBalances`). Built again from
/// the finished table, each takes about 1 s (docs/performance.md). The other indexes take new debts at their end and
/// are cheaper kept up row by row; unique ones stay, since the import finds existing debts through them.
///
/// Only when the file is likely to hold more debts than are already stored (rebuilding walks every debt, not just
/// the new ones), and only on SQLite. Both steps run inside the import's transaction, so an import that fails or is
/// killed leaves the indexes as they were; readers keep seeing the committed table and its indexes until the commit.
struct DeferredIndexes {
    static let names = ["debts_debtor_id", "debts_by_due_on", "debts_by_client_due_on"]
    /// Bytes per row assumed when estimating a file's rows from its size: more than a row of either layout takes, so
    /// the estimate errs low and the indexes are kept unless the file is clearly the larger.
    static let bytesPerRowEstimate = 200

    /// The statements that build the dropped indexes again, as the schema stated them.
    let definitions: [String]

    /// Drops the indexes when the import of `path` is likely to more than double the stored debts; does nothing on
    /// PostgreSQL, for standard input, or when the file is the smaller. Call inside the import's transaction.
    static func dropForLargeImport(of path: String, on sql: any SQLDatabase) async throws -> DeferredIndexes {
        guard SQLFlavor(sql) == .sqlite, path != "-",
            let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int
        else { return DeferredIndexes(definitions: []) }
        let estimatedRows = size / bytesPerRowEstimate
        guard estimatedRows > 0 else { return DeferredIndexes(definitions: []) }
        // Counting stops past the estimate: a large table is not counted to its end.
        let stored =
            try await sql.raw(
                "SELECT COUNT(*) AS n FROM (SELECT 1 FROM debts LIMIT \(unsafeRaw: String(estimatedRows)))"
            ).first()?.decode(column: "n", as: Int.self) ?? estimatedRows
        guard stored < estimatedRows else { return DeferredIndexes(definitions: []) }
        var definitions: [String] = []
        for name in names {
            guard
                let definition = try await sql.raw(
                    "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'debts' AND name = \(bind: name)"
                ).first()?.decode(column: "sql", as: String?.self)
            else { continue }
            try await sql.raw("DROP INDEX \(ident: name)").run()
            definitions.append(definition)
        }
        return DeferredIndexes(definitions: definitions)
    }

    /// Builds the dropped indexes again. Call before the import's transaction commits.
    func restore(on sql: any SQLDatabase) async throws {
        for definition in definitions { try await sql.raw("\(unsafeRaw: definition)").run() }
    }
}
