import ArgumentParser
import Foundation
import Logging
import RecoupCore
import RecoupStore

/// The `recoup` command line.
public struct RecoupCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "recoup",
        abstract: "Recoup collects past-due debts firmly, fairly and lawfully.",
        discussion: """
            Each setting is read from its flag, then from the environment, then from its default. The database: \
            --database PATH (an SQLite file), else DATABASE_URL=postgres://USER:PASSWORD@HOST:PORT/DB (PostgreSQL), \
            else the SQLite file recoup.sqlite in the working directory.
            """,
        subcommands: [
            ServeCommand.self, MigrateCommand.self, ImportCommand.self, ReportCommand.self, DemoCommand.self,
            ComplianceCommand.self, PlanCommand.self, PaymentCommand.self, ClientCommand.self, AccrualCommand.self,
            ArrangementCommand.self, PromiseCommand.self, UserCommand.self, TokenCommand.self, AuditCommand.self,
            PortalCommand.self,
            SegmentCommand.self, RunCommand.self,
            PauseCommand.self, ExcludeCommand.self, PlacementCommand.self,
            StrategyCommand.self, TemplateCommand.self,
            OutboxCommand.self,
            QueueCommand.self,
            AgencyCommand.self, RemittanceCommand.self, TrustCommand.self,
        ]
    )

    public init() {}

    /// Runs the command line and exits: 0 on success, 2 for bad input (one sentence on stderr), 3 for an import that
    /// rejected some rows and stored the others, 1 otherwise.
    public static func runAndExit(arguments: [String]) async -> Never {
        do {
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            Foundation.exit(0)
        } catch {
            exitForError(error)
        }
    }

    static func exitForError(_ error: any Error) -> Never {
        // A command that said why itself (trust check, audit verify) and chose its status.
        if let exit = error as? ExitCode, exit.rawValue != 0 { Foundation.exit(exit.rawValue) }
        if let rejected = error as? RowsRejected {
            FileHandle.standardError.write(Data("recoup: \(rejected)\n".utf8))
            Foundation.exit(RowsRejected.exitStatus)
        }
        if let file = error as? StrategyFileError {
            // Every problem of a strategy file, one line each.
            for problem in file.problems { FileHandle.standardError.write(Data("recoup: \(problem)\n".utf8)) }
            Foundation.exit(2)
        }
        if let message = UserErrorText.sentence(for: error) {
            FileHandle.standardError.write(Data("recoup: \(message)\n".utf8))
            Foundation.exit(2)
        }
        let code = exitCode(for: error)
        if code == .success {
            print(fullMessage(for: error))
            Foundation.exit(0)
        }
        if code == .validationFailure {
            // A command-line mistake (unknown option, missing argument, a date that does not read): one sentence,
            // exit 2 as documented.
            let parserMessage = message(for: error).replacingOccurrences(of: "Error: ", with: "")
            let sentence = dateSentence(parserMessage: parserMessage) ?? "\(parserMessage) (see recoup --help)"
            FileHandle.standardError.write(Data("recoup: \(sentence)\n".utf8))
            Foundation.exit(2)
        }
        let message = fullMessage(for: error)
        FileHandle.standardError.write(Data("recoup: \(message.isEmpty ? String(describing: error) : message)\n".utf8))
        Foundation.exit(code.rawValue == 0 ? 1 : (code.rawValue == 2 ? 2 : 1))
    }
}

extension RecoupCommand {
    /// ArgumentParser refuses a date option's value as `The value '2013-02-30' is invalid for '--on <YYYY-MM-DD>'`
    /// (the value name marks a date option, `ArgumentHelp.date`); the sentence says why instead, as dates read
    /// anywhere else do: `--on 2013-02-30 is not a real date: February 2013 has 28 days`. Nil for other messages.
    static func dateSentence(parserMessage text: String) -> String? {
        let opening = "The value '"
        let closing = " <\(LocalDate.argumentForm)>'"
        guard text.hasPrefix(opening), text.hasSuffix(closing),
            let middle = text.range(of: "' is invalid for '", options: .backwards)
        else { return nil }
        let valueStart = text.index(text.startIndex, offsetBy: opening.count)
        let optionEnd = text.index(text.endIndex, offsetBy: -closing.count)
        guard valueStart <= middle.lowerBound, middle.upperBound <= optionEnd else { return nil }
        let value = String(text[valueStart..<middle.lowerBound])
        do {
            _ = try LocalDate(iso: value)
            return nil
        } catch {
            return "\(text[middle.upperBound..<optionEnd]) \(error)"
        }
    }
}

/// Sentences for the errors that are the user's to fix: exit status 2 on the command line, 400 over HTTP
/// (JSONErrorMiddleware asks here for anything it does not map itself), so a new typed error of Core is listed once.
enum UserErrorText {
    static func sentence(for error: any Error) -> String? {
        switch error {
        case let error as ImportFileError: return error.description
        case let error as AllOrNothingRefusal: return error.description
        case let error as CSVError: return error.description
        case let error as DateError: return error.description
        case let error as MoneyError: return error.description
        case let error as StoreConfigurationError: return error.description
        case let error as InputError: return error.description
        case let error as ComplianceRequestError: return error.description
        case let error as ArrangementError: return error.description
        case let error as AcceptanceError: return error.description
        case let error as PromiseError: return error.description
        case let error as LedgerError: return error.description
        case let error as AccrualError: return error.description
        case let error as ContactPointError: return error.description
        case let error as AgreementTemplateError: return error.description
        case let error as ImportRowError: return error.description
        case let error as JSONParseError: return error.description
        case let error as StrategyFileError: return error.description
        case let error as TemplateRefused: return error.description
        case let error as AgencyContractError: return error.description
        case let error as StoreError:
            switch error {
            case .unknownClient, .unknownDebt, .unknownDebtor, .unknownArrangement, .idempotencyConflict, .invalid:
                return error.description
            case .cannotConnect: return nil
            }
        default: return nil
        }
    }
}

/// A mistake in what the user asked for, said in one sentence.
struct InputError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// `--database PATH`, shared by every command that opens the database.
struct DatabaseOptions: ParsableArguments {
    @Option(
        name: .long,
        help: "SQLite database file; wins over DATABASE_URL (default: DATABASE_URL's PostgreSQL, else recoup.sqlite).")
    var database: String?

    func configuration() throws -> StoreConfiguration {
        try StoreConfiguration.resolve(databasePath: database)
    }

    func open() async throws -> RecoupDatabase {
        try await RecoupDatabase.open(try configuration(), logger: commandLogger)
    }
}

/// Runs `body` with an open database and closes it afterwards, also when `body` throws.
func withDatabase<T>(_ options: DatabaseOptions, _ body: (RecoupDatabase) async throws -> T) async throws -> T {
    let database = try await options.open()
    do {
        let result = try await body(database)
        await database.close()
        return result
    } catch {
        await database.close()
        throw error
    }
}

/// Writes a line to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// The logger commands use: warnings and errors on standard error, more with RECOUP_LOG_LEVEL=info|debug|trace.
let commandLogger: Logger = {
    var logger = Logger(label: "recoup")
    let name = ProcessInfo.processInfo.environment["RECOUP_LOG_LEVEL"] ?? "warning"
    logger.logLevel = Logger.Level(rawValue: name.lowercased()) ?? .warning
    return logger
}()
