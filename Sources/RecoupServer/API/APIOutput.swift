import Foundation
import RecoupAPI
import RecoupCore
import RecoupStore

// The answers about payments, arrangements, promises and contact events, made member by member from the store's
// values. The API sends them and `recoup` prints them (`CommandOutput`), so both answer alike from one mapping.
// Amounts are decimal strings with the currency's minor digits, dates YYYY-MM-DD, instants in UTC with a Z.
// Enumerations are matched by name: every case Core has is in the document (APIOutputTests checks each), so the
// fallbacks below are never taken; an event's type is matched case by case, so a new kind must be documented first.

extension Components.Schemas.Allocation {
    /// What an entry paid toward each component, as positive amounts for a payment. A refund raises principal back
    /// toward zero (out of a credit) and a reversal restores what its payment paid, so those keep their sign.
    init(_ entry: LedgerEntry, currency: Currency) {
        let sign: Int64 = entry.kind == .payment ? -1 : 1
        let money = APIMoney(currency)
        self.init(
            fees: money(sign * entry.effect.fees), interest: money(sign * entry.effect.interest),
            principal: money(sign * entry.effect.principal))
    }
}

extension Components.Schemas.Balance {
    /// A debt's balance by component after an entry.
    init(_ balance: ComponentAmounts, currency: Currency) {
        let money = APIMoney(currency)
        self.init(
            principal: money(balance.principal), interest: money(balance.interest), fees: money(balance.fees),
            total: money(balance.total))
    }
}

extension Components.Schemas.PaymentPosted {
    /// A payment, reversal or refund posted to one debt. Any other entry (a fee) is not a payment: Recoup's mistake.
    init(_ result: PaymentResult, client: String, debt: String) throws(APIOutputError) {
        guard let kind = KindPayload(rawValue: result.entry.kind.rawValue) else {
            throw .notAPayment(result.entry.kind)
        }
        let entry = result.entry
        self.init(
            status: result.posted ? .posted : .alreadyPosted, client: client, debt: debt, key: entry.idempotencyKey,
            kind: kind, amount: APIMoney(result.currency)(entry.amount), effectiveOn: entry.effectiveDate.isoString,
            currency: result.currency.code, allocation: .init(entry, currency: result.currency),
            balance: .init(result.balance, currency: result.currency))
    }
}

extension Components.Schemas.SpreadPaymentPosted {
    /// One payment spread over a debtor's debts: a part per debt, each with its own key (`KEY#DEBT`).
    init(_ result: SpreadPaymentResult, client: String, debtor: String) {
        let money = APIMoney(result.currency)
        self.init(
            status: result.posted ? .posted : .alreadyPosted, client: client, debtor: debtor,
            amount: money(result.parts.reduce(0) { $0 + $1.entry.amount }),
            effectiveOn: result.parts.first?.entry.effectiveDate.isoString ?? "", currency: result.currency.code,
            parts: result.parts.map { part in
                PartsPayloadPayload(
                    debt: part.debtRef, key: part.entry.idempotencyKey, amount: money(part.entry.amount),
                    allocation: .init(part.entry, currency: result.currency),
                    balance: .init(part.balance, currency: result.currency))
            })
    }
}

extension Components.Schemas.Arrangement {
    /// An arrangement with each installment matched to the payments up to the view's date.
    init(_ view: ArrangementView) {
        let arrangement = view.arrangement
        let money = APIMoney(arrangement.currency)
        self.init(
            ref: view.ref, client: view.clientRef, debtor: view.debtorRef,
            state: .init(rawValue: arrangement.state.rawValue) ?? .proposed,
            kind: .init(rawValue: arrangement.kind.rawValue) ?? .installments, currency: arrangement.currency.code,
            total: money(arrangement.total), graceDays: arrangement.graceDays, createdOn: view.createdOn.isoString,
            debts: arrangement.debts.map { DebtsPayloadPayload(debt: $0.ref, amount: money($0.amount)) },
            asOf: view.asOf.isoString,
            installments: view.match.installments.map { status in
                InstallmentsPayloadPayload(
                    number: status.number, due: status.due.isoString, amount: money(status.amount),
                    paid: money(status.paid), paidOn: Nullable(status.paidOn?.isoString),
                    standing: .init(rawValue: status.standing.rawValue) ?? .due)
            },
            excess: money(view.match.excess), acceptance: Nullable(arrangement.acceptance.map { .init($0) }),
            stateReason: Nullable(arrangement.stateReason),
            stateChangedOn: Nullable(arrangement.stateChangedOn?.isoString),
            agreementSha256: view.agreementSHA256)
    }
}

