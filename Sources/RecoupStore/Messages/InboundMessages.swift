import FluentKit
import Foundation
import RecoupCore
import SQLKit

/// What comes back from debtors and delivery services (issue 15; docs/messages.md, "What comes back"): texts, a text
/// provider's delivery receipts, and bounces. Each is one use case in one transaction, recorded as events the
/// compliance engine, the segments and the daily run see.
public enum InboundMessages {
    /// The words that stop texts (CTIA's list, and Spanish), compared without case or surrounding spaces.
    public static let stopWords: Set<String> = [
        "STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT", "OPT OUT", "ALTO", "PARAR",
        "BAJA",
    ]
    /// The words that ask for help.
    public static let helpWords: Set<String> = ["HELP", "INFO", "AYUDA"]

    /// What an inbound text did.
    public enum TextOutcome: Sendable, Equatable {
        /// STOP: an opt-out of texts to that number recorded for these debtors (none when none has the number).
        case optedOut(debtors: Int)
        /// HELP: the answer to send back.
        case help(String)
        /// Anything else: an inbound text on these debtors' timelines.
        case recorded(debtors: Int)
    }

    /// A text from `from` (E.164) saying `body`: STOP (or a synonym) opts that number out of texts for every debtor
    /// who has it; HELP is answered with who is writing and how to stop; anything else is an inbound text on each such
    /// debtor's timeline, its words kept as the event's note.
    public static func text(
        from: String, body: String, now: Date, on database: any Database
    ) async throws -> TextOutcome {
        guard let number = try? Phone.normalized(from, defaultCountry: "US") else {
            throw StoreError.invalid("from \"\(from)\" is not a phone number in E.164 form, such as +16175550100")
        }
        let words = body.trimmingCharacters(in: .whitespacesAndNewlines).uppercased()
        let debtors = try await debtorIDs(kind: "phone", value: number, on: database)
        if helpWords.contains(words) {
            return .help(
                "This number sends messages about accounts in collection. Reply STOP to stop texts. To talk to us, "
                    + "call the number in our messages.")
        }
        let isStop = stopWords.contains(words)
        let note = String(body.prefix(ContactStore.maxNoteLength))
        for debtorID in debtors {
            let event =
                isStop
                ? ContactEvent(.optOut(channel: .sms, address: number), at: now)
                : ContactEvent(.sms(direction: .inbound, to: nil), at: now)
            _ = try await ContactStore.record(
                ContactLogEntry(event, note: isStop ? "replied \"\(String(words.prefix(20)))\" to a text" : note),
                debtorID: debtorID, recordedBy: "inbound", on: database, now: now)
        }
        return isStop ? .optedOut(debtors: debtors.count) : .recorded(debtors: debtors.count)
    }

    /// A delivery receipt for outbox message `messageID`: `delivered` is noted in its history; `failed` or
    /// `undelivered` marks it `bounced` and its number undeliverable (not used again). False when there is no such
    /// message of that channel.
    public static func receipt(
        messageID: Int64, channel: MessageChannel, delivered: Bool, reason: String?, now: Date,
        on database: any Database
    ) async throws -> Bool {
        try await PaymentStore.serializedTransaction(database) { sql in
            guard
                let row = try await sql.raw(
                    """
                    SELECT debtor_id, recipient, status FROM outbox_messages WHERE id = \(bind: messageID) \
                    AND channel = \(bind: channel.rawValue)
                    """
                ).first()
            else { return false }
            let detail = String((reason ?? (delivered ? "delivered" : "not delivered")).prefix(500))
            guard !delivered else {
                try await OutboxDelivery.change(
                    messageID, OutboxStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .sent,
                    now: now, by: "receipt", detail: "delivered: \(detail)", sql: sql)
                return true
            }
            try await sql.raw(
                """
                UPDATE outbox_messages SET status = 'bounced', status_changed_at = \(bind: now), \
                last_error = \(bind: detail) WHERE id = \(bind: messageID)
                """
            ).run()
            try await OutboxDelivery.change(messageID, .bounced, now: now, by: "receipt", detail: detail, sql: sql)
            if let recipient = try row.decode(column: "recipient", as: String?.self) {
                try await markUndeliverable(
                    debtorID: try row.decode(column: "debtor_id", as: Int64.self),
                    kind: channel == .email ? "email" : "phone", value: recipient, reason: detail, now: now, sql: sql)
            }
            return true
        }
    }

    /// Marks a debtor's contact point undeliverable: it is left out of the compliance profile from now on.
    static func markUndeliverable(
        debtorID: Int64, kind: String, value: String, reason: String, now: Date, sql: any SQLDatabase
    ) async throws {
        try await sql.raw(
            """
            UPDATE contact_points SET undeliverable_at = \(bind: now), undeliverable_reason = \(bind: reason) \
            WHERE debtor_id = \(bind: debtorID) AND kind = \(bind: kind) AND lower(value) = \(bind: value.lowercased()) \
            AND undeliverable_at IS NULL
            """
        ).run()
    }

