import FluentKit
import Foundation
import RecoupCore
import SQLKit

/// A message handed to a delivery service, with what the service needs to put it together.
public struct OutgoingMessage: Sendable, Equatable {
    /// The outbox message's id.
    public var id: Int64
    /// The Message-ID it keeps through every attempt (`<outbox-12.3f9a…@recoup>`): a mail system that sees it twice
    /// can tell.
    public var messageKey: String
    public var channel: MessageChannel
    /// The address, number or mailing address (one line, parts separated by commas) it goes to.
    public var recipient: String
    /// The debtor's name, and for a letter the window's lines (name, street, city and state).
    public var recipientName: String
    public var recipientLines: [String]
    public var subject: String?
    public var body: String
    /// The client's reference.
    public var clientRef: String
    /// Who is writing, as the message's template named them (the agency the client's terms name, or the client), and
    /// the sender's block of a letter: that name, then the client's address and phone when the client writes itself.
    public var writerName: String
    public var senderLines: [String]
    /// The debts it is about.
    public var debtRefs: [String]
    /// The token of its one-click opt-out (`OptOutLinks`), for an email or a text.
    public var optOutToken: String? = nil
    /// Files that go with an email: the PDF statement its template asks for.
    public var attachments: [OutgoingAttachment] = []
    /// The language it is written in: a letter's date and page numbers, an email's opt-out line follow it.
    public var language: MessageLanguage = .en
}

/// A file sent with an email.
public struct OutgoingAttachment: Sendable, Equatable {
    public var filename: String
    public var contentType: String
    public var data: [UInt8]

    public init(filename: String, contentType: String, data: [UInt8]) {
        self.filename = filename
        self.contentType = contentType
        self.data = data
    }
}

/// A service that delivers one channel's messages: SMTP for email, an SMS provider, the letters directory. A batch
/// goes out together (one connection, one print file). The service hands each message's outcome to `answer` (with the
/// message's place in `messages`) as soon as it has it, so that what went is recorded while the rest is still going;
/// an `answer` that throws (the outcome could not be recorded) stops the batch with that error.
public protocol MessageTransport: Sendable {
    var channel: MessageChannel { get }
    func deliver(
        _ messages: [OutgoingMessage], at now: Date, answer: (Int, DeliveryOutcome) async throws -> Void
    ) async throws
}

/// What one `recoup outbox send` did.
public struct DeliverySummary: Sendable, Equatable {
    public var sent = 0
    /// Put off: a temporary failure to try again later, or a time the debtor may not be contacted at.
    public var deferred = 0
    public var failed = 0
    public var cancelled = 0
    /// Due, but of a channel with no service configured (`RECOUP_SMTP_URL`, `RECOUP_SMS_URL`): left queued.
    public var waiting: [MessageChannel: Int] = [:]

    public init() {}
}

/// Delivers the outbox (issue 15; docs/messages.md). A message moves `queued → sending → sent | deferred | failed |
/// cancelled`, each change kept in `outbox_changes`:
///
/// 1. **Claim.** One transaction takes the due messages (queued or deferred with `send_after` passed, or `sending`
///    whose sender's claim has run out) of the channels it can deliver, marks them `sending`, counts the attempt and
///    gives each its Message-ID once.
/// 2. **Check again.** At the moment of sending each message is decided again by the compliance engine against the
///    debtor's history as it is now, for every debt it covers: a hold that arrived since it was queued (cease,
///    dispute, attorney, bankruptcy, an opt-out) cancels it with the rules; a time the debtor may not be contacted at
///    defers it to the next allowed instant.
/// 3. **Deliver** each channel's batch through its service.
/// 4. **Record** each batch's answers in one transaction as soon as its service gives them: `sent` with an outbound
///    contact event in the debtor's history (which the rules then count), or `deferred` to the backoff's next
///    attempt, or `failed` with the service's answer.
///
/// A sender that dies between 3 and 4 leaves its batch `sending`: once the claim has run out (`claimFor`) the next
/// send takes them again, with the same Message-ID. Those recorded `sent` are never sent again.
public enum OutboxDelivery {
    /// How long a sender holds the messages it claimed.
    public static let claimFor: TimeInterval = 15 * 60
    /// The most messages one send takes.
    public static let largestBatch = 10_000

