import ArgumentParser
import Foundation
import RecoupCore
import RecoupStore

/// `recoup client terms|profile`: a client's interest, fee, plan and agreement terms, and its name, contact details
/// and how to pay.
struct ClientCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "client", abstract: "Show or set a client's terms, or its name, contact details and how to pay.",
        subcommands: [ClientTermsCommand.self, ClientProfileCommand.self])
}

/// `recoup client terms --client C [FILE|-]`: with a file, checks and stores the terms; prints the stored terms.
struct ClientTermsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "terms",
        abstract: "Show a client's terms, or set them from a JSON file (docs/arrangements.md).")

    @OptionGroup var client: ClientOption

    @Argument(help: "A JSON terms file, or - for standard input; without it the stored terms are shown.")
    var file: String?

    @OptionGroup var databaseOptions: DatabaseOptions

    func run() async throws {
        let given = try file.map { try ClientTerms(json: try readInput($0)) }
        let terms = try await withDatabase(databaseOptions) { database in
            if let given {
                return try await AccrualStore.setTerms(clientRef: client.ref, terms: given, on: database.db)
            }
            return try await AccrualStore.terms(clientRef: client.ref, on: database.db).terms
        }
        print(terms.jsonText)
    }
}

/// `recoup accrual run|fee|pause|projection`: interest and fees per the client's terms.
struct AccrualCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accrual", abstract: "Accrue interest, charge fees, pause both, or project a balance.",
        subcommands: [
            AccrualRunCommand.self, AccrualFeeCommand.self, AccrualPauseCommand.self, AccrualProjectionCommand.self,
        ])
}

/// `recoup accrual run --client C --through DATE`.
struct AccrualRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Accrue interest through a date on every debt of a client; running it twice for a day adds nothing.")

    @OptionGroup var client: ClientOption

    @ArgumentParser.Option(name: .long, help: .date("Accrue through the end of this day, YYYY-MM-DD."))
    var through: LocalDate

    @OptionGroup var databaseOptions: DatabaseOptions

    func run() async throws {
        let (summary, currency) = try await withDatabase(databaseOptions) { database in
            let summary = try await AccrualStore.accrue(
                clientRef: client.ref, through: through, on: database.db, now: Date())
            return (summary, try await AccrualStore.terms(clientRef: client.ref, on: database.db).terms.currency)
        }
        print(
            OrderedJSON.object([
                ("client", .string(client.ref)), ("through", .string(through.isoString)),
                ("debts", .integer(Int64(summary.debts))), ("posted", .integer(Int64(summary.posted))),
                ("interest", .string(Money.decimalString(minorUnits: summary.interest, currency: currency))),
                ("currency", .string(currency.code)),
                ("skippedOtherCurrency", .integer(Int64(summary.skippedOtherCurrency))),
            ]).text)
    }
}

/// `recoup accrual fee --client C --debt D --step STEP --on DATE`.
struct AccrualFeeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fee", abstract: "Charge the fee the client's terms set for a strategy step, once per debt.")

    @OptionGroup var client: ClientOption

    @OptionGroup var debt: DebtOption

    @ArgumentParser.Option(name: .long, help: "The strategy step reached (a name in the terms' fees).")
    var step: String

    @OptionGroup var on: OnDateOption

    @OptionGroup var databaseOptions: DatabaseOptions

    func run() async throws {
        let result = try await withDatabase(databaseOptions) { database in
            try await AccrualStore.chargeFee(
                clientRef: client.ref, debtRef: debt.ref, step: step, on: on.date, database: database.db, now: Date())
        }
        guard let result else {
            print(
                OrderedJSON.object([
                    ("status", .string("nothing_charged")), ("client", .string(client.ref)),
                    ("debt", .string(debt.ref)),
                    ("step", .string(step)),
                    (
                        "reason",
                        .string("already charged for this step, paused, nothing owed, or the fee cap is reached")
                    ),
                ]).text)
            return
        }
        try CommandOutput.print(ChargedFeeOutput(result, client: client.ref, debt: debt.ref))
    }
}

/// `recoup accrual pause --client C (--debt D | --debtor R) --from DATE [--until DATE] --reason R`.
struct AccrualPauseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pause",
        abstract: "Stop interest and fees on a debt or all of a debtor's debts (hardship, breathing space).")

    @OptionGroup var client: ClientOption

    @OptionGroup var target: DebtOrDebtorOptions

    @ArgumentParser.Option(name: .long, help: .date("The first day without interest or fees, YYYY-MM-DD."))
    var from: LocalDate

    @ArgumentParser.Option(name: .long, help: .date("The last day without them (inclusive); open-ended when omitted."))
    var until: LocalDate?

    @ArgumentParser.Option(name: .long, help: "Why: hardship, breathing-space, …")
    var reason: String

    @OptionGroup var databaseOptions: DatabaseOptions

    func validate() throws { try target.requireOne() }

    func run() async throws {
        let count = try await withDatabase(databaseOptions) { database in
            try await AccrualStore.pause(
                clientRef: client.ref, debtRef: target.debt, debtorRef: target.debtor, from: from, until: until,
                reason: reason, on: database.db, now: Date())
        }
        print(
            OrderedJSON.object([
                ("client", .string(client.ref)), ("debts", .integer(Int64(count))), ("from", .string(from.isoString)),
                ("until", until.map { .string($0.isoString) } ?? .null), ("reason", .string(reason)),
            ]).text)
    }
}

/// `recoup accrual projection --client C --debt D --from DATE [--months 12]`.
struct AccrualProjectionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "projection", abstract: "The debt's balance if nothing is paid, month by month.")

    @OptionGroup var client: ClientOption

    @OptionGroup var debt: DebtOption

    @ArgumentParser.Option(name: .long, help: .date("Today, YYYY-MM-DD: the projection starts here."))
    var from: LocalDate

    @ArgumentParser.Option(name: .long, help: "How many months (1–120).")
    var months: Int = 12

    @OptionGroup var databaseOptions: DatabaseOptions

    func validate() throws {
        guard (1...120).contains(months) else { throw ValidationError("--months must be 1 to 120") }
    }

    func run() async throws {
        let (projection, currency) = try await withDatabase(databaseOptions) { database in
            try await AccrualStore.projection(
                clientRef: client.ref, debtRef: debt.ref, from: from, months: months, on: database.db)
        }
        print(projection.jsonText(currency: currency))
    }
}
