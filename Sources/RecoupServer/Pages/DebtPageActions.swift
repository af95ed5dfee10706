import Foundation
import RecoupCore
import RecoupStore
import Vapor

// The debt page's quick actions: a call's outcome in one click, a payment, a promise to pay and a portal link, each
// through the store's one use case for it (the one the API and the command line use). Every form posts, then
// redirects to the page with what happened (`Flash`); each carries a one-time id (`FormOnce`), so the same form sent
// twice records once; a form the page cannot read is the page again with one sentence next to it (`handleForm`).
extension DebtPagesController {
    // MARK: What the page shows

    struct QuickCallButton: Encodable {
        var outcome: String
        var label: String
        var submission: String
    }

    /// The one-click outcomes of a call made now.
    struct QuickCalls: Encodable {
        /// The number called: the one "Can we call now?" is about.
        var number: String
        var buttons: [QuickCallButton]
        var error: String?
    }

    /// The callback the latest contact with one asked for, when no contact has come since.
    struct PendingCallback: Encodable {
        var at: String
        var iso: String
        var by: String?
        /// True once its time has come.
        var isDue: Bool
        /// Why a call at that time would be refused, as things stand; nil when the rules would allow it.
        var warning: String?
    }

    struct PaymentFormState: Encodable {
        var submission: String
        var amount: String
        var receivedOn: String
        var methods: [Choice]
        var reference: String
        var error: String?
    }

    struct PromiseFormState: Encodable {
        var submission: String
        var amount: String
        var due: String
        /// The first and last days a promise may fall due (`PromiseToPay.maxDaysAhead`).
        var earliest: String
        var latest: String
        /// The last day, written for people: "Sun 28 Feb 2027".
        var latestText: String
        var channels: [Choice]
        var note: String
        /// What is owed, the most a promise may be for.
        var balance: String
        var error: String?
    }

    struct PortalFormState: Encodable {
        var submission: String
        var days: String
        var error: String?
    }

    /// A portal link just made: its whole URL, shown once, and until when it works.
    struct PortalLinkView: Encodable {
        var url: String
        var expires: String
    }

    /// The call outcomes offered as buttons, most common first.
    static let quickOutcomes: [(CallOutcome, String)] = [
        (.noAnswer, "No answer"), (.voicemail, "Left a voicemail"), (.conversation, "Spoke to the debtor"),
        (.busy, "Busy"), (.thirdParty, "Someone else answered"), (.notInService, "Not in service"),
        (.answeredDropped, "Answered, then hung up"),
    ]

    static let paymentMethods: [(String, String)] = [
        ("", "Not given"), ("card", "Card"), ("ach", "Bank transfer (ACH)"), ("check", "Check"), ("cash", "Cash"),
        ("money_order", "Money order"), ("other", "Other"),
    ]

    static let promiseChannels: [(String, String)] = [("call", "On a call"), ("portal", "In writing or online")]

    /// The flash subject of a portal link just made: its details are the URL and when it stops working.
    static let portalLinkSubject = "portal-link"