    /// Sends what is due at `now`, at most `limit` messages, through `transports` (at most one a channel).
    public static func send(
        transports: [any MessageTransport], limit: Int = 1_000, now: Date, by: String, on database: any Database
    ) async throws -> DeliverySummary {
        guard (1...largestBatch).contains(limit) else {
            throw StoreError.invalid("--limit is \(limit); use 1 to \(largestBatch)")
        }
        var summary = DeliverySummary()
        let channels = transports.map(\.channel)
        let claimed = try await claim(channels: channels, limit: limit, now: now, by: by, on: database)
        summary.waiting = try await waiting(besides: channels, now: now, on: database)
        guard !claimed.isEmpty else { return summary }
        let sql = database as! any SQLDatabase

        // Check each message again; those that may go now are delivered by channel.
        var ready: [MessageChannel: [(message: OutgoingMessage, debtorID: Int64)]] = [:]
        var stopped: [Record] = []
        var rewrites: [(id: Int64, rendered: RenderedMessage, detail: String)] = []
        var book: TemplateBook? = nil
        let messages = try await outgoing(claimed, sql: sql)
        // A page of messages at a time, with their debtors' histories read together (and let go after).
        for start in stride(from: 0, to: messages.count, by: 1_000) {
            let page = messages[start..<min(messages.count, start + 1_000)]
            let debtorIDs = Array(Set(page.map(\.debtorID))).sorted()
            let contactsOf = try await contacts(debtorIDs: debtorIDs, sql: sql)
            let balances = try await balances(debtorIDs: debtorIDs, sql: sql)
            for var message in page {
                guard let contacts = contactsOf[message.debtorID] else { continue }
                // A message about debts all paid since it was queued asks for money no longer owed.
                let refs = message.outgoing.debtRefs
                let debts = balances[message.debtorID] ?? [:]
                if !refs.isEmpty, refs.allSatisfy({ (debts[$0]?.balance ?? 0) <= 0 }) {
                    stopped.append(
                        .status(
                            message.outgoing.id, .cancelled,
                            detail: "paid since it was queued: \(refs.joined(separator: ", "))", sendAfter: nil,
                            error: nil))
                    summary.cancelled += 1
                    continue
                }
                // A payment, charge or adjustment since it was queued makes its amount wrong: it is not sent with the
                // old one (15 U.S.C. 1692e(2)(A): never misstate the amount of a debt).
                // It is written again from its template with what is owed now (the debts paid off since left out);
                // one that cannot be is cancelled.
                // A validation notice is always written for the day it goes: its itemization and the end of its
                // validation period are those of that day.
                let changed = refs.filter { ref in debts[ref]?.changedAt.map { $0 > message.queuedAt } ?? false }
                let isNotice = message.template == "validation-notice"
                if !changed.isEmpty || isNotice {
                    let why =
                        changed.isEmpty
                        ? "a validation notice is dated the day it is sent"
                        : "the amount owed changed since it was queued (\(changed.joined(separator: ", ")))"
                    let owed = refs.filter { (debts[$0]?.balance ?? 0) > 0 }
                    let today = ContactScheduling.day(of: now, in: DebtorTimeZones.primary(contacts.profile).zone)
                    if book == nil { book = try await TemplateStore.book(sql: sql) }
                    switch try await rewritten(
                        message.outgoing, owing: owed, asOf: today, now: now, book: book!, sql: sql)
                    {
                    case .success(let rendered):
                        message.outgoing.body = rendered.body
                        message.outgoing.subject = rendered.subject
                        message.outgoing.debtRefs = owed
                        rewrites.append(
                            (
                                message.outgoing.id, rendered,
                                changed.isEmpty
                                    ? "\(why): written for \(today)"
                                    : "\(why): written again with what is owed now"
                            ))
                    case .failure(let problem):
                        stopped.append(
                            .status(
                                message.outgoing.id, .cancelled,
                                detail: "\(why), and it cannot be written again (\(problem.sentence)): not sent with "
                                    + "the old amount", sendAfter: nil, error: nil))
                        summary.cancelled += 1
                        continue
                    }
                }
                switch recheck(message.outgoing, contacts: contacts, now: now) {
                case .proceed:
                    var outgoing = message.outgoing
                    if outgoing.channel == .letter {
                        outgoing.recipientLines += letterLines(
                            outgoing.recipient, addresses: contacts.profile.addresses)
                    }
                    if outgoing.channel == .email {
                        if book == nil { book = try await TemplateStore.book(sql: sql) }
                        if book!.attachesStatement(
                            message.template, channel: .email, language: message.language, client: message.clientID)
                        {
                            outgoing.attachments.append(
                                try await statement(
                                    outgoing, language: message.language, addresses: contacts.profile.addresses,
                                    now: now, sql: sql))
                        }
                    }
                    ready[outgoing.channel, default: []].append((outgoing, message.debtorID))
                case .defer(let until, let rules):
                    stopped.append(
                        .status(
                            message.outgoing.id, .deferred,
                            detail: "not now (\(rules)): the next allowed instant is \(ISO8601Instant.format(until))",
                            sendAfter: until, error: nil))
                    summary.deferred += 1
                case .cancel(let rules):
                    stopped.append(
                        .status(
                            message.outgoing.id, .cancelled, detail: "the compliance engine blocks it now: \(rules)",
                            sendAfter: nil, error: nil))
                    summary.cancelled += 1
                }
            }
        }
        try await apply(stopped, now: now, by: by, on: database)
        try await store(rewrites, now: now, by: by, on: database)
        let attemptsOf = Dictionary(uniqueKeysWithValues: claimed.map { ($0.id, $0.attempts) })
        for transport in transports {
            guard let batch = ready[transport.channel], !batch.isEmpty else { continue }
            // Answers are recorded as they come, a hundred (or a second's worth) to a transaction: a sender that dies
            // mid-batch has recorded all but the last few it sent (docs/messages.md, "Exactly once").
            var records: [Record] = []
            var answered = Set<Int>()
            let clock = ContinuousClock()
            var lastCommit = clock.now
            try await transport.deliver(batch.map(\.message), at: now) { index, outcome in
                guard batch.indices.contains(index), answered.insert(index).inserted else { return }
                let item = batch[index]
                records.append(
                    record(item, outcome, attempts: attemptsOf[item.message.id] ?? 1, now: now, into: &summary))
                if records.count >= 100 || clock.now - lastCommit >= .seconds(1) {
                    try await apply(records, now: now, by: by, on: database)
                    records.removeAll(keepingCapacity: true)
                    lastCommit = clock.now
                }
            }
            for index in batch.indices where !answered.contains(index) {
                let item = batch[index]
                records.append(
                    record(
                        item, .temporaryFailure("the service gave no answer for it"),
                        attempts: attemptsOf[item.message.id] ?? 1, now: now, into: &summary))
            }
            try await apply(records, now: now, by: by, on: database)
        }
        return summary
    }

