import ArgumentParser
import Foundation
import RecoupCore
import RecoupStore

/// `recoup strategy validate|activate|list|show|simulate`: strategy files (docs/strategies.md).
struct StrategyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "strategy",
        abstract: "Check, activate, list and show strategy files: which step each debt gets on which day.",
        subcommands: [
            StrategyValidateCommand.self, StrategyActivateCommand.self, StrategyListCommand.self,
            StrategyShowCommand.self, StrategySimulateCommand.self,
        ])
}

/// `recoup strategy validate FILE`: reads the file and says what it holds, or every problem with its line and
/// column (exit 2).
struct StrategyValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a strategy file; print its name and size, or every problem with its line and column.")

    @ArgumentParser.Argument(help: "The strategy file (YAML).")
    var file: String

    func run() async throws {
        let strategy = try StrategyDocument.parse(try StrategyFiles.read(file))
        print(
            OrderedJSON.object([
                ("valid", .bool(true)), ("name", .string(strategy.name)),
                ("tracks", .integer(Int64(strategy.tracks.count))),
                ("steps", .integer(Int64(strategy.tracks.reduce(0) { $0 + $1.steps.count }))),
            ]).text)
    }
}

/// `recoup strategy activate FILE [--client REF]`: stores the file as the next version of the default strategy or of
/// the client's own, and prints the version.
struct StrategyActivateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "activate",
        abstract:
            "Store a strategy file as the next version of the default strategy, or of one client's own; older versions stay readable."
    )

    @ArgumentParser.Argument(help: "The strategy file (YAML).")
    var file: String

    @ArgumentParser.Option(
        name: .customLong("client"),
        help: ArgumentHelp(
            "The client whose own strategy this is (default: the default strategy).", valueName: "client"))
    var clientRef: String?

    @OptionGroup var databaseOptions: DatabaseOptions

    func run() async throws {
        let source = try StrategyFiles.read(file)
        // A bad file is refused before the database is opened.
        _ = try StrategyDocument.parse(source)
        let stored = try await withDatabase(databaseOptions) { database in
            try await StrategyStore.activate(
                source: source, clientRef: clientRef, by: nil, now: Date(), on: database.db)
        }
        print(StrategyFiles.json(StrategyVersionListing(stored: stored, isActive: true)).text)
    }
}

/// `recoup strategy list [--format json|table]`: every version, newest first, and which is in force.
struct StrategyListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List every strategy version, newest first, and which one is in force for each client.")

    @ArgumentParser.Option(name: .long, help: "json (default) or table.")
    var format = "json"

    @OptionGroup var databaseOptions: DatabaseOptions

    func run() async throws {
        guard format == "json" || format == "table" else {
            throw InputError("--format is \"\(format)\"; use json or table")
        }
        let listings = try await withDatabase(databaseOptions) { database in
            try await StrategyStore.list(on: database.db)
        }
        if format == "json" {
            print(OrderedJSON.array(listings.map(StrategyFiles.json)).text)
        } else {
            print(StrategyFiles.table(listings), terminator: "")
        }
    }
}

/// `recoup strategy show [NAME] [--client REF] [--version N]`: prints a strategy file as activated.
struct StrategyShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: """
            Print a strategy file as activated: the one in force (for --client, the client's own or else the \
            default), a NAME's newest version, or --version N (0 is the built-in default).
            """)

    @ArgumentParser.Argument(help: "The strategy's name (its newest version).")
    var name: String?

    @ArgumentParser.Option(
        name: .customLong("client"),
        help: ArgumentHelp("The client whose strategy to show (default: the default strategy).", valueName: "client"))
    var clientRef: String?

    @ArgumentParser.Option(name: .long, help: "The version (1, 2, …; 0 is the built-in default).")
    var version: Int?

    @OptionGroup var databaseOptions: DatabaseOptions

    func run() async throws {
        if let version, version < 0 {
            throw InputError("--version is \(version); versions count from 1 (0 is the built-in default)")
        }
        let stored = try await withDatabase(databaseOptions) { database in
            try await StrategyStore.show(name: name, clientRef: clientRef, version: version, on: database.db)
        }
        print(stored.source, terminator: stored.source.hasSuffix("\n") ? "" : "\n")
    }
}

/// Reading strategy files and printing versions, for the strategy commands.
enum StrategyFiles {
    /// The file's text; one sentence when it cannot be read or is not UTF-8 text.
    static func read(_ path: String) throws -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw InputError("cannot read the strategy file \(path): there is no such file")
        }
        guard !isDirectory.boolValue else {
            throw InputError("cannot read the strategy file \(path): it is a directory")
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw InputError("cannot read the strategy file \(path): \((error as NSError).localizedDescription)")
        }
        guard data.count <= StrategyDocument.maximumBytes else {
            throw InputError(
                "the strategy file \(path) is \(data.count) bytes; a strategy file may be at most \(StrategyDocument.maximumBytes)"
            )
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw InputError("the strategy file \(path) is not UTF-8 text")
        }
        return text
    }

    /// A version as the commands print it.
    static func json(_ listing: StrategyVersionListing) -> OrderedJSON {
        let stored = listing.stored
        return .object([
            ("id", stored.id.map { .integer($0) } ?? .null), ("version", .integer(Int64(stored.version))),
            ("name", .string(stored.name)), ("client", stored.clientRef.map { .string($0) } ?? .null),
            ("active", .bool(listing.isActive)), ("builtIn", .bool(stored.isBuiltIn)),
            ("tracks", .integer(Int64(stored.strategy.tracks.count))), ("steps", .integer(Int64(stored.stepCount))),
            ("activatedAt", stored.activatedAt.map { .string(ISO8601Instant.format($0)) } ?? .null),
            ("activatedBy", stored.activatedBy.map { .string($0) } ?? .null),
        ])
    }

    /// The versions as a table for people.
    static func table(_ listings: [StrategyVersionListing]) -> String {
        let header = ["version", "client", "name", "active", "tracks", "steps", "activated", "by"]
        let rows = listings.map { listing in
            let stored = listing.stored
            return [
                String(stored.version), stored.clientRef ?? "(default)", stored.name, listing.isActive ? "yes" : "no",
                String(stored.strategy.tracks.count), String(stored.stepCount),
                stored.activatedAt.map(ISO8601Instant.format) ?? "built in", stored.activatedBy ?? "",
            ]
        }
        return CommandTable.text(header: header, rows: rows)
    }
}
