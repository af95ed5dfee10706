import Foundation
import RecoupCore
import RecoupStore
import SQLKit
import Vapor

/// The agency reports as pages (`/reports/liquidation`, `/reports/recovery`, `/reports/promises`,
/// `/reports/collectors`): a filter, a chart drawn on the server, the table, and the same figures as CSV with
/// `?format=csv`. Every query runs in the signed-in user's client scope: a client's staff see their own client only,
/// and asking for another client answers 404, as a missing one does.
struct AgencyReportPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("reports", "liquidation", use: liquidation)
        routes.get("reports", "recovery", use: recovery)
        routes.get("reports", "promises", use: promises)
        routes.get("reports", "collectors", use: collectors)
    }

    /// The reports, in the order of the links between them.
    static let reports: [(path: String, label: String)] = [
        ("liquidation", "Liquidation"), ("recovery", "Recovery by client"), ("promises", "Promises kept"),
        ("collectors", "Collectors"),
    ]

    struct Link: Encodable {
        var label: String
        var href: String
        var isCurrent: Bool
    }

    struct DateField: Encodable {
        var name: String
        var label: String
        var value: String
    }

    struct Cell: Encodable {
        var text: String
        /// The column's name, shown beside the value when the table stacks on a narrow screen.
        var label: String
        var isNumber: Bool
    }

    struct Row: Encodable {
        var cells: [Cell]
    }

    struct Context: Encodable {
        var title: String
        var path: String
        var lede: String
        var definitions: [String]
        var links: [Link]
        var showClient: Bool
        var clients: [DebtPagesController.Choice]
        var fields: [DateField]
        var currency: String
        var csvLink: String
        var chart: ReportChart
        var caption: String
        var headers: [String]
        var rows: [Row]
        var message: String?
    }

    /// The query: `client`, `currency`, the dates the report takes, and `format` (`html`, the default, or `csv`).
    struct Parameters {
        var clientRef: String?
        var currency: Currency?
        var dates: [String: LocalDate] = [:]
        var isCSV: Bool

        init(request: Request, dates names: [String]) throws {
            do {
                clientRef = request.query[String.self, at: "client"].flatMap { $0.isEmpty ? nil : $0 }
                currency = try request.query[String.self, at: "currency"].flatMap {
                    $0.isEmpty ? nil : try Currency(code: $0)
                }
                for name in names {
                    if let text = request.query[String.self, at: name], !text.isEmpty {
                        dates[name] = try LocalDate(iso: text)
                    }
                }
                switch request.query[String.self, at: "format"] ?? "html" {
                case "html", "": isCSV = false
                case "csv": isCSV = true
                case let other: throw InputError("format is \"\(other)\"; choose html or csv")
                }
            } catch {
                throw Abort(.badRequest, reason: "\(error)")
            }
        }

        /// The query string of the same report as CSV.
        func csvQuery(dates shown: [(String, LocalDate)]) -> String {
            var items = [URLQueryItem]()
            if let clientRef { items.append(URLQueryItem(name: "client", value: clientRef)) }
            if let currency { items.append(URLQueryItem(name: "currency", value: currency.code)) }
            for (name, date) in shown { items.append(URLQueryItem(name: name, value: date.isoString)) }
            items.append(URLQueryItem(name: "format", value: "csv"))
            var components = URLComponents()
            components.queryItems = items
            return components.percentEncodedQuery ?? "format=csv"
        }
    }

    // MARK: Liquidation

    @Sendable
    func liquidation(request: Request) async throws -> Response {
        let parameters = try Parameters(request: request, dates: ["asOf"])
        let asOf = parameters.dates["asOf"] ?? request.application.settings.today
        let report = try await AgencyReports.liquidation(
            asOf: asOf, clientRef: parameters.clientRef, currency: parameters.currency, scope: request.scope,
            on: request.db as! any SQLDatabase)
        if parameters.isCSV {
            return Self.csv(AgencyReportText.csv(report), name: "liquidation-\(asOf.isoString)")
        }
        let currency = report.currency
        let money = { (units: Int64) in Money.displayString(minorUnits: units, currency: currency) }
        let longest = report.cohorts.map(\.months.count).max() ?? 0
        // The table shows up to 12 months since placement; the CSV has them all.
        let shown = min(longest, 12)
        let headers =
            ["Placed in", "Accounts", "Placed"] + (0..<shown).map { "Month \($0)" } + ["Collected", "By the agency"]
        let rows = report.cohorts.map { cohort in
            Row(
                cells: [
                    Cell(text: cohort.placementMonth.isoString, label: headers[0], isNumber: false),
                    Cell(text: String(cohort.accounts), label: headers[1], isNumber: true),
                    Cell(text: money(cohort.placed), label: headers[2], isNumber: true),
                ]
                    + (0..<shown).map { offset in
                        let text =
                            offset < cohort.months.count
                            ? Percentage.string(cohort.months[offset].collected, of: cohort.placed) + "%" : ""
                        return Cell(text: text, label: headers[3 + offset], isNumber: true)
                    }
                    + [
                        Cell(
                            text: money(cohort.collected) + " ("
                                + Percentage.string(cohort.collected, of: cohort.placed) + "%)",
                            label: "Collected", isNumber: true),
                        Cell(
                            text: money(cohort.months.last?.collectedByAgency ?? 0), label: "By the agency",
                            isNumber: true),
                    ])
        }
        return try await render(
            request, path: "liquidation", title: "Liquidation by placement month",
            lede: "Collected ÷ placed at the end of \(TimeDisplay.date(asOf)), cumulative, by months since placement.",
            definitions: [
                "Placed: the balances of the accounts placed in the month, when they were placed.",
                "Collected: payments on those accounts dated from their placement to its close, to the agency and "
                    + "direct to the client alike, minus the reversals of those payments. “By the agency” leaves "
                    + "out the direct payments.",
            ],
            parameters: parameters, fields: [DateField(name: "asOf", label: "As of", value: asOf.isoString)],
            csvDates: [("asOf", asOf)], currency: currency, chart: .liquidation(report),
            caption: "Collected ÷ placed by month since placement, amounts in \(currency.code)", headers: headers,
            rows: rows, message: report.cohorts.isEmpty ? "No account was placed by \(asOf.isoString)." : nil)
    }

    // MARK: Recovery

    @Sendable
    func recovery(request: Request) async throws -> Response {
        let parameters = try Parameters(request: request, dates: ["asOf"])
        let asOf = parameters.dates["asOf"] ?? request.application.settings.today
        let report = try await AgencyReports.recovery(
            asOf: asOf, clientRef: parameters.clientRef, currency: parameters.currency, scope: request.scope,
            on: request.db as! any SQLDatabase)
        if parameters.isCSV { return Self.csv(AgencyReportText.csv(report), name: "recovery-\(asOf.isoString)") }
        let currency = report.currency
        let money = { (units: Int64) in Money.displayString(minorUnits: units, currency: currency) }
        let headers = ["Client", "Placed", "Collected", "Recovery", "By the agency", "Open", "Closed"]
        let rows = report.clients.map { client in
            Row(
                cells: zip(
                    headers,
                    [
                        client.clientName, money(client.placed), money(client.collected),
                        Percentage.string(client.collected, of: client.placed) + "%", money(client.collectedByAgency),
                        String(client.open), String(client.closed),
                    ]
                ).enumerated().map { index, pair in Cell(text: pair.1, label: pair.0, isNumber: index > 0) })
        }
        let chart = ReportChart.bars(
            title: "Recovery percent by client",
            rows: report.clients.map {
                (
                    $0.clientName, Percentage.hundredths($0.collected, of: $0.placed) ?? 0,
                    Percentage.string($0.collected, of: $0.placed) + "% of " + money($0.placed)
                )
            }, maximum: 10_000)
        return try await render(
            request, path: "recovery", title: "Recovery by client",
            lede: "What each client placed and what was collected on it by the end of \(TimeDisplay.date(asOf)).",
            definitions: [
                "Collected is counted as on the liquidation report: payments to the agency and direct to the client, "
                    + "net of reversals, from each placement to its close.",
                "Open: placed accounts not closed at the end of the day; closed: returned, recalled or paid and closed.",
            ],
            parameters: parameters, fields: [DateField(name: "asOf", label: "As of", value: asOf.isoString)],
            csvDates: [("asOf", asOf)], currency: currency, chart: chart,
            caption: "Recovery by client, amounts in \(currency.code)", headers: headers, rows: rows,
            message: report.clients.isEmpty ? "No account was placed by \(asOf.isoString)." : nil)
    }

    // MARK: Promises

    @Sendable
    func promises(request: Request) async throws -> Response {
        let parameters = try Parameters(request: request, dates: ["from", "to", "asOf"])
        let today = request.application.settings.today
        let (from, to) = try Self.period(parameters, today: today)
        let asOf = parameters.dates["asOf"] ?? today
        let report = try await AgencyReports.promises(
            from: from, to: to, asOf: asOf, clientRef: parameters.clientRef, currency: parameters.currency,
            scope: request.scope, on: request.db as! any SQLDatabase)
        if parameters.isCSV {
            return Self.csv(AgencyReportText.csv(report), name: "promises-\(from.isoString)-\(to.isoString)")
        }
        let currency = report.currency
        let money = { (units: Int64) in Money.displayString(minorUnits: units, currency: currency) }
        let headers = ["Made in", "Made", "Kept", "Partly kept", "Broken", "Pending", "Kept rate", "Promised", "Paid"]
        let rows = (report.months + (report.months.isEmpty ? [] : [report.total])).map { month in
            Row(
                cells: zip(
                    headers,
                    [
                        month.month?.isoString ?? "Total", String(month.made), String(month.kept),
                        String(month.partiallyKept), String(month.broken), String(month.pending),
                        AgencyReportText.keptPercent(month) + "%", money(month.promised), money(month.paid),
                    ]
                ).enumerated().map { index, pair in Cell(text: pair.1, label: pair.0, isNumber: index > 0) })
        }
        return try await render(
            request, path: "promises", title: "Promises kept",
            lede: "Promises to pay made from \(TimeDisplay.date(from)) to \(TimeDisplay.date(to)), judged on "
                + "\(TimeDisplay.date(asOf)).",
            definitions: [
                "Kept: payments from the day the promise was made to its due date reached the amount (the rule of the "
                    + "promise list). Partly kept or broken: the due date passed with some or nothing paid. Pending: "
                    + "not yet due.",
                "Kept rate: kept ÷ (kept + partly kept + broken); pending promises are left out until decided.",
            ],
            parameters: parameters,
            fields: [
                DateField(name: "from", label: "Made from", value: from.isoString),
                DateField(name: "to", label: "to", value: to.isoString),
                DateField(name: "asOf", label: "Judged on", value: asOf.isoString),
            ], csvDates: [("from", from), ("to", to), ("asOf", asOf)], currency: currency,
            chart: .promises(report), caption: "Promises by the month made, amounts in \(currency.code)",
            headers: headers, rows: rows, message: report.months.isEmpty ? "No promise was made in the period." : nil)
    }

    // MARK: Collectors

    @Sendable
    func collectors(request: Request) async throws -> Response {
        let parameters = try Parameters(request: request, dates: ["from", "to"])
        let settings = request.application.settings
        let (from, to) = try Self.period(parameters, today: settings.today)
        let report = try await AgencyReports.collectors(
            from: from, to: to, zone: settings.businessTimeZone, clientRef: parameters.clientRef,
            currency: parameters.currency, scope: request.scope, on: request.db as! any SQLDatabase)
        if parameters.isCSV {
            return Self.csv(AgencyReportText.csv(report), name: "collectors-\(from.isoString)-\(to.isoString)")
        }
        let currency = report.currency
        let headers = ["Collector", "Attempts", "Conversations", "Promises", "Collected"]
        let rows = report.collectors.map { result in
            Row(
                cells: zip(
                    headers,
                    [
                        result.collector, String(result.attempts), String(result.conversations),
                        String(result.promises), Money.displayString(minorUnits: result.collected, currency: currency),
                    ]
                ).enumerated().map { index, pair in Cell(text: pair.1, label: pair.0, isNumber: index > 0) })
        }
        return try await render(
            request, path: "collectors", title: "Collectors",
            lede: "Calls, conversations, promises and collections from \(TimeDisplay.date(from)) to "
                + "\(TimeDisplay.date(to)).",
            definitions: [
                "Attempts: outbound calls the collector recorded. Conversations: calls (either way) that reached the "
                    + "debtor.",
                "Promises: promises made on a call the day of one of the collector's conversations with the debtor.",
                "Collected: what the debtor paid in the period, net of reversals, within "
                    + "\(CollectorResult.attributionDays) days after the collector's latest conversation with them "
                    + "(each payment counts for one collector at most).",
            ],
            parameters: parameters,
            fields: [
                DateField(name: "from", label: "From", value: from.isoString),
                DateField(name: "to", label: "to", value: to.isoString),
            ], csvDates: [("from", from), ("to", to)], currency: currency, chart: .collectors(report),
            caption: "Collector results, amounts in \(currency.code)", headers: headers, rows: rows,
            message: report.collectors.isEmpty ? "No call was recorded in the period." : nil)
    }

    // MARK: Parts

    /// `from` and `to`, defaulting to the 30 days ending today; `from` after `to` is a bad request.
    static func period(_ parameters: Parameters, today: LocalDate) throws -> (LocalDate, LocalDate) {
        let (from, to) = ReportPeriod.days(from: parameters.dates["from"], to: parameters.dates["to"], today: today)
        guard from <= to else { throw Abort(.badRequest, reason: "from (\(from)) is after to (\(to))") }
        return (from, to)
    }

    static func csv(_ text: String, name: String) -> Response {
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(name).csv\"")
        return Response(status: .ok, headers: headers, body: .init(string: text))
    }

    func render(
        _ request: Request, path: String, title: String, lede: String, definitions: [String],
        parameters: Parameters, fields: [DateField], csvDates: [(String, LocalDate)], currency: Currency,
        chart: ReportChart, caption: String, headers: [String], rows: [Row], message: String?
    ) async throws -> Response {
        let context = Context(
            title: title, path: path, lede: lede, definitions: definitions,
            links: Self.reports.map {
                Link(label: $0.label, href: "/reports/\($0.path)", isCurrent: $0.path == path)
            },
            showClient: request.scope == .all,
            clients: try await DebtPagesController.clientChoices(request, selected: parameters.clientRef ?? ""),
            fields: fields, currency: currency.code,
            csvLink: "/reports/\(path)?" + parameters.csvQuery(dates: csvDates), chart: chart, caption: caption,
            headers: headers, rows: rows, message: message)
        return try await request.view.render("agency-report", context).encodeResponse(for: request)
    }
}