    /// What a service's answer makes of a message: sent with its contact event, deferred to the backoff's next attempt
    /// (failed after the last), or failed with the service's words; counted in `summary`.
    private static func record(
        _ item: (message: OutgoingMessage, debtorID: Int64), _ outcome: DeliveryOutcome, attempts: Int, now: Date,
        into summary: inout DeliverySummary
    ) -> Record {
        switch outcome {
        case .sent(let reference):
            summary.sent += 1
            return .sent(item.message, debtorID: item.debtorID, reference: reference)
        case .temporaryFailure(let reason):
            if let retry = DeliveryBackoff.retry(afterAttempt: attempts, at: now) {
                summary.deferred += 1
                return .status(
                    item.message.id, .deferred, detail: "attempt \(attempts) failed for now: \(reason)",
                    sendAfter: retry, error: reason)
            }
            summary.failed += 1
            return .status(
                item.message.id, .failed, detail: "gave up after \(attempts) attempts: \(reason)", sendAfter: nil,
                error: reason)
        case .permanentFailure(let answer):
            summary.failed += 1
            return .status(item.message.id, .failed, detail: answer, sendAfter: nil, error: answer)
        }
    }

    /// What the compliance engine says of sending `message` now.
    enum Recheck: Equatable {
        case proceed
        case `defer`(until: Date, rules: String)
        case cancel(rules: String)
    }

