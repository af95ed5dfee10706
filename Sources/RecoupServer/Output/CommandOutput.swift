import Foundation
import RecoupAPI
import RecoupCore
import RecoupStore

/// Prints a command's answer as one line of compact JSON, encoded as the API encodes its answers (keys sorted,
/// slashes as written; see APIRoutes.swift): a command that prints one of the document's types answers exactly as
/// the API does.
enum CommandOutput {
    /// The answer's JSON text.
    static func text(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// Prints the answer on standard output.
    static func print(_ value: some Encodable) throws {
        Swift.print(try text(value))
    }
}

/// What `recoup accrual fee` prints: the fee's ledger entry shaped like `payment post`'s answer, with
/// `"kind": "fee"` (the document's PaymentPosted names only the kinds a payment posts).
struct ChargedFeeOutput: Encodable {
    var status: Components.Schemas.PaymentPosted.StatusPayload
    var client: String
    var debt: String
    var key: String
    var kind: LedgerEntryKind
    var amount: DecimalText
    var effectiveOn: String
    var currency: String
    var allocation: Components.Schemas.Allocation
    var balance: Components.Schemas.Balance

    init(_ result: PaymentResult, client: String, debt: String) {
        status = result.posted ? .posted : .alreadyPosted
        self.client = client
        self.debt = debt
        key = result.entry.idempotencyKey
        kind = result.entry.kind
        amount = APIMoney(result.currency)(result.entry.amount)
        effectiveOn = result.entry.effectiveDate.isoString
        currency = result.currency.code
        allocation = .init(result.entry, currency: result.currency)
        balance = .init(result.balance, currency: result.currency)
    }
}
