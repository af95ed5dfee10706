import FluentKit
import Foundation
import RecoupCore
import SQLKit

/// Loads the generated demo portfolio through the same batch writer as imports (so it is idempotent too).
public enum DemoLoader {
    /// What loading did.
    public struct Outcome: Sendable {
        /// New debts.
        public var imported: Int
        /// Clients in the demo.
        public var clients: Int
    }

    /// Generates and stores the demo portfolio.
    public static func load(accounts: Int, seed: UInt64, today: LocalDate, on database: any Database, now: Date)
        async throws -> Outcome
    {
        let portfolio = DemoPortfolio.generate(accounts: accounts, seed: seed, today: today)
        let outcome = try await database.transaction { transaction in
            let sql = transaction as! any SQLDatabase
            var imported = 0
            for client in portfolio.clients {
                let clientID = try await ClientQueries.ensureClient(ref: client.ref, name: client.name, on: sql, now: now)
                let writer = DebtBatchWriter(sql: sql, clientID: clientID, importBatchID: nil, now: now)
                var knownDebtors = Set<String>()
                var start = 0
                while start < client.debts.count {
                    let end = min(start + 1000, client.debts.count)
                    imported += try await writer.write(Array(client.debts[start..<end]), knownDebtors: &knownDebtors).imported
                    start = end
                }
            }
            return Outcome(imported: imported, clients: portfolio.clients.count)
        }
        try await SegmentStore.refresh(asOf: today, zone: TimeZone(identifier: "UTC")!, on: database, now: now)
        return outcome
    }

    /// True when the database holds no debts at all.
    public static func isEmpty(_ sql: any SQLDatabase) async throws -> Bool {
        try await sql.raw("SELECT COUNT(*) AS n FROM debts").first()?.decode(column: "n", as: Int.self) == 0
    }
}
