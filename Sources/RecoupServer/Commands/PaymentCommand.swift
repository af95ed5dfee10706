import ArgumentParser
import Foundation
import RecoupAPI
import RecoupCore
import RecoupStore

/// `recoup payment post|reverse`: payments posted to the ledger exactly once.
struct PaymentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "payment", abstract: "Post, reverse, refund or import payments, each exactly once.",
        subcommands: [
            PaymentPostCommand.self, PaymentReverseCommand.self, PaymentRefundCommand.self, PaymentImportCommand.self,
        ])
}

/// The debt (or debtor) a payment is for, and its idempotency key.
struct DebtOptions: ParsableArguments {
    @OptionGroup var clientOption: ClientOption

    @OptionGroup var target: DebtOrDebtorOptions

    /// The client's reference.
    var client: String { clientOption.ref }
    /// The debt's reference, unless the payment is spread over a debtor's debts.
    var debt: String? { target.debt }
    /// The debtor whose debts the payment is spread over.
    var debtor: String? { target.debtor }

    @ArgumentParser.Option(
        name: .long, help: "Idempotency key: the same key and request again posts nothing and answers as before.")
    var key: String
}

/// One debt of a client, and the idempotency key: what a reversal or a refund names (never a debtor).
struct SingleDebtOptions: ParsableArguments {
    @OptionGroup var clientOption: ClientOption

    @OptionGroup var debtOption: DebtOption

    /// The client's reference.
    var client: String { clientOption.ref }
    /// The debt's reference.
    var debt: String { debtOption.ref }

    @ArgumentParser.Option(
        name: .long, help: "Idempotency key: the same key and request again posts nothing and answers as before.")
    var key: String
}

/// `recoup payment post --client C --debt D --amount 50.00 --on DATE --key K [--method M] [--reference R]`.
struct PaymentPostCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "post",
        abstract: "Post a payment: fees first, then interest, then principal; any excess is a credit.")

    @OptionGroup var debt: DebtOptions

    @ArgumentParser.Option(name: .long, help: "The amount received, in the debt's currency (50.00).")
    var amount: String

    @OptionGroup var on: OnDateOption

    @ArgumentParser.Option(name: .long, help: "How it was paid (card, ach, check, cash, …).")
    var method: String?

    @ArgumentParser.Option(name: .long, help: "The payment's outside reference (authorisation, check number).")
    var reference: String?

    @ArgumentParser.Option(
        name: .customLong("received-by"),
        help: "agency (default: received here, into trust for a placed account) or client (a direct payment).")
    var receivedBy: String = "agency"

    @ArgumentParser.Option(
        name: .customLong("release-on"),
        help: .date(
            "For a placed account: the day the payment clears and may be remitted (default: the contract's hold)."))
    var releaseOn: LocalDate?

    @OptionGroup var databaseOptions: DatabaseOptions

    func validate() throws { try debt.target.requireOne() }

    func run() async throws {
        let date = on.date
        let entered = EnteredAmount.text(amount, field: "--amount")
        guard let receiver = PaymentReceiver(rawValue: receivedBy) else {
            throw InputError("--received-by is \"\(receivedBy)\"; use agency or client")
        }
        if let releaseOn, releaseOn < date {
            throw InputError("--release-on \(releaseOn.isoString) is before the payment's date \(date.isoString)")
        }
        if releaseOn != nil && receiver == .client {
            throw InputError("--release-on is for a payment the agency received; a direct payment is never in trust")
        }
        let output = try await withDatabase(databaseOptions) { database in
            if let debtor = debt.debtor {
                let result = try await PaymentStore.spread(
                    SpreadPaymentRequest(
                        clientRef: debt.client, debtorRef: debtor, amount: entered, on: date, idempotencyKey: debt.key,
                        method: method, reference: reference, receivedBy: receiver, releaseOn: releaseOn),
                    on: database.db, now: Date())
                return Components.Schemas.PaymentResult.SpreadPaymentPosted(
                    .init(result, client: debt.client, debtor: debtor))
            }
            let result = try await PaymentStore.post(
                PaymentRequest(
                    clientRef: debt.client, debtRef: debt.debt!, action: .pay(amount: entered, on: date),
                    idempotencyKey: debt.key, method: method, reference: reference, receivedBy: receiver,
                    releaseOn: releaseOn),
                on: database.db, now: Date())
            return .PaymentPosted(try Components.Schemas.PaymentPosted(result, client: debt.client, debt: debt.debt!))
        }
        try CommandOutput.print(output)
    }
}

