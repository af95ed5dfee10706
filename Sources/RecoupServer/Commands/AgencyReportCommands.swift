import ArgumentParser
import Foundation
import RecoupCore
import RecoupStore

/// What every agency report takes: the client, the currency, the calendar and the output.
struct AgencyReportOptions: ParsableArguments {
    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case json, csv
    }

    @Option(name: .long, help: "Only this client's accounts (its reference).")
    var client: String?

    @Option(name: .long, help: "The currency to report (needed when the portfolio holds several).")
    var currency: String?

    @Option(name: .long, help: "IANA zone whose calendar decides today's date (default UTC).")
    var timeZone = "UTC"

    @Option(name: .long, help: "Output: json or csv.")
    var format: OutputFormat = .json

    @OptionGroup var databaseOptions: DatabaseOptions

    func zone() throws -> TimeZone { try TimeZone.named(timeZone) }

    func chosenCurrency() throws -> Currency? { try currency.map { try Currency(code: $0) } }

    /// Today in the zone, for a date the user left out.
    func today() throws -> LocalDate { LocalDate(Date(), in: try zone()) }

    /// Prints the report as JSON or CSV.
    func print(json: OrderedJSON, csv: String) {
        switch format {
        case .json: Swift.print(json.text)
        case .csv: Swift.print(csv, terminator: "")
        }
    }

    /// The period of `--from` and `--to` (`ReportPeriod`'s defaults); one that ends before it starts is refused in
    /// one sentence.
    func period(from: LocalDate?, to: LocalDate?) throws -> (from: LocalDate, to: LocalDate) {
        let period = ReportPeriod.days(from: from, to: to, today: try today())
        guard period.from <= period.to else { throw InputError("--from \(period.from) is after --to \(period.to)") }
        return period
    }

    /// Makes the report on the database and prints it as JSON or CSV.
    func show<Report>(
        _ make: (RecoupDatabase, Currency?) async throws -> Report, json: (Report, String?) -> OrderedJSON,
        csv: (Report) -> String
    ) async throws {
        let currency = try chosenCurrency()
        let report = try await withDatabase(databaseOptions) { database in try await make(database, currency) }
        print(json: json(report, client), csv: csv(report))
    }
}

/// `recoup report liquidation [--client REF] [--as-of DATE] [--format json|csv]`: the stair-step.
struct LiquidationCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "liquidation",
        abstract: "Collected ÷ placed by placement month, cumulative for each month since placement.",
        discussion: """
            For each month accounts were placed with the agency: the accounts and the amount placed (balances at \
            placement), and for month 0 (the placement month), 1, 2, … up to the month of DATE the amount collected \
            on them by that month's end: payments dated from the placement to its close, to the agency and direct to \
            the client, minus their reversals; `collectedByAgency` leaves out the direct payments. See \
            docs/agency-reports.md.
            """)

    @Option(name: .customLong("as-of"), help: .date("Collections through the end of this day (default: today)."))
    var asOf: LocalDate?

    @OptionGroup var options: AgencyReportOptions

    func run() async throws {
        let date = try asOf ?? options.today()
        try await options.show(
            { database, currency in
                try await AgencyReports.liquidation(
                    asOf: date, clientRef: options.client, currency: currency, on: database.sql)
            }, json: { AgencyReportText.json($0, clientRef: $1) }, csv: { AgencyReportText.csv($0) })
    }
}

/// `recoup report recovery [--client REF] [--as-of DATE]`: placed, collected and accounts by client.
struct RecoveryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recovery",
        abstract: "Per client: placed, collected, the recovery percent, placed accounts open and closed.",
        discussion: "Collected is counted as in `recoup report liquidation`. See docs/agency-reports.md.")

    @Option(name: .customLong("as-of"), help: .date("Through the end of this day (default: today)."))
    var asOf: LocalDate?

    @OptionGroup var options: AgencyReportOptions

    func run() async throws {
        let date = try asOf ?? options.today()
        try await options.show(
            { database, currency in
                try await AgencyReports.recovery(
                    asOf: date, clientRef: options.client, currency: currency, on: database.sql)
            }, json: { AgencyReportText.json($0, clientRef: $1) }, csv: { AgencyReportText.csv($0) })
    }
}

/// `recoup report promises [--from DATE --to DATE] [--as-of DATE]`: the promise-kept rate.
struct PromiseReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "promises",
        abstract: "Promises to pay made in a period and how many were kept, by the month made.",
        discussion: """
            Each promise is judged on --as-of as `recoup promise list` judges it: kept when payments from the day it \
            was made to its due date reach the amount; partially kept or broken once the due date has passed; \
            pending before. The kept percent is kept ÷ (kept + partially kept + broken). Default period: the 30 days \
            ending --to (default today); --as-of defaults to today.
            """)

    @Option(name: .long, help: .date("The first day promises were made (default: 29 days before --to)."))
    var from: LocalDate?

    @Option(name: .long, help: .date("The last day promises were made (default: today)."))
    var to: LocalDate?

    @Option(name: .customLong("as-of"), help: .date("The day the promises are judged on (default: today)."))
    var asOf: LocalDate?

    @OptionGroup var options: AgencyReportOptions

    func run() async throws {
        let period = try options.period(from: from, to: to)
        let judgedOn = try asOf ?? options.today()
        try await options.show(
            { database, currency in
                try await AgencyReports.promises(
                    from: period.from, to: period.to, asOf: judgedOn, clientRef: options.client, currency: currency,
                    on: database.sql)
            }, json: { AgencyReportText.json($0, clientRef: $1) }, csv: { AgencyReportText.csv($0) })
    }
}

/// `recoup report collectors [--from DATE --to DATE]`: attempts, conversations, promises and collections per collector.
struct CollectorReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collectors",
        abstract: "Per collector: call attempts, conversations, promises taken and amounts collected in a period.",
        discussion: """
            A collector is the user who recorded the calls. Attempts are outbound calls; conversations are calls \
            with the outcome `conversation`; promises are promises made on a call the day of one of the collector's \
            conversations with the debtor; collected is what the debtor paid in the period (net of reversals) \
            within 30 days after the collector's latest conversation with them. Default period: the 30 days ending \
            --to (default today). See docs/agency-reports.md.
            """)

    @Option(name: .long, help: .date("The period's first day (default: 29 days before --to)."))
    var from: LocalDate?

    @Option(name: .long, help: .date("The period's last day (default: today)."))
    var to: LocalDate?

    @OptionGroup var options: AgencyReportOptions

    func run() async throws {
        let period = try options.period(from: from, to: to)
        let zone = try options.zone()
        try await options.show(
            { database, currency in
                try await AgencyReports.collectors(
                    from: period.from, to: period.to, zone: zone, clientRef: options.client, currency: currency,
                    on: database.sql)
            }, json: { AgencyReportText.json($0, clientRef: $1) }, csv: { AgencyReportText.csv($0) })
    }
}
