import FluentKit
import Foundation
import RecoupCore
import RecoupStore
import Vapor

/// Clients and users (`/admin/clients`, `/admin/users`; admins only) and reports (`/reports`).
struct AdminPagesController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("admin", "clients", use: clients)
        routes.get("admin", "users", use: users)
        routes.post("admin", "users", use: addUser)
        routes.get("reports", use: reports)
    }

    struct ClientRow: Encodable {
        var ref: String
        var name: String
        var debts: Int
        var users: Int
        var terms: String
    }

    struct UserRow: Encodable {
        var email: String
        var role: String
        var client: String
        /// "active", or "disabled" for a user `recoup user disable` stopped.
        var state: String
    }

    struct AdminContext: Encodable {
        var title: String
        var userEmail: String?
        var csrf: String?
        var clients: [ClientRow]
        var users: [UserRow]
        var message: String?
        var problem: String?
        var isAdmin = true
    }

    @Sendable
    func clients(request: Request) async throws -> View {
        try request.requireRole(.admin)
        return try await request.view.render("clients", try await context(request, title: "Clients"))
    }

    @Sendable
    func users(request: Request) async throws -> View {
        try request.requireRole(.admin)
        return try await request.view.render("users", try await context(request, title: "Users"))
    }

    struct UserForm: Content {
        var email: String?
        var role: String?
        var client: String?
        var password: String?
    }

    /// Adds a user from the form; the password is hashed with bcrypt and never shown again.
    @Sendable
    func addUser(request: Request) async throws -> Response {
        try request.requireRole(.admin)
        let form = try request.content.decode(UserForm.self)
        var message: String? = nil
        var problem: String? = nil
        var status = HTTPResponseStatus.created
        do {
            guard let role = Role(rawValue: form.role ?? "") else { throw InputError("choose a role") }
            let password = form.password ?? ""
            guard password.count >= PasswordRules.minimumLength else {
                throw InputError("the password needs at least \(PasswordRules.minimumLength) characters")
            }
            let client = (form.client ?? "").trimmingCharacters(in: .whitespaces)
            let user = try await UserStore.add(
                email: form.email ?? "", role: role, clientRef: client.isEmpty ? nil : client,
                passwordHash: try await request.password.async.hash(password), on: request.db,
                now: request.application.settings.clock())
            message = "Added \(user.email) (\(user.role.rawValue))."
        } catch {
            problem = "\(error)"
            status = .badRequest
        }
        var context = try await context(request, title: "Users")
        context.message = message
        context.problem = problem
        return try await request.view.render("users", context).encodeResponse(status: status, for: request)
    }

    private func context(_ request: Request, title: String) async throws -> AdminContext {
        let clients = try await ClientDirectory.summaries(on: request.db).map { client in
            ClientRow(
                ref: client.ref, name: client.name, debts: client.debtCount, users: client.userCount,
                terms: client.hasTerms ? "set" : "standard (no interest or fees)")
        }
        let users = try await UserStore.all(on: request.db).map {
            UserRow(
                email: $0.email, role: $0.role.rawValue, client: $0.clientRef ?? "every client",
                state: $0.isDisabled ? "disabled" : "active")
        }
        return AdminContext(
            title: title, userEmail: request.recoupUser?.email, csrf: request.csrfToken, clients: clients, users: users)
    }

    // MARK: Reports

    struct ReportRow: Encodable {
        var client: String
        var name: String
        var open: Int
        var amount: String
        var link: String
    }

    struct ReportContext: Encodable {
        var title = "Reports"
        var userEmail: String?
        var csrf: String?
        var asOf: String
        var rows: [ReportRow]
        var figuresAt: String
    }

    /// Open debts and amounts by client at today's date (the aging report per client), kept for a minute.
    @Sendable
    func reports(request: Request) async throws -> View {
        let settings = request.application.settings
        let today = settings.today
        let scope = request.scope
        let clients = try await ClientDirectory.clients(on: request.db).filter { scope.allows(clientRef: $0.ref) }
        var rows: [ReportRow] = []
        var oldest = settings.clock()
        for client in clients {
            let figures = try await request.application.dashboardCache.figures(
                key: "report|\(client.ref)|\(today)", now: settings.clock()
            ) { [db = request.application.db] in
                let report = try await AgingQuery.report(asOf: today, clientRef: client.ref, on: db)
                return DashboardFigures(report: report, collected: [])
            }
            oldest = min(oldest, figures.computedAt)
            rows.append(
                ReportRow(
                    client: client.ref, name: client.name, open: figures.report.total.count,
                    amount: Money.displayString(
                        minorUnits: figures.report.total.amount, currency: figures.report.currency),
                    link: "/?client=\(client.ref.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"))
        }
        return try await request.view.render(
            "reports",
            ReportContext(
                userEmail: request.recoupUser?.email, csrf: request.csrfToken, asOf: today.isoString, rows: rows,
                figuresAt: ISO8601Instant.format(oldest)))
    }
}