/// `recoup payment reverse --client C --debt D --payment-key P --on DATE --key K [--reason nsf|chargeback|…]`.
struct PaymentReverseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reverse", abstract: "Reverse a posted payment exactly (a returned check, a chargeback).")

    @OptionGroup var debt: SingleDebtOptions

    @ArgumentParser.Option(name: .customLong("payment-key"), help: "The idempotency key the payment was posted with.")
    var paymentKey: String

    @OptionGroup var on: OnDateOption

    @ArgumentParser.Option(name: .long, help: "Why: nsf, chargeback, error, …")
    var reason: String = "reversal"

    @OptionGroup var databaseOptions: DatabaseOptions

    func run() async throws {
        let date = on.date
        let debtRef = debt.debt
        let result = try await withDatabase(databaseOptions) { database in
            try await PaymentStore.post(
                PaymentRequest(
                    clientRef: debt.client, debtRef: debtRef,
                    action: .reverse(paymentKey: paymentKey, on: date, reason: reason), idempotencyKey: debt.key),
                on: database.db, now: Date())
        }
        try CommandOutput.print(try Components.Schemas.PaymentPosted(result, client: debt.client, debt: debtRef))
    }
}

/// `recoup payment refund --client C --debt D --amount 20.00 --on DATE --key K [--method M] [--reference R]`.
struct PaymentRefundCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "refund", abstract: "Pay back part or all of a debt's credit (an overpayment) to the debtor.")

    @OptionGroup var debt: SingleDebtOptions

    @ArgumentParser.Option(name: .long, help: "The amount paid back, at most the credit on the debt (20.00).")
    var amount: String

    @OptionGroup var on: OnDateOption

    @ArgumentParser.Option(name: .long, help: "How it was paid back (card, ach, check, …).")
    var method: String?

    @ArgumentParser.Option(name: .long, help: "The refund's outside reference.")
    var reference: String?

    @OptionGroup var databaseOptions: DatabaseOptions

    func run() async throws {
        let date = on.date
        let debtRef = debt.debt
        let output = try await withDatabase(databaseOptions) { database in
            let result = try await PaymentStore.post(
                PaymentRequest(
                    clientRef: debt.client, debtRef: debtRef,
                    action: .refund(amount: .text(amount, field: "--amount"), on: date),
                    idempotencyKey: debt.key, method: method, reference: reference),
                on: database.db, now: Date())
            return try Components.Schemas.PaymentPosted(result, client: debt.client, debt: debtRef)
        }
        try CommandOutput.print(output)
    }
}

/// `recoup payment import FILE --client C`: a file of payments (and reversals), each posted exactly once.
struct PaymentImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Post a CSV file of payments for one client's debts, each exactly once.",
        discussion: """
            Columns (header required, any order): debt, amount, on, key, and optionally method, reference, reverses. \
            A row with reverses=KEY (and no amount) reverses that payment. Prints {"rows", "posted", "alreadyPosted", \
            "rejected", "errors"}. Importing the same file again posts nothing. A wrong header refuses the whole \
            file (exit 2); a bad row is reported by line and the others are posted (exit 3 when any row was rejected).
            """)

    @Argument(help: "The CSV file, or - for standard input.")
    var file: String

    @OptionGroup var client: ClientOption

    @OptionGroup var databaseOptions: DatabaseOptions

    func run() async throws {
        let summary = try await withDatabase(databaseOptions) { database in
            try await PaymentImporter.run(path: file, clientRef: client.ref, on: database.db, now: Date())
        }
        var members: [(String, OrderedJSON)] = [
            ("rows", .integer(Int64(summary.rows))), ("posted", .integer(Int64(summary.posted))),
            ("alreadyPosted", .integer(Int64(summary.alreadyPosted))), ("rejected", .integer(Int64(summary.rejected))),
            (
                "errors",
                .array(
                    summary.errors.map {
                        .object([("line", .integer(Int64($0.line))), ("message", .string($0.message))])
                    })
            ),
        ]
        if summary.errorsTruncated { members.append(("errorsTruncated", .bool(true))) }
        print(OrderedJSON.object(members).text)
        if summary.rejected > 0 { throw RowsRejected(count: summary.rejected, rows: summary.rows, others: "posted") }
    }
}
