import FluentKit
import Foundation
import RecoupCore
import RecoupStore
import Vapor

/// The debtor portal at `/portal/:token`: no password, the link is the key. The debtor sees who is collecting, for
/// whom, the exact amount and its itemization, and what happens next; proposes what they can afford and accepts a plan
/// in writing; promises a payment date; disputes a debt in their own words; sets contact preferences. Everything is
/// recorded as events the compliance engine honours. Forms carry a double-submit CSRF token.
struct PortalController: RouteCollection {
    static let csrfCookie = "recoup_portal_csrf"

    func boot(routes: any RoutesBuilder) throws {
        let portal = routes.grouped("portal", ":token")
        portal.get(use: show)
        portal.post("propose", use: propose)
        portal.post("accept", use: accept)
        portal.post("promise", use: promise)
        portal.post("dispute", use: dispute)
        portal.post("preferences", use: preferences)
    }

    struct DebtLine: Encodable {
        var ref: String
        var charged: String
        var interest: String
        var fees: String
        var paid: String
        var balance: String
    }

    struct OptionLine: Encodable {
        var summary: String
    }

    /// How to pay the client and reach it, from its profile (`recoup client profile`).
    struct HowToPay: Encodable {
        var instructions: [String]
        var link: String?
        var phone: String?
        var phoneHref: String?
        var email: String?
        var address: [String]
        var website: String?

        init?(_ profile: ClientProfile) {
            guard profile.hasContactDetails else { return nil }
            instructions = (profile.paymentInstructions ?? "").split(separator: "\n").map(String.init)
            link = profile.paymentLink
            phone = profile.readablePhone
            phoneHref = profile.phone
            email = profile.email
            address = profile.addressLines
            website = profile.website
        }
    }

    struct Context: Encodable {
        var title = "Your account"
        var token: String
        var csrf: String
        var debtorName: String
        /// Who is contacting the debtor, for the page's title: the terms' collector or the client's name, if any.
        var collector: String?
        /// Who is contacting and for whom, never naming the client by its reference.
        var who: String
        var howToPay: HowToPay?
        var amountOwed: String
        var debts: [DebtLine]
        var openDebts: [String]
        var message: String?
        var problem: String?
        var options: [OptionLine]
        var reasons: [String]
        var agreement: String?
        var arrangementRef: String?
        var today: String
        var contact: String?
    }

    struct Draft {
        var message: String?
        var problem: String?
        var options: [OptionLine] = []
        var reasons: [String] = []
        var agreement: String?
        var arrangementRef: String?
    }

    // MARK: Pages

    @Sendable
    func show(request: Request) async throws -> Response {
        let debtor = try await Self.debtor(request)
        return try await render(request, debtor: debtor, draft: Draft(), status: .ok)
    }

    private func render(
        _ request: Request, debtor: PortalDebtor, draft: Draft, status: HTTPResponseStatus
    ) async throws
        -> Response
    {
        let token = try request.requiredParameter("token")
        let debts = try await PortalLinks.debts(of: debtor, on: request.db)
        let terms = try await AccrualStore.terms(clientRef: debtor.clientRef, on: request.db).terms
        let client = try await ClientProfileStore.profile(clientRef: debtor.clientRef, on: request.db).profile
        var lines: [DebtLine] = []
        var owed: [String: Int64] = [:]
        for debt in debts where debt.isOpen {
            let ledger = try await DebtQueries.ledger(of: debt, on: request.db)
            let money = { (units: Int64) in Money.displayString(minorUnits: units, currency: debt.currency) }
            let sum = { (kinds: Set<LedgerEntryKind>) in
                ledger.entries.filter { kinds.contains($0.kind) }.reduce(Int64(0)) { $0 + $1.amount }
            }
            let paid = sum([.payment]) - sum([.paymentReversal]) - sum([.refund])
            lines.append(
                DebtLine(
                    ref: debt.ref, charged: money(sum([.charge])), interest: money(sum([.interest])),
                    fees: money(sum([.fee])),
                    paid: money(paid), balance: money(debt.balance)))
            owed[debt.currency.code, default: 0] += debt.balance
        }
        let amountOwed = owed.sorted { $0.key < $1.key }.map { code, units in
            Money.displayString(minorUnits: units, currency: (try? Currency(code: code)) ?? .usd)
        }.joined(separator: " and ")
        let csrf = UserStore.randomSecret()
        let settings = request.application.settings
        let context = Context(
            token: token, csrf: csrf, debtorName: debtor.debtorName,
            collector: terms.collectorName ?? client.name, who: client.whoIsContacting(collector: terms.collectorName),
            howToPay: HowToPay(client),
            amountOwed: amountOwed.isEmpty ? Money.displayString(minorUnits: 0, currency: .usd) : amountOwed,
            debts: lines, openDebts: debts.filter(\.isOpen).map(\.ref), message: draft.message, problem: draft.problem,
            options: draft.options, reasons: draft.reasons, agreement: draft.agreement,
            arrangementRef: draft.arrangementRef,
            today: settings.today.isoString,
            contact: terms.contactLine
                ?? (client.hasContactDetails
                    ? nil : "Reply to the message that brought you here, or call the number on our letters."))
        let view = try await request.view.render("portal", context)
        let response = try await view.encodeResponse(status: status, for: request)
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        response.headers.replaceOrAdd(name: "Referrer-Policy", value: "no-referrer")
        response.cookies[Self.csrfCookie] = HTTPCookies.Value(
            string: csrf, maxAge: 3600, path: "/portal/\(token)", isSecure: LoginController.isSecure(request),
            isHTTPOnly: true,
            sameSite: .strict)
        return response
    }

