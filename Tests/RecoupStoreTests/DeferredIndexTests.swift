import Foundation
import RecoupCore
import RecoupTestSupport
import SQLKit
import Testing

@testable import RecoupStore

/// A large SQLite import drops the indexes it would fill out of order and builds them again before it commits
/// (`DeferredIndexes`): whatever happens, the schema after an import is the schema before it.
@Suite("Indexes an import builds at its end")
struct DeferredIndexTests {
    /// The indexes of `debts`, each with its definition, in name order.
    static func debtIndexes(_ database: RecoupDatabase) async throws -> [String] {
        try await debtIndexes(database.sql)
    }

    static func debtIndexes(_ sql: any SQLDatabase) async throws -> [String] {
        let query: SQLQueryString =
            SQLFlavor(sql) == .sqlite
            ? "SELECT name || ': ' || COALESCE(sql, '') AS d FROM sqlite_master WHERE type = 'index' AND tbl_name = 'debts' ORDER BY name"
            : "SELECT indexname || ': ' || indexdef AS d FROM pg_indexes WHERE tablename = 'debts' AND schemaname = current_schema() ORDER BY indexname"
        return try await sql.raw(query).all().map { try $0.decode(column: "d", as: String.self) }
    }

    static func file(rows: Range<Int>, badRow: Int? = nil) -> String {
        var text = "debt_ref,debtor_ref,debtor_kind,debtor_name,charged_on,due_on,principal\n"
        for row in rows {
            let due = "2026-\(String(format: "%02d", 1 + row % 12))-\(String(format: "%02d", 1 + row % 28))"
            text +=
                "D-\(row),P-\(row % 7),consumer,Pat Rivera \(row % 7),2025-12-01,\(due),\(row == badRow ? "x" : "\(10 + row).00")\n"
        }
        return text
    }

    @Test(
        "an import into an empty database, one that fails, and one into a larger table leave the indexes as they were",
        arguments: TestStore.available)
    func schemaKept(store: TestStore) async throws {
        try await withStore(store) { database in
            let before = try await Self.debtIndexes(database)
            #expect(before.contains { $0.hasPrefix("debts_by_client_due_on: ") })
            #expect(before.contains { $0.hasPrefix("debts_by_due_on: ") })
            #expect(before.contains { $0.hasPrefix("debts_debtor_id: ") })

            let refused = try await #require(throws: AllOrNothingRefusal.self) {
                try await Importer.run(
                    ImportRequest(
                        path: try TestFiles.temporary(Self.file(rows: 0..<300, badRow: 250)), format: .recoup,
                        allOrNothing: true, batchSize: 100),
                    on: database.db, now: testNow)
            }
            #expect(refused.summary.rejected == 1)
            #expect(try await Self.debtIndexes(database) == before)

            let first = try await Importer.run(
                ImportRequest(path: try TestFiles.temporary(Self.file(rows: 0..<300)), format: .recoup, batchSize: 100),
                on: database.db, now: testNow)
            #expect(first.imported == 300)
            #expect(try await Self.debtIndexes(database) == before)
            let small = try await Importer.run(
                ImportRequest(path: try TestFiles.temporary(Self.file(rows: 300..<310)), format: .recoup),
                on: database.db, now: testNow)
            #expect(small.imported == 10)
            #expect(try await Self.debtIndexes(database) == before)

            // The rebuilt indexes answer: the list by days past due, most first, and a debtor's debts.
            var filter = DebtFilter(today: try LocalDate(iso: "2026-11-29"))
            filter.sort = .daysPastDue
            filter.descending = true
            filter.clientRef = "default"
            filter.limit = 500
            let listed = try await DebtQueries.list(filter, scope: .all, on: database.db).items
            #expect(listed.count == 310)
            #expect(zip(listed, listed.dropFirst()).allSatisfy { ($0.dueOn, $0.id) < ($1.dueOn, $1.id) })
            filter.debtorRef = "P-3"
            #expect(try await DebtQueries.list(filter, scope: .all, on: database.db).items.count == 44)
        }
    }

    @Test("SQLite drops them only when the file is likely the larger, and puts back what it dropped")
    func whenDropped() async throws {
        try await withStore(.sqlite) { database in
            let large = try TestFiles.temporary(Self.file(rows: 0..<300))
            let before = try await Self.debtIndexes(database)
            // On one connection, as the import does (a pooled in-memory database may hand out several).
            try await database.db.withConnection { connection async throws in
                let sql = connection as! any SQLDatabase
                let deferred = try await DeferredIndexes.dropForLargeImport(of: large, on: sql)
                #expect(deferred.definitions.count == 3)
                #expect(try await Self.debtIndexes(sql).count == before.count - 3)
                try await deferred.restore(on: sql)
                #expect(try await Self.debtIndexes(sql) == before)
                #expect(try await DeferredIndexes.dropForLargeImport(of: "-", on: sql).definitions.isEmpty)
            }
            _ = try await Importer.run(ImportRequest(path: large, format: .recoup), on: database.db, now: testNow)
            // 300 debts stored; a file estimated at fewer rows keeps the indexes.
            let smaller = try TestFiles.temporary(Self.file(rows: 1_000..<1_100))
            try await database.db.withConnection { connection async throws in
                let sql = connection as! any SQLDatabase
                #expect(try await DeferredIndexes.dropForLargeImport(of: smaller, on: sql).definitions.isEmpty)
            }
            #expect(try await Self.debtIndexes(database) == before)
        }
    }
}
