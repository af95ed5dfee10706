import Foundation
import RecoupCore
import RecoupStore
import Vapor

/// The accounts clients placed with the agency (`/agency/placements`, docs/agency.md "Pages"): each with its status,
/// what was collected and the balance; the form to upload a placement file, answered with its acknowledgement (and the
/// acknowledgement's CSV); recalling an account (client users and staff), closing one with a reason code (admins and
/// managers), reporting a payment the client received directly (client users and staff), and the return file.
///
/// Everything goes through the user's scope: a client user sees and acts on its own client's accounts only, and
/// another client's answers 404 exactly as a missing one. Every form posts, then redirects with what happened
/// (`Flash`).
struct AgencyPlacementsPage: RouteCollection {
    /// The largest placement file the upload form takes.
    static let uploadLimit: ByteCount = "8mb"

    func boot(routes: any RoutesBuilder) throws {
        routes.get("agency", "placements", use: list)
        routes.get("agency", "placements", "returns.csv", use: returnFile)
        routes.get("agency", "placements", "acknowledgements", ":batch", use: acknowledgement)
        routes.get("agency", "placements", "acknowledgements", ":batch", "acknowledgement.csv", use: acknowledgementCSV)
        routes.post("agency", "placements", ":client", ":debt", "recall", use: recall)
        routes.post("agency", "placements", ":client", ":debt", "close", use: close)
        routes.post("agency", "placements", ":client", ":debt", "direct-payment", use: directPayment)
    }

    /// The upload, registered behind `CollectedBody` (before the session's CSRF check reads the form): a file is
    /// larger than the body Vapor collects by itself.
    func bootUpload(routes: any RoutesBuilder) {
        routes.on(.POST, "agency", "placements", "upload", body: .collect(maxSize: Self.uploadLimit), use: upload)
    }

    struct PlacementRow: Encodable {
        var anchor: String
        var client: String
        var debt: String
        var debtLink: String
        var debtor: String
        var placedOn: String
        var rate: String
        var balanceAtPlacement: String
        var collected: String
        var balance: String
        var status: String
        var isOpen: Bool
        var actionPath: String
        var paymentSubmission: String
    }

    struct ListContext: Encodable {
        var title = "Placed accounts"
        var rows: [PlacementRow]
        var flash: Flash?
        var showClient: Bool
        var clients: [DebtPagesController.Choice]
        var clientRef: String
        var status: String
        var today: String
        var canUpload: Bool
        var canRecall: Bool
        var canClose: Bool
        var canReportPayment: Bool
        var isAdmin: Bool
        var reasons: [DebtPagesController.Choice]
        var reference: String
        /// The next page (older placements), and the first page when this is a later one.
        var nextURL: String?
        var firstURL: String?
        var returnsFrom: String
    }

    struct AcceptedRow: Encodable {
        var line: Int
        var debt: String
        var balance: String
        var days: Int
        var rate: String
    }

    struct RejectedRow: Encodable {
        var line: Int
        var debt: String
        var reason: String
    }

    struct AcknowledgementContext: Encodable {
        var title: String
        var batch: Int64
        var client: String
        var placedOn: String
        var accepted: [AcceptedRow]
        var rejected: [RejectedRow]
        var csv: String
        var validationNotices: Bool
        var flash: Flash?
    }

    /// Placed accounts a page shows, the latest placed first; "Older placements" goes on from the last one.
    static let pageSize = 100