    /// Decides `message` for each debt it covers (the debtor's as a whole when it names none): any block with no
    /// instant that lifts it cancels; blocks that all lift defer to the latest of those instants.
    static func recheck(_ message: OutgoingMessage, contacts: DebtorContacts, now: Date) -> Recheck {
        let action = message.channel.contactAction
        var blocking: [RuleFinding] = []
        var until: Date? = nil
        var lifts = true
        for ref in message.debtRefs.isEmpty ? [""] : message.debtRefs {
            let decision = contacts.decide(
                action, at: now, to: message.channel == .letter ? nil : message.recipient, debtRef: ref)
            guard decision.verdict == .block else { continue }
            blocking += decision.findings.filter { $0.effect == .block }
            if let next = decision.nextAllowedAt {
                until = max(until ?? next, next)
            } else {
                lifts = false
            }
        }
        guard !blocking.isEmpty else { return .proceed }
        var seen = Set<RuleID>()
        let rules = blocking.filter { seen.insert($0.rule).inserted }.map { "\($0.rule.rawValue): \($0.reason)" }
            .joined(separator: "; ")
        if lifts, let until { return .defer(until: until, rules: rules) }
        return .cancel(rules: rules)
    }

    // MARK: Claiming

    private struct Claimed: Sendable {
        var id: Int64
        var attempts: Int
        var key: String
    }

    private static func claim(
        channels: [MessageChannel], limit: Int, now: Date, by: String, on database: any Database
    ) async throws -> [Claimed] {
        guard !channels.isEmpty else { return [] }
        return try await PaymentStore.serializedTransaction(database) { sql in
            let lock = SQLFlavor(sql) == .postgres ? " FOR UPDATE SKIP LOCKED" : ""
            let ids = try await sql.raw(
                """
                SELECT id FROM outbox_messages \
                WHERE channel IN (\(SQLQueryString.boundList(channels.map(\.rawValue)))) AND \
                ((status IN ('queued', 'deferred') AND send_after <= \(bind: now)) OR \
                (status = 'sending' AND claimed_until < \(bind: now))) \
                ORDER BY send_after, id LIMIT \(bind: limit)\(unsafeRaw: lock)
                """
            ).all().map { try $0.decode(column: "id", as: Int64.self) }
            // A page of ids at a time, each page in three statements. A message's Message-ID is made once, from its
            // id and a token of this claim.
            let token = UUID().uuidString.lowercased()
            var claimed: [Int64: Claimed] = [:]
            for start in stride(from: 0, to: ids.count, by: 1_000) {
                let page = SQLQueryString.integerList(ids[start..<min(ids.count, start + 1_000)])
                try await sql.raw(
                    """
                    UPDATE outbox_messages SET status = 'sending', attempts = attempts + 1, \
                    message_key = COALESCE(message_key, '<outbox-' || id || '.' || \(bind: token) || '@recoup>'), \
                    claimed_until = \(bind: now.addingTimeInterval(claimFor)), status_changed_at = \(bind: now) \
                    WHERE id IN (\(page))
                    """
                ).run()
                try await sql.raw(
                    """
                    INSERT INTO outbox_changes (message_id, status, at, detail, changed_by) \
                    SELECT id, 'sending', \(bind: now), 'attempt ' || attempts, \(bind: by) FROM outbox_messages \
                    WHERE id IN (\(page)) ORDER BY id
                    """
                ).run()
                for row in try await sql.raw(
                    "SELECT id, attempts, message_key FROM outbox_messages WHERE id IN (\(page))"
                ).all() {
                    let id = try row.decode(column: "id", as: Int64.self)
                    claimed[id] = Claimed(
                        id: id, attempts: try row.decode(column: "attempts", as: Int.self),
                        key: try row.decode(column: "message_key", as: String.self))
                }
            }
            return ids.compactMap { claimed[$0] }
        }
    }

    /// The due messages of channels without a service, by channel.
    private static func waiting(
        besides channels: [MessageChannel], now: Date, on database: any Database
    ) async throws -> [MessageChannel: Int] {
        let others = MessageChannel.allCases.filter { !channels.contains($0) }.map(\.rawValue)
        guard !others.isEmpty else { return [:] }
        var waiting: [MessageChannel: Int] = [:]
        for row in try await (database as! any SQLDatabase).raw(
            """
            SELECT channel, COUNT(*) AS n FROM outbox_messages WHERE channel IN (\(SQLQueryString.boundList(others))) \
            AND status IN ('queued', 'deferred') AND send_after <= \(bind: now) GROUP BY channel
            """
        ).all() {
            if let channel = MessageChannel(rawValue: try row.decode(column: "channel", as: String.self)) {
                waiting[channel] = try row.decode(column: "n", as: Int.self)
            }
        }
        return waiting
    }

    /// Why a message could not be written again.
    struct RewriteProblem: Error {
        var sentence: String
    }

