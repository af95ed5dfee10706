import FluentKit
import Foundation
import RecoupStore
import Vapor

/// The debts list's totals (how many debts the filters match and what they owe) take a scan of every matching debt:
/// about half a second with a million debts and no filter. Like the dashboard's figures (`DashboardCache`), they are
/// kept for a minute per scope and filter; an older copy is shown while a fresh one is computed in the background.
///
/// Nothing is computed before a list asks (not at start: the server's first minute belongs to the pages people
/// open). The first request for a key computes it; requests for the same key that arrive meanwhile wait for that one
/// computation rather than start their own scans. The actor owns every entry, so no two tasks touch one at once.
actor ListTotalsCache {
    static let freshFor: TimeInterval = 60

    /// How totals are computed: `DebtQueries.totals`, or what a test counts.
    typealias Compute = @Sendable (DebtFilter, ClientScope, any Database) async throws -> DebtTotals

    private let compute: Compute

    init(
        compute: @escaping Compute = { filter, scope, database in
            try await DebtQueries.totals(filter, scope: scope, on: database)
        }
    ) {
        self.compute = compute
    }

    private var entries: [String: (totals: DebtTotals, computedAt: Date)] = [:]
    /// The computation under way for a key: the first one, or the background refresh of a stale one.
    private var computing: [String: Task<DebtTotals, any Error>] = [:]

    /// The totals for `filter` as `scope` sees them (the cursors, the sort and the search play no part).
    func totals(
        _ filter: DebtFilter, scope: ClientScope, now: Date, database: any Database
    ) async throws -> DebtTotals {
        let key = Self.key(filter, scope: scope)
        if let entry = entries[key] {
            if now.timeIntervalSince(entry.computedAt) > Self.freshFor, computing[key] == nil {
                _ = start(key, filter, scope: scope, now: now, database: database)
            }
            return entry.totals
        }
        return try await (computing[key] ?? start(key, filter, scope: scope, now: now, database: database)).value
    }

    /// Starts computing `key`'s totals; when done, they are stored (as computed at `now`) and the task is forgotten,
    /// whether or not anyone still waits for it.
    private func start(
        _ key: String, _ filter: DebtFilter, scope: ClientScope, now: Date, database: any Database
    ) -> Task<DebtTotals, any Error> {
        let task = Task { [compute] in
            do {
                let totals = try await compute(filter, scope, database)
                self.finish(key, with: totals, at: now)
                return totals
            } catch {
                self.finish(key, with: nil, at: now)
                throw error
            }
        }
        computing[key] = task
        return task
    }

    static func key(_ filter: DebtFilter, scope: ClientScope) -> String {
        [
            String(scope.clientID ?? -1), filter.clientRef ?? "*", filter.debtorRef ?? "*", filter.status ?? "*",
            filter.bucket?.rawValue ?? "*", filter.segment?.rawValue ?? "*",
            filter.bucket == nil ? "" : filter.today.isoString,
        ].joined(separator: "|")
    }

    /// Whether `key`'s totals are stored or being computed (tests).
    func holds(_ key: String) -> (stored: Bool, computing: Bool) { (entries[key] != nil, computing[key] != nil) }

    private func finish(_ key: String, with totals: DebtTotals?, at now: Date) {
        computing[key] = nil
        guard let totals else { return }
        if entries.count > 500 { entries.removeAll() }
        entries[key] = (totals, now)
    }
}

extension Application {
    private struct ListTotalsCacheKey: StorageKey { typealias Value = ListTotalsCache }

    /// The process's cache of the debts list's totals, made at configuration.
    var listTotalsCache: ListTotalsCache {
        get { storage[ListTotalsCacheKey.self]! }
        set { storage[ListTotalsCacheKey.self] = newValue }
    }
}
