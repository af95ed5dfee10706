import ArgumentParser
import Foundation
import RecoupCore
import RecoupStore

/// `recoup pause --client REF (--debt REF | --debtor REF) --until DATE --reason TEXT`, `recoup pause end ID`,
/// `recoup pause list [--client REF] [--debtor REF]` (docs/strategies.md, "Pauses, exclusions and placements").
struct PauseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pause",
        abstract: "Pause the strategy for a debt or a debtor until a date; end a pause; list pauses.",
        discussion: """
            recoup pause --client REF (--debt REF | --debtor REF) --until DATE --reason TEXT pauses it through DATE; \
            the strategy resumes by itself the day after.
            """,
        subcommands: [PauseSetCommand.self, PauseEndCommand.self, PauseListCommand.self],
        defaultSubcommand: PauseSetCommand.self)

    /// A pause as the commands print it; `inForce` on `today`.
    static func json(_ pause: StrategyPause, today: LocalDate) -> OrderedJSON {
        .object([
            ("id", .integer(pause.id)), ("client", .string(pause.clientRef)), ("debtor", .string(pause.debtorRef)),
            ("debt", pause.debtRef.map { .string($0) } ?? .null), ("until", .string(pause.until.isoString)),
            ("reason", .string(pause.reason)), ("inForce", .bool(pause.isInForce(on: today))),
            ("createdBy", pause.createdBy.map { .string($0) } ?? .null),
            ("createdAt", .string(ISO8601Instant.format(pause.createdAt))),
            ("endedAt", pause.endedAt.map { .string(ISO8601Instant.format($0)) } ?? .null),
            ("endedBy", pause.endedBy.map { .string($0) } ?? .null),
        ])
    }

    /// Pauses as a table for people.
    static func table(_ pauses: [StrategyPause], today: LocalDate) -> String {
        CommandTable.text(
            header: ["id", "client", "debtor", "debt", "until", "in force", "reason"],
            rows: pauses.map { pause in
                [
                    String(pause.id), pause.clientRef, pause.debtorRef, pause.debtRef ?? "(all)", pause.until.isoString,
                    pause.isInForce(on: today) ? "yes" : pause.endedAt == nil ? "no, over" : "no, ended",
                    pause.reason,
                ]
            })
    }
}

/// `recoup pause --client REF (--debt REF | --debtor REF) --until DATE --reason TEXT` (the default of `pause`).
struct PauseSetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set",
        abstract: "Pause the strategy for one debt or all of a debtor's debts through a date (the default of pause).")

    @OptionGroup var client: ClientOption

    @OptionGroup var target: PauseTargetOptions

    @ArgumentParser.Option(
        name: .long, help: .date("The pause's last day, YYYY-MM-DD: today or later, within a year."))
    var until: LocalDate

    @ArgumentParser.Option(name: .long, help: "Why (required, at most 500 characters).")
    var reason: String

    @OptionGroup var businessZone: BusinessZoneOption

    @OptionGroup var databaseOptions: DatabaseOptions

    func run() async throws {
        try target.requireOne()
        let zone = try businessZone.resolve()
        let now = Date()
        let pause = try await withDatabase(databaseOptions) { database in
            try await PauseStore.pause(
                clientRef: client.ref, debtRef: target.debt, debtorRef: target.debtor, until: until, reason: reason,
                by: nil, now: now, zone: zone, on: database.db)
        }
        print(PauseCommand.json(pause, today: LocalDate(now, in: zone)).text)
    }
}

/// `recoup pause end ID`.
struct PauseEndCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "end", abstract: "End a pause now: the strategy resumes at the next run.")

    @ArgumentParser.Argument(help: "The pause's id (from recoup pause or recoup pause list).")
    var id: Int64

    @OptionGroup var businessZone: BusinessZoneOption

    @OptionGroup var databaseOptions: DatabaseOptions

    func run() async throws {
        let zone = try businessZone.resolve()
        let now = Date()
        let pause = try await withDatabase(databaseOptions) { database in
            try await PauseStore.endPause(id: id, by: nil, now: now, on: database.db)
        }
        print(PauseCommand.json(pause, today: LocalDate(now, in: zone)).text)
    }
}

