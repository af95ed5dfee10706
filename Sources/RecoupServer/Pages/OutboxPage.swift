import Foundation
import RecoupCore
import RecoupStore
import Vapor

/// The outbox page (`GET /outbox`): the messages the daily run (or a person) queued and what delivery made of them,
/// the newest first, filtered by status, channel and client, 50 to a page; each message's page (`GET /outbox/:id`)
/// shows its text and its history. Agency staff **retry** a failed or deferred message (`POST /outbox/:id/retry`: queued
/// again, due now) and **cancel** a queued, deferred or failed one with a reason (`POST /outbox/:id/cancel`), through
/// `OutboxStore.retry` and `cancel`; each form posts, then redirects back to where it was sent from with what happened
/// (`Flash`), and carries a one-time id (`FormOnce`). Every read goes through the user's scope: another client's
/// message answers 404 as a missing one; a client's own staff see their messages and change none (403).
struct OutboxPageController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("outbox", use: list)
        routes.get("outbox", ":id", use: show)
        routes.post("outbox", ":id", "retry", use: retry)
        routes.post("outbox", ":id", "cancel", use: cancel)
    }

    /// The roles that may retry and cancel.
    static let actors: [Role] = [.admin, .manager, .collector]

    /// The channels the outbox carries, as the filter offers them.
    static let channels: [(MessageChannel, String)] = [(.email, "Email"), (.sms, "Text message"), (.letter, "Letter")]

    // MARK: The list

    struct DebtLink: Encodable {
        var ref: String
        var link: String
    }

    struct MessageRow: Encodable {
        var id: String
        /// "#12".
        var number: String
        var anchor: String
        var link: String
        var sendAfter: String
        var sendAfterISO: String
        var channel: String
        var status: String
        var client: String
        var debtor: String
        var debtorRef: String
        var debtorLink: String
        var debts: [DebtLink]
        var template: String
        var recipient: String
        var subject: String?
        /// "1 attempt", "3 attempts"; nil before the first.
        var attempts: String?
        var lastError: String?
        var canRetry: Bool
        var canCancel: Bool
        var retrySubmission: String
        var cancelSubmission: String
    }

    struct ListContext: Encodable {
        var title = "Outbox"
        var rows: [MessageRow]
        var flash: Flash?
        var statuses: [DebtPagesController.Choice]
        var channels: [DebtPagesController.Choice]
        var clients: [DebtPagesController.Choice]
        var showClient: Bool
        var canAct: Bool
        var caption: String
        /// Said instead of the table when no message matches.
        var empty: String?
        var nextURL: String?
        var firstURL: String?
        /// Where the rows' forms come back to: this page, with its filters.
        var back: String
        var longestReason: Int
    }

    /// The list's query: each value checked, a wrong one refused with a sentence (400) rather than ignored.
    struct Query {
        var status: OutboxStatus?
        var channel: MessageChannel?
        var client: String
        var filter: OutboxFilter

        init(_ request: Request) throws {
            if let text = request.url.query, text.removingPercentEncoding == nil {
                throw UserFacingError.badRequest(
                    "the query string is not valid UTF-8 text once its %-escapes are decoded")
            }
            func value(_ name: String) -> String? {
                (request.query[String.self, at: name]).flatMap { $0.isEmpty ? nil : $0 }
            }
            if let name = value("status") {
                guard let status = OutboxStatus(rawValue: name) else {
                    throw UserFacingError.badRequest("status is \"\(name)\"; use \(OutboxStatus.choices)")
                }
                self.status = status
            }
            if let name = value("channel") {
                guard let channel = OutboxPageController.channels.first(where: { $0.0.rawValue == name })?.0 else {
                    throw UserFacingError.badRequest("channel is \"\(name)\"; use email, sms or letter")
                }
                self.channel = channel
            }
            client = value("client") ?? ""
            filter = OutboxFilter(status: status, channel: channel)
            if let text = value("limit") {
                guard let limit = Int(text), (1...OutboxStore.largestPage).contains(limit) else {
                    throw UserFacingError.badRequest("limit is \"\(text)\"; use 1 to \(OutboxStore.largestPage)")
                }
                filter.limit = limit
            }
            if let text = value("before") {
                guard let before = Int64(text), before > 0 else {
                    throw UserFacingError.badRequest("before is \"\(text)\"; use the next page's link")
                }
                filter.before = before
            }
        }

        /// The list's address with these filters (and `before`, for the next page).
        func url(before: Int64?) -> String {
            var components = URLComponents()
            components.queryItems = [
                ("status", status?.rawValue), ("channel", channel?.rawValue), ("client", client),
                ("limit", filter.limit == OutboxFilter().limit ? nil : String(filter.limit)),
                ("before", before.map(String.init)),
            ].compactMap { name, value in value.flatMap { $0.isEmpty ? nil : URLQueryItem(name: name, value: $0) } }
            return components.percentEncodedQuery.map { "/outbox?" + $0 } ?? "/outbox"
        }
    }

    @Sendable
    func list(request: Request) async throws -> Response {
        try await Flash.showingOnce(request) { flash in
            let query = try Query(request)
            let scope = try await QueueScope.of(request, client: query.client)
            let page = try await OutboxStore.entries(query.filter, scope: scope, on: request.db)
            let names = try await Self.clientNames(request)
            let canAct = Self.canAct(request)
            let back = query.url(before: query.filter.before)
            let zone = request.application.settings.businessTimeZone
            let times = TimeDisplay(debtorZone: zone, userZone: zone)
            let rows = page.entries.map { Self.row($0, names: names, times: times, canAct: canAct) }
            let filtered = query.status != nil || query.channel != nil || !query.client.isEmpty
            let context = ListContext(
                rows: rows, flash: flash,
                statuses: [.init(value: "", label: "Any status", selected: query.status == nil)]
                    + OutboxStatus.allCases.map {
                        .init(value: $0.rawValue, label: $0.rawValue.capitalized, selected: $0 == query.status)
                    },
                channels: [.init(value: "", label: "Any channel", selected: query.channel == nil)]
                    + Self.channels.map { .init(value: $0.0.rawValue, label: $0.1, selected: $0.0 == query.channel) },
                clients: try await DebtPagesController.clientChoices(request, selected: query.client),
                showClient: request.scope == .all, canAct: canAct,
                caption: "The latest queued first"
                    + (query.filter.before.map { ", older than message \($0)" } ?? "") + ".",
                empty: rows.isEmpty
                    ? (filtered || query.filter.before != nil
                        ? "No message matches these filters."
                        : "The outbox is empty: no message has been queued yet. The daily run queues the emails, "
                            + "texts and letters its strategy's steps ask for (recoup run).")
                    : nil,
                nextURL: page.next.map { query.url(before: $0) },
                firstURL: query.filter.before == nil ? nil : query.url(before: nil), back: back,
                longestReason: OutboxStore.longestReason)
            return try await request.view.render("outbox", context).encodeResponse(for: request)
        }
    }

    // MARK: One message

    struct ChangeRow: Encodable {
        var at: String
        var iso: String
        var status: String
        var by: String
        var detail: String
    }

    struct MessageContext: Encodable {
        var title: String
        var message: MessageRow
        var body: String
        var step: String?
        var run: String?
        var runLink: String?
        var queued: String
        var history: [ChangeRow]
        var flash: Flash?
        var canAct: Bool
        var back: String
        var longestReason: Int
    }

    @Sendable
    func show(request: Request) async throws -> Response {
        try await Flash.showingOnce(request) { flash in
            let id = try Self.messageID(request)
            guard let entry = try await OutboxStore.entry(id: id, scope: request.scope, on: request.db) else {
                throw Self.missing(id)
            }
            let history = try await OutboxStore.history(messageID: id, scope: request.scope, on: request.db)
            let zone = request.application.settings.businessTimeZone
            let times = TimeDisplay(debtorZone: zone, userZone: zone)
            let canAct = Self.canAct(request)
            let message = entry.message
            let context = MessageContext(
                title: "Message \(id)",
                message: Self.row(entry, names: try await Self.clientNames(request), times: times, canAct: canAct),
                body: message.body, step: message.stepID, run: message.runID.map { "run \($0)" },
                runLink: message.runID.map { "/runs/\($0)" },
                queued: times.instant(message.createdAt) + " by " + (message.createdBy ?? "the daily run"),
                history: history.map { change in
                    ChangeRow(
                        at: times.instant(change.at), iso: ISO8601Instant.format(change.at),
                        status: change.status.rawValue, by: change.changedBy ?? "", detail: change.detail ?? "")
                },
                flash: flash, canAct: canAct, back: "/outbox/\(id)", longestReason: OutboxStore.longestReason)
            return try await request.view.render("outbox-message", context).encodeResponse(for: request)
        }
    }

    // MARK: Retry and cancel

    struct ActionForm: PageForm {
        var reason: String?
        /// The page the form was on: the list with its filters, or the message's page.
        var back: String?
        var submission: String?
    }

    @Sendable
    func retry(request: Request) async throws -> Response {
        try await act(request, .retry) { id, form, user, submission, now in
            try await OutboxStore.retry(
                id: id, by: user.email, now: now, scope: request.scope, once: submission, on: request.db)
        }
    }

    @Sendable
    func cancel(request: Request) async throws -> Response {
        try await act(request, .cancel) { id, form, user, submission, now in
            try await OutboxStore.cancel(
                id: id, reason: form.reason ?? "", by: user.email, now: now, scope: request.scope, once: submission,
                on: request.db)
        }
    }

    /// Runs an action posted from the list or a message's page and redirects back there with what happened. The
    /// message is looked up in the user's scope first (another client's is 404, as a missing one), then the role is
    /// checked (403 for a client's staff); a status the action does not apply to, a missing reason or a form without
    /// its one-time id is a refusal on the page, nothing changed.
    private func act(
        _ request: Request, _ action: OutboxAction,
        _ body: (Int64, ActionForm, User, FormSubmission, Date) async throws -> OnceOnly<OutboxStatusChange>
    ) async throws -> Response {
        let id = try Self.messageID(request)
        guard let entry = try await OutboxStore.entry(id: id, scope: request.scope, on: request.db) else {
            throw Self.missing(id)
        }
        try request.requireRole(.admin, .manager, .collector)
        let form = request.form(ActionForm.self)
        let back = Self.back(form.back, id: id)
        let settings = request.application.settings
        let what = Self.describe(entry.message)
        let failed = "Not \(action.pastTense)"
        do {
            let user = try request.requireUser()
            let submission = try FormOnce.submission(request, by: user.email)
            let text: String
            switch try await body(id, form, user, submission, settings.clock()) {
            case .done(let change):
                text =
                    action == .retry
                    ? "Retried: \(what) was \(change.from.rawValue) and is queued again, due now; the next delivery "
                        + "round checks it with the compliance rules again and sends it."
                    : "Cancelled: \(what) was \(change.from.rawValue) and will not be sent. Its history keeps why."
            case .repeated(let receipt):
                text =
                    FormOnce.alreadySent(receipt, zone: settings.businessTimeZone)
                    + ": message \(id) was \(action == .retry ? "retried" : "cancelled") once, not again."
            }
            return Self.redirect(request, back, id: id, with: Flash(kind: .notice, text: text))
        } catch let error as OutboxActionError {
            if case .notFound = error { throw Self.missing(id) }
            return Self.redirect(
                request, back, id: id, with: Flash(kind: .refusal, text: "\(failed): \(Self.sentence(error))"))
        } catch {
            guard let sentence = DebtPagesController.fixable(error) else { throw error }
            return Self.redirect(
                request, back, id: id,
                with: Flash(kind: .refusal, text: "\(failed): \(QueuePageController.sentence(sentence))"))
        }
    }

    // MARK: Helpers

    static func canAct(_ request: Request) -> Bool {
        request.recoupUser.map { actors.contains($0.role) } ?? false
    }

    static func messageID(_ request: Request) throws -> Int64 {
        let text = request.parameters.get("id") ?? ""
        guard let id = Int64(text), id > 0 else { throw missing(text) }
        return id
    }

    static func missing(_ id: some CustomStringConvertible) -> Abort {
        Abort(.notFound, reason: "There is no message \(id) in the outbox.")
    }

    /// "message 12 (an email to pat@example.com)", "message 13 (a letter to Pat Doe, no address known)".
    static func describe(_ message: OutboxMessage) -> String {
        let channel: String =
            switch message.channel {
            case .email: "an email"
            case .sms: "a text message"
            case .letter: "a letter"
            case .voicemail: "a voicemail"
            }
        return "message \(message.id) (\(channel) to \(message.recipient ?? message.debtorName + ", no address known"))"
    }

    static func sentence(_ error: OutboxActionError) -> String {
        QueuePageController.sentence(error.description)
    }

    /// The clients' names by reference, for agency staff (a client's own staff see their reference).
    static func clientNames(_ request: Request) async throws -> [String: String] {
        guard request.scope == .all else { return [:] }
        return Dictionary(
            try await ClientProfileStore.all(on: request.db).map { ($0.ref, $0.displayName) },
            uniquingKeysWith: { first, _ in first })
    }

    static func row(_ entry: OutboxEntry, names: [String: String], times: TimeDisplay, canAct: Bool) -> MessageRow {
        let message = entry.message
        var debtor = URLComponents()
        debtor.queryItems = [
            URLQueryItem(name: "client", value: message.clientRef),
            URLQueryItem(name: "debtor", value: message.debtorRef),
        ]
        return MessageRow(
            id: String(message.id), number: "#\(message.id)", anchor: "message-\(message.id)",
            link: "/outbox/\(message.id)",
            sendAfter: times.instant(message.sendAfter), sendAfterISO: ISO8601Instant.format(message.sendAfter),
            channel: DebtPagesController.channelName(message.channel), status: message.status.rawValue,
            client: names[message.clientRef] ?? message.clientRef, debtor: message.debtorName,
            debtorRef: message.debtorRef, debtorLink: "/debts?" + (debtor.percentEncodedQuery ?? ""),
            debts: entry.debts.map { DebtLink(ref: $0.ref, link: "/debts/\($0.id)") }, template: message.template,
            recipient: message.recipient ?? "no address known", subject: message.subject,
            attempts: entry.attempts == 0 ? nil : entry.attempts == 1 ? "1 attempt" : "\(entry.attempts) attempts",
            lastError: entry.lastError, canRetry: canAct && OutboxAction.retry.applies(to: message.status),
            canCancel: canAct && OutboxAction.cancel.applies(to: message.status),
            retrySubmission: FormOnce.newID(), cancelSubmission: FormOnce.newID())
    }

    /// Where a form's answer goes: the message's page, or the list with the filters it was sent from (only the list's
    /// own query values: never another site or page).
    static func back(_ value: String?, id: Int64) -> (path: String, query: String?) {
        let page = (path: "/outbox/\(id)", query: String?.none)
        guard let value, let components = URLComponents(string: value), components.host == nil,
            components.scheme == nil
        else { return page }
        if components.path == "/outbox/\(id)" { return page }
        guard components.path == "/outbox" else { return page }
        var kept = URLComponents()
        kept.queryItems = (components.queryItems ?? []).filter {
            ["status", "channel", "client", "limit", "before"].contains($0.name)
        }
        return ("/outbox", kept.queryItems?.isEmpty == false ? kept.percentEncodedQuery : nil)
    }

    /// A 303 back to `back`, at the message's row on the list, with `flash` (signed for the page's path: the list's
    /// filters are in the query, which the message does not name).
    static func redirect(
        _ request: Request, _ back: (path: String, query: String?), id: Int64, with flash: Flash
    ) -> Response {
        let fragment = back.path == "/outbox" ? "message-\(id)" : nil
        let response = Flash.redirect(request, to: back.path, fragment: fragment, with: flash)
        if let query = back.query {
            response.headers.replaceOrAdd(
                name: .location, value: back.path + "?" + query + (fragment.map { "#\($0)" } ?? ""))
        }
        return response
    }
}