extension Components.Schemas.Acceptance {
    /// Who accepted, when, and the evidence of the method: only the members the method records.
    init(_ acceptance: Acceptance) {
        self.init(
            by: acceptance.by, at: ISO8601Instant.format(acceptance.at),
            method: .init(rawValue: acceptance.method.name) ?? .signedLetter)
        switch acceptance.method {
        case .portalClick(let ip, let userAgent):
            self.ip = ip
            self.userAgent = userAgent
        case .recordedCall(let collector, let recording):
            self.collector = collector
            self.recording = recording
        case .signedLetter(let document):
            self.document = document
        }
    }
}

extension Components.Schemas.Promise {
    /// A promise and what became of it by `asOf`.
    init(_ view: PromiseView, asOf: LocalDate) {
        let money = APIMoney(view.currency)
        self.init(
            id: Int(view.id), debt: view.debtRef, amount: money(view.promise.amount), currency: view.currency.code,
            due: view.promise.due.isoString, madeOn: view.promise.madeOn.isoString,
            via: .init(rawValue: view.promise.via.rawValue) ?? .call, note: Nullable(view.note), asOf: asOf.isoString,
            outcome: .init(rawValue: view.outcome.name) ?? .pending, paid: money(view.outcome.paid))
    }
}

extension Components.Schemas.ContactEvent {
    /// A logged event in the compliance check's event shape: `type`, `at`, `debtIds` when it names debts, and the
    /// members its type uses. What the log keeps beside the event (purpose, note) is not part of the answer.
    init(_ entry: ContactLogEntry) {
        let event = entry.event
        self.init(
            _type: .init(event.kind), at: ISO8601Instant.format(event.at),
            debtIds: event.debtIDs.flatMap { $0.isEmpty ? nil : $0 })
        switch event.kind {
        case .call(let direction, let to, let outcome, let messageLeft):
            self.direction = .init(rawValue: direction.rawValue) ?? .outbound
            self.to = to
            self.outcome = .init(rawValue: outcome.rawValue) ?? .noAnswer
            self.messageLeft = messageLeft
        case .sms(let direction, let to), .email(let direction, let to):
            self.direction = .init(rawValue: direction.rawValue) ?? .outbound
            self.to = to
        case .consent(let until):
            self.until = until.map(ISO8601Instant.format)
        case .optOut(let channel, let address):
            self.channel = .init(rawValue: channel.rawValue) ?? .call
            self.address = address
        case .inconvenient(let weekdays, let from, let to, let until):
            // 1 = Monday … 7 = Sunday, in the document's order; an empty set (every day) is left out.
            let days = WeekdaysPayloadPayload.allCases
            let named = weekdays.sorted().compactMap { days.indices.contains($0 - 1) ? days[$0 - 1] : nil }
            self.weekdays = named.isEmpty ? nil : named
            self.from = from?.description
            self.to = to?.description
            self.until = until?.isoString
        case .inconvenientPlace(let place):
            self.place = .init(rawValue: place.rawValue) ?? .home
        case .letter, .consentRevoked, .cease, .dispute, .verificationSent, .attorney, .attorneyWithdrawn, .bankruptcy,
            .bankruptcyDismissed:
            break
        }
    }
}

extension Components.Schemas.ContactEvent._TypePayload {
    /// The event's type as the document names it; a kind Core adds does not compile here until the document has it.
    init(_ kind: ContactEvent.Kind) {
        switch kind {
        case .call: self = .call
        case .sms: self = .sms
        case .email: self = .email
        case .letter: self = .letter
        case .consent: self = .consent
        case .consentRevoked: self = .consentRevoked
        case .cease: self = .cease
        case .dispute: self = .dispute
        case .verificationSent: self = .verificationSent
        case .attorney: self = .attorney
        case .attorneyWithdrawn: self = .attorneyWithdrawn
        case .bankruptcy: self = .bankruptcy
        case .bankruptcyDismissed: self = .bankruptcyDismissed
        case .optOut: self = .optOut
        case .inconvenient: self = .inconvenient
        case .inconvenientPlace: self = .inconvenientPlace
        }
    }
}

/// A store answer the document has no shape for: Recoup's mistake, never the caller's (a 500, logged).
enum APIOutputError: Error, CustomStringConvertible {
    /// A payment answer asked of an entry that is not a payment, reversal or refund.
    case notAPayment(LedgerEntryKind)

    var description: String {
        switch self {
        case .notAPayment(let kind):
            "a \(kind.rawValue) entry is not a payment, reversal or refund, which the document's PaymentPosted shows"
        }
    }
}

/// Minor units as the document's decimal string in one currency (`12.50`, `1250` for JPY).
struct APIMoney {
    var currency: Currency

    init(_ currency: Currency) { self.currency = currency }

    func callAsFunction(_ units: Int64) -> DecimalText {
        DecimalText(Money.decimalString(minorUnits: units, currency: currency))
    }
}
