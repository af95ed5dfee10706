import ArgumentParser
import Foundation
import RecoupCore
import RecoupStore

/// `recoup report …`: reports.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Portfolio reports.",
        subcommands: [
            AgingCommand.self, LiquidationCommand.self, RecoveryCommand.self, PromiseReportCommand.self,
            CollectorReportCommand.self,
        ])
}

/// `recoup report aging [--as-of DATE] [--time-zone Z] [--format json|csv|table] [--client REF] [--currency C]`.
struct AgingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aging",
        abstract: "Open debts by days past due at the end of a date.",
        discussion: """
            A debt is open at the end of DATE if it was charged on or before DATE and its balance then is above \
            zero. Days past due = DATE − due date; buckets current (≤ 0), 1-30, 31-60, 61-90, 91+. Without \
            --as-of, DATE is today in --time-zone.
            """)

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case json, csv, table
    }

    @Option(
        name: .customLong("as-of"),
        help: .date("The day to report on, through its end (default: today in --time-zone)."))
    var asOf: LocalDate?

    @Option(name: .long, help: "IANA zone whose calendar decides today's date (default UTC).")
    var timeZone = "UTC"

    @Option(name: .long, help: "Output: json, csv or table.")
    var format: OutputFormat = .json

    @Option(name: .long, help: "Only this client's debts.")
    var client: String?

    @Option(name: .long, help: "The currency to report (needed when the portfolio holds several).")
    var currency: String?

    @OptionGroup var databaseOptions: DatabaseOptions

    func run() async throws {
        let zone = try TimeZone.named(timeZone)
        let date = asOf ?? LocalDate(Date(), in: zone)
        let chosenCurrency = try currency.map { try Currency(code: $0) }
        let report = try await withDatabase(databaseOptions) { database in
            try await AgingQuery.report(asOf: date, clientRef: client, currency: chosenCurrency, on: database.sql)
        }
        switch format {
        case .json:
            print(AgingReportDocument(report).orderedJSON.text)
        case .csv: print(AgingReportText.csv(report), terminator: "")
        case .table: print(AgingReportText.table(report), terminator: "")
        }
    }
}
