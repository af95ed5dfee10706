import ArgumentParser
import Foundation
import RecoupCore
import RecoupStore

/// `recoup agency contract --client REF [FILE.json]`: a client's contract with the agency (docs/agency.md).
struct AgencyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agency", abstract: "The agency's contracts with its clients.",
        subcommands: [AgencyContractCommand.self])
}

struct AgencyContractCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "contract",
        abstract: "Set a client's contract from a JSON file (a new version), or show the one in force.",
        discussion: """
            {"remittance": "net"|"gross", "directPaymentCommission": true, "rates": [{"upToDaysAtPlacement": 180, \
            "percent": "25"}, {"percent": "35"}], "freeDemand": {"days": 30, "percent": "0"}, "schedule": \
            "monthly", "remitWithinDaysAfterMonth": 30, "holdDays": 0}. Rates are tried in order; the last has no \
            limits. A new contract prices new placements only.
            """)

    @OptionGroup var client: ClientOption

    @Argument(help: "The contract (JSON); without it, the contract in force is shown.")
    var file: String?

    @OptionGroup var databaseOptions: DatabaseOptions

    func run() async throws {
        guard let file else {
            let stored = try await withDatabase(databaseOptions) { database in
                try await AgencyStore.contract(clientRef: client.ref, on: database.db)
            }
            guard let stored else { throw InputError("\(client.ref) has no agency contract yet") }
            print(AgencyJSON.json(stored).text)
            return
        }
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: file)) } catch {
            throw InputError("cannot read \(file): \(error.localizedDescription)")
        }
        let contract = try AgencyJSON.contract(from: data)
        let by = ProcessInfo.processInfo.environment["USER"].map { "cli:\($0)" } ?? "cli"
        let result = try await withDatabase(databaseOptions) { database in
            try await AgencyStore.save(contract, clientRef: client.ref, by: by, now: Date(), on: database.db)
        }
        print(AgencyJSON.json(result.contract, saved: result.saved).text)
    }
}

/// `recoup remittance close|list|show`: statements of what the agency collected and what is due (docs/agency.md).
struct RemittanceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remittance", abstract: "Close remittance statements, list them, show or export one.",
        subcommands: [RemittanceCloseCommand.self, RemittanceListCommand.self, RemittanceShowCommand.self])
}

/// `--format json|table`.
struct JSONOrTableOption: ParsableArguments {
    @ArgumentParser.Option(name: .long, help: "json (default) or table.")
    var format: String = "json"

    var isTable: Bool {
        get throws {
            switch format {
            case "json": return false
            case "table": return true
            default: throw InputError("--format is \"\(format)\"; use json or table")
            }
        }
    }
}

struct RemittanceCloseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "close",
        abstract: "Close the client's statement through a day: every trust movement up to it not yet on a statement.",
        discussion: """
            A second close of the same day creates nothing and prints the statement again ("created": false).
            """)

    @OptionGroup var client: ClientOption

    @ArgumentParser.Option(name: .long, help: .date("The last day the statement covers."))
    var through: LocalDate

    @ArgumentParser.Option(name: .long, help: "The currency, when the client has money in several.")
    var currency: String?

    @OptionGroup var format: JSONOrTableOption

    @OptionGroup var databaseOptions: DatabaseOptions

    func run() async throws {
        let table = try format.isTable
        let code = try currency.map { try Currency(code: $0) }
        let by = ProcessInfo.processInfo.environment["USER"].map { "cli:\($0)" } ?? "cli"
        let result = try await withDatabase(databaseOptions) { database in
            try await TrustStore.close(
                clientRef: client.ref, through: through, currency: code, by: by, now: Date(), on: database.db)
        }
        if table {
            print(RemittanceCommand.table(result.statement), terminator: "")
            if !result.created { print("(closed before: nothing new)") }
        } else {
            print(AgencyJSON.json(result.statement, created: result.created).text)
        }
    }
}

extension RemittanceCommand {
    /// A statement for people: its figures, one a line.
    static func table(_ statement: RemittanceStatement) -> String {
        let rows = RemittanceDocuments.figureRows(statement)
        let width = rows.map(\.label.count).max() ?? 0
        var text =
            "Statement \(statement.id): \(statement.clientRef) through \(statement.through.isoString) "
            + "(\(statement.method.rawValue), \(statement.lines) lines)\n"
        for row in rows {
            text += row.label.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + row.amount + "\n"
        }
        return text
    }
}

struct RemittanceListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List statements, the latest first (every client's without --client).")

    @ArgumentParser.Option(name: .long, help: "Only this client's statements.")
    var client: String?

    @OptionGroup var databaseOptions: DatabaseOptions

    func run() async throws {
        let statements = try await withDatabase(databaseOptions) { database in
            try await TrustStore.statements(clientRef: client, scope: .all, on: database.db)
        }
        print(OrderedJSON.array(statements.map { AgencyJSON.json($0) }).text)
    }
}