    /// Fills in the quick actions' part of the page: the one-click outcomes (with a phone on file), the pending
    /// callback, the payment, promise and portal link forms (fresh, or as sent when they could not be read), and a
    /// portal link just made.
    static func addActions(
        to context: inout DebtContext, debt: DebtSummary, balance: Int64, phone: String?,
        contacts: DebtorContacts, events: [StoredContactEvent], times: TimeDisplay, now: Date, today: LocalDate,
        flash: Flash?, entered: Entered?
    ) {
        let enteredQuick = entered?.form == .contact && entered?.contact?.at == ContactForm.now
        if let phone {
            context.quickCalls = QuickCalls(
                number: phone,
                buttons: quickOutcomes.map {
                    QuickCallButton(outcome: $0.0.rawValue, label: $0.1, submission: FormOnce.newID())
                }, error: enteredQuick ? entered?.error : nil)
        }
        context.callback = pendingCallback(events, times: times, now: now)
        if let pending = context.callback, !pending.isDue, let at = ISO8601Instant.parse(pending.iso) {
            context.callback?.warning = callbackWarning(contacts, at: at, phone: phone, debtRef: debt.ref, times: times)
        }
        let payment = entered?.form == .payment ? entered?.payment : nil
        context.paymentForm = PaymentFormState(
            submission: kept(payment?.submission), amount: payment?.amount ?? "",
            receivedOn: payment?.receivedOn ?? today.isoString,
            methods: choices(paymentMethods, selected: payment?.method), reference: payment?.reference ?? "",
            error: payment == nil ? nil : entered?.error)
        let promise = entered?.form == .promise ? entered?.promise : nil
        context.promiseForm = PromiseFormState(
            submission: kept(promise?.submission), amount: promise?.amount ?? "", due: promise?.due ?? "",
            earliest: today.isoString, latest: today.adding(days: PromiseToPay.maxDaysAhead).isoString,
            latestText: TimeDisplay.date(today.adding(days: PromiseToPay.maxDaysAhead)),
            channels: choices(promiseChannels, selected: promise?.via), note: promise?.note ?? "",
            balance: Money.displayString(minorUnits: max(balance, 0), currency: debt.currency),
            error: promise == nil ? nil : entered?.error)
        let portal = entered?.form == .portal ? entered?.portal : nil
        context.portalForm = PortalFormState(
            submission: kept(portal?.submission), days: portal?.days ?? "30",
            error: portal == nil ? nil : entered?.error)
        if let flash, flash.subject == portalLinkSubject, flash.details.count == 2 {
            context.portalLink = PortalLinkView(url: flash.details[0], expires: flash.details[1])
            context.flash?.details = []
        }
    }

    /// A form's one-time id as sent, when it is one, so the corrected form keeps it; else a fresh one.
    static func kept(_ submission: String?) -> String {
        submission.flatMap { FormSubmission(id: $0, by: nil)?.id } ?? FormOnce.newID()
    }

    /// The callback of the latest event that set one (`events` oldest first), unless a call, text, email or letter
    /// came after that event.
    static func pendingCallback(_ events: [StoredContactEvent], times: TimeDisplay, now: Date) -> PendingCallback? {
        guard let index = events.lastIndex(where: { $0.callbackAt != nil }), let at = events[index].callbackAt
        else { return nil }
        let attempts: Set<String> = ["call", "sms", "email", "letter"]
        guard !events[(index + 1)...].contains(where: { attempts.contains($0.type) }) else { return nil }
        return PendingCallback(
            at: times.instant(at), iso: ISO8601Instant.format(at), by: events[index].recordedBy, isDue: at <= now)
    }

    /// Why a collection call to `phone` at `at` (a callback) would be refused by the rules, given the history as it
    /// stands, with the first time one would be allowed; nil when it would be allowed.
    static func callbackWarning(
        _ contacts: DebtorContacts, at: Date, phone: String?, debtRef: String, times: TimeDisplay
    ) -> String? {
        let decision = contacts.decide(.call, at: at, to: phone, debtRef: debtRef)
        guard decision.verdict == .block else { return nil }
        let reasons = decision.findings.filter { $0.effect == .block }
            .map { $0.reason.hasSuffix(".") ? String($0.reason.dropLast()) : $0.reason }.joined(separator: "; ")
        return "A call then would be refused: \(reasons)."
            + (decision.nextAllowedAt.map { " The first time one is allowed: \(times.instant($0))." } ?? "")
    }

    /// A date typed into a form (`YYYY-MM-DD`, as a date input sends it), or one sentence naming `field`.
    static func day(_ text: String?, field: String) throws -> LocalDate {
        let text = (text ?? "").trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { throw InputError("give \(field), as a date") }
        guard let day = try? LocalDate(iso: text) else {
            throw InputError("\(field) \"\(text)\" is not a date; give one such as 2026-12-05")
        }
        return day
    }