    /// `message` written again from its template, in the debtor's language and the client's wording in force, about
    /// the debts of `owing` as they stand at `now`, dated `asOf` (its portal link kept); the problem when it cannot be, or when what
    /// it would say fails the message lint.
    static func rewritten(
        _ message: OutgoingMessage, owing: [String], asOf: LocalDate, now: Date, book: TemplateBook,
        sql: any SQLDatabase
    ) async throws -> Result<RenderedMessage, RewriteProblem> {
        guard
            let row = try await sql.raw(
                """
                SELECT m.template, m.client_id, p.language FROM outbox_messages m \
                JOIN debtors p ON p.id = m.debtor_id WHERE m.id = \(bind: message.id)
                """
            ).first()
        else { return .failure(RewriteProblem(sentence: "it is no longer stored")) }
        let template = try row.decode(column: "template", as: String.self)
        guard MessageTemplates.messageNames.contains(template) else {
            return .failure(RewriteProblem(sentence: "it was not written from a template"))
        }
        guard !owing.isEmpty else { return .failure(RewriteProblem(sentence: "nothing is owed")) }
        let language =
            try row.decode(column: "language", as: String?.self).flatMap { MessageLanguage(rawValue: $0) } ?? .en
        let portal = message.body.firstMatch(of: /https?:\/\/\S+\/portal\/[A-Za-z0-9_-]+/).map { String($0.output) }
        let context: MessageContext
        do {
            context = try await MessageContexts.context(
                clientRef: message.clientRef, debtRefs: owing, asOf: asOf,
                validationNotice: template == "validation-notice", planOffer: template == "plan-offer",
                portalLink: portal, sql: sql)
        } catch let error as StoreError {
            return .failure(RewriteProblem(sentence: error.description))
        }
        let rendered: RenderedMessage
        do {
            rendered = try MessageTemplates.render(
                template, channel: message.channel, language: language, context: context, book: book,
                client: try row.decode(column: "client_id", as: Int64.self))
        } catch {
            return .failure(RewriteProblem(sentence: "\(error)"))
        }
        guard rendered.lint.ok else {
            let rules = rendered.lint.findings.filter { $0.severity == .error }.map(\.rule)
            return .failure(RewriteProblem(sentence: "the message lint finds " + rules.joined(separator: ", ")))
        }
        return .success(rendered)
    }

    /// The PDF statement of `message`'s debts as they stand at `now`, from its writer to the debtor.
    static func statement(
        _ message: OutgoingMessage, language: MessageLanguage, addresses: [PostalAddress], now: Date,
        sql: any SQLDatabase
    ) async throws -> OutgoingAttachment {
        let context = try await MessageContexts.context(
            clientRef: message.clientRef, debtRefs: message.debtRefs,
            asOf: LocalDate(now, in: TimeZone(identifier: "UTC")!), validationNotice: false, portalLink: nil, sql: sql)
        var recipient = [message.recipientName]
        if let home = addresses.first(where: { $0.type == .home }) ?? addresses.first {
            recipient += letterLines(home.line1 ?? "", addresses: [home])
        }
        let document = Statements.document(
            context, language: language, sender: message.senderLines, recipient: recipient)
        return OutgoingAttachment(
            filename: language == .es ? "estado-de-cuenta.pdf" : "statement.pdf", contentType: "application/pdf",
            data: document.bytes())
    }

    /// Stores the messages written again before they are handed over, so that what is recorded is what is sent.
    private static func store(
        _ rewrites: [(id: Int64, rendered: RenderedMessage, detail: String)], now: Date, by: String,
        on database: any Database
    ) async throws {
        guard !rewrites.isEmpty else { return }
        try await PaymentStore.serializedTransaction(database) { sql in
            for rewrite in rewrites {
                try await sql.raw(
                    """
                    UPDATE outbox_messages SET body = \(bind: rewrite.rendered.body), \
                    subject = \(bind: rewrite.rendered.subject) WHERE id = \(bind: rewrite.id)
                    """
                ).run()
                try await change(rewrite.id, .sending, now: now, by: by, detail: rewrite.detail, sql: sql)
            }
        }
    }

    /// A claimed message as the services need it, with what decides its wording.
    typealias ClaimedMessage = (
        outgoing: OutgoingMessage, debtorID: Int64, queuedAt: Date, template: String, language: MessageLanguage,
        clientID: Int64
    )

