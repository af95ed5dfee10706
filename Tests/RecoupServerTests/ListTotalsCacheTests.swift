import FluentKit
import Foundation
import NIOConcurrencyHelpers
import RecoupCore
import RecoupStore
import RecoupTestSupport
import Testing
import Vapor

@testable import RecoupServer

/// The debts list's totals are computed when a list first asks, once however many ask at the same time, then kept
/// for a minute (issue 13: not at start).
@Suite("The debts list's totals cache")
struct ListTotalsCacheTests {
    /// A computation the test counts and lets finish when it chooses.
    final class Gate: Sendable {
        let calls = NIOLockedValueBox(0)
        let opened = NIOLockedValueBox(false)
        let result = NIOLockedValueBox(DebtTotals(count: 1, balances: []))
        let failing = NIOLockedValueBox(false)

        func compute(_: DebtFilter, _: ClientScope, _: any Database) async throws -> DebtTotals {
            calls.withLockedValue { $0 += 1 }
            while !opened.withLockedValue({ $0 }) { try await Task.sleep(for: .milliseconds(5)) }
            if failing.withLockedValue({ $0 }) { throw StoreError.invalid("the scan failed") }
            return result.withLockedValue { $0 }
        }

        func waitForCalls(_ count: Int) async throws {
            for _ in 0..<2_000 where calls.withLockedValue({ $0 }) < count {
                try await Task.sleep(for: .milliseconds(5))
            }
        }
    }

    static let today = try! LocalDate(iso: "2026-11-29")

    @Test("nothing at start; many first requests share one computation; kept, then refreshed in the background")
    func lazyAndShared() async throws {
        try await withApp(.sqlite) { app in
            // Setup: the application's own cache holds nothing once the server is configured.
            let filter = DebtFilter(today: Self.today)
            let key = ListTotalsCache.key(filter, scope: .all)
            // The start-up work (`serve` runs it once listening) computes the dashboard, not the list's totals …
            await DashboardController.warm(app).value
            #expect(await app.listTotalsCache.holds(key) == (stored: false, computing: false))
            // … which the first list computes.
            try await app.page(.GET, "debts") { response async throws in #expect(response.status == .ok) }
            #expect(await app.listTotalsCache.holds(key) == (stored: true, computing: false))
            let gate = Gate()
            let cache = ListTotalsCache(compute: gate.compute)
            // Act: eight lists ask at once while the first computation is held.
            let answers = try await withThrowingTaskGroup(of: DebtTotals.self) { group in
                for _ in 0..<8 {
                    group.addTask { try await cache.totals(filter, scope: .all, now: testNow, database: app.db) }
                }
                try await gate.waitForCalls(1)
                try await Task.sleep(for: .milliseconds(200))  // the others arrive meanwhile
                #expect(await cache.holds(key) == (stored: false, computing: true))
                gate.opened.withLockedValue { $0 = true }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            // Verify: one scan, eight answers.
            #expect(gate.calls.withLockedValue { $0 } == 1)
            #expect(answers == Array(repeating: DebtTotals(count: 1, balances: []), count: 8))
            #expect(await cache.holds(key) == (stored: true, computing: false))
            // Within the minute: from the cache.
            _ = try await cache.totals(filter, scope: .all, now: testNow.addingTimeInterval(59), database: app.db)
            #expect(gate.calls.withLockedValue { $0 } == 1)
            // After it: the old totals at once, and one fresh computation in the background.
            gate.result.withLockedValue { $0 = DebtTotals(count: 2, balances: []) }
            gate.opened.withLockedValue { $0 = false }
            let later = testNow.addingTimeInterval(61)
            #expect(try await cache.totals(filter, scope: .all, now: later, database: app.db).count == 1)
            #expect(try await cache.totals(filter, scope: .all, now: later, database: app.db).count == 1)
            try await gate.waitForCalls(2)
            gate.opened.withLockedValue { $0 = true }
            for _ in 0..<400 where await cache.holds(key).computing { try await Task.sleep(for: .milliseconds(5)) }
            #expect(gate.calls.withLockedValue { $0 } == 2)
            #expect(try await cache.totals(filter, scope: .all, now: later, database: app.db).count == 2)
        }
    }

    @Test("a failed computation answers its error to every waiter, keeps nothing, and the next request tries again")
    func failure() async throws {
        try await withApp(.sqlite) { app in
            let gate = Gate()
            gate.failing.withLockedValue { $0 = true }
            gate.opened.withLockedValue { $0 = true }
            let cache = ListTotalsCache(compute: gate.compute)
            let filter = DebtFilter(today: Self.today)
            await #expect(throws: StoreError.invalid("the scan failed")) {
                try await cache.totals(filter, scope: .all, now: testNow, database: app.db)
            }
            #expect(await cache.holds(ListTotalsCache.key(filter, scope: .all)) == (stored: false, computing: false))
            gate.failing.withLockedValue { $0 = false }
            let again = try await cache.totals(filter, scope: .all, now: testNow, database: app.db)
            #expect(again.count == 1)
            #expect(gate.calls.withLockedValue { $0 } == 2)
        }
    }
}
