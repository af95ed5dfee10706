import FluentKit
import Foundation
import RecoupTestSupport
import SQLKit
import Testing

@testable import RecoupStore

/// SQLite writers take turns per database: one database's long transaction does not hold up another's.
@Suite("SQLite write gates")
struct WriteGateTests {
    actor Flag {
        var set = false
        func raise() { set = true }
    }

    @Test("a writer in one SQLite database goes while another database's transaction is open; one database, one gate")
    func gatesPerDatabase() async throws {
        try await withStore(.sqlite) { first in
            try await withStore(.sqlite) { second in
                #expect(WriteGate.gate(for: first.db) === WriteGate.gate(for: first.db))
                #expect(WriteGate.gate(for: first.db) !== WriteGate.gate(for: second.db))
                let other = Flag()
                // The first database's transaction stays open until the second's has committed (or 30 s pass).
                async let holding: Bool = PaymentStore.serializedTransaction(first.db) { sql in
                    try await sql.raw("CREATE TABLE held (x INTEGER)").run()
                    for _ in 0..<300 where !(await other.set) { try await Task.sleep(for: .milliseconds(100)) }
                    return await other.set
                }
                try await Task.sleep(for: .milliseconds(200))
                try await PaymentStore.serializedTransaction(second.db) { sql in
                    try await sql.raw("CREATE TABLE other (x INTEGER)").run()
                }
                await other.raise()
                #expect(try await holding, "the second database's writer waited for the first's transaction")
            }
        }
    }
}