/// `recoup pause list [--client REF] [--debtor REF] [--in-force] [--format json|table]`.
struct PauseListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List pauses, the latest first (every client's without --client).")

    @ArgumentParser.Option(name: .long, help: "Only this client's pauses.")
    var client: String?

    @ArgumentParser.Option(name: .long, help: "Only this debtor's (with --client).")
    var debtor: String?

    @ArgumentParser.Flag(name: .customLong("in-force"), help: "Only the pauses in force today.")
    var inForce = false

    @ArgumentParser.Option(name: .long, help: "json (default) or table.")
    var format = "json"

    @OptionGroup var businessZone: BusinessZoneOption

    @OptionGroup var databaseOptions: DatabaseOptions

    func run() async throws {
        let format = try ListFormat(format)
        if debtor != nil, client == nil {
            throw InputError("--debtor needs --client: a debtor's reference is its client's")
        }
        let zone = try businessZone.resolve()
        let today = LocalDate(Date(), in: zone)
        let pauses = try await withDatabase(databaseOptions) { database in
            try await PauseStore.list(
                clientRef: client, debtorRef: debtor, inForceOn: inForce ? today : nil, on: database.db)
        }
        switch format {
        case .json: print(OrderedJSON.array(pauses.map { PauseCommand.json($0, today: today) }).text)
        case .table: print(PauseCommand.table(pauses, today: today), terminator: "")
        }
    }
}

/// `recoup exclude --client REF [--debtor REF] --reason TEXT`, `recoup exclude end ID`, `recoup exclude list`.
struct ExcludeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exclude",
        abstract: "Leave a debtor, or a whole client, to manual work: no automatic steps; end it; list exclusions.",
        discussion: """
            recoup exclude --client REF [--debtor REF] --reason TEXT excludes the debtor (without --debtor: every \
            debt of the client) from the daily run's automatic steps until recoup exclude end ID.
            """,
        subcommands: [ExcludeSetCommand.self, ExcludeEndCommand.self, ExcludeListCommand.self],
        defaultSubcommand: ExcludeSetCommand.self)

    /// An exclusion as the commands print it.
    static func json(_ exclusion: AutomationExclusion) -> OrderedJSON {
        .object([
            ("id", .integer(exclusion.id)), ("client", .string(exclusion.clientRef)),
            ("debtor", exclusion.debtorRef.map { .string($0) } ?? .null), ("reason", .string(exclusion.reason)),
            ("inForce", .bool(exclusion.isInForce)), ("createdBy", exclusion.createdBy.map { .string($0) } ?? .null),
            ("createdAt", .string(ISO8601Instant.format(exclusion.createdAt))),
            ("endedAt", exclusion.endedAt.map { .string(ISO8601Instant.format($0)) } ?? .null),
            ("endedBy", exclusion.endedBy.map { .string($0) } ?? .null),
        ])
    }
}

/// `recoup exclude --client REF [--debtor REF] --reason TEXT` (the default of `exclude`).
struct ExcludeSetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set", abstract: "Exclude a debtor (or, without --debtor, the whole client) from automatic steps.")

    @OptionGroup var client: ClientOption

    @ArgumentParser.Option(name: .long, help: "The debtor (their reference); without it, every debt of the client.")
    var debtor: String?

    @ArgumentParser.Option(name: .long, help: "Why (required, at most 500 characters).")
    var reason: String

    @OptionGroup var databaseOptions: DatabaseOptions

    func run() async throws {
        let exclusion = try await withDatabase(databaseOptions) { database in
            try await PauseStore.exclude(
                clientRef: client.ref, debtorRef: debtor, reason: reason, by: nil, now: Date(), on: database.db)
        }
        print(ExcludeCommand.json(exclusion).text)
    }
}