struct RemittanceShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a statement (json), or write its CSV (one line per payment) or PDF.")

    @Argument(help: "The statement's id.")
    var id: Int64

    @ArgumentParser.Option(name: .long, help: "json (default), csv or pdf.")
    var format: String = "json"

    @ArgumentParser.Option(name: .long, help: "Write to this file instead of standard output (needed for pdf).")
    var output: String?

    @OptionGroup var databaseOptions: DatabaseOptions

    func run() async throws {
        guard ["json", "csv", "pdf"].contains(format) else {
            throw InputError("--format is \"\(format)\"; use json, csv or pdf")
        }
        if format == "pdf" && output == nil { throw InputError("a PDF needs --output FILE") }
        let (statement, lines, agency) = try await withDatabase(databaseOptions) { database in
            guard let statement = try await TrustStore.statement(id: id, scope: .all, on: database.db) else {
                throw InputError("there is no statement \(id)")
            }
            let lines = try await TrustStore.lines(statementID: id, scope: .all, on: database.db)
            let terms = try await AccrualStore.terms(clientRef: statement.clientRef, on: database.db)
            return (statement, lines, terms.terms.collectorName ?? "The agency")
        }
        let bytes: [UInt8]
        switch format {
        case "csv": bytes = Array(RemittanceDocuments.csv(statement, lines: lines).utf8)
        case "pdf": bytes = RemittanceDocuments.pdf(statement, lines: lines, agency: agency)
        default: bytes = Array((AgencyJSON.json(statement).text + "\n").utf8)
        }
        if let output {
            do { try Data(bytes).write(to: URL(fileURLWithPath: output), options: .atomic) } catch {
                throw InputError("cannot write \(output): \(error.localizedDescription)")
            }
        } else {
            FileHandle.standardOutput.write(Data(bytes))
        }
    }
}

/// `recoup trust check [--client REF]`: exit 0 when every client's trust ledger reconciles, 1 with the first
/// difference otherwise.
struct TrustCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trust", abstract: "Check the trust ledger.", subcommands: [TrustCheckCommand.self])
}

struct TrustCheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check each client's trust ledger against its payments and statements.",
        discussion: """
            Trust held = paid to the agency − reversed − remitted − commission taken (+ commission returned), and \
            never below zero by more than the client owes back. Prints one line of JSON per client and currency; \
            exit status 0 when all reconcile, 1 with the first difference on standard error.
            """)

    @ArgumentParser.Option(name: .long, help: "Only this client.")
    var client: String?

    @OptionGroup var databaseOptions: DatabaseOptions

    func run() async throws {
        let checks = try await withDatabase(databaseOptions) { database in
            try await TrustStore.check(clientRef: client, on: database.db)
        }
        print(OrderedJSON.array(checks.map(AgencyJSON.json)).text)
        if let difference = checks.compactMap(\.difference).first {
            printError(difference)
            throw ExitCode(1)
        }
    }
}

/// `recoup placement import FILE --client REF --placed-on DATE`: accounts a client places with the agency.
struct PlacementImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Take in a client's placement file (the recoup import layout) and acknowledge every account.",
        discussion: """
            Prints {"accepted": N, "rejected": [{"line", "debtRef", "reason"}], …} and writes the acknowledgement \
            CSV for the client (accepted and rejected accounts with reasons) to --acknowledgement, else to \
            acknowledgement-CLIENT-BATCH.csv in RECOUP_PLACEMENTS_DIR (default placements/ beside the database). \
            Refused accounts: a bad row, a reference twice in the file, an account already placed and open, one \
            already paid, a debtor in bankruptcy.
            """)

    @Argument(help: "The placement file (CSV, the recoup layout; - for standard input).")
    var file: String

    @OptionGroup var client: ClientOption

    @ArgumentParser.Option(name: .customLong("placed-on"), help: .date("The placement date."))
    var placedOn: LocalDate

    @ArgumentParser.Option(name: .long, help: "The currency of rows that do not name one (default USD).")
    var currency: String = "USD"

    @ArgumentParser.Option(name: .long, help: "Where to write the acknowledgement CSV.")
    var acknowledgement: String?

    @OptionGroup var databaseOptions: DatabaseOptions

    func run() async throws {
        let code = try Currency(code: currency)
        let by = ProcessInfo.processInfo.environment["USER"].map { "cli:\($0)" } ?? "cli"
        let directory = PlacementsDirectory.resolve(store: try databaseOptions.configuration())
        let result = try await withDatabase(databaseOptions) { database in
            try await PlacementIntake.importFile(
                PlacementImportRequest(path: file, clientRef: client.ref, placedOn: placedOn, currency: code, by: by),
                now: Date(), on: database.db)
        }
        let target =
            acknowledgement.map { URL(fileURLWithPath: $0) }
            ?? directory.appendingPathComponent("acknowledgement-\(client.ref)-\(result.batchID).csv")
        do {
            try FileManager.default.createDirectory(
                at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(AgencyJSON.csv(result).utf8).write(to: target, options: .atomic)
        } catch {
            print(AgencyJSON.json(result, file: nil).text)
            throw InputError(
                "the placements are stored, but the acknowledgement could not be written to \(target.path)")
        }
        print(AgencyJSON.json(result, file: target.path).text)
    }
}