    /// The claimed messages as the services need them (a letter's window lines are the debtor's name so far).
    private static func outgoing(
        _ claimed: [Claimed], sql: any SQLDatabase
    ) async throws -> [ClaimedMessage] {
        var result: [ClaimedMessage] = []
        var writers: [String: (name: String, lines: [String])] = [:]
        let keys = Dictionary(uniqueKeysWithValues: claimed.map { ($0.id, $0.key) })
        let optOutKey = try await OptOutLinks.key(sql: sql)
        for start in stride(from: 0, to: claimed.count, by: 1_000) {
            let page = claimed[start..<min(claimed.count, start + 1_000)].map(\.id)
            for message in try await OutboxStore.messages(ids: page, sql: sql) {
                if writers[message.clientRef] == nil {
                    writers[message.clientRef] = try await writer(clientRef: message.clientRef, sql: sql)
                }
                let writer = writers[message.clientRef]!
                result.append(
                    (
                        OutgoingMessage(
                            id: message.id, messageKey: keys[message.id] ?? "", channel: message.channel,
                            recipient: message.recipient ?? "", recipientName: message.debtorName,
                            recipientLines: [message.debtorName], subject: message.subject, body: message.body,
                            clientRef: message.clientRef, writerName: writer.name, senderLines: writer.lines,
                            debtRefs: message.debtRefs,
                            optOutToken: message.channel == .email || message.channel == .sms
                                ? OptOutLinks.token(messageID: message.id, key: optOutKey) : nil,
                            language: message.language),
                        message.debtorID, message.createdAt, message.template, message.language, message.clientID
                    ))
            }
        }
        return result
    }

    /// The contact profiles, histories and file disputes of `debtorIDs`, one query a kind of fact (as the work queue
    /// reads them).
    static func contacts(debtorIDs: [Int64], sql: any SQLDatabase) async throws -> [Int64: DebtorContacts] {
        guard !debtorIDs.isEmpty else { return [:] }
        let list = SQLQueryString.integerList(debtorIDs)
        var events: [Int64: [StoredContactEvent]] = [:]
        for (debtorID, event) in try await ContactStore.events(debtorIDs: list, sql: sql) {
            events[debtorID, default: []].append(event)
        }
        let disputes = try await ContactStore.fileDisputes(debtorIDs: list, sql: sql)
        var contacts: [Int64: DebtorContacts] = [:]
        for (debtorID, profile) in try await ContactStore.profiles(debtorIDs: list, sql: sql) {
            contacts[debtorID] = DebtorContacts(
                profile: profile, events: events[debtorID] ?? [], fileDisputes: disputes[debtorID] ?? [:])
        }
        return contacts
    }

    /// What each debt of `debtorIDs` owes now and when its ledger last changed, by debtor and reference.
    static func balances(
        debtorIDs: [Int64], sql: any SQLDatabase
    ) async throws -> [Int64: [String: (balance: Int64, changedAt: Date?)]] {
        guard !debtorIDs.isEmpty else { return [:] }
        var balances: [Int64: [String: (balance: Int64, changedAt: Date?)]] = [:]
        for row in try await sql.raw(
            """
            SELECT d.debtor_id, d.ref, d.balance, \
            (SELECT MAX(l.created_at) FROM ledger_entries l WHERE l.debt_id = d.id) AS changed_at \
            FROM debts d WHERE d.debtor_id IN (\(SQLQueryString.integerList(debtorIDs)))
            """
        ).all() {
            balances[try row.decode(column: "debtor_id", as: Int64.self), default: [:]][
                try row.decode(column: "ref", as: String.self)] = (
                    try row.decode(column: "balance", as: Int64.self),
                    try row.decode(column: "changed_at", as: Date?.self)
                )
        }
        return balances
    }

    /// Who writes the client's messages, as the daily run names them (`RunRecording`): the collector the client's
    /// terms name, else the client. A client writing itself gives its address and phone for the sender's block.
    static func writer(clientRef: String, sql: any SQLDatabase) async throws -> (name: String, lines: [String]) {
        let stored = try await ClientProfileStore.profile(clientRef: clientRef, sql: sql)
        let profile = stored.profile
        let terms = try await AccrualStore.terms(clientRef: clientRef, sql: sql).terms
        let creditor = stored.displayName
        let writer = terms.collectorName ?? creditor
        guard writer == creditor else { return (writer, [writer] + (terms.contactLine.map { [$0] } ?? [])) }
        return (writer, [writer] + profile.addressLines + (profile.readablePhone.map { [$0] } ?? []))
    }