/// `recoup exclude end ID`.
struct ExcludeEndCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "end", abstract: "End an exclusion: automatic steps resume at the next run.")

    @ArgumentParser.Argument(help: "The exclusion's id (from recoup exclude or recoup exclude list).")
    var id: Int64

    @OptionGroup var databaseOptions: DatabaseOptions

    func run() async throws {
        let exclusion = try await withDatabase(databaseOptions) { database in
            try await PauseStore.include(id: id, by: nil, now: Date(), on: database.db)
        }
        print(ExcludeCommand.json(exclusion).text)
    }
}

/// `recoup exclude list [--client REF] [--debtor REF] [--in-force] [--format json|table]`.
struct ExcludeListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List exclusions from automatic steps, the latest first.")

    @ArgumentParser.Option(name: .long, help: "Only this client's exclusions.")
    var client: String?

    @ArgumentParser.Option(
        name: .long, help: "Only those covering this debtor (with --client): theirs and the client's.")
    var debtor: String?

    @ArgumentParser.Flag(name: .customLong("in-force"), help: "Only the exclusions in force.")
    var inForce = false

    @ArgumentParser.Option(name: .long, help: "json (default) or table.")
    var format = "json"

    @OptionGroup var databaseOptions: DatabaseOptions

    func run() async throws {
        let format = try ListFormat(format)
        if debtor != nil, client == nil {
            throw InputError("--debtor needs --client: a debtor's reference is its client's")
        }
        let exclusions = try await withDatabase(databaseOptions) { database in
            try await PauseStore.exclusions(
                clientRef: client, debtorRef: debtor, inForceOnly: inForce, on: database.db)
        }
        switch format {
        case .json: print(OrderedJSON.array(exclusions.map(ExcludeCommand.json)).text)
        case .table:
            print(
                CommandTable.text(
                    header: ["id", "client", "debtor", "in force", "reason"],
                    rows: exclusions.map {
                        [
                            String($0.id), $0.clientRef, $0.debtorRef ?? "(whole client)", $0.isInForce ? "yes" : "no",
                            $0.reason,
                        ]
                    }), terminator: "")
        }
    }
}

/// `--debt REF | --debtor REF` for a pause: one debt, or every debt of one debtor.
struct PauseTargetOptions: ParsableArguments {
    @ArgumentParser.Option(name: .long, help: "The debt's reference (invoice number).")
    var debt: String?

    @ArgumentParser.Option(name: .long, help: "Instead of --debt: the debtor's reference, for all of their debts.")
    var debtor: String?

    /// Refuses neither and both.
    func requireOne() throws {
        guard (debt == nil) != (debtor == nil) else { throw InputError("give either --debt or --debtor") }
    }
}

/// `--time-zone Z`: the zone whose calendar says what today is (default UTC).
struct BusinessZoneOption: ParsableArguments {
    @ArgumentParser.Option(name: .customLong("time-zone"), help: "IANA zone of the business calendar (default UTC).")
    var name = "UTC"

    /// The zone; an unknown name is a one-sentence error.
    func resolve() throws -> TimeZone { try TimeZone.named(name) }
}

/// `--format json|table` of a list command.
enum ListFormat {
    case json, table

    init(_ text: String) throws {
        switch text {
        case "json": self = .json
        case "table": self = .table
        default: throw InputError("--format is \"\(text)\"; use json or table")
        }
    }
}

/// A plain-text table: columns padded to their widest cell, two spaces apart, one line per row.
enum CommandTable {
    static func text(header: [String], rows: [[String]]) -> String {
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        return ([header] + rows).map { row in
            row.indices.map { row[$0].padding(toLength: widths[$0], withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces) + "\n"
        }.joined()
    }
}
