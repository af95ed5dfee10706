import Foundation
import RecoupCore
import SQLKit

/// A message's values read from the database: what a template preview renders, what a message re-written at sending
/// says, and what a validation notice itemizes.
enum MessageContexts {
    /// The values of a message about `debtRefs` (one debtor's debts with `clientRef`, in reference order) on `asOf`,
    /// in the client's name and terms; with the validation notice's itemization (since the debt's itemization date:
    /// the one the import gave, else the day it was charged) and period (as if sent on `asOf`) when
    /// `validationNotice` is set and there is one debt; with the plan the client's terms allow when `planOffer` is.
    /// `unknownClient` or `unknownDebt` when they do not exist.
    static func context(
        clientRef: String, debtRefs: [String], asOf: LocalDate, validationNotice: Bool, planOffer: Bool = false,
        portalLink: String?, sql: any SQLDatabase
    ) async throws -> MessageContext {
        let terms = try await AccrualStore.terms(clientRef: clientRef, sql: sql)
        let stored = try await ClientProfileStore.profile(clientRef: clientRef, sql: sql)
        var items: [MessageContext.Item] = []
        var debtorName = ""
        var currency = terms.terms.currency
        var firstID: Int64? = nil
        for debtRef in debtRefs.sorted() {
            guard
                let row = try await sql.raw(
                    """
                    SELECT d.id, d.currency, d.due_on, p.name AS debtor_name FROM debts d \
                    JOIN debtors p ON p.id = d.debtor_id WHERE d.client_id = \(bind: terms.id) \
                    AND d.ref = \(bind: debtRef)
                    """
                ).first()
            else { throw StoreError.unknownDebt(client: clientRef, debt: debtRef) }
            let debtID = try row.decode(column: "id", as: Int64.self)
            firstID = firstID ?? debtID
            currency = try Currency(code: try row.decode(column: "currency", as: String.self))
            debtorName = try row.decode(column: "debtor_name", as: String.self)
            var sums: [Int64] = [0, 0, 0, 0]
            for entry in try await sql.raw(
                """
                SELECT principal, interest, fees, total FROM ledger_entries \
                WHERE debt_id = \(bind: debtID) AND effective_on <= \(bind: asOf.daysSinceEpoch)
                """
            ).all() {
                for (index, column) in ["principal", "interest", "fees", "total"].enumerated() {
                    sums[index] = sums[index] &+ (try entry.decode(column: column, as: Int64.self))
                }
            }
            items.append(
                MessageContext.Item(
                    ref: debtRef, dueOn: LocalDate(daysSinceEpoch: try row.decode(column: "due_on", as: Int.self)),
                    principal: sums[0], interest: sums[1], fees: sums[2], total: sums[3]))
        }
        let creditor = stored.displayName
        let writer = terms.terms.collectorName ?? creditor
        var context = MessageContext(
            debtorName: debtorName, currency: currency, items: items, asOf: asOf, creditorName: creditor,
            writerName: writer, collectingForAnother: writer != creditor, profile: stored.profile,
            portalLink: portalLink)
        if validationNotice, items.count == 1, let firstID {
            context.validation = try await validation(debtID: firstID, asOf: asOf, sql: sql)
        }
        if planOffer, let total = context.totalOwed {
            context.planOffer = ChunkWorker.planOffer(total: total, terms: terms.terms, currency: currency)
        }
        return context
    }

    /// The validation notice's itemization of the debt `debtID` and the period of a notice sent on `asOf`.
    static func validation(
        debtID: Int64, asOf: LocalDate, sql: any SQLDatabase
    ) async throws -> MessageContext.Validation {
        guard
            let row = try await sql.raw(
                """
                SELECT COALESCE(itemization_on, charged_on) AS itemized_on, original_creditor FROM debts \
                WHERE id = \(bind: debtID)
                """
            ).first()
        else { throw StoreError.invalid("debt \(debtID) is not stored") }
        let itemizedOn = LocalDate(daysSinceEpoch: try row.decode(column: "itemized_on", as: Int.self))
        var itemization = Itemization()
        for entry in try await sql.raw(
            """
            SELECT kind, effective_on, interest, fees, total FROM ledger_entries \
            WHERE debt_id = \(bind: debtID) AND effective_on <= \(bind: asOf.daysSinceEpoch)
            """
        ).all() {
            let on = LocalDate(daysSinceEpoch: try entry.decode(column: "effective_on", as: Int.self))
            itemization.add(
                kind: try entry.decode(column: "kind", as: String.self),
                total: try entry.decode(column: "total", as: Int64.self),
                interest: try entry.decode(column: "interest", as: Int64.self),
                fees: try entry.decode(column: "fees", as: Int64.self), after: on > itemizedOn)
        }
        let period: ValidationPeriod
        do { period = try ValidationPeriod(sent: asOf) } catch { throw StoreError.invalid("\(error)") }
        return itemization.validation(
            itemizationDate: itemizedOn, period: period,
            originalCreditor: try row.decode(column: "original_creditor", as: String?.self))
    }

    /// A debt's amounts on its itemization date and what changed them since (12 CFR 1006.34(c)(2)(vi)–(viii)).
    struct Itemization {
        var onDate: Int64 = 0
        var interest: Int64 = 0
        var fees: Int64 = 0
        var payments: Int64 = 0
        var credits: Int64 = 0

        /// One ledger entry: on or before the itemization date it is part of what was owed then; after it, interest
        /// and fees added count as such, payments as paid (less reversals, and less refunds of an overpayment), and
        /// adjustments down and write-offs as credited.
        mutating func add(kind: String, total: Int64, interest entryInterest: Int64, fees entryFees: Int64, after: Bool)
        {
            guard after else {
                onDate = onDate &+ total
                return
            }
            switch kind {
            case "interest": interest = interest &+ total
            case "fee": fees = fees &+ total
            case "payment", "payment_reversal", "refund": payments = payments &- total
            default:
                if total >= 0 {
                    interest = interest &+ entryInterest
                    fees = fees &+ entryFees
                    onDate = onDate &+ (total &- entryInterest &- entryFees)
                } else {
                    credits = credits &- total
                }
            }
        }

        func validation(
            itemizationDate: LocalDate, period: ValidationPeriod, originalCreditor: String?
        ) -> MessageContext.Validation {
            MessageContext.Validation(
                itemizationDate: itemizationDate, amountOnItemizationDate: onDate, interestSince: interest,
                feesSince: fees, paymentsSince: payments, creditsSince: credits, period: period,
                originalCreditor: originalCreditor)
        }
    }
}
