import FluentKit
import RecoupCore
import RecoupStore
import Vapor

/// The first page: the aging table as HTML.
struct DashboardController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(use: index)
    }

    struct BucketRow: Encodable {
        var label: String
        var count: Int
        var amount: String
        var share: Int  // percent of the total amount, for the bar
    }

    struct Context: Encodable {
        var title: String
        var asOf: String
        var currency: String
        var rows: [BucketRow]
        var totalCount: Int
        var totalAmount: String
        var clientRef: String?
        /// The client filter's options (agency staff only).
        var clients: [DebtPagesController.Choice]
        var showClient: Bool
        var message: String?
        var bars: [Bar]
        var collected: [String]
        var dueToday: [PromiseRow]
        var broken: [PromiseRow]
        var figuresAt: String
        /// Remittances due within a week or late (`remittanceWarnings`).
        var remittanceWarnings: [String] = []
    }

    /// One bar of the SVG aging chart.
    struct Bar: Encodable {
        var label: String
        var y: Int
        var width: Int
        var textY: Int
        var amount: String
    }

    struct PromiseRow: Encodable {
        var debtID: String
        var debtRef: String
        var debtor: String
        var amount: String
        var due: String
        var outcome: String
    }

    @Sendable
    func index(request: Request) async throws -> View {
        var parameters: AgingParameters
        do {
            parameters = try AgingParameters(request: request)
        } catch {
            throw Abort(.badRequest, reason: "\(error)")
        }
        try parameters.limit(to: request.scope)
        let settings = request.application.settings
        let today = settings.today
        // Agency staff looking at one client see what that client's own staff see: its collections and promises too
        // (and the same cached figures).
        var scope = request.scope
        if scope == .all, let clientRef = parameters.clientRef {
            scope = try await ClientDirectory.scope(clientRef: clientRef, on: request.db)
        }
        let figures = try await Self.figures(
            parameters, scope: scope, today: today, now: settings.clock(), app: request.application)
        let report = figures.report
        let document = AgingReportDocument(report)
        let total = max(1, report.total.amount)
        let rows = report.buckets.map { bucket in
            BucketRow(
                label: Self.label(bucket.bucket), count: bucket.count,
                amount: Money.displayString(minorUnits: bucket.amount, currency: report.currency),
                share: Int((bucket.amount * 100) / total))
        }
        let maxAmount = max(1, report.buckets.map(\.amount).max() ?? 1)
        let bars = report.buckets.enumerated().map { index, bucket in
            Bar(
                label: Self.label(bucket.bucket), y: index * 34 + 4, width: Int((bucket.amount * 360) / maxAmount),
                textY: index * 34 + 20,
                amount: Money.displayString(minorUnits: bucket.amount, currency: report.currency))
        }
        let collected = figures.collected.map { Money.displayString(minorUnits: $0.amount, currency: $0.currency) }
        let promises = try await DashboardQueries.promises(
            dueFrom: today.adding(days: -30), through: today, asOf: today, scope: scope, on: request.db)
        let row = { (line: PromiseLine) in
            PromiseRow(
                debtID: String(line.debtID), debtRef: line.debtRef, debtor: line.debtorName,
                amount: Money.displayString(minorUnits: line.view.promise.amount, currency: line.view.currency),
                due: line.view.promise.due.isoString,
                outcome: line.view.outcome.name.replacingOccurrences(of: "_", with: " "))
        }
        let context = Context(
            title: "Dashboard", asOf: document.asOf, currency: document.currency, rows: rows,
            totalCount: document.total.count,
            totalAmount: Money.displayString(minorUnits: report.total.amount, currency: report.currency),
            clientRef: parameters.clientRef,
            clients: try await DebtPagesController.clientChoices(request, selected: parameters.clientRef ?? ""),
            showClient: request.scope == .all,
            message: report.total.count == 0 ? "No open debts at the end of \(document.asOf)." : nil,
            bars: bars,
            collected: collected.isEmpty ? [Money.displayString(minorUnits: 0, currency: report.currency)] : collected,
            dueToday: promises.filter { $0.view.promise.due == today }.map(row),
            broken: promises.filter { $0.view.outcome == .broken }.map(row),
            figuresAt: ISO8601Instant.format(figures.computedAt),
            remittanceWarnings: try await Self.remittanceWarnings(scope: request.scope, today: today, on: request.db))
        return try await request.view.render("index", context)
    }

    /// The dashboard's aggregates for a view, from the cache when fresh.
    static func figures(
        _ parameters: AgingParameters, scope: ClientScope, today: LocalDate, now: Date, app: Application
    ) async throws -> DashboardFigures {
        let key =
            "\(scope.clientID ?? -1)|\(parameters.asOf)|\(parameters.clientRef ?? "*")|\(parameters.currency?.code ?? "")|\(today)"
        return try await app.dashboardCache.figures(key: key, now: now) { [db = app.db] in
            let report = try await AgingQuery.report(
                asOf: parameters.asOf, clientRef: parameters.clientRef, currency: parameters.currency, on: db)
            let collected = try await DashboardQueries.collected(month: today, scope: scope, on: db)
            return DashboardFigures(
                report: report, collected: collected.map { CollectedAmount(currency: $0.currency, amount: $0.amount) })
        }
    }

    /// Computes the agency-wide dashboard for today in the background, so the first visitor does not wait for it.
    /// The debts list's totals are not computed here: `ListTotalsCache` computes them when a list first asks.
    @discardableResult
    static func warm(_ app: Application) -> Task<Void, Never> {
        let settings = app.settings
        let today = settings.today
        return Task {
            _ = try? await figures(
                AgingParameters(asOf: today, clientRef: nil, currency: nil), scope: .all, today: today,
                now: settings.clock(), app: app)
            // Then each client's own view, as its staff see it, one at a time (the first 200 clients by reference).
            for client in (try? await ClientDirectory.clients(limit: 200, on: app.db)) ?? [] {
                _ = try? await figures(
                    AgingParameters(asOf: today, clientRef: client.ref, currency: nil),
                    scope: .client(id: client.id, ref: client.ref), today: today, now: settings.clock(), app: app)
            }
        }
    }

    static let monthNames = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
        "December",
    ]

    /// A sentence for each client in `scope` whose oldest trust money not yet on a statement must be remitted within a
    /// week, or is late: "acme: 3 payments collected in October must be remitted by 2026-11-30 — 2 days left"
    /// (docs/agency.md, "Pages").
    static func remittanceWarnings(
        scope: ClientScope, today: LocalDate, on database: any Database
    ) async throws -> [String] {
        try await RemittanceDeadlines.pending(scope: scope, on: database).filter { $0.due <= today.adding(days: 7) }
            .map { due in
                let left = due.due.days(since: today)
                let when =
                    left > 1
                    ? "\(left) days left"
                    : left == 1
                        ? "1 day left"
                        : left == 0
                            ? "due today"
                            : left == -1 ? "1 day late" : "\(-left) days late"
                let month = monthNames[(due.oldestCollectedOn.month - 1) % 12]
                let year = due.oldestCollectedOn.year == today.year ? "" : " \(due.oldestCollectedOn.year)"
                return "\(due.clientRef): \(due.payments) \(due.payments == 1 ? "payment" : "payments") collected in "
                    + "\(month)\(year) (\(Money.displayString(minorUnits: due.amount, currency: due.currency))) must be "
                    + "remitted by \(due.due.isoString) — \(when)"
            }
    }

    static func label(_ bucket: AgingBucket) -> String {
        switch bucket {
        case .current: "Current (not past due)"
        case .days1To30: "1–30 days past due"
        case .days31To60: "31–60 days past due"
        case .days61To90: "61–90 days past due"
        case .days91Plus: "91+ days past due"
        }
    }
}

