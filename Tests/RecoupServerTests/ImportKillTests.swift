import Foundation
import RecoupStore
import RecoupTestSupport
import SQLKit
import Testing

/// `recoup import` killed with SIGKILL part-way through leaves no debts: the server rolls back the open transaction
/// when the connection drops.
@Suite("A killed import")
struct ImportKillTests {
    static let postgresURL = ProcessInfo.processInfo.environment["RECOUP_TEST_POSTGRES_URL"] ?? ""

    @Test(
        "recoup import killed with SIGKILL while it writes leaves no debts on PostgreSQL",
        .enabled(if: !postgresURL.isEmpty, "needs RECOUP_TEST_POSTGRES_URL"), .timeLimit(.minutes(5)))
    func killedImportLeavesNothing() async throws {
        // Setup: a database of its own (the binary cannot be given a schema), migrated, and a file large enough
        // that the import is still writing when it is killed.
        let recoup = try RecoupBinary()
        let generated = recoup.directory.appendingPathComponent("debts.csv").path
        let demo = try await recoup.run(
            [
                "demo", "--format", "ibm-ar", "--accounts", "200000", "--seed", "7", "--today", "2026-11-29",
                "--output",
                generated,
            ])
        #expect(demo.status == 0, "\(demo.standardError)")
        let name = "recoup_kill_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(12)
        let admin = try await RecoupDatabase.open(.postgres(url: Self.postgresURL, searchPath: nil), migrate: false)
        try await admin.sql.raw("CREATE DATABASE \(unsafeRaw: String(name))").run()
        var components = try #require(URLComponents(string: Self.postgresURL))
        components.path = "/" + name
        let url = try #require(components.string)
        let database = try await RecoupDatabase.open(.postgres(url: url, searchPath: nil))
        do {
            let clientsBefore = try await Self.count("clients", in: database)
            // Act: start the import, wait until its connection is writing (a transaction id is assigned), let it
            // write a few more batches, then kill it.
            let process = Process()
            process.executableURL = URL(fileURLWithPath: RecoupBinary.path)
            process.arguments = ["import", "--format", "ibm-ar", generated, "--client", "killed"]
            process.environment = ProcessInfo.processInfo.environment.merging(["DATABASE_URL": url]) { $1 }
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            var isWriting = false
            for _ in 0..<2400 where !isWriting && process.isRunning {
                try await Task.sleep(for: .milliseconds(50))
                let row = try await admin.sql.raw(
                    """
                    SELECT COUNT(*) AS n FROM pg_stat_activity WHERE datname = \(bind: String(name)) \
                    AND backend_xid IS NOT NULL
                    """
                ).first()
                let writers = try row?.decode(column: "n", as: Int.self) ?? 0
                let debts = try await Self.count("debts", in: database)
                isWriting = writers > 0 || debts > 0
            }
            try await Task.sleep(for: .seconds(2))
            let wasRunning = process.isRunning
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()

            // Verify
            #expect(isWriting, "the import never started writing")
            #expect(wasRunning, "the import finished before it was killed: use a larger file")
            #expect(process.terminationReason == .uncaughtSignal)
            #expect(try await Self.count("debts", in: database) == 0)
            #expect(try await Self.count("ledger_entries", in: database) == 0)
            #expect(try await Self.count("debtors", in: database) == 0)
            #expect(try await Self.count("clients", in: database) == clientsBefore)
        } catch {
            Issue.record(error)
        }
        await database.close()
        try? await admin.sql.raw("DROP DATABASE \(unsafeRaw: String(name)) WITH (FORCE)").run()
        await admin.close()
    }

    static func count(_ table: String, in database: RecoupDatabase) async throws -> Int {
        try await database.sql.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: table)").first()?.decode(
            column: "n", as: Int.self) ?? -1
    }
}
