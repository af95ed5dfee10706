import ArgumentParser
import Foundation
import RecoupCore
import RecoupStore

/// `recoup segment refresh|show`: the kind of late payer each debt's debtor is (docs/segments.md).
struct SegmentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "segment", abstract: "Work out debts' segments (hardship, avoider, new, disputed, unreachable).",
        subcommands: [SegmentRefreshCommand.self, SegmentShowCommand.self])
}

/// `recoup segment refresh [--as-of DATE] [--time-zone Z]`: segments every debt and stores it for list filters.
struct SegmentRefreshCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "refresh",
        abstract: "Segment every debt as of a date and store the result for list filters; run it daily.")

    @OptionGroup var day: SegmentDayOptions

    @OptionGroup var databaseOptions: DatabaseOptions

    func run() async throws {
        let (date, zone) = try day.resolve()
        let counts = try await withDatabase(databaseOptions) { database in
            try await SegmentStore.refresh(asOf: date, zone: zone, on: database.db, now: Date())
        }
        print(
            OrderedJSON.object([
                ("asOf", .string(date.isoString)), ("debts", .integer(Int64(counts.values.reduce(0, +)))),
                ("segments", .object(Segment.allCases.map { ($0.rawValue, .integer(Int64(counts[$0] ?? 0))) })),
            ]).text)
    }
}

/// `recoup segment show --client C --debt D [--as-of DATE]`: one debt's segment and why, worked out now.
struct SegmentShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show one debt's segment and the reasons for it.")

    @OptionGroup var client: ClientOption

    @OptionGroup var debt: DebtOption

    @OptionGroup var day: SegmentDayOptions

    @OptionGroup var databaseOptions: DatabaseOptions

    func run() async throws {
        let (date, zone) = try day.resolve()
        let decision = try await withDatabase(databaseOptions) { database in
            try await SegmentStore.decision(
                clientRef: client.ref, debtRef: debt.ref, asOf: date, zone: zone, on: database.db)
        }
        print(
            OrderedJSON.object([
                ("client", .string(client.ref)), ("debt", .string(debt.ref)), ("asOf", .string(date.isoString)),
                ("segment", .string(decision.segment.rawValue)),
                ("reasons", .array(decision.reasons.map { .string($0) })),
            ]).text)
    }
}

/// `--as-of DATE` and `--time-zone Z`, shared by the segment commands: unlike `AsOfOption`, the day is optional.
struct SegmentDayOptions: ParsableArguments {
    @ArgumentParser.Option(
        name: .customLong("as-of"), help: .date("The day to segment on, YYYY-MM-DD (default: today in --time-zone)."))
    var asOf: LocalDate?

    @ArgumentParser.Option(name: .long, help: "IANA zone of the business calendar (default UTC).")
    var timeZone = "UTC"

    /// The day and the zone; an unknown zone is a one-sentence error.
    func resolve() throws -> (LocalDate, TimeZone) {
        let zone = try TimeZone.named(timeZone)
        return (asOf ?? LocalDate(Date(), in: zone), zone)
    }
}