/// The dashboard's aggregates for one view.
struct DashboardFigures: Sendable {
    var report: AgingReport
    var collected: [CollectedAmount]
    var computedAt = Date.distantPast
}

struct CollectedAmount: Sendable {
    var currency: Currency
    var amount: Int64
}

/// The aggregates behind the dashboard (aging over every debt, money collected this month) take a scan of the whole
/// ledger: about half a second with a million debts. They are kept for a minute per view; an older copy is shown
/// while a fresh one is computed in the background, and the page says when its figures were computed.
actor DashboardCache {
    static let freshFor: TimeInterval = 60

    private var entries: [String: DashboardFigures] = [:]
    private var refreshing: Set<String> = []

    func figures(
        key: String, now: Date, compute: @escaping @Sendable () async throws -> DashboardFigures
    ) async throws -> DashboardFigures {
        if let entry = entries[key] {
            if now.timeIntervalSince(entry.computedAt) > Self.freshFor, !refreshing.contains(key) {
                refreshing.insert(key)
                Task {
                    if var fresh = try? await compute() {
                        fresh.computedAt = now
                        self.store(fresh, key: key)
                    }
                    self.finish(key)
                }
            }
            return entry
        }
        var fresh = try await compute()
        fresh.computedAt = now
        store(fresh, key: key)
        return fresh
    }

    private func store(_ figures: DashboardFigures, key: String) {
        if entries.count > 500 { entries.removeAll() }
        entries[key] = figures
    }

    private func finish(_ key: String) { refreshing.remove(key) }
}

extension Application {
    private struct DashboardCacheKey: StorageKey { typealias Value = DashboardCache }

    /// The process's dashboard cache, made at configuration.
    var dashboardCache: DashboardCache {
        get { storage[DashboardCacheKey.self]! }
        set { storage[DashboardCacheKey.self] = newValue }
    }
}
