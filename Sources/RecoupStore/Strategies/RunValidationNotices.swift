import Foundation
import RecoupCore
import SQLKit

/// The validation notice in the daily run (docs/messages.md, "The validation notice"; 12 CFR 1006.34): a consumer debt
/// of a client an agency collects for gets the notice as its first communication — a letter (an email when no postal
/// address is on file), one per debt — before any step of the strategy; until the notice has been sent the compliance
/// engine holds the strategy's contacts (`validation-notice`), and a final notice waits out the validation period
/// (`validation-period`). A notice that was cancelled, failed or bounced is sent again at the next run.
extension ChunkWorker {
    /// The step the run records a validation notice under (a strategy may not name a step so).
    static let validationStepID = "validation-notice"

    /// What the chunk knows of a debt's validation notices.
    struct NoticeState: Sendable {
        /// When the first notice that went out was sent.
        var sentAt: Date?
        /// True while a notice is queued, sending, deferred or sent.
        var live: Bool
    }

    /// True when `debt` is a consumer debt of a client whose terms name a collector other than the client itself.
    func owesValidationNotice(_ debt: OpenDebt) -> Bool {
        guard debt.key.debtorKind == .consumer, let client = context.clients[debt.clientID],
            let collector = client.terms.collectorName
        else { return false }
        return collector != client.name
    }

    /// What a compliance request says of `debt`'s validation notice: nil when none is owed.
    func validationFacts(_ debt: OpenDebt) -> ValidationNoticeFacts? {
        owesValidationNotice(debt) ? ValidationNoticeFacts(sentAt: notices[debt.key.id]?.sentAt) : nil
    }

    /// True while `debt` owes a validation notice that has not been sent: the strategy's steps wait
    /// (`validation-notice`), whatever else would stop them (no address for the step's channel, say).
    func awaitsValidationNotice(_ debt: OpenDebt) -> Bool {
        owesValidationNotice(debt) && notices[debt.key.id]?.sentAt == nil
    }

    /// Records `items` as held by `validation-notice` (the engine's rule, applied before the step is addressed).
    mutating func holdForValidationNotice(_ items: [Planned]) {
        for item in items {
            block(
                item, rules: [RuleID.validationNotice.rawValue],
                reason: "No validation notice about \(item.debt.key.ref) has been sent; a debt collector's first "
                    + "communication about a debt is its validation notice, so the strategy's steps wait until it is sent."
            )
        }
    }

    /// The notices of the chunk's debts (`ids`, a bound list), by debt.
    static func validationNotices(ids: SQLQueryString, sql: any SQLDatabase) async throws -> [Int64: NoticeState] {
        var notices: [Int64: NoticeState] = [:]
        for row in try await sql.runRows(
            """
            SELECT a.debt_id, m.status, m.sent_at FROM strategy_actions a JOIN outbox_messages m ON m.id = a.message_id \
            WHERE a.debt_id IN (\(ids)) AND a.step_id = '\(unsafeRaw: validationStepID)'
            """,
            columns: ["debt_id", "status", "sent_at"], orderBy: ["a.debt_id"]
        ) {
            let debtID = try row.int64("debt_id")
            let status = try row.string("status")
            var state = notices[debtID] ?? NoticeState(sentAt: nil, live: false)
            if ["queued", "sending", "deferred", "sent"].contains(status) { state.live = true }
            // Handed over (a letter written for the post, an email the server took) counts as provided; a bounced
            // email was not, and is sent again.
            if status == "sent", let sent = try row.optionalDate("sent_at") {
                state.sentAt = min(state.sentAt ?? sent, sent)
            }
            notices[debtID] = state
        }
        return notices
    }

    /// The notice's step for `debt`: a letter, or an email when the debtor has no postal address but an email address;
    /// nil when the debt already has a live notice. Its occurrence counts the notices tried before.
    func validationNoticePlan(
        _ debt: OpenDebt, profile: DebtorContactProfile, done: [StepOccurrence]
    ) -> StepPlan? {
        guard owesValidationNotice(debt), notices[debt.key.id]?.live != true else { return nil }
        let byEmail = profile.addresses.isEmpty && !profile.emails.isEmpty
        var step = StrategyStep(id: Self.validationStepID, day: 0, action: byEmail ? .email : .letter)
        step.template = "validation-notice"
        step.channel = byEmail ? .email : .letter
        let tried = done.filter { $0.stepID == Self.validationStepID }.map(\.occurrence).max() ?? 0
        return StepPlan(
            track: -1, step: step,
            occurrence: StepOccurrence(stepID: Self.validationStepID, occurrence: tried + 1, scheduledOn: asOf),
            skipped: [])
    }

    /// The itemization and validation period of a notice about `debt` sent on the run's day.
    func validationDetails(_ debt: OpenDebt) async throws -> MessageContext.Validation {
        try await MessageContexts.validation(debtID: debt.key.id, asOf: asOf, sql: sql)
    }
}