    // MARK: Actions

    struct ProposeForm: Content {
        var amount: String?
        var frequency: String?
        var firstDue: String?
    }

    /// Turns what the debtor can afford into a proposed arrangement (the offer, or the closest one the creditor's
    /// terms allow) and shows its written agreement to accept.
    @Sendable
    func propose(request: Request) async throws -> Response {
        let debtor = try await Self.checkedDebtor(request)
        let form = try request.content.decode(ProposeForm.self)
        let settings = request.application.settings
        let today = settings.today
        let debts = try await PortalLinks.debts(of: debtor, on: request.db).filter(\.isOpen)
        guard let first = debts.first else { return try await owesNothing(request, debtor) }
        let offer: PlanOffer
        do {
            offer = try PlanDrafting.offer(
                amount: form.amount, frequency: form.frequency, firstDue: form.firstDue, currency: first.currency,
                today: today)
        } catch {
            return try await render(
                request, debtor: debtor, draft: Draft(problem: "Please check the plan: \(error)."), status: .badRequest)
        }
        // A new proposal replaces any earlier one the debtor did not accept.
        for ref in try await PortalLinks.proposedArrangements(of: debtor, on: request.db) {
            _ = try await ArrangementStore.cancel(
                clientRef: debtor.clientRef, ref: ref, reason: "replaced by a new proposal in the portal", on: today,
                database: request.db, now: settings.clock(), zone: settings.businessTimeZone)
        }
        let drafted = try await PlanDrafting.draft(
            request, clientRef: debtor.clientRef, debts: debts.filter { $0.currency == first.currency },
            offer: offer, option: .installments)
        return try await render(
            request, debtor: debtor,
            draft: Draft(
                message: drafted.proposal.accepted
                    ? "Your offer works. Read the agreement below and accept it if you are happy with it."
                    : "We cannot take that exact offer, but here is the closest plan we can agree.",
                options: drafted.options.map { OptionLine(summary: $0) }, reasons: drafted.proposal.reasons,
                agreement: drafted.agreement, arrangementRef: drafted.ref),
            status: .ok)
    }

    struct AcceptForm: Content {
        var ref: String?
        var agree: String?
        var name: String?
    }

