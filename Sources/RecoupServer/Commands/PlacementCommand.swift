import ArgumentParser
import Foundation
import RecoupCore
import RecoupStore

/// `recoup placement create|recall|list|file`: debts handed to a collection agency (docs/strategies.md, "Pauses,
/// exclusions and placements").
struct PlacementCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "placement",
        abstract: "Place debts with a collection agency (and write its placement file), recall them, list them.",
        subcommands: [
            PlacementCreateCommand.self, PlacementRecallCommand.self, PlacementListCommand.self,
            PlacementFileCommand.self, PlacementImportCommand.self, PlacementCloseCommand.self,
            PlacementAccountsCommand.self,
        ])

    /// A placement as the commands print it.
    static func json(_ placement: Placement) -> OrderedJSON {
        .object([
            ("id", .integer(placement.id)), ("client", .string(placement.clientRef)),
            ("debt", .string(placement.debtRef)), ("debtor", .string(placement.debtorRef)),
            ("agency", .string(placement.agency)), ("placedOn", .string(placement.placedOn.isoString)),
            (
                "balanceAtPlacement",
                .string(Money.decimalString(minorUnits: placement.balanceAtPlacement, currency: placement.currency))
            ),
            ("currency", .string(placement.currency.code)),
            ("contingencyPercent", placement.contingencyPercent.map { .string($0) } ?? .null),
            ("inForce", .bool(placement.isInForce)),
            ("recalledOn", placement.recalledOn.map { .string($0.isoString) } ?? .null),
            ("recalledBy", placement.recalledBy.map { .string($0) } ?? .null),
            ("recallReason", placement.recallReason.map { .string($0) } ?? .null),
            ("file", placement.filePath.map { .string($0) } ?? .null),
            ("createdBy", placement.createdBy.map { .string($0) } ?? .null),
            ("createdAt", .string(ISO8601Instant.format(placement.createdAt))),
        ])
    }
}

/// `recoup placement create --client REF --debt REF --agency NAME [--on DATE] [--rate PERCENT]`.
struct PlacementCreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Place a debt with an agency and write the agency's placement file for the day.",
        discussion: """
            The file, in the recoup import layout, goes to RECOUP_PLACEMENTS_DIR, else to placements/ beside the \
            SQLite database (for PostgreSQL, in the working directory): AGENCY-CLIENT-YYYY-MM-DD.csv, with every debt \
            of the client placed with the agency that day.
            """)

    @OptionGroup var client: ClientOption

    @OptionGroup var debt: DebtOption

    @ArgumentParser.Option(
        name: .long, help: "The agency (letters, digits, dots, dashes, underscores: acme-collections).")
    var agency: String

    @ArgumentParser.Option(name: .customLong("on"), help: .date("The placement's date, YYYY-MM-DD (default today)."))
    var placedOn: LocalDate?

    @ArgumentParser.Option(name: .long, help: "The agency's contingency rate, a percent from 0 to 100 (25, 33.5).")
    var rate: String?

    @OptionGroup var businessZone: BusinessZoneOption

    @OptionGroup var databaseOptions: DatabaseOptions

    func run() async throws {
        let zone = try businessZone.resolve()
        let now = Date()
        let day = placedOn ?? LocalDate(now, in: zone)
        let configuration = try databaseOptions.configuration()
        let directory = PlacementsDirectory.resolve(store: configuration)
        let placement = try await withDatabase(databaseOptions) { database in
            var placement = try await PlacementStore.place(
                clientRef: client.ref, debtRef: debt.ref, agency: agency, placedOn: day, contingencyPercent: rate,
                by: nil, now: now, zone: zone, on: database.db)
            do {
                let file = try await PlacementFile.write(
                    agency: placement.agency, clientRef: placement.clientRef, placedOn: placement.placedOn,
                    directory: directory, on: database.db)
                placement.filePath = file.path
            } catch {
                throw PlacementFileNotWritten(placement: placement, directory: directory, reason: error)
            }
            return placement
        }
        print(PlacementCommand.json(placement).text)
    }
}

/// `recoup placement recall --client REF --debt REF [--on DATE] --reason TEXT`.
struct PlacementRecallCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recall",
        abstract: "Recall a debt: from the agency it was placed with, or (an agency) return a client's account.",
        discussion: """
            When the debt is an account a client placed with this agency (`placement import`), the placement is \
            closed with reason code recalled and the day's return file is written; otherwise the debt's own \
            placement with an outside agency is recalled and the client's strategy takes it back.
            """)

    @OptionGroup var client: ClientOption

    @OptionGroup var debt: DebtOption

    @ArgumentParser.Option(name: .customLong("on"), help: .date("The recall's date, YYYY-MM-DD (default today)."))
    var recalledOn: LocalDate?

    @ArgumentParser.Option(
        name: .long,
        help: "Why (at most 500 characters; required to recall from an outside agency, a note on an agency's return).")
    var reason: String?

    @OptionGroup var businessZone: BusinessZoneOption

    @OptionGroup var databaseOptions: DatabaseOptions

    func run() async throws {
        let zone = try businessZone.resolve()
        let now = Date()
        let placedHere = try await withDatabase(databaseOptions) { database in
            try await PlacementIntake.isOpen(clientRef: client.ref, debtRef: debt.ref, on: database.db)
        }
        if placedHere {
            try await PlacementReturns.close(
                client: client.ref, debt: debt.ref, reason: .recalled, note: reason, on: recalledOn, zone: zone,
                databaseOptions: databaseOptions)
            return
        }
        guard let reason else { throw InputError("a recall from an agency needs --reason: say why") }
        let placement = try await withDatabase(databaseOptions) { database in
            try await PlacementStore.recall(
                clientRef: client.ref, debtRef: debt.ref, recalledOn: recalledOn ?? LocalDate(now, in: zone),
                reason: reason, by: nil, now: now, zone: zone, on: database.db)
        }
        print(PlacementCommand.json(placement).text)
    }
}

