import Foundation
import RecoupAPI
import RecoupCore
import RecoupStore
import SQLKit
import Vapor

/// The agency reports (docs/agency-reports.md) over the API: the figures `recoup report liquidation|recovery|promises|
/// collectors --format json` prints, computed by the same `AgencyReports` functions in the signed-in user's scope (a
/// client user sees its own client only; another client answers 404, as a missing one).
extension RecoupAPIHandlers {
    /// What every report reads of its query: the client (checked against the user's scope), the currency, and the
    /// dates it names, with today in the business time zone for those left out.
    struct ReportQuery {
        var request: Request
        var client: String?
        var currency: Currency?
        var today: LocalDate

        init(client: String?, currency: String?) throws {
            let request = try APIContext.current()
            self.request = request
            self.client = try APIInput.nonEmpty(client).map { try APIInput.client($0, request) }
            self.currency = try APIInput.nonEmpty(currency).map { try Currency(code: $0) }
            today = request.application.settings.today
        }

        var sql: any SQLDatabase { request.db as! any SQLDatabase }

        func date(_ text: String?, _ field: String) throws -> LocalDate? {
            try APIInput.nonEmpty(text).map { try APIInput.date($0, field: field) }
        }

        /// `from` and `to`: the 30 days ending today by default; `from` after `to` is a 400.
        func period(from: String?, to: String?) throws -> (LocalDate, LocalDate) {
            let (first, last) = ReportPeriod.days(
                from: try date(from, "from"), to: try date(to, "to"), today: today)
            guard first <= last else { throw UserFacingError.badRequest("from (\(first)) is after to (\(last))") }
            return (first, last)
        }
    }

    /// A report as of one day (`asOf`, today when left out), made by `make` in the user's scope.
    func asOfReport<Report>(
        asOf: String?, client: String?, currency: String?,
        _ make: (LocalDate, String?, Currency?, ClientScope, any SQLDatabase) async throws -> Report
    ) async throws -> (report: Report, client: String?) {
        let query = try ReportQuery(client: client, currency: currency)
        let day = try query.date(asOf, "asOf") ?? query.today
        return (try await make(day, query.client, query.currency, query.request.scope, query.sql), query.client)
    }

    func getLiquidationReport(
        _ input: Operations.GetLiquidationReport.Input
    ) async throws -> Operations.GetLiquidationReport.Output {
        let (report, client) = try await asOfReport(
            asOf: input.query.asOf, client: input.query.client, currency: input.query.currency,
            AgencyReports.liquidation(asOf:clientRef:currency:scope:on:))
        return .ok(.init(body: .json(.init(report, client: client))))
    }

    func getRecoveryReport(
        _ input: Operations.GetRecoveryReport.Input
    ) async throws -> Operations.GetRecoveryReport.Output {
        let (report, client) = try await asOfReport(
            asOf: input.query.asOf, client: input.query.client, currency: input.query.currency,
            AgencyReports.recovery(asOf:clientRef:currency:scope:on:))
        return .ok(.init(body: .json(.init(report, client: client))))
    }

    func getPromiseKeptReport(
        _ input: Operations.GetPromiseKeptReport.Input
    ) async throws -> Operations.GetPromiseKeptReport.Output {
        let query = try ReportQuery(client: input.query.client, currency: input.query.currency)
        let (from, to) = try query.period(from: input.query.from, to: input.query.to)
        let report = try await AgencyReports.promises(
            from: from, to: to, asOf: try query.date(input.query.asOf, "asOf") ?? query.today,
            clientRef: query.client, currency: query.currency, scope: query.request.scope, on: query.sql)
        return .ok(.init(body: .json(.init(report, client: query.client))))
    }

    func getCollectorReport(
        _ input: Operations.GetCollectorReport.Input
    ) async throws -> Operations.GetCollectorReport.Output {
        let query = try ReportQuery(client: input.query.client, currency: input.query.currency)
        let (from, to) = try query.period(from: input.query.from, to: input.query.to)
        let report = try await AgencyReports.collectors(
            from: from, to: to, zone: query.request.application.settings.businessTimeZone, clientRef: query.client,
            currency: query.currency, scope: query.request.scope, on: query.sql)
        return .ok(.init(body: .json(.init(report, client: query.client))))
    }
}

