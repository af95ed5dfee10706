import Foundation
import RecoupCore
import RecoupStore
import Vapor

/// The debtor's messages in the outbox, on the debt page's timeline: what the daily run (or a person) queued, when it
/// may be sent in the debtor's time, its subject and status, and the text itself.
extension DebtPagesController {
    struct OutboxRow: Encodable {
        /// When it may be sent, as the page writes instants (the debtor's zone first).
        var at: String
        var iso: String
        /// "Email", "Text message", "Letter".
        var channel: String
        var status: String
        /// "to be sent from", "sent", …: the words before the time.
        var when: String
        var subject: String?
        var recipient: String
        /// "A-1 and A-2", or nil when no action names it.
        var debts: String?
        var template: String
        var step: String?
        var body: String
        /// True when it is about the debt the page shows.
        var concernsThisDebt: Bool
    }

    /// The debtor's outbox messages, the latest send time first, through the user's scope.
    static func addOutbox(
        to context: inout DebtContext, debt: DebtSummary, times: TimeDisplay, request: Request
    ) async throws {
        let messages = try await OutboxStore.messages(debtorID: debt.debtorID, scope: request.scope, on: request.db)
        context.outbox = messages.map { message in
            OutboxRow(
                at: times.instant(message.sendAfter), iso: ISO8601Instant.format(message.sendAfter),
                channel: channelName(message.channel), status: message.status.rawValue,
                when: message.status == .queued || message.status == .deferred
                    ? "to be sent from" : "was to be sent from",
                subject: message.subject, recipient: message.recipient ?? "no address known",
                debts: message.debtRefs.isEmpty ? nil : list(message.debtRefs), template: message.template,
                step: message.stepID, body: message.body, concernsThisDebt: message.debtRefs.contains(debt.ref))
        }
    }

    static func channelName(_ channel: MessageChannel) -> String {
        switch channel {
        case .email: "Email"
        case .sms: "Text message"
        case .letter: "Letter"
        case .voicemail: "Voicemail"
        }
    }

    /// `a`, `a and b`, `a, b and c`.
    private static func list(_ items: [String]) -> String {
        guard items.count > 1 else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + " and " + items[items.count - 1]
    }
}
