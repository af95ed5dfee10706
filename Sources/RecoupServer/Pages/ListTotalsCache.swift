import FluentKit
import Foundation
import RecoupStore
import Vapor

/// The debts list's totals (how many debts the filters match and what they owe) take a scan of every matching debt:
/// about half a second with a million debts and no filter. Like the dashboard's figures (`DashboardCache`), they are
/// kept for a minute per scope and filter; an older copy is shown while a fresh one is computed in the background.
actor ListTotalsCache {
    static let freshFor: TimeInterval = 60

    private var entries: [String: (totals: DebtTotals, computedAt: Date)] = [:]
    private var refreshing: Set<String> = []

    /// The totals for `filter` as `scope` sees them (the cursors, the sort and the search play no part).
    func totals(
        _ filter: DebtFilter, scope: ClientScope, now: Date, database: any Database
    ) async throws -> DebtTotals {
        let key = Self.key(filter, scope: scope)
        let compute = { @Sendable in try await DebtQueries.totals(filter, scope: scope, on: database) }
        if let entry = entries[key] {
            if now.timeIntervalSince(entry.computedAt) > Self.freshFor, !refreshing.contains(key) {
                refreshing.insert(key)
                Task {
                    if let fresh = try? await compute() { self.store(fresh, key: key, at: now) }
                    self.finish(key)
                }
            }
            return entry.totals
        }
        let fresh = try await compute()
        store(fresh, key: key, at: now)
        return fresh
    }

    static func key(_ filter: DebtFilter, scope: ClientScope) -> String {
        [
            String(scope.clientID ?? -1), filter.clientRef ?? "*", filter.debtorRef ?? "*", filter.status ?? "*",
            filter.bucket?.rawValue ?? "*", filter.segment?.rawValue ?? "*",
            filter.bucket == nil ? "" : filter.today.isoString,
        ].joined(separator: "|")
    }

    private func store(_ totals: DebtTotals, key: String, at now: Date) {
        if entries.count > 500 { entries.removeAll() }
        entries[key] = (totals, now)
    }

    private func finish(_ key: String) { refreshing.remove(key) }
}

extension Application {
    private struct ListTotalsCacheKey: StorageKey { typealias Value = ListTotalsCache }

    /// The process's cache of the debts list's totals, made at configuration.
    var listTotalsCache: ListTotalsCache {
        get { storage[ListTotalsCacheKey.self]! }
        set { storage[ListTotalsCacheKey.self] = newValue }
    }
}