/// `recoup placement list [--client REF] [--agency NAME] [--in-force] [--format json|table]`.
struct PlacementListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List placements, the latest placed first (every client's without --client).")

    @ArgumentParser.Option(name: .long, help: "Only this client's placements.")
    var client: String?

    @ArgumentParser.Option(name: .long, help: "Only this agency's placements.")
    var agency: String?

    @ArgumentParser.Flag(name: .customLong("in-force"), help: "Only the placements not recalled.")
    var inForce = false

    @ArgumentParser.Option(name: .long, help: "json (default) or table.")
    var format = "json"

    @OptionGroup var databaseOptions: DatabaseOptions

    func run() async throws {
        let format = try ListFormat(format)
        let placements = try await withDatabase(databaseOptions) { database in
            try await PlacementStore.list(
                scope: .all, clientRef: client, agency: agency, inForceOnly: inForce, on: database.db)
        }
        switch format {
        case .json: print(OrderedJSON.array(placements.map(PlacementCommand.json)).text)
        case .table:
            print(
                CommandTable.text(
                    header: ["id", "client", "debt", "agency", "placed on", "balance", "rate", "recalled"],
                    rows: placements.map {
                        [
                            String($0.id), $0.clientRef, $0.debtRef, $0.agency, $0.placedOn.isoString,
                            Money.displayString(minorUnits: $0.balanceAtPlacement, currency: $0.currency),
                            $0.contingencyPercent.map { "\($0)%" } ?? "-", $0.recalledOn?.isoString ?? "no",
                        ]
                    }), terminator: "")
        }
    }
}

/// `recoup placement file --agency NAME --on DATE [--client REF]`: writes the day's placement files again.
struct PlacementFileCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "file",
        abstract: "Write an agency's placement files for a day again (one per client; after the daily run, say).")

    @ArgumentParser.Option(name: .long, help: "The agency.")
    var agency: String

    @ArgumentParser.Option(name: .customLong("on"), help: .date("The placement date, YYYY-MM-DD."))
    var placedOn: LocalDate

    @ArgumentParser.Option(name: .long, help: "Only this client's file.")
    var client: String?

    @OptionGroup var databaseOptions: DatabaseOptions

    func run() async throws {
        let directory = PlacementsDirectory.resolve(store: try databaseOptions.configuration())
        let agency = try PlacementStore.checkedAgency(self.agency)
        let files = try await withDatabase(databaseOptions) { database in
            if let client {
                return [
                    try await PlacementFile.write(
                        agency: agency, clientRef: client, placedOn: placedOn, directory: directory, on: database.db)
                ]
            }
            return try await PlacementFile.writeFiles(
                agency: agency, placedOn: placedOn, directory: directory, on: database.db)
        }
        guard !files.isEmpty else {
            throw InputError("nothing is placed with \(agency) on \(placedOn.isoString)")
        }
        print(OrderedJSON.object([("files", .array(files.map { .string($0.path) }))]).text)
    }
}

/// The placement is stored but its file could not be written (a directory that cannot be made, a full disk).
struct PlacementFileNotWritten: Error, CustomStringConvertible, LocalizedError {
    var placement: Placement
    var directory: URL
    var reason: any Error

    var description: String {
        "debt \"\(placement.debtRef)\" is placed with \(placement.agency) (placement \(placement.id)), but its file could "
            + "not be written in \(directory.path): \(reason); write it with recoup placement file --agency "
            + "\(placement.agency) --on \(placement.placedOn.isoString) --client \(placement.clientRef)"
    }

    var errorDescription: String? { description }
}

/// Where placement files are written: `RECOUP_PLACEMENTS_DIR`, else `placements/` beside the SQLite database file,
/// else (PostgreSQL, or SQLite in memory) `placements/` in the working directory.
enum PlacementsDirectory {
    static let variable = "RECOUP_PLACEMENTS_DIR"

    static func resolve(
        store: StoreConfiguration, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> URL {
        OutputDirectory.resolve(variable: variable, name: "placements", store: store, environment: environment)
    }
}

/// A folder Recoup writes files into: the environment's `variable` when set, else `name/` beside the SQLite database
/// file, else (PostgreSQL, or SQLite in memory) `name/` in the working directory.
enum OutputDirectory {
    static func resolve(
        variable: String, name: String, store: StoreConfiguration,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> URL {
        if let path = environment[variable], !path.isEmpty {
            return URL(fileURLWithPath: path, isDirectory: true).standardizedFileURL
        }
        switch store {
        case .sqliteFile(let path):
            return URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent(
                name, isDirectory: true
            ).standardizedFileURL
        case .sqliteMemory, .postgres:
            return URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
                .appendingPathComponent(name, isDirectory: true).standardizedFileURL
        }
    }
}