    /// Optional free text: trimmed, nil when empty, refused (naming `field`) beyond `limit` characters.
    static func optionalText(_ text: String?, field: String, limit: Int) throws -> String? {
        let trimmed = (text ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return nil }
        guard trimmed.count <= limit else {
            throw InputError("\(field) is \(trimmed.count) characters long; keep it to \(limit)")
        }
        return trimmed
    }

    // MARK: Recording a payment

    struct PaymentForm: DebtPageForm {
        var amount: String?
        var receivedOn: String?
        var method: String?
        var reference: String?
        var submission: String?

        func entered(error: String) -> Entered { Entered(form: .payment, error: error, payment: self) }
    }

    /// Posts a payment received on this debt through `PaymentStore.post`, the API's and `recoup payment post`'s use
    /// case. The form's one-time id is the payment's idempotency key (`page-ID`), so the same form sent twice posts
    /// once: the ledger answers the second with the first entry.
    @Sendable
    func recordPayment(request: Request) async throws -> Response {
        try await handleForm(request, PaymentForm.self) { debt, form, submission in
            let settings = request.application.settings
            let money = { (units: Int64) in Money.displayString(minorUnits: units, currency: debt.currency) }
            let units = try AmountInput.typed(form.amount ?? "", field: "the amount", currency: debt.currency)
            let receivedOn = try Self.day(form.receivedOn, field: "the date received")
            let method = (form.method ?? "").trimmingCharacters(in: .whitespaces)
            guard let methodName = Self.paymentMethods.first(where: { $0.0 == method })?.1 else {
                throw InputError(
                    "choose how it was paid: "
                        + Self.paymentMethods.dropFirst().map { $0.1.lowercased() }.joined(separator: ", "))
            }
            let reference = try Self.optionalText(form.reference, field: "the reference", limit: 100)
            // A client user's payment on an account placed with the agency is one the client received (a direct
            // payment), never money in the agency's trust account.
            let receiver = try await AgencyRoles.receiver(
                request, named: nil, clientRef: debt.clientRef, debtRef: debt.ref, isPayment: true)
            let result: PaymentResult
            do {
                result = try await PaymentStore.post(
                    PaymentRequest(
                        clientRef: debt.clientRef, debtRef: debt.ref,
                        action: .pay(amount: .minorUnits(units), on: receivedOn),
                        idempotencyKey: "page-" + submission.id,
                        method: method.isEmpty ? nil : method, reference: reference, receivedBy: receiver),
                    on: request.db, now: settings.clock(), zone: settings.businessTimeZone)
            } catch StoreError.idempotencyConflict {
                // The same form sent again with other values (back, change, send): the first one was posted.
                return repeatedPayment(request, debt: debt)
            }
            guard result.posted else { return repeatedPayment(request, debt: debt) }
            let total = result.balance.total
            let standing =
                total > 0
                ? "The balance is now \(money(total))."
                : total == 0 ? "Nothing is owed now." : "The debtor is now \(money(-total)) in credit."
            return backToPage(
                request, debt: debt,
                Flash(
                    kind: .notice,
                    text: "Recorded: a payment of \(money(result.entry.amount)) received "
                        + "\(TimeDisplay.date(receivedOn))" + (method.isEmpty ? "" : " (\(methodName.lowercased()))")
                        + (reference.map { ", reference \($0)" } ?? "") + ". " + standing))
        }
    }

    private func repeatedPayment(_ request: Request, debt: DebtSummary) -> Response {
        backToPage(
            request, debt: debt,
            Flash(kind: .notice, text: "This form was already sent: the payment was recorded once, not again."))
    }

    // MARK: Recording a promise

    struct PromiseForm: DebtPageForm {
        var amount: String?
        var due: String?
        var via: String?
        var note: String?
        var submission: String?

