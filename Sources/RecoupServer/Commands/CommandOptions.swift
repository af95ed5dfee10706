import ArgumentParser
import RecoupCore

/// A date on the command line is `YYYY-MM-DD`. Its options show the form as their value (`--on <YYYY-MM-DD>`);
/// a value that does not read is refused before the command runs, and `RecoupCommand.exitForError` says why.
extension LocalDate: ExpressibleByArgument {
    /// The form a date option takes, shown as its value in the help and in the error.
    static let argumentForm = "YYYY-MM-DD"

    /// Reads `YYYY-MM-DD`; nil for anything else.
    public init?(argument: String) {
        guard let date = try? LocalDate(iso: argument) else { return nil }
        self = date
    }

    public var defaultValueDescription: String { isoString }
}

extension ArgumentHelp {
    /// The help of a date option: `text`, with `<YYYY-MM-DD>` as the value.
    static func date(_ text: String) -> ArgumentHelp { ArgumentHelp(text, valueName: LocalDate.argumentForm) }
}

/// `--client REF`: the client (creditor) a command works for.
struct ClientOption: ParsableArguments {
    @Option(name: .customLong("client"), help: ArgumentHelp("The client (its reference).", valueName: "client"))
    var ref: String
}

/// `--debt REF`: one debt of the client.
struct DebtOption: ParsableArguments {
    @Option(name: .customLong("debt"), help: ArgumentHelp("The debt's reference (invoice number).", valueName: "debt"))
    var ref: String
}

/// `--debtor REF`: one debtor of the client.
struct DebtorOption: ParsableArguments {
    @Option(name: .customLong("debtor"), help: ArgumentHelp("The debtor (their reference).", valueName: "debtor"))
    var ref: String
}

/// `--debt REF | --debtor REF`: one debt, or every debt of one debtor. The command says which it needs
/// (`requireOne()`, or `--debt` only).
struct DebtOrDebtorOptions: ParsableArguments {
    @Option(name: .long, help: "The debt's reference (invoice number).")
    var debt: String?

    @Option(
        name: .long,
        help: """
            Instead of --debt: the debtor's reference, for all of their debts (a payment is spread over them, oldest \
            due first).
            """)
    var debtor: String?

    /// Refuses neither and both.
    func requireOne() throws {
        guard (debt == nil) != (debtor == nil) else { throw ValidationError("give either --debt or --debtor") }
    }
}

/// `--on DATE`: the day a payment, fee or cancellation takes effect.
struct OnDateOption: ParsableArguments {
    @Option(name: .customLong("on"), help: .date("The day it takes effect (received, paid back, reached), YYYY-MM-DD."))
    var date: LocalDate
}

/// `--as-of DATE`: the day a report or an evaluation is made for, through its end.
struct AsOfOption: ParsableArguments {
    @Option(name: .customLong("as-of"), help: .date("The day to report or evaluate on (through its end), YYYY-MM-DD."))
    var date: LocalDate
}