    /// The placed accounts in scope, the latest placed first, a page at a time: `client` narrows them, `status` is
    /// `open` (default), `closed` or `all`, `ref` finds an account or debtor by its reference, `after` (`DATE.ID`, the
    /// last row of the page before) goes on from there.
    @Sendable
    func list(request: Request) async throws -> Response {
        let clientRef = request.query[String.self, at: "client"].flatMap { $0.isEmpty ? nil : $0 }
        if let clientRef { try request.requireClient(clientRef) }
        let role = try request.requireUser().role
        let status = request.query[String.self, at: "status"] ?? "open"
        guard ["open", "closed", "all"].contains(status) else {
            throw Abort(.badRequest, reason: "status is \"\(status)\"; use open, closed or all")
        }
        let reference = request.query[String.self, at: "ref"]?.trimmingCharacters(in: .whitespaces) ?? ""
        guard reference.count <= 200 else { throw Abort(.badRequest, reason: "the reference is over 200 characters") }
        var cursor: PlacementCursor?
        if let text = request.query[String.self, at: "after"], !text.isEmpty {
            guard let read = PlacementCursor(text: text) else {
                throw Abort(
                    .badRequest,
                    reason:
                        "this page of placed accounts (after=\(text)) is not one the list made; start again from its first page"
                )
            }
            cursor = read
        }
        let settings = request.application.settings
        var placements = try await PlacementIntake.placements(
            clientRef: clientRef, scope: request.scope, openOnly: status == "open",
            closedFrom: status == "closed" ? LocalDate(daysSinceEpoch: -1_000_000) : nil,
            reference: reference.isEmpty ? nil : reference, after: cursor, limit: Self.pageSize + 1, on: request.db)
        let hasMore = placements.count > Self.pageSize
        placements = Array(placements.prefix(Self.pageSize))
        var base = URLComponents()
        func listURL(after: String?) -> String {
            base.queryItems = [("client", clientRef), ("status", status), ("ref", reference), ("after", after)]
                .compactMap { name, value in value.flatMap { $0.isEmpty ? nil : URLQueryItem(name: name, value: $0) } }
            return base.percentEncodedQuery.map { "/agency/placements?" + $0 } ?? "/agency/placements"
        }
        let isStaff = role == .admin || role == .manager
        let clients =
            request.scope == .all ? try await DebtPagesController.clientChoices(request, selected: clientRef ?? "") : []
        return try await Flash.showingOnce(request) { flash in
            let context = ListContext(
                rows: placements.map(Self.row), flash: flash, showClient: request.scope == .all, clients: clients,
                clientRef: clientRef ?? "", status: status, today: settings.today.isoString,
                canUpload: isStaff || role == .client, canRecall: isStaff || role == .client, canClose: isStaff,
                canReportPayment: isStaff || role == .client, isAdmin: role == .admin,
                reasons: PlacementCloseReason.allCases.filter { $0 != .recalled }.map {
                    DebtPagesController.Choice(value: $0.rawValue, label: $0.words, selected: false)
                }, reference: reference,
                nextURL: hasMore ? placements.last.map { listURL(after: PlacementCursor(after: $0).text) } : nil,
                firstURL: cursor == nil ? nil : listURL(after: nil),
                returnsFrom: settings.today.adding(days: -30).isoString)
            return try await request.view.render("agency-placements", context).encodeResponse(for: request)
        }
    }

    static func row(_ placement: AgencyPlacement) -> PlacementRow {
        let money = { (units: Int64) in Money.displayString(minorUnits: units, currency: placement.currency) }
        let status: String
        if let closedOn = placement.closedOn {
            status =
                "closed \(TimeDisplay.date(closedOn))" + (placement.closeReason.map { ": \($0.words)" } ?? "")
                + (placement.closeNote.map { " (\($0))" } ?? "")
        } else {
            status = "open"
        }
        let query = [("q", placement.debtRef), ("client", placement.clientRef)].map {
            "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
        }.joined(separator: "&")
        return PlacementRow(
            anchor: "placement-\(placement.id)", client: placement.clientRef, debt: placement.debtRef,
            debtLink: "/debts?" + query, debtor: "\(placement.debtorName) (\(placement.debtorRef))",
            placedOn: TimeDisplay.date(placement.placedOn), rate: "\(placement.rate.percentText)%",
            balanceAtPlacement: money(placement.balanceAtPlacement), collected: money(placement.collected),
            balance: money(placement.balance), status: status, isOpen: placement.closedOn == nil,
            actionPath:
                "/agency/placements/\(Self.component(placement.clientRef))/\(Self.component(placement.debtRef))",
            paymentSubmission: FormOnce.newID())
    }