    /// A mailing address's window lines: street, then "City, ST 02118", then the country outside the US. Read from the
    /// debtor's stored address the recipient was written from; when that has changed since, from the recipient's own
    /// parts.
    static func letterLines(_ recipient: String, addresses: [PostalAddress]) -> [String] {
        func oneLine(_ address: PostalAddress) -> String {
            [address.line1, address.city, address.state, address.postalCode, address.country]
                .compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ", ")
        }
        guard let address = addresses.first(where: { oneLine($0) == recipient }) else {
            return recipient.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }
        }
        var lines: [String] = []
        if let line1 = address.line1, !line1.isEmpty { lines.append(line1) }
        let stateAndCode = [address.state, address.postalCode].compactMap { $0 }.filter { !$0.isEmpty }
            .joined(separator: " ")
        let cityLine = [address.city ?? "", stateAndCode].filter { !$0.isEmpty }.joined(separator: ", ")
        if !cityLine.isEmpty { lines.append(cityLine) }
        if address.country != "US" { lines.append(address.country) }
        return lines
    }

    // MARK: Recording

    /// What becomes of a message this sender holds.
    enum Record {
        case sent(OutgoingMessage, debtorID: Int64, reference: String?)
        case status(Int64, OutboxStatus, detail: String?, sendAfter: Date?, error: String?)
    }

    /// Records `records` in one transaction: a message sent gets its outbound contact event in the debtor's history.
    private static func apply(_ records: [Record], now: Date, by: String, on database: any Database) async throws {
        guard !records.isEmpty else { return }
        try await PaymentStore.serializedTransaction(database) { sql in
            for record in records {
                switch record {
                case .sent(let message, let debtorID, let reference):
                    guard try await moveOn(message.id, to: .sent, now: now, sql: sql) else { continue }
                    try await sql.raw(
                        """
                        UPDATE outbox_messages SET sent_at = \(bind: now), delivery_ref = \(bind: reference), \
                        last_error = NULL WHERE id = \(bind: message.id)
                        """
                    ).run()
                    try await change(message.id, .sent, now: now, by: by, detail: reference, sql: sql)
                    let kind: ContactEvent.Kind =
                        switch message.channel {
                        case .email: .email(direction: .outbound, to: message.recipient)
                        case .sms: .sms(direction: .outbound, to: message.recipient)
                        case .letter, .voicemail: .letter
                        }
                    let event = ContactEvent(kind, at: now, debtIDs: message.debtRefs.isEmpty ? nil : message.debtRefs)
                    _ = try await ContactStore.insert(
                        ContactLogEntry(event, purpose: .collection), debtorID: debtorID, recordedBy: "outbox",
                        now: now, sql: sql)
                case .status(let id, let status, let detail, let sendAfter, let error):
                    guard try await moveOn(id, to: status, now: now, sql: sql) else { continue }
                    if let sendAfter {
                        try await sql.raw(
                            "UPDATE outbox_messages SET send_after = \(bind: sendAfter) WHERE id = \(bind: id)"
                        ).run()
                    }
                    if let error {
                        try await sql.raw(
                            "UPDATE outbox_messages SET last_error = \(bind: error) WHERE id = \(bind: id)"
                        ).run()
                    }
                    try await change(id, status, now: now, by: by, detail: detail, sql: sql)
                }
            }
        }
    }

    /// Moves a message this sender holds (`sending`) to `status`, letting the claim go; false when it is no longer
    /// `sending` (another sender took it after this one's claim ran out, or a person cancelled it).
    private static func moveOn(
        _ id: Int64, to status: OutboxStatus, now: Date, sql: any SQLDatabase
    ) async throws
        -> Bool
    {
        let row = try await sql.raw(
            """
            UPDATE outbox_messages SET status = \(bind: status.rawValue), status_changed_at = \(bind: now), \
            claimed_until = NULL WHERE id = \(bind: id) AND status = 'sending' RETURNING id
            """
        ).first()
        return row != nil
    }

    static func change(
        _ id: Int64, _ status: OutboxStatus, now: Date, by: String?, detail: String?, sql: any SQLDatabase
    ) async throws {
        try await sql.raw(
            """
            INSERT INTO outbox_changes (message_id, status, at, detail, changed_by) VALUES (\(bind: id), \
            \(bind: status.rawValue), \(bind: now), \(bind: detail), \(bind: by))
            """
        ).run()
    }
}