    /// The debtors with a contact point of `kind` equal to `value` (emails compared without case).
    static func debtorIDs(kind: String, value: String, on database: any Database) async throws -> [Int64] {
        try await (database as! any SQLDatabase).raw(
            """
            SELECT DISTINCT debtor_id FROM contact_points WHERE kind = \(bind: kind) \
            AND lower(value) = \(bind: value.lowercased()) ORDER BY debtor_id
            """
        ).all().map { try $0.decode(column: "debtor_id", as: Int64.self) }
    }

    /// What an inbound email did.
    public enum EmailOutcome: Sendable, Equatable {
        /// A bounce: these outbox messages marked `bounced`, and these addresses undeliverable.
        case bounced(messages: Int, addresses: Int)
        /// An opt-out (the mailto: opt-out's subject, or STOP/UNSUBSCRIBE): recorded for these debtors.
        case optedOut(debtors: Int)
        /// A reply: an inbound email on these debtors' timelines.
        case recorded(debtors: Int)
        /// A delivery report with no failure (a delay notice): nothing to record.
        case ignored
    }

    /// An email that came back to `RECOUP_MAIL_FROM`, parsed: a delivery status notification bounces the messages it
    /// returns and marks the failed addresses undeliverable; the opt-out reply (`opt-out TOKEN`, or STOP or
    /// UNSUBSCRIBE first) opts the address out of email; anything else is an inbound email on the timeline of the
    /// debtor it answers (by `In-Reply-To`/`References`) and of the debtors with the sender's address.
    public static func email(_ email: InboundEmail, now: Date, on database: any Database) async throws -> EmailOutcome {
        if email.isDeliveryReport {
            guard !email.failedRecipients.isEmpty else { return .ignored }
            let reason = String((email.failureReason ?? "undeliverable").prefix(500))
            var messages = 0
            for id in email.outboxIDs
            where try await receipt(
                messageID: id, channel: .email, delivered: false, reason: reason, now: now, on: database)
            {
                messages += 1
            }
            var addresses = 0
            for address in Set(email.failedRecipients) {
                let debtors = try await debtorIDs(kind: "email", value: address, on: database)
                try await PaymentStore.serializedTransaction(database) { sql in
                    for debtorID in debtors {
                        try await markUndeliverable(
                            debtorID: debtorID, kind: "email", value: address, reason: reason, now: now, sql: sql)
                    }
                }
                if !debtors.isEmpty { addresses += 1 }
            }
            return .bounced(messages: messages, addresses: addresses)
        }
        // The mailto: opt-out our List-Unsubscribe offers: "opt-out TOKEN".
        let words = email.subject.split(separator: " ").map(String.init)
        if let index = words.firstIndex(where: { $0.lowercased() == "opt-out" }), index + 1 < words.count,
            let result = try await OptOutLinks.optOut(token: words[index + 1], via: "reply", now: now, on: database)
        {
            return .optedOut(debtors: result.wasAlreadyOptedOut ? 0 : 1)
        }
        var debtors = Set<Int64>()
        let sql = database as! any SQLDatabase
        for id in email.outboxIDs {
            if let message = try await OutboxStore.messages(ids: [id], sql: sql).first {
                debtors.insert(message.debtorID)
            }
        }
        if let from = email.from {
            debtors.formUnion(try await debtorIDs(kind: "email", value: from, on: database))
        }
        let first =
            (email.subject.split(separator: " ").first.map(String.init) ?? "")
            .trimmingCharacters(in: .punctuationCharacters).uppercased()
        let firstOfText =
            (email.text.split(whereSeparator: { $0.isWhitespace }).first.map(String.init) ?? "")
            .trimmingCharacters(in: .punctuationCharacters).uppercased()
        let isStop = ["STOP", "UNSUBSCRIBE"].contains(first) || ["STOP", "UNSUBSCRIBE"].contains(firstOfText)
        let note = String(("Subject: \(email.subject)\n\n" + email.text).prefix(ContactStore.maxNoteLength))
        for debtorID in debtors.sorted() {
            let event =
                isStop
                ? ContactEvent(.optOut(channel: .email, address: email.from), at: now)
                : ContactEvent(.email(direction: .inbound, to: nil), at: now)
            _ = try await ContactStore.record(
                ContactLogEntry(event, note: isStop ? "asked by email to stop emails" : note), debtorID: debtorID,
                recordedBy: "inbound", on: database, now: now)
        }
        return isStop ? .optedOut(debtors: debtors.count) : .recorded(debtors: debtors.count)
    }
}
