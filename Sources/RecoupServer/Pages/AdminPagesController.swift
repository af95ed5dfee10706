import FluentKit
import Foundation
import RecoupCore
import RecoupStore
import Vapor

/// Clients and their profiles (`/admin/clients`, `/admin/clients/:client`; admins and managers), users
/// (`/admin/users`; admins only) and reports (`/reports`).
struct AdminPagesController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("admin", "clients", use: clients)
        routes.get("admin", "clients", ":client", use: client)
        routes.post("admin", "clients", ":client", "profile", use: setProfile)
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
        /// The profile page.
        var link: String
        /// What the profile still lacks for debtors, or "complete".
        var profile: String
        /// True while the client has no name of its own (pages show its reference).
        var unnamed: Bool
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
        try request.requireRole(.admin, .manager)
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
        let profiles = Dictionary(
            try await ClientProfileStore.all(on: request.db).map { ($0.ref, $0.profile) },
            uniquingKeysWith: { a, _ in a })
        let clients = try await ClientDirectory.summaries(on: request.db).map { client in
            let profile = profiles[client.ref] ?? ClientProfile()
            return ClientRow(
                ref: client.ref, name: client.name, debts: client.debtCount, users: client.userCount,
                terms: client.hasTerms ? "set" : "standard (no interest or fees)", link: Self.profilePath(client.ref),
                profile: ClientProfilePage.lacking(profile), unnamed: profile.name == nil)
        }
        let names = Dictionary(clients.map { ($0.ref, $0.name) }, uniquingKeysWith: { a, _ in a })
        let users = try await UserStore.all(on: request.db).map {
            UserRow(
                email: $0.email, role: $0.role.rawValue, client: $0.clientRef.map { names[$0] ?? $0 } ?? "every client",
                state: $0.isDisabled ? "disabled" : "active")
        }
        return AdminContext(
            title: title, userEmail: request.recoupUser?.email, csrf: request.csrfToken, clients: clients, users: users,
            isAdmin: request.recoupUser?.role == .admin)
    }

    // MARK: A client's profile

    /// `/admin/clients/REF`, the reference percent-encoded.
    static func profilePath(_ ref: String) -> String {
        "/admin/clients/"
            + (ref.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? ref)
    }

    /// The client's profile form, with what the last save did.
    @Sendable
    func client(request: Request) async throws -> Response {
        try request.requireRole(.admin, .manager)
        let stored = try await ClientProfileStore.profile(
            clientRef: try request.requiredParameter("client"), on: request.db)
        let flash = Flash.read(request, key: request.csrfToken ?? "", now: request.application.settings.clock())
        var page = try await ClientProfilePage(request, stored: stored)
        page.flash = flash
        let response = try await request.view.render("client", page).encodeResponse(for: request)
        Flash.clear(request, on: response)
        return response
    }

    /// Stores the profile from the form (every field: an empty one clears it) and answers 303 back to the page, which
    /// says what was saved; bad input shows the form again as sent, with the sentence that names the field (400).
    @Sendable
    func setProfile(request: Request) async throws -> Response {
        try request.requireRole(.admin, .manager)
        let ref = try request.requiredParameter("client")
        let form = try request.content.decode(ClientProfilePage.Form.self)
        let stored = try await ClientProfileStore.profile(clientRef: ref, on: request.db)
        do {
            let saved = try await ClientProfileStore.update(clientRef: ref, with: form.update, on: request.db)
            let text =
                saved == stored
                ? "Nothing changed: the profile was already as sent."
                : "Saved the profile of \(saved.displayName)."
            return Flash.redirect(
                request, to: Self.profilePath(ref), with: Flash(kind: .notice, text: text),
                key: request.csrfToken ?? "", now: request.application.settings.clock())
        } catch let error as StoreError {
            guard case .invalid(let sentence) = error else { throw error }
            var page = try await ClientProfilePage(request, stored: stored)
            page.entered(form, problem: sentence)
            return try await request.view.render("client", page).encodeResponse(status: .badRequest, for: request)
        }
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