/// An amount of a report as the API writes it.
private func reportMoney(_ minorUnits: Int64, _ currency: Currency) -> DecimalText {
    DecimalText(Money.decimalString(minorUnits: minorUnits, currency: currency))
}

extension Components.Schemas.LiquidationReport {
    init(_ report: LiquidationReport, client: String?) {
        let currency = report.currency
        let money = { reportMoney($0, currency) }
        let placed = report.cohorts.reduce(Int64(0)) { $0.addingReportingOverflow($1.placed).partialValue }
        let collected = report.cohorts.reduce(Int64(0)) { $0.addingReportingOverflow($1.collected).partialValue }
        let byAgency = report.cohorts.reduce(Int64(0)) {
            $0.addingReportingOverflow($1.months.last?.collectedByAgency ?? 0).partialValue
        }
        self.init(
            report: .liquidation, asOf: report.asOf.isoString, client: Nullable(client), currency: currency.code,
            placements: report.cohorts.map { cohort in
                .init(
                    month: cohort.placementMonth.isoString, accounts: cohort.accounts, placed: money(cohort.placed),
                    months: cohort.months.map { step in
                        .init(
                            month: step.monthsSincePlacement,
                            calendarMonth: cohort.placementMonth.adding(months: step.monthsSincePlacement).isoString,
                            collected: money(step.collected),
                            percent: Percentage.string(step.collected, of: cohort.placed),
                            collectedByAgency: money(step.collectedByAgency),
                            percentByAgency: Percentage.string(step.collectedByAgency, of: cohort.placed))
                    })
            },
            total: .init(
                accounts: report.cohorts.reduce(0) { $0 + $1.accounts }, placed: money(placed),
                collected: money(collected), percent: Percentage.string(collected, of: placed),
                collectedByAgency: money(byAgency), percentByAgency: Percentage.string(byAgency, of: placed)))
    }
}

extension Components.Schemas.RecoveryReport {
    init(_ report: RecoveryReport, client: String?) {
        let currency = report.currency
        self.init(
            report: .recovery, asOf: report.asOf.isoString, client: Nullable(client), currency: currency.code,
            clients: report.clients.map { client in
                .init(
                    client: client.clientRef, name: client.clientName, placed: reportMoney(client.placed, currency),
                    collected: reportMoney(client.collected, currency),
                    percent: Percentage.string(client.collected, of: client.placed),
                    collectedByAgency: reportMoney(client.collectedByAgency, currency), open: client.open,
                    closed: client.closed)
            })
    }
}

extension Components.Schemas.PromiseKeptFigures {
    init(_ month: PromiseKeptMonth, _ currency: Currency) {
        self.init(
            made: month.made, kept: month.kept, partiallyKept: month.partiallyKept, broken: month.broken,
            pending: month.pending, keptPercent: AgencyReportText.keptPercent(month),
            promised: reportMoney(month.promised, currency), paid: reportMoney(month.paid, currency))
    }
}

extension Components.Schemas.PromiseKeptReport {
    init(_ report: PromiseKeptReport, client: String?) {
        self.init(
            report: .promises, from: report.from.isoString, to: report.to.isoString, asOf: report.asOf.isoString,
            client: Nullable(client), currency: report.currency.code,
            months: report.months.map { month in
                .init(
                    value1: .init(month, report.currency), value2: .init(month: month.month?.isoString ?? ""))
            }, total: .init(report.total, report.currency))
    }
}

extension Components.Schemas.CollectorReport {
    init(_ report: CollectorReport, client: String?) {
        self.init(
            report: .collectors, from: report.from.isoString, to: report.to.isoString, client: Nullable(client),
            currency: report.currency.code, attributionDays: CollectorResult.attributionDays,
            collectors: report.collectors.map { result in
                .init(
                    collector: result.collector, attempts: result.attempts, conversations: result.conversations,
                    promises: result.promises, collected: reportMoney(result.collected, report.currency))
            })
    }
}
