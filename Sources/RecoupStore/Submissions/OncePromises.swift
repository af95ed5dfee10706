import FluentKit
import Foundation
import RecoupCore

extension PromiseStore {
    /// `add(…)` for a form (`submission`, the portal's promise): the same form sent again records no second promise
    /// and answers `.repeated` with the first one's id. The form's id is claimed in a transaction of its own before
    /// the promise's, and given back when the promise is refused, so a corrected form can be sent again; should the
    /// process stop between the two, the id stays claimed with no promise (the debtor is told the form was sent and
    /// can promise again from a fresh page). Folding the claim into `add`'s transaction, as `ArrangementStore.create`
    /// does, would close that gap.
    public static func add(
        clientRef: String, debtRef: String, amount: EnteredAmount, due: LocalDate, madeOn: LocalDate,
        via: PromiseToPay.Channel, note: String?, once submission: FormSubmission, on database: any Database, now: Date,
        zone: TimeZone = TimeZone(identifier: "UTC")!
    ) async throws -> OnceOnly<PromiseView> {
        if let earlier = try await PaymentStore.serializedTransaction(database, { sql in
            try await FormSubmissions.claim(submission, kind: "promise", now: now, sql: sql)
        }) {
            return .repeated(earlier)
        }
        let view: PromiseView
        do {
            view = try await add(
                clientRef: clientRef, debtRef: debtRef, amount: amount, due: due, madeOn: madeOn, via: via, note: note,
                on: database, now: now, zone: zone)
        } catch {
            try? await PaymentStore.serializedTransaction(database) { sql in
                try await FormSubmissions.release(submission, sql: sql)
            }
            throw error
        }
        try await PaymentStore.serializedTransaction(database) { sql in
            try await FormSubmissions.complete(submission, result: String(view.id), sql: sql)
        }
        return .done(view)
    }
}
