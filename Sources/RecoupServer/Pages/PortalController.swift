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

    /// A message about one part of the page, shown next to it: a notice (done) or a refusal, with further lines.
    struct Message: Encodable {
        var kind: String
        var text: String
        var details: [String] = []
    }

    /// A proposed arrangement waiting for the debtor: its agreement and the form that accepts it.
    struct Proposed: Encodable {
        var ref: String
        var summary: String
        var next: String?
        var schedule: [DebtPagesController.InstallmentRow]
        var agreement: String
        var submission: String
    }

    struct PromiseLine: Encodable {
        var debt: String
        var summary: String
        var outcome: String
        var outcomeClass: String
    }

    struct DebtChoice: Encodable {
        var ref: String
        var balance: String
        var checked: Bool
    }

    /// What the debtor typed, kept when a form is refused so they need not type it again.
    struct Entered: Encodable {
        var planAmount = ""
        var promiseAmount = ""
        var disputeText = ""
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
        /// The debt-collector disclosure, when someone other than the creditor collects (`CollectorDisclosure`).
        var disclosure: String?
        var howToPay: HowToPay?
        var amountOwed: String
        var debts: [DebtLine]
        var openDebts: [String]
        var disputeChoices: [DebtChoice]
        /// Messages next to the part of the page they are about.
        var planMessage: Message?
        var promiseMessage: Message?
        var disputeMessage: Message?
        var preferencesMessage: Message?
        var proposed: [Proposed]
        /// True while a plan is active: a new one cannot be proposed in the portal until it ends.
        var planActive = false
        var arrangements: [DebtPagesController.ArrangementRow]
        var promises: [PromiseLine]
        var preferences: [String]
        var disputes: [String]
        var entered: Entered
        /// Each form's one-time id (`FormOnce`).
        var planSubmission: String
        var promiseSubmission: String
        var disputeSubmission: String
        var preferencesSubmission: String
        var today: String
        var contact: String?
    }

    /// The parts of the page a message can be about (each a section's id).
    enum Part: String {
        case plan, promise, dispute, preferences

        /// The section's id in the page (the forms have the parts' names).
        var fragment: String {
            switch self {
            case .plan: "plan"
            case .promise: "promises"
            case .dispute: "disputes"
            case .preferences: "contact-preferences"
            }
        }
    }

    // MARK: Pages

    /// The page, with what the debtor did (the accepted plan and its next installment, a plan waiting for their
    /// acceptance, promises, preferences, disputes) and the message a form's redirect carried, shown once.
    @Sendable
    func show(request: Request) async throws -> Response {
        let debtor = try await Self.debtor(request)
        return try await Flash.showingOnce(request, key: try request.requiredParameter("token")) { flash in
            let part = flash.flatMap { Part(rawValue: $0.subject ?? "") } ?? .plan
            let message = flash.map { Message(kind: $0.kind.rawValue, text: $0.text, details: $0.details) }
            return try await render(
                request, debtor: debtor, message: message.map { (part, $0) }, entered: Entered(), status: .ok)
        }
    }

    private func render(
        _ request: Request, debtor: PortalDebtor, message: (Part, Message)?, entered: Entered,
        status: HTTPResponseStatus
    ) async throws
        -> Response
    {
        let token = try request.requiredParameter("token")
        let today = try await Self.clock(request, debtor: debtor).today
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
        var context = Context(
            token: token, csrf: csrf, debtorName: debtor.debtorName,
            collector: terms.collectorName ?? client.name, who: client.whoIsContacting(collector: terms.collectorName),
            disclosure: CollectorDisclosure.applies(collector: terms.collectorName, creditor: client.name)
                ? CollectorDisclosure.sentence : nil,
            howToPay: HowToPay(client),
            amountOwed: amountOwed.isEmpty ? Money.displayString(minorUnits: 0, currency: .usd) : amountOwed,
            debts: lines, openDebts: debts.filter(\.isOpen).map(\.ref),
            disputeChoices: debts.map {
                DebtChoice(
                    ref: $0.ref, balance: Money.displayString(minorUnits: $0.balance, currency: $0.currency),
                    checked: true)
            },
            proposed: [], arrangements: [], promises: [], preferences: [], disputes: [], entered: entered,
            planSubmission: FormOnce.newID(), promiseSubmission: FormOnce.newID(),
            disputeSubmission: FormOnce.newID(), preferencesSubmission: FormOnce.newID(),
            today: today.isoString,
            contact: terms.contactLine
                ?? (client.hasContactDetails
                    ? nil : "Reply to the message that brought you here, or call the number on our letters."))
        switch message?.0 {
        case .plan: context.planMessage = message?.1
        case .promise: context.promiseMessage = message?.1
        case .dispute: context.disputeMessage = message?.1
        case .preferences: context.preferencesMessage = message?.1
        case nil: break
        }
        try await addActivity(to: &context, request: request, debtor: debtor, debts: debts, today: today)
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

    /// What the debtor did, read as the debt page reads it (`DebtActivity`), over all their debts: an arrangement,
    /// a preference or a dispute about several debts is listed once.
    private func addActivity(
        to context: inout Context, request: Request, debtor: PortalDebtor, debts: [DebtSummary], today: LocalDate
    ) async throws {
        guard !debts.isEmpty else { return }
        let contacts = try await ContactStore.contacts(debtorID: debtor.debtorID, on: request.db)
        let times = TimeDisplay(debtor: contacts.profile, userZone: request.application.settings.businessTimeZone)
        var seenArrangements: Set<String> = []
        var seenEvents: Set<Int64> = []
        var disputed: [String: [String]] = [:]
        var disputeOrder: [(Int64, String, String?)] = []
        for debt in debts {
            let activity = try await DebtActivity.of(debt, contacts: contacts, asOf: today, on: request.db)
            for view in activity.arrangements where seenArrangements.insert(view.ref).inserted {
                let agreement = try await ArrangementStore.agreement(
                    clientRef: debtor.clientRef, ref: view.ref, on: request.db)
                let row = DebtPagesController.arrangementRow(view, agreement: agreement.text, isNew: false)
                switch view.arrangement.state {
                case .proposed:
                    context.proposed.append(
                        Proposed(
                            ref: row.ref, summary: row.summary, next: row.next, schedule: row.schedule,
                            agreement: row.agreement, submission: FormOnce.newID()))
                case .cancelled: break  // replaced by a later proposal, or withdrawn: nothing for the debtor to do
                case .active:
                    context.planActive = true
                    context.arrangements.append(row)
                default: context.arrangements.append(row)
                }
            }
            context.promises += activity.promises.map { view in
                let row = DebtPagesController.promiseRow(view)
                return PromiseLine(
                    debt: view.debtRef, summary: row.summary, outcome: row.outcome, outcomeClass: row.outcomeClass)
            }
            for event in activity.preferences where seenEvents.insert(event.id).inserted {
                context.preferences.append(
                    "\(DebtPagesController.preference(event.event.kind)) (since \(times.day(event.at)))")
            }
            for event in activity.disputes {
                if disputed[String(event.id)] == nil {
                    disputeOrder.append((event.id, event.type, event.entry.note))
                }
                disputed[String(event.id), default: []].append(debt.ref)
            }
        }
        context.disputes = disputeOrder.sorted { $0.0 < $1.0 }.map { id, type, note in
            let refs = (disputed[String(id)] ?? []).joined(separator: ", ")
            let event = contacts.events.first { $0.id == id }
            let when = event.map { " on \(times.day($0.at))" } ?? ""
            return type == "dispute"
                ? "You disputed \(refs)\(when)" + (note.map { ": “\($0)”" } ?? ".")
                : "We sent you verification of \(refs)\(when)."
        }
    }

    /// The answer to a form: 303 See Other to the page's part the message is about, with the message (`Flash`,
    /// signed with the link's token), so a reload of the answer records nothing.
    private func backToPage(
        _ request: Request, _ part: Part, _ kind: Flash.Kind = .notice, _ text: String,
        details: [String] = []
    ) throws -> Response {
        let token = try request.requiredParameter("token")
        return Flash.redirect(
            request, to: "/portal/\(token)", fragment: part.fragment,
            with: Flash(kind: kind, text: text, details: details, subject: part.rawValue), key: token,
            now: request.application.settings.clock())
    }

    /// The page again, answering 400, with what is wrong next to the form and what was typed in it.
    private func refuse(
        _ request: Request, _ debtor: PortalDebtor, _ part: Part, _ text: String, entered: Entered = Entered()
    ) async throws -> Response {
        try await render(
            request, debtor: debtor, message: (part, Message(kind: "refusal", text: text)), entered: entered,
            status: .badRequest)
    }

    /// The answer to a form sent again: the page, saying nothing was recorded twice.
    private func repeated(
        _ request: Request, _ part: Part, _ receipt: SubmissionReceipt, what: String
    ) throws
        -> Response
    {
        try backToPage(
            request, part, .notice,
            "You already sent this form (\(ISO8601Instant.format(receipt.at))): \(what) was recorded once, not again.")
    }

    /// The form's one-time id, as the portal debtor's.
    private static func submission(_ request: Request) throws -> FormSubmission {
        try FormOnce.submission(request, by: request.portalActor)
    }

    // MARK: Actions

    struct ProposeForm: PageForm {
        var amount: String?
        var frequency: String?
        var firstDue: String?
    }

    /// Turns what the debtor can afford into a proposed arrangement (the offer, or the closest one the creditor's
    /// terms allow), then shows it with its written agreement to accept, next to the message.
    @Sendable
    func propose(request: Request) async throws -> Response {
        let debtor = try await Self.checkedDebtor(request)
        let form = request.form(ProposeForm.self)
        let clock = try await Self.clock(request, debtor: debtor)
        let today = clock.today
        let debts = try await PortalLinks.debts(of: debtor, on: request.db).filter(\.isOpen)
        guard let first = debts.first else { return try owesNothing(request, .plan) }
        let entered = Entered(planAmount: form.amount ?? "")
        let offer: PlanOffer
        let submission: FormSubmission
        do {
            submission = try Self.submission(request)
            offer = try PlanDrafting.offer(
                amount: form.amount, frequency: form.frequency, firstDue: form.firstDue, currency: first.currency,
                today: today)
        } catch {
            return try await refuse(request, debtor, .plan, "Please check the plan: \(error).", entered: entered)
        }
        let drafted: PlanDrafting.Draft
        do {
            // A new proposal replaces any earlier one the debtor did not accept (in the same transaction, once).
            switch try await PlanDrafting.draft(
                request, clientRef: debtor.clientRef, debts: debts.filter { $0.currency == first.currency },
                offer: offer, option: .installments, once: submission,
                replacingProposed: try await PortalLinks.proposedArrangements(of: debtor, on: request.db),
                now: clock.now, today: today)
            {
            case .done(let draft): drafted = draft
            case .repeated(let receipt):
                return try repeated(request, .plan, receipt, what: receipt.result.map { "plan \($0)" } ?? "your plan")
            }
        } catch {
            guard let sentence = DebtPagesController.fixable(error) else { throw error }
            return try await refuse(request, debtor, .plan, "Please check the plan: \(sentence).", entered: entered)
        }
        return try backToPage(
            request, .plan, .notice,
            drafted.proposal.accepted
                ? "Your offer works. Read the agreement below and accept it if you are happy with it."
                : "We cannot take that exact offer, but here is the closest plan we can agree.",
            details: drafted.proposal.reasons + drafted.options)
    }

    struct AcceptForm: PageForm {
        var ref: String?
        var agree: String?
        var name: String?
    }

    /// The debtor accepts the agreement in writing: the checkbox and their name; the time, address and browser are
    /// recorded with it. Accepting an agreement already accepted (the form sent again) records nothing.
    @Sendable
    func accept(request: Request) async throws -> Response {
        let debtor = try await Self.checkedDebtor(request)
        let form = request.form(AcceptForm.self)
        let name = (form.name ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let settings = request.application.settings
        let now = settings.clock()
        let proposed = try await PortalLinks.proposedArrangements(of: debtor, on: request.db)
        if let ref = form.ref, !proposed.contains(ref), let done = try await acceptedBefore(request, debtor, ref) {
            return try backToPage(
                request, .plan, .notice,
                "Your arrangement \(ref) was already accepted by \(done.by) "
                    + "(\(ISO8601Instant.format(done.at))); nothing was recorded twice.")
        }
        guard form.agree == "on", !name.isEmpty, let ref = form.ref, proposed.contains(ref) else {
            return try await refuse(
                request, debtor, .plan, "To accept, tick the box and type your name under the agreement.")
        }
        let acceptance = try Acceptance(
            by: name, at: now,
            method: .portalClick(
                ip: request.sourceAddress, userAgent: request.headers.first(name: .userAgent) ?? "unknown"))
        do {
            _ = try await ArrangementStore.accept(
                clientRef: debtor.clientRef, ref: ref, acceptance: acceptance, on: request.db, now: now,
                zone: settings.businessTimeZone)
        } catch {
            // Sent twice at once: the other send accepted it.
            guard let done = try await acceptedBefore(request, debtor, ref) else { throw error }
            return try backToPage(
                request, .plan, .notice,
                "Your arrangement \(ref) was already accepted by \(done.by); nothing was recorded twice.")
        }
        return try backToPage(
            request, .plan, .notice,
            "Thank you, \(name). Your arrangement \(ref) is accepted. We have stopped adding interest and fees while "
                + "you keep to it.")
    }

    /// The acceptance of the debtor's arrangement `ref`, when it is theirs and accepted already.
    private func acceptedBefore(_ request: Request, _ debtor: PortalDebtor, _ ref: String) async throws -> Acceptance? {
        guard
            let view = try? await ArrangementStore.show(
                clientRef: debtor.clientRef, ref: ref, asOf: request.application.settings.today, on: request.db),
            view.debtorRef == debtor.debtorRef
        else { return nil }
        return view.arrangement.acceptance
    }

    struct PromiseForm: PageForm {
        var debt: String?
        var amount: String?
        var due: String?
    }

    /// A promise to pay an amount (as people type it) by a date, on one of the debtor's open debts.
    @Sendable
    func promise(request: Request) async throws -> Response {
        let debtor = try await Self.checkedDebtor(request)
        let form = request.form(PromiseForm.self)
        let settings = request.application.settings
        let clock = try await Self.clock(request, debtor: debtor)
        let debts = try await PortalLinks.debts(of: debtor, on: request.db).filter(\.isOpen)
        guard let debt = debts.first(where: { $0.ref == form.debt }) ?? debts.first else {
            return try owesNothing(request, .promise)
        }
        let entered = Entered(promiseAmount: form.amount ?? "")
        do {
            let submission = try Self.submission(request)
            let units = try AmountInput.typed(form.amount ?? "", field: "the amount", currency: debt.currency)
            let due = try LocalDate(iso: form.due ?? "")
            switch try await PromiseStore.add(
                clientRef: debtor.clientRef, debtRef: debt.ref, amount: .minorUnits(units), due: due,
                madeOn: clock.today, via: .portal, note: nil, once: submission, on: request.db, now: clock.now,
                zone: settings.businessTimeZone)
            {
            case .done(let promise):
                let amount = Money.displayString(minorUnits: promise.promise.amount, currency: promise.currency)
                return try backToPage(
                    request, .promise, .notice,
                    "Thank you. We have noted that you will pay \(amount) on \(debt.ref) by "
                        + "\(TimeDisplay.date(due)).")
            case .repeated(let receipt):
                return try repeated(request, .promise, receipt, what: "your promise")
            }
        } catch {
            guard let sentence = DebtPagesController.fixable(error) else { throw error }
            return try await refuse(
                request, debtor, .promise, "Please check the promise: \(sentence)", entered: entered)
        }
    }

    struct DisputeForm: PageForm {
        var text: String?
        var debts: [String]?
    }

    /// A dispute in the debtor's own words about the debts they choose (all of them unless they untick some):
    /// recorded at once as a dispute event naming those debts, so collection of them stops until it is checked.
    @Sendable
    func dispute(request: Request) async throws -> Response {
        let debtor = try await Self.checkedDebtor(request)
        let form = request.form(DisputeForm.self)
        let text = (form.text ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let entered = Entered(disputeText: text)
        let known = try await PortalLinks.debts(of: debtor, on: request.db).map(\.ref)
        let chosen = known.filter { (form.debts ?? []).contains($0) }
        guard !chosen.isEmpty else {
            return try await refuse(
                request, debtor, .dispute, "Please tick at least one account that your dispute is about.",
                entered: entered)
        }
        guard !text.isEmpty else {
            return try await refuse(
                request, debtor, .dispute, "Please tell us in a few words what is wrong.", entered: entered)
        }
        let settings = request.application.settings
        let now = settings.clock()
        let submission: FormSubmission
        do { submission = try Self.submission(request) } catch {
            return try await refuse(request, debtor, .dispute, "\(error)", entered: entered)
        }
        switch try await ContactStore.record(
            ContactLogEntry(ContactEvent(.dispute, at: now, debtIDs: chosen), note: String(text.prefix(4000))),
            debtorID: debtor.debtorID, recordedBy: "portal", once: submission, on: request.db, now: now,
            zone: settings.businessTimeZone)
        {
        case .done:
            return try backToPage(
                request, .dispute, .notice,
                "We have received your dispute about \(chosen.joined(separator: ", ")) and stopped collecting "
                    + "while we check it. We will write to you with what we find.")
        case .repeated(let receipt):
            return try repeated(request, .dispute, receipt, what: "your dispute")
        }
    }

    struct PreferencesForm: PageForm {
        var weekdays: [String]?
        var from: String?
        var to: String?
        var stopTexts: String?
        var stopEmails: String?
    }

    /// Times that are inconvenient, and channels to stop: recorded as `inconvenient` and `opt_out` events, each once
    /// for the form (its one-time id and the event's place in it).
    @Sendable
    func preferences(request: Request) async throws -> Response {
        let debtor = try await Self.checkedDebtor(request)
        let form = request.form(PreferencesForm.self)
        let settings = request.application.settings
        let now = settings.clock()
        let submission: FormSubmission
        do { submission = try Self.submission(request) } catch {
            return try await refuse(request, debtor, .preferences, "\(error)")
        }
        var recorded: [String] = []
        var repeats = 0
        let days = (form.weekdays ?? []).compactMap {
            ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].firstIndex(of: $0)
        }
        let time = { (text: String?) -> LocalTime? in
            guard let text, text.count == 5, text.dropFirst(2).first == ":" else { return nil }
            return LocalTime(parsing: text)
        }
        func record(_ kind: ContactEvent.Kind, part: String, words: String) async throws {
            let once = FormSubmission(id: submission.id + "-" + part, by: submission.by) ?? submission
            switch try await ContactStore.record(
                ContactLogEntry(ContactEvent(kind, at: now)), debtorID: debtor.debtorID, recordedBy: "portal",
                once: once, on: request.db, now: now, zone: settings.businessTimeZone)
            {
            case .done: recorded.append(words)
            case .repeated: repeats += 1
            }
        }
        if !days.isEmpty || time(form.from) != nil {
            let window = time(form.from).flatMap { from in time(form.to).map { (from, $0) } }
            try await record(
                .inconvenient(weekdays: Set(days.map { $0 + 1 }), from: window?.0, to: window?.1, until: nil),
                part: "times", words: "the times you do not want to be contacted")
        }
        for (flag, channel, part, words) in [
            (form.stopTexts, ContactChannel.sms, "sms", "no more text messages"),
            (form.stopEmails, .email, "email", "no more emails"),
        ] where flag == "on" {
            try await record(.optOut(channel: channel, address: nil), part: part, words: words)
        }
        let message =
            recorded.isEmpty
            ? (repeats > 0
                ? "You already sent these preferences; they were saved once, not again." : "Nothing was changed.")
            : "Saved: " + recorded.joined(separator: ", ") + "."
        return try backToPage(request, .preferences, .notice, message)
    }

    // MARK: Helpers

    /// One reading of the clock for a portal request, and the debtor's calendar day at that instant.
    struct Clock {
        var now: Date
        var today: LocalDate
    }

    /// The request's instant and the debtor's day at it: in the debtor's zone when Recoup knows where they are (the
    /// zones recorded for them, else their address or phone, as the compliance rules place them), in the business
    /// zone (`serve --time-zone`) otherwise. The agreement's "written on", the first payment date a plan may take, a
    /// promise's day and the dates the page suggests all read this one day, so a debtor in Los Angeles at 7 PM on
    /// the 29th gets an agreement written on the 29th even where the server's day is already the 30th.
    static func clock(_ request: Request, debtor: PortalDebtor) async throws -> Clock {
        let settings = request.application.settings
        let now = settings.clock()
        let primary = DebtorTimeZones.primary(try await ContactStore.profile(debtorID: debtor.debtorID, on: request.db))
        return Clock(now: now, today: LocalDate(now, in: primary.isKnown ? primary.zone : settings.businessTimeZone))
    }

    /// The answer to a plan or a promise from a debtor with no open debt.
    private func owesNothing(_ request: Request, _ part: Part) throws -> Response {
        try backToPage(request, part, .notice, "You owe nothing at the moment.")
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
