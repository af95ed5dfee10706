import Foundation
import RecoupCore
import RecoupStore
import Vapor

/// Remittance statements (`/remittances`): the statements in the user's scope, the form agency staff close one with,
/// and each statement's page with its figures, its lines and its CSV and PDF (docs/agency.md, "Pages"). Admins,
/// managers and client users (their own client's statements only: another client's answers 404 as a missing one);
/// collectors get 403.
struct RemittancesPage: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("remittances", use: list)
        routes.post("remittances", "close", use: close)
        routes.get("remittances", ":id", use: show)
        routes.get("remittances", ":id", "statement.csv", use: csv)
        routes.get("remittances", ":id", "statement.pdf", use: pdf)
    }

    struct StatementRow: Encodable {
        var id: Int64
        var link: String
        var client: String
        var through: String
        var method: String
        var collected: String
        var dueToClient: String
        var dueToAgency: String
        var lines: Int
    }

    struct ListContext: Encodable {
        var title = "Remittances"
        var statements: [StatementRow]
        var flash: Flash?
        /// Agency staff who may close a statement (admins and managers).
        var canClose: Bool
        var clients: [DebtPagesController.Choice]
        var clientRef: String
        var through: String
    }

    struct FigureRow: Encodable {
        var label: String
        var amount: String
        var isTotal: Bool
    }

    struct LineRow: Encodable {
        var debtor: String
        var debt: String
        var date: String
        var kind: String
        var amount: String
        var rate: String
        var commission: String
    }

    struct StatementContext: Encodable {
        var title: String
        var id: Int64
        var client: String
        var clientName: String
        var through: String
        var method: String
        var closedAt: String
        var closedBy: String?
        var figures: [FigureRow]
        var lines: [LineRow]
        var csv: String
        var pdf: String
        var flash: Flash?
    }

    struct CloseForm: PageForm {
        var client: String?
        var through: String?
        var currency: String?
    }

    /// The statements in scope, the latest first (`client` narrows them), with the close form for staff.
    @Sendable
    func list(request: Request) async throws -> Response {
        let clientRef = request.query[String.self, at: "client"].flatMap { $0.isEmpty ? nil : $0 }
        if let clientRef { try request.requireClient(clientRef) }
        try request.requireRole(.admin, .manager, .client)
        let statements = try await TrustStore.statements(clientRef: clientRef, scope: request.scope, on: request.db)
        let settings = request.application.settings
        let canClose = request.recoupUser.map { [Role.admin, .manager].contains($0.role) } ?? false
        let clients = canClose ? try await DebtPagesController.clientChoices(request, selected: clientRef ?? "") : []
        return try await Flash.showingOnce(request) { flash in
            let context = ListContext(
                statements: statements.map(Self.row), flash: flash, canClose: canClose, clients: clients,
                clientRef: clientRef ?? "",
                through: RemittanceDeadline.periodEnd(before: settings.today, schedule: .monthly).isoString)
            return try await request.view.render("remittances", context).encodeResponse(for: request)
        }
    }

    /// Closes a client's statement through a day, once: a second close of the same day shows the same statement and
    /// creates nothing. Post/redirect/get; a refusal goes back to the list with its sentence.
    @Sendable
    func close(request: Request) async throws -> Response {
        let form = request.form(CloseForm.self)
        let clientRef = (form.client ?? "").trimmingCharacters(in: .whitespaces)
        if !clientRef.isEmpty { try request.requireClient(clientRef) }
        try request.requireRole(.admin, .manager)
        let settings = request.application.settings
        do {
            guard !clientRef.isEmpty else { throw InputError("choose the client whose statement to close") }
            let through = try DebtPagesController.day(form.through, field: "the last day the statement covers")
            let code = (form.currency ?? "").trimmingCharacters(in: .whitespaces).uppercased()
            let currency = code.isEmpty ? nil : try Currency(code: code)
            let result = try await TrustStore.close(
                clientRef: clientRef, through: through, currency: currency, by: request.recoupUser?.email,
                now: settings.clock(), on: request.db)
            let statement = result.statement
            let text =
                result.created
                ? "Closed statement \(statement.id) for \(statement.clientRef) through \(statement.through.isoString): "
                    + "\(statement.lines) \(statement.lines == 1 ? "line" : "lines")."
                : "Statement \(statement.id) for \(statement.clientRef) was already closed through "
                    + "\(statement.through.isoString): nothing new was created."
            return Flash.redirect(request, to: "/remittances/\(statement.id)", with: Flash(kind: .notice, text: text))
        } catch {
            guard let sentence = DebtPagesController.fixable(error) else { throw error }
            return Flash.redirect(
                request, to: "/remittances", with: Flash(kind: .refusal, text: "Not closed: \(sentence)"))
        }
    }

    @Sendable
    func show(request: Request) async throws -> Response {
        let statement = try await Self.statement(request)
        let lines = try await TrustStore.lines(statementID: statement.id, scope: request.scope, on: request.db)
        let zone = request.application.settings.businessTimeZone
        let display = TimeDisplay(debtorZone: zone, userZone: zone)
        let money = { (units: Int64) in Money.displayString(minorUnits: units, currency: statement.currency) }
        let figures = RemittanceDocuments.figureRows(statement)
        return try await Flash.showingOnce(request) { flash in
            let context = StatementContext(
                title: "Statement \(statement.id)", id: statement.id, client: statement.clientRef,
                clientName: statement.clientName, through: TimeDisplay.date(statement.through),
                method: statement.method == .net
                    ? "Net: the agency keeps its commission and remits the rest."
                    : "Gross: everything collected is remitted and the commission is invoiced.",
                closedAt: display.instant(statement.createdAt), closedBy: statement.createdBy,
                figures: figures.enumerated().map {
                    FigureRow(
                        label: $0.element.label, amount: $0.element.amount, isTotal: $0.offset >= figures.count - 2)
                },
                lines: lines.map { line in
                    let sign: Int64 = line.kind.isReversal ? -1 : 1
                    return LineRow(
                        debtor: "\(line.debtorName) (\(line.debtorRef))", debt: line.debtRef,
                        date: TimeDisplay.date(line.on), kind: RemittanceDocuments.words(line),
                        amount: money(sign * line.amount), rate: "\(line.rate.percentText)%",
                        commission: money(sign * line.commission))
                },
                csv: "/remittances/\(statement.id)/statement.csv", pdf: "/remittances/\(statement.id)/statement.pdf",
                flash: flash)
            return try await request.view.render("remittance", context).encodeResponse(for: request)
        }
    }

    @Sendable
    func csv(request: Request) async throws -> Response {
        let statement = try await Self.statement(request)
        let lines = try await TrustStore.lines(statementID: statement.id, scope: request.scope, on: request.db)
        return Self.download(
            Array(RemittanceDocuments.csv(statement, lines: lines).utf8), type: "text/csv; charset=utf-8",
            name: "statement-\(statement.clientRef)-\(statement.through.isoString).csv")
    }

    @Sendable
    func pdf(request: Request) async throws -> Response {
        let statement = try await Self.statement(request)
        let lines = try await TrustStore.lines(statementID: statement.id, scope: request.scope, on: request.db)
        let terms = try await AccrualStore.terms(clientRef: statement.clientRef, on: request.db)
        let bytes = RemittanceDocuments.pdf(statement, lines: lines, agency: terms.terms.collectorName ?? "The agency")
        return Self.download(
            bytes, type: "application/pdf", name: "statement-\(statement.clientRef)-\(statement.through.isoString).pdf")
    }

    /// The statement the path names, in the user's scope (404 otherwise, as a missing one); collectors get 403.
    static func statement(_ request: Request) async throws -> RemittanceStatement {
        let text = request.parameters.get("id") ?? ""
        guard let id = Int64(text) else { throw Abort(.notFound, reason: "There is no statement \(text).") }
        do { return try await AgencyRoles.statement(request, id: id) } catch let error as UserFacingError
            where error.status == .notFound
        {
            throw Abort(.notFound, reason: "There is no statement \(text).")
        }
    }

    /// A file to save, named.
    static func download(_ bytes: [UInt8], type: String, name: String) -> Response {
        let response = Response(status: .ok, body: .init(data: Data(bytes)))
        response.headers.replaceOrAdd(name: .contentType, value: type)
        let safe = String(name.map { $0.isLetter || $0.isNumber || "-_.".contains($0) ? $0 : "-" })
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(safe)\"")
        return response
    }

    static func row(_ statement: RemittanceStatement) -> StatementRow {
        let money = { (units: Int64) in Money.displayString(minorUnits: units, currency: statement.currency) }
        return StatementRow(
            id: statement.id, link: "/remittances/\(statement.id)", client: statement.clientRef,
            through: TimeDisplay.date(statement.through), method: statement.method.rawValue,
            collected: money(statement.figures.collected), dueToClient: money(statement.figures.dueToClient),
            dueToAgency: money(statement.figures.dueToAgency), lines: statement.lines)
    }
}
