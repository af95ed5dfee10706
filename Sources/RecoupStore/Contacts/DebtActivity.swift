import FluentKit
import Foundation
import RecoupCore

/// What a debtor did about one debt, as a person reads it back (the debt page; the portal): the arrangements with
/// their schedules matched to the payments, the promises and where each stands, the preferences they gave (times and
/// places that are inconvenient, opt-outs, consent) and their disputes.
public struct DebtActivity: Sendable {
    /// The arrangements that include the debt, newest first, matched to the payments up to the day asked about.
    public var arrangements: [ArrangementView]
    /// The promises to pay on the debt, latest due first, each as it stands on that day.
    public var promises: [PromiseView]
    /// Inconvenient times and places, opt-outs, consent given and revoked, about the debt (or all the debtor's debts),
    /// oldest first.
    public var preferences: [StoredContactEvent]
    /// Disputes about the debt and the verifications sent, oldest first.
    public var disputes: [StoredContactEvent]

    public init(
        arrangements: [ArrangementView], promises: [PromiseView], preferences: [StoredContactEvent],
        disputes: [StoredContactEvent]
    ) {
        self.arrangements = arrangements
        self.promises = promises
        self.preferences = preferences
        self.disputes = disputes
    }

    /// Reads what the debtor did about `debt`, as of `asOf`; `contacts` is the debtor's contact history when the
    /// caller has it already (else it is read).
    public static func of(
        _ debt: DebtSummary, contacts: DebtorContacts? = nil, asOf: LocalDate, on database: any Database
    ) async throws -> DebtActivity {
        let history: DebtorContacts
        if let contacts {
            history = contacts
        } else {
            history = try await ContactStore.contacts(debtorID: debt.debtorID, on: database)
        }
        var arrangements: [ArrangementView] = []
        for summary in try await ArrangementStore.summaries(debtID: debt.id, on: database) {
            arrangements.append(
                try await ArrangementStore.show(clientRef: debt.clientRef, ref: summary.ref, asOf: asOf, on: database))
        }
        let events = history.events.filter { $0.concerns(debt.ref) }
        return DebtActivity(
            arrangements: arrangements,
            promises: try await PromiseStore.list(
                clientRef: debt.clientRef, debtRef: debt.ref, asOf: asOf, on: database),
            preferences: events.filter { $0.event.isPreference },
            disputes: events.filter {
                if case .dispute = $0.event.kind { return true }
                if case .verificationSent = $0.event.kind { return true }
                return false
            })
    }
}

extension ContactEvent {
    /// True for what the debtor asked about how and when to be contacted: inconvenient times and places, opt-outs,
    /// consent given or revoked.
    public var isPreference: Bool {
        switch kind {
        case .inconvenient, .inconvenientPlace, .optOut, .consent, .consentRevoked: true
        default: false
        }
    }
}

extension ArrangementView {
    /// The first installment not yet paid in full, if any.
    public var nextInstallment: InstallmentStatus? { match.installments.first { !$0.isFullyPaid } }
}
