import ArgumentParser
import Foundation
import RecoupCore
import FluentKit
import RecoupStore
import SQLKit

/// `recoup payment post|reverse`: payments posted to the ledger exactly once.
struct PaymentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "payment", abstract: "Post a payment to a debt, or reverse one, exactly once.",
        subcommands: [PaymentPostCommand.self, PaymentReverseCommand.self])
}

/// The debt a payment is for.
struct DebtOptions: ParsableArguments {
    @ArgumentParser.Option(name: .long, help: "The client the debt belongs to (its reference).")
    var client: String

    @ArgumentParser.Option(name: .long, help: "The debt's reference (invoice number).")
    var debt: String

    @ArgumentParser.Option(
        name: .long, help: "Idempotency key: the same key and request again posts nothing and answers as before.")
    var key: String
}

/// `recoup payment post --client C --debt D --amount 50.00 --on DATE --key K [--method M] [--reference R]`.
struct PaymentPostCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "post", abstract: "Post a payment: fees first, then interest, then principal; any excess is a credit.")

    @OptionGroup var debt: DebtOptions

    @ArgumentParser.Option(name: .long, help: "The amount received, in the debt's currency (50.00).")
    var amount: String

    @ArgumentParser.Option(name: .customLong("on"), help: "The date it was received, YYYY-MM-DD.")
    var receivedOn: String

    @ArgumentParser.Option(name: .long, help: "How it was paid (card, ach, check, cash, …).")
    var method: String?

    @ArgumentParser.Option(name: .long, help: "The payment's outside reference (authorisation, check number).")
    var reference: String?

    @OptionGroup var databaseOptions: DatabaseOptions

    func run() async throws {
        let date = try LocalDate(iso: receivedOn)
        let result = try await withDatabase(databaseOptions) { database in
            let currency = try await PaymentCommandSupport.currency(client: debt.client, debt: debt.debt, on: database.db)
            let units = try Money.parseMinorUnits(amount, currency: currency)
            guard units > 0 else { throw InputError("--amount is \(amount); a payment must be more than zero") }
            return try await PaymentStore.post(
                PaymentRequest(
                    clientRef: debt.client, debtRef: debt.debt, action: .pay(amount: units, on: date),
                    idempotencyKey: debt.key, method: method, reference: reference),
                on: database.db, now: Date())
        }
        print(PaymentCommandSupport.json(result, client: debt.client, debt: debt.debt).text)
    }
}

/// `recoup payment reverse --client C --debt D --payment-key P --on DATE --key K [--reason nsf|chargeback|…]`.
struct PaymentReverseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reverse", abstract: "Reverse a posted payment exactly (a returned check, a chargeback).")

    @OptionGroup var debt: DebtOptions

    @ArgumentParser.Option(name: .customLong("payment-key"), help: "The idempotency key the payment was posted with.")
    var paymentKey: String

    @ArgumentParser.Option(name: .customLong("on"), help: "The date the reversal takes effect, YYYY-MM-DD.")
    var effectiveOn: String

    @ArgumentParser.Option(name: .long, help: "Why: nsf, chargeback, error, …")
    var reason: String = "reversal"

    @OptionGroup var databaseOptions: DatabaseOptions

    func run() async throws {
        let date = try LocalDate(iso: effectiveOn)
        let result = try await withDatabase(databaseOptions) { database in
            try await PaymentStore.post(
                PaymentRequest(
                    clientRef: debt.client, debtRef: debt.debt,
                    action: .reverse(paymentKey: paymentKey, on: date, reason: reason), idempotencyKey: debt.key),
                on: database.db, now: Date())
        }
        print(PaymentCommandSupport.json(result, client: debt.client, debt: debt.debt).text)
    }
}

enum PaymentCommandSupport {
    /// The debt's currency, or the store's error naming what is missing.
    static func currency(client: String, debt: String, on database: any Database) async throws -> Currency {
        let sql = database as! any SQLDatabase
        guard
            let row = try await sql.raw(
                """
                SELECT d.currency FROM debts d JOIN clients c ON c.id = d.client_id \
                WHERE c.ref = \(bind: client) AND d.ref = \(bind: debt)
                """
            ).first()
        else {
            if try await ClientQueries.clientID(ref: client, on: sql) == nil {
                throw StoreError.unknownClient(client)
            }
            throw StoreError.invalid("client \"\(client)\" has no debt \"\(debt)\"")
        }
        return try Currency(code: try row.decode(column: "currency", as: String.self))
    }

    /// `{"status", "client", "debt", "key", "kind", "amount", "effectiveOn", "allocation", "balance"}`.
    static func json(_ result: PaymentResult, client: String, debt: String) -> OrderedJSON {
        let entry = result.entry
        let money = { (units: Int64) in OrderedJSON.string(Money.decimalString(minorUnits: units, currency: result.currency)) }
        // A payment lowers the components; show what it paid toward each as positive amounts.
        let sign: Int64 = entry.kind == .payment ? -1 : 1
        return .object([
            ("status", .string(result.posted ? "posted" : "already_posted")), ("client", .string(client)),
            ("debt", .string(debt)), ("key", .string(entry.idempotencyKey)), ("kind", .string(entry.kind.rawValue)),
            ("amount", money(entry.amount)), ("effectiveOn", .string(entry.effectiveDate.isoString)),
            ("currency", .string(result.currency.code)),
            (
                "allocation",
                .object([
                    ("fees", money(sign * entry.effect.fees)), ("interest", money(sign * entry.effect.interest)),
                    ("principal", money(sign * entry.effect.principal)),
                ])
            ),
            (
                "balance",
                .object([
                    ("principal", money(result.balance.principal)), ("interest", money(result.balance.interest)),
                    ("fees", money(result.balance.fees)), ("total", money(result.balance.total)),
                ])
            ),
        ])
    }
}