    /// A reference as one path component.
    static func component(_ ref: String) -> String {
        ref.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? ref
    }

    // MARK: Uploading a placement file

    struct UploadForm: Content {
        var client: String?
        var placedOn: String?
        var file: File?
    }

    /// Takes in a placement file through `PlacementIntake.importFile` (the use case of `recoup placement import`) and
    /// redirects to its acknowledgement. A client user places its own client's accounts; staff name the client.
    @Sendable
    func upload(request: Request) async throws -> Response {
        // The client is read first, whatever the form's shape, so another client's answers 404 before anything else.
        let named = ((try? request.content.get(String.self, at: "client")) ?? "").trimmingCharacters(in: .whitespaces)
        if !named.isEmpty { try request.requireClient(named) }
        let user = try request.requireUser()
        try request.requireRole(.admin, .manager, .client)
        let clientRef = user.role == .client ? (user.clientRef ?? "") : named
        let settings = request.application.settings
        do {
            guard !clientRef.isEmpty else { throw InputError("choose the client whose accounts these are") }
            let form = try? request.content.decode(UploadForm.self)
            let placedOn =
                (form?.placedOn ?? "").isEmpty
                ? settings.today : try DebtPagesController.day(form?.placedOn, field: "the placement date")
            guard let file = form?.file, file.data.readableBytes > 0 else {
                throw InputError("choose the placement file to upload (a CSV in the recoup layout)")
            }
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
                "recoup-upload-\(FormOnce.newID())")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            // The file keeps its name (the acknowledgement records it), cut down to safe characters.
            let base = file.filename.split(separator: "/").last.map(String.init) ?? ""
            let name = String(base.prefix(100).map { $0.isLetter || $0.isNumber || "-_.".contains($0) ? $0 : "-" })
            let path = directory.appendingPathComponent(name.isEmpty ? "placements.csv" : name)
            try Data(file.data.readableBytesView).write(to: path)
            let acknowledgement = try await PlacementIntake.importFile(
                PlacementImportRequest(
                    path: path.path, clientRef: clientRef, placedOn: placedOn, by: user.email),
                now: settings.clock(), on: request.db)
            let text =
                "Placement file taken in: \(acknowledgement.accepted.count) accepted, "
                + "\(acknowledgement.rejected.count) rejected."
            return Flash.redirect(
                request, to: "/agency/placements/acknowledgements/\(acknowledgement.batchID)",
                with: Flash(kind: .notice, text: text))
        } catch {
            guard let sentence = DebtPagesController.fixable(error) else { throw error }
            return Flash.redirect(
                request, to: "/agency/placements", fragment: "upload-h",
                with: Flash(kind: .refusal, text: "The file was not taken in: \(sentence)"))
        }
    }

    @Sendable
    func acknowledgement(request: Request) async throws -> Response {
        let acknowledgement = try await Self.stored(request)
        let money = { (units: Int64, currency: Currency) in Money.displayString(minorUnits: units, currency: currency) }
        return try await Flash.showingOnce(request) { flash in
            let context = AcknowledgementContext(
                title: "Acknowledgement \(acknowledgement.batchID)", batch: acknowledgement.batchID,
                client: acknowledgement.clientRef, placedOn: TimeDisplay.date(acknowledgement.placedOn),
                accepted: acknowledgement.accepted.map {
                    AcceptedRow(
                        line: $0.line, debt: $0.debtRef, balance: money($0.balance, $0.currency),
                        days: $0.daysAtPlacement, rate: "\($0.rate.percentText)%")
                },
                rejected: acknowledgement.rejected.map {
                    RejectedRow(line: $0.line, debt: $0.debtRef.isEmpty ? "(none)" : $0.debtRef, reason: $0.reason)
                },
                csv: "/agency/placements/acknowledgements/\(acknowledgement.batchID)/acknowledgement.csv",
                validationNotices: acknowledgement.validationNotices, flash: flash)
            return try await request.view.render("agency-acknowledgement", context).encodeResponse(for: request)
        }
    }

    @Sendable
    func acknowledgementCSV(request: Request) async throws -> Response {
        let acknowledgement = try await Self.stored(request)
        return RemittancesPage.download(
            Array(AgencyJSON.csv(acknowledgement).utf8), type: "text/csv; charset=utf-8",
            name: "acknowledgement-\(acknowledgement.clientRef)-\(acknowledgement.batchID).csv")
    }

    /// The batch the path names, in the user's scope (404 otherwise, as a missing one).
    static func stored(_ request: Request) async throws -> PlacementAcknowledgement {
        let text = request.parameters.get("batch") ?? ""
        guard let id = Int64(text), id > 0,
            let acknowledgement = try await PlacementIntake.acknowledgement(
                batchID: id, scope: request.scope, on: request.db)
        else { throw Abort(.notFound, reason: "There is no placement file \(text).") }
        try request.requireRole(.admin, .manager, .collector, .client)
        return acknowledgement
    }

    // MARK: Returns

    /// The return file: the accounts closed between `from` and `through` (default: the last 30 days), with their
    /// reason codes, as CSV.
    @Sendable
    func returnFile(request: Request) async throws -> Response {
        let clientRef = request.query[String.self, at: "client"].flatMap { $0.isEmpty ? nil : $0 }
        if let clientRef { try request.requireClient(clientRef) }
        let today = request.application.settings.today
        let from: LocalDate
        let through: LocalDate
        do {
            from =
                try request.query[String.self, at: "from"].flatMap { $0.isEmpty ? nil : $0 }.map {
                    try DebtPagesController.day($0, field: "from")
                } ?? today.adding(days: -30)
            through =
                try request.query[String.self, at: "through"].flatMap { $0.isEmpty ? nil : $0 }.map {
                    try DebtPagesController.day($0, field: "through")
                } ?? today
        } catch {
            throw Abort(.badRequest, reason: "\(error)")
        }
        let placements = try await PlacementIntake.placements(
            clientRef: clientRef, scope: request.scope, closedFrom: from, closedThrough: through, on: request.db)
        return RemittancesPage.download(
            Array(AgencyJSON.returnFile(placements).utf8), type: "text/csv; charset=utf-8",
            name: "returns-\(clientRef ?? request.scope.ref ?? "all")-\(from.isoString)-\(through.isoString).csv")
    }

    // MARK: Recall, close, direct payments

    struct RecallForm: PageForm {
        var reason: String?
    }

    struct CloseForm: PageForm {
        var reasonCode: String?
        var note: String?
        var on: String?
    }

    struct DirectPaymentForm: PageForm {
        var amount: String?
        var receivedOn: String?
        var submission: String?
    }

    /// The client recalls the account: it is closed today with reason code `recalled` and the reason as its note.
    @Sendable
    func recall(request: Request) async throws -> Response {
        let (client, debt) = try Self.account(request)
        try request.requireRole(.admin, .manager, .client)
        let form = request.form(RecallForm.self)
        return try await Self.answer(request, failed: "Not recalled") {
            guard let reason = try DebtPagesController.optionalText(form.reason, field: "the reason", limit: 500)
            else { throw InputError("say why the account is recalled") }
            let placement = try await AgencyRoles.close(
                request, client: client, debt: debt, reason: .recalled, note: reason, on: nil)
            return "Recalled \(placement.debtRef) on \(TimeDisplay.date(placement.closedOn ?? placement.placedOn)): "
                + "it is back with \(placement.clientRef) and on the return file."
        }
    }

    /// Agency staff close the account and return it with a reason code.
    @Sendable
    func close(request: Request) async throws -> Response {
        let (client, debt) = try Self.account(request)
        try request.requireRole(.admin, .manager)
        let form = request.form(CloseForm.self)
        return try await Self.answer(request, failed: "Not closed") {
            guard let reason = PlacementCloseReason(rawValue: form.reasonCode ?? "") else {
                throw InputError(
                    "choose a reason code: "
                        + PlacementCloseReason.allCases.map(\.words).joined(separator: ", "))
            }
            let note = try DebtPagesController.optionalText(form.note, field: "the note", limit: 500)
            let day =
                (form.on ?? "").isEmpty ? nil : try DebtPagesController.day(form.on, field: "the day it is closed")
            let placement = try await AgencyRoles.close(
                request, client: client, debt: debt, reason: reason, note: note, on: day)
            return "Closed \(placement.debtRef) (\(reason.words)) on "
                + "\(TimeDisplay.date(placement.closedOn ?? placement.placedOn)): it is on the return file."
        }
    }

    /// The client reports a payment the debtor made to it directly: posted through `PaymentStore.post` (the use case
    /// of `recoup payment post --received-by client`) with the form's one-time id as its idempotency key, so the same
    /// form sent twice posts once.
    @Sendable
    func directPayment(request: Request) async throws -> Response {
        let (client, debt) = try Self.account(request)
        try request.requireRole(.admin, .manager, .client)
        let form = request.form(DirectPaymentForm.self)
        let settings = request.application.settings
        return try await Self.answer(request, failed: "Not recorded") {
            let submission = try FormOnce.submission(request, by: request.recoupUser?.email)
            guard try await PlacementIntake.isOpen(clientRef: client, debtRef: debt, on: request.db) else {
                throw InputError("\(debt) is not placed with the agency (no open placement): nothing to report")
            }
            let amount = (form.amount ?? "").trimmingCharacters(in: .whitespaces)
            guard !amount.isEmpty else { throw InputError("give the amount the debtor paid") }
            let receivedOn = try DebtPagesController.day(form.receivedOn, field: "the day it was received")
            let result = try await PaymentStore.post(
                PaymentRequest(
                    clientRef: client, debtRef: debt,
                    action: .pay(amount: .text(amount, field: "the amount"), on: receivedOn),
                    idempotencyKey: "direct-" + submission.id, method: "direct", receivedBy: .client),
                on: request.db, now: settings.clock(), zone: settings.businessTimeZone)
            guard result.posted else {
                return "This form was already sent: the direct payment was recorded once, not again."
            }
            return "Recorded a direct payment of "
                + "\(Money.displayString(minorUnits: result.entry.amount, currency: result.currency)) on \(debt), "
                + "received \(TimeDisplay.date(receivedOn)). "
                + "It goes on the next remittance statement."
        }
    }

    /// The account the path names, its client in the user's scope (404 otherwise).
    static func account(_ request: Request) throws -> (client: String, debt: String) {
        let client = try request.requiredParameter("client")
        try request.requireClient(client)
        return (client, try request.requiredParameter("debt"))
    }

    /// Runs a form's work and redirects to the list with what it did, or with why not (an error the sender can fix).
    static func answer(
        _ request: Request, failed: String, _ work: () async throws -> String
    ) async throws -> Response {
        do {
            let text = try await work()
            return Flash.redirect(request, to: "/agency/placements", with: Flash(kind: .notice, text: text))
        } catch StoreError.idempotencyConflict {
            return Flash.redirect(
                request, to: "/agency/placements",
                with: Flash(kind: .notice, text: "This form was already sent: it was recorded once, not again."))
        } catch {
            guard let sentence = DebtPagesController.fixable(error) else { throw error }
            return Flash.redirect(
                request, to: "/agency/placements", with: Flash(kind: .refusal, text: "\(failed): \(sentence)"))
        }
    }
}

extension ClientScope {
    /// A client user's client reference; nil for agency staff.
    var ref: String? {
        switch self {
        case .all: nil
        case .client(_, let ref): ref
        }
    }
}

/// Collects a request's whole body (up to `limit`; 413 beyond it) before the next middleware reads it: the session's
/// CSRF check reads the form, and a file upload arrives in more pieces than Vapor collects by itself.
struct CollectedBody: AsyncMiddleware {
    let limit: ByteCount

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if request.body.data == nil, request.method == .POST {
            _ = try await request.body.collect(max: limit.value).get()
        }
        return try await next.respond(to: request)
    }
}