        func entered(error: String) -> Entered { Entered(form: .promise, error: error, promise: self) }
    }

    /// Records a promise to pay on this debt, made today, through `PromiseStore.add` (the API's and the portal's use
    /// case): `PromiseToPay.check` refuses one above the balance or due more than 90 days ahead, with its sentence.
    @Sendable
    func recordPromise(request: Request) async throws -> Response {
        try await handleForm(request, PromiseForm.self) { debt, form, submission in
            let settings = request.application.settings
            let units = try AmountInput.typed(form.amount ?? "", field: "the amount", currency: debt.currency)
            let due = try Self.day(form.due, field: "the date it is promised by")
            guard let via = PromiseToPay.Channel(rawValue: form.via ?? "call") else {
                throw InputError("choose where the promise was made: on a call, or in writing or online")
            }
            let note = try Self.optionalText(form.note, field: "the note", limit: ContactStore.maxNoteLength)
            switch try await PromiseStore.add(
                clientRef: debt.clientRef, debtRef: debt.ref, amount: .minorUnits(units), due: due,
                madeOn: settings.today, via: via, note: note, once: submission, on: request.db, now: settings.clock(),
                zone: settings.businessTimeZone)
            {
            case .done(let view):
                return backToPage(
                    request, debt: debt,
                    Flash(
                        kind: .notice,
                        text: "Recorded: a promise to pay "
                            + "\(Money.displayString(minorUnits: view.promise.amount, currency: view.currency)) by "
                            + "\(TimeDisplay.date(view.promise.due)) (\(via == .call ? "on a call" : "in writing or online"))."
                    ))
            case .repeated(let receipt):
                return repeated(request, debt: debt, receipt, what: "the promise")
            }
        }
    }

    // MARK: Making a portal link

    struct PortalLinkForm: DebtPageForm {
        var days: String?
        var submission: String?

        func entered(error: String) -> Entered { Entered(form: .portal, error: error, portal: self) }
    }

    /// Makes a portal link for the debt's debtor through `PortalLinks.create` (what `recoup portal link` does) and
    /// shows it once, whole: under `--public-url` / `RECOUP_PUBLIC_URL`, else the address the browser used. The
    /// link travels to the page in the signed message cookie (`Flash`, two minutes, this session and page only).
    @Sendable
    func makePortalLink(request: Request) async throws -> Response {
        try await handleForm(request, PortalLinkForm.self) { debt, form, submission in
            let settings = request.application.settings
            let now = settings.clock()
            let text = (form.days ?? "").trimmingCharacters(in: .whitespaces)
            guard let days = Int(text), (1...365).contains(days) else {
                throw InputError("a portal link lasts 1 to 365 days; \"\(text)\" is not one of them")
            }
            switch try await PortalLinks.create(
                clientRef: debt.clientRef, debtorRef: debt.debtorRef, days: days, once: submission, on: request.db,
                now: now)
            {
            case .done(let link):
                let profile = try await ContactStore.profile(debtorID: debt.debtorID, on: request.db)
                let times = TimeDisplay(debtor: profile, userZone: settings.businessTimeZone)
                let url = PublicBaseURL.forLinks(request).url("/portal/\(link.token)")
                return backToPage(
                    request, debt: debt,
                    Flash(
                        kind: .notice,
                        text: "Portal link made for \(debt.debtorName). Send it to them: it is shown only this once "
                            + "(only its fingerprint is kept).",
                        details: [url, times.instant(link.expires)], subject: Self.portalLinkSubject))
            case .repeated(let receipt):
                return backToPage(
                    request, debt: debt,
                    Flash(
                        kind: .notice,
                        text: FormOnce.alreadySent(receipt, zone: settings.businessTimeZone)
                            + ": one link was made then, and it is shown only once. Make a new one if it was lost."))
            }
        }
    }
}