    /// The debtor accepts the agreement in writing: the checkbox and their name; the time, address and browser are
    /// recorded with it.
    @Sendable
    func accept(request: Request) async throws -> Response {
        let debtor = try await Self.checkedDebtor(request)
        let form = try request.content.decode(AcceptForm.self)
        let name = (form.name ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard form.agree == "on", !name.isEmpty, let ref = form.ref,
            try await PortalLinks.proposedArrangements(of: debtor, on: request.db).contains(ref)
        else {
            return try await render(
                request, debtor: debtor,
                draft: Draft(problem: "To accept, tick the box and type your name under the agreement."),
                status: .badRequest)
        }
        let acceptance = try Acceptance(
            by: name, at: request.application.settings.clock(),
            method: .portalClick(
                ip: request.sourceAddress, userAgent: request.headers.first(name: .userAgent) ?? "unknown"))
        let settings = request.application.settings
        _ = try await ArrangementStore.accept(
            clientRef: debtor.clientRef, ref: ref, acceptance: acceptance, on: request.db, now: settings.clock(),
            zone: settings.businessTimeZone)
        return try await render(
            request, debtor: debtor,
            draft: Draft(
                message:
                    "Thank you, \(name). Your arrangement \(ref) is accepted. We have stopped adding interest and fees while you keep to it."
            ),
            status: .ok)
    }

    struct PromiseForm: Content {
        var debt: String?
        var amount: String?
        var due: String?
    }

    @Sendable
    func promise(request: Request) async throws -> Response {
        let debtor = try await Self.checkedDebtor(request)
        let form = try request.content.decode(PromiseForm.self)
        let settings = request.application.settings
        let today = settings.today
        let debts = try await PortalLinks.debts(of: debtor, on: request.db).filter(\.isOpen)
        guard let debt = debts.first(where: { $0.ref == form.debt }) ?? debts.first else {
            return try await owesNothing(request, debtor)
        }
        do {
            let due = try LocalDate(iso: form.due ?? "")
            let promise = try await PromiseStore.add(
                clientRef: debtor.clientRef, debtRef: debt.ref, amount: .text(form.amount ?? "", field: "the amount"),
                due: due, madeOn: today, via: .portal, note: nil, on: request.db, now: settings.clock(),
                zone: settings.businessTimeZone)
            let amount = Money.displayString(minorUnits: promise.promise.amount, currency: promise.currency)
            return try await render(
                request, debtor: debtor,
                draft: Draft(message: "Thank you. We have noted that you will pay \(amount) by \(due.isoString)."),
                status: .ok)
        } catch {
            return try await render(
                request, debtor: debtor, draft: Draft(problem: "Please check the promise: \(error)"),
                status: .badRequest)
        }
    }

    struct DisputeForm: Content {
        var text: String?
    }

    /// A dispute in the debtor's own words: recorded at once as a dispute event on every debt shown, so collection
    /// stops until it is checked.
    @Sendable
    func dispute(request: Request) async throws -> Response {
        let debtor = try await Self.checkedDebtor(request)
        let text = (try request.content.decode(DisputeForm.self).text ?? "").trimmingCharacters(
            in: .whitespacesAndNewlines)
        guard !text.isEmpty else {
            return try await render(
                request, debtor: debtor, draft: Draft(problem: "Please tell us in a few words what is wrong."),
                status: .badRequest)
        }
        let settings = request.application.settings
        let now = settings.clock()
        _ = try await ContactStore.record(
            ContactLogEntry(ContactEvent(.dispute, at: now), note: String(text.prefix(4000))),
            debtorID: debtor.debtorID,
            recordedBy: "portal", on: request.db, now: now, zone: settings.businessTimeZone)
        return try await render(
            request, debtor: debtor,
            draft: Draft(
                message:
                    "We have received your dispute and stopped collecting while we check it. We will write to you with what we find."
            ),
            status: .ok)
    }

    struct PreferencesForm: Content {
        var weekdays: [String]?
        var from: String?
        var to: String?
        var stopTexts: String?
        var stopEmails: String?
    }

    /// Times that are inconvenient, and channels to stop: recorded as `inconvenient` and `opt_out` events.
    @Sendable
    func preferences(request: Request) async throws -> Response {
        let debtor = try await Self.checkedDebtor(request)
        let form = try request.content.decode(PreferencesForm.self)
        let settings = request.application.settings
        let now = settings.clock()
        var recorded: [String] = []
        let days = (form.weekdays ?? []).compactMap {
            ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].firstIndex(of: $0)
        }
        let time = { (text: String?) -> LocalTime? in
            guard let text, text.count == 5, text.dropFirst(2).first == ":" else { return nil }
            return LocalTime(parsing: text)
        }
        func record(_ kind: ContactEvent.Kind) async throws {
            _ = try await ContactStore.record(
                ContactLogEntry(ContactEvent(kind, at: now)), debtorID: debtor.debtorID, recordedBy: "portal",
                on: request.db,
                now: now, zone: settings.businessTimeZone)
        }
        if !days.isEmpty || time(form.from) != nil {
            let window = time(form.from).flatMap { from in time(form.to).map { (from, $0) } }
            try await record(
                .inconvenient(weekdays: Set(days.map { $0 + 1 }), from: window?.0, to: window?.1, until: nil))
            recorded.append("the times you do not want to be contacted")
        }
        for (flag, channel, words) in [
            (form.stopTexts, ContactChannel.sms, "no more text messages"), (form.stopEmails, .email, "no more emails"),
        ] where flag == "on" {
            try await record(.optOut(channel: channel, address: nil))
            recorded.append(words)
        }
        let message = recorded.isEmpty ? "Nothing was changed." : "Saved: " + recorded.joined(separator: ", ") + "."
        return try await render(request, debtor: debtor, draft: Draft(message: message), status: .ok)
    }

    // MARK: Helpers

    /// The page for a debtor with no open debt, in answer to a plan or a promise.
    private func owesNothing(_ request: Request, _ debtor: PortalDebtor) async throws -> Response {
        try await render(request, debtor: debtor, draft: Draft(message: "You owe nothing at the moment."), status: .ok)
    }

    /// The debtor the link belongs to; an unknown, expired or revoked link is a plain 404.
    static func debtor(_ request: Request) async throws -> PortalDebtor {
        let token = try request.requiredParameter("token")
        guard
            let debtor = try await PortalLinks.debtor(
                token: token, on: request.db, now: request.application.settings.clock())
        else {
            throw Abort(.notFound, reason: "This link does not work any more. Please contact us for a new one.")
        }
        request.portalActor = "portal:\(debtor.debtorRef)"
        return debtor
    }

    /// The debtor, for a form: the form must carry the CSRF token the page set.
    static func checkedDebtor(_ request: Request) async throws -> PortalDebtor {
        let debtor = try await debtor(request)
        let sent = try? request.content.get(String.self, at: "csrf")
        guard let sent, let cookie = request.cookies[csrfCookie]?.string, sent == cookie else {
            throw Abort(.forbidden, reason: "The page has expired. Please open your link again.")
        }
        return debtor
    }
}
