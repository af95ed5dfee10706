import Foundation
import RecoupCore
import RecoupStore
import Vapor

/// A plan offered on a page (a collector's on a debt's page, or the debtor's in the portal): the form read the
/// same way, the plan computed with the client's terms, and the proposed arrangement written with its agreement.
enum PlanDrafting {
    /// What was drafted.
    struct Draft {
        var proposal: PlanProposal
        var ref: String
        var agreement: String
        /// The proposal's options in words, formatted for the currency.
        var options: [String]
    }

    /// Reads an offer: an amount above zero in `currency` as people type it (`AmountInput.typed`), weekly, biweekly or monthly, and a first date from today.
    static func offer(
        amount: String?, frequency: String?, firstDue: String?, currency: Currency, today: LocalDate
    ) throws -> PlanOffer {
        let units = try AmountInput.typed(amount ?? "", field: "the amount", currency: currency)
        guard let frequency = PaymentFrequency(rawValue: frequency ?? "monthly") else {
            throw InputError("choose weekly, every two weeks or monthly")
        }
        let first = try LocalDate(iso: firstDue ?? "")
        guard first >= today else { throw InputError("the first payment date must be today or later") }
        return PlanOffer(amount: units, frequency: frequency, firstDue: first)
    }

    /// Computes the plan for `debts` (one client's, one currency) with the client's terms for the page to show, and
    /// writes the proposed arrangement and its agreement (the store's use case, which stores the debtor's segments
    /// again too).
    static func draft(
        _ request: Request, clientRef: String, debts: [DebtSummary], offer: PlanOffer,
        option: PlanOption.Kind
    ) async throws -> Draft {
        switch try await draft(request, clientRef: clientRef, debts: debts, offer: offer, option: option, once: nil) {
        case .done(let draft): return draft
        case .repeated: throw UserFacingError.badRequest("a plan drafted without a form id cannot be a repeat")
        }
    }

    /// `draft(_:clientRef:debts:offer:option:)` for a form (`submission`): the same form sent again writes nothing
    /// and answers `.repeated` (`ArrangementStore.create(_:once:…)`). `now` and `today` are the request's (the
    /// clock's reading and its day in the business zone unless given: the portal gives the debtor's day).
    static func draft(
        _ request: Request, clientRef: String, debts: [DebtSummary], offer: PlanOffer,
        option: PlanOption.Kind, once submission: FormSubmission?, replacingProposed: [String] = [],
        now: Date? = nil, today: LocalDate? = nil
    ) async throws -> OnceOnly<Draft> {
        let settings = request.application.settings
        let now = now ?? settings.clock()
        let today = today ?? LocalDate(now, in: settings.businessTimeZone)
        let currency = debts[0].currency
        let terms = try await AccrualStore.terms(clientRef: clientRef, on: request.db).terms
        let proposal = PlanCalculator.propose(
            PlanRequest(
                balance: max(1, debts.reduce(0) { $0 + $1.balance }), currency: currency, today: today,
                offer: offer,
                terms: terms.plan))
        var create = CreateArrangementRequest(
            clientRef: clientRef, debtRefs: debts.map(\.ref), today: today, offer: offer, option: option)
        create.replacingProposed = replacingProposed
        let created = try await ArrangementStore.create(
            create, once: submission, on: request.db, now: now, zone: settings.businessTimeZone)
        let view: ArrangementView
        switch created {
        case .done(let made): view = made
        case .repeated(let receipt): return .repeated(receipt)
        }
        let agreement = try await ArrangementStore.agreement(clientRef: clientRef, ref: view.ref, on: request.db)
        let money = { (units: Int64) in Money.displayString(minorUnits: units, currency: currency) }
        let options = proposal.options.map { option -> String in
            let first = option.installments[0]
            switch option.kind {
            case .installments:
                return "\(option.installments.count) payments of \(money(first.amount)) from \(first.due.isoString), "
                    + "\(money(option.total)) in all"
            case .extension:
                return "The whole \(money(option.total)) on \(first.due.isoString)"
            case .settlement:
                return "A settlement of \(money(option.total)) on \(first.due.isoString)"
            }
        }
        return .done(Draft(proposal: proposal, ref: view.ref, agreement: agreement.text, options: options))
    }
}