/// `recoup placement close --client REF --debt REF --reason-code CODE [--note TEXT] [--on DATE]`.
struct PlacementCloseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "close",
        abstract: "Close a placed account and return it to the client with a reason code (writes the return file).",
        discussion: "Reason codes: \(PlacementCloseReason.allCases.map(\.rawValue).joined(separator: ", ")).")

    @OptionGroup var client: ClientOption

    @OptionGroup var debt: DebtOption

    @ArgumentParser.Option(
        name: .customLong("reason-code"),
        help: "paid_in_full, settled, bankruptcy, deceased, uncollectible or recalled.")
    var reasonCode: String

    @ArgumentParser.Option(name: .long, help: "A note for the client (at most 500 characters).")
    var note: String?

    @ArgumentParser.Option(name: .customLong("on"), help: .date("The day it is closed (default today)."))
    var closedOn: LocalDate?

    @OptionGroup var businessZone: BusinessZoneOption

    @OptionGroup var databaseOptions: DatabaseOptions

    func run() async throws {
        guard let reason = PlacementCloseReason(rawValue: reasonCode) else {
            throw InputError(
                "--reason-code is \"\(reasonCode)\"; use one of \(PlacementCloseReason.allCases.map(\.rawValue).joined(separator: ", "))"
            )
        }
        try await PlacementReturns.close(
            client: client.ref, debt: debt.ref, reason: reason, note: note, on: closedOn,
            zone: try businessZone.resolve(), databaseOptions: databaseOptions)
    }
}

/// Closing a placed account and writing the day's return file, for `placement close` and `placement recall`.
enum PlacementReturns {
    static func close(
        client: String, debt: String, reason: PlacementCloseReason, note: String?, on day: LocalDate?, zone: TimeZone,
        databaseOptions: DatabaseOptions
    ) async throws {
        let now = Date()
        let day = day ?? LocalDate(now, in: zone)
        let by = ProcessInfo.processInfo.environment["USER"].map { "cli:\($0)" } ?? "cli"
        let directory = PlacementsDirectory.resolve(store: try databaseOptions.configuration())
        let (placement, returned) = try await withDatabase(databaseOptions) { database in
            let placement = try await PlacementIntake.close(
                clientRef: client, debtRef: debt, reason: reason, note: note, on: day, by: by, now: now, zone: zone,
                on: database.db)
            let returned = try await PlacementIntake.placements(
                clientRef: client, scope: .all, closedFrom: day, closedThrough: day, on: database.db)
            return (placement, returned)
        }
        let file = directory.appendingPathComponent("returns-\(client)-\(day.isoString).csv")
        var output = AgencyJSON.json(placement)
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try Data(AgencyJSON.returnFile(returned).utf8).write(to: file, options: .atomic)
            if case .object(let members) = output { output = .object(members + [("returnFile", .string(file.path))]) }
        } catch {
            print(output.text)
            throw InputError("the account is closed, but the return file could not be written to \(file.path)")
        }
        print(output.text)
    }
}

/// `recoup placement accounts [--client REF] [--open] [--closed-from DATE --closed-through DATE] [--format json|csv]`.
struct PlacementAccountsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accounts",
        abstract: "List the accounts clients placed with the agency, or write a return file (--format csv).")

    @ArgumentParser.Option(name: .long, help: "Only this client's accounts.")
    var client: String?

    @ArgumentParser.Flag(name: .long, help: "Only the open placements.")
    var open = false

    @ArgumentParser.Option(name: .customLong("closed-from"), help: .date("Only those closed on or after this day."))
    var closedFrom: LocalDate?

    @ArgumentParser.Option(name: .customLong("closed-through"), help: .date("Only those closed on or before this day."))
    var closedThrough: LocalDate?

    @ArgumentParser.Option(name: .long, help: "json (default), or csv: the return file's layout.")
    var format: String = "json"

    @OptionGroup var databaseOptions: DatabaseOptions

    func run() async throws {
        guard format == "json" || format == "csv" else {
            throw InputError("--format is \"\(format)\"; use json or csv")
        }
        let placements = try await withDatabase(databaseOptions) { database in
            try await PlacementIntake.placements(
                clientRef: client, scope: .all, openOnly: open, closedFrom: closedFrom, closedThrough: closedThrough,
                on: database.db)
        }
        if format == "csv" {
            print(AgencyJSON.returnFile(placements), terminator: "")
        } else {
            print(OrderedJSON.array(placements.map(AgencyJSON.json)).text)
        }
    }
}
