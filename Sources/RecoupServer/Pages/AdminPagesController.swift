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
        routes.post("admin", "users", ":email", "disable", use: disableUser)
        routes.post("admin", "users", ":email", "enable", use: enableUser)
        routes.post("admin", "users", ":email", "password", use: resetPassword)
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
        /// The row's anchor (`user-ID`), where a form's redirect lands.
        var anchor: String
        var email: String
        var role: String
        var client: String
        /// "active", or "disabled" for a user stopped here or with `recoup user disable`.
        var state: String
        var isDisabled: Bool
        /// The signed-in admin's own row: no Disable button.
        var isSelf: Bool
        /// `/admin/users/EMAIL`, the email percent-encoded: the forms post to its `/disable`, `/enable`, `/password`.
        var path: String
        /// One-time ids of the row's two forms (`FormOnce`).
        var stateSubmission: String
        var passwordSubmission: String
        /// What the last form about this user did, or why it was refused, shown in the row.
        var notice: String? = nil
        var problem: String? = nil
        /// True to show the password form open (it was refused and must be sent again).
        var passwordOpen = false
    }

    struct AdminContext: Encodable {
        var title: String
        var clients: [ClientRow]
        var users: [UserRow]
        var message: String?
        var problem: String?
        /// The Add a user form (the users page).
        var addUser: AddUserFormState
    }

    @Sendable
    func clients(request: Request) async throws -> View {
        try request.requireRole(.admin, .manager)
        return try await request.view.render("clients", try await context(request, title: "Clients"))
    }

    /// The users, each with Disable or Enable and a password form; what the last form did is shown once, in its row.
    @Sendable
    func users(request: Request) async throws -> Response {
        try request.requireRole(.admin)
        return try await Flash.showingOnce(request) { flash in
            var page = try await context(request, title: "Users")
            if let flash {
                if let index = page.users.firstIndex(where: { $0.email == flash.subject }) {
                    switch flash.kind {
                    case .notice: page.users[index].notice = flash.text
                    case .refusal: page.users[index].problem = flash.text
                    }
                } else {
                    page.message = flash.text
                }
            }
            return try await request.view.render("users", page).encodeResponse(for: request)
        }
    }

    struct UserForm: PageForm {
        var email: String?
        var role: String?
        var client: String?
        var password: String?
        var submission: String?
    }

    /// The Add a user form: fresh, or as sent when it was refused (never the password), with the sentence why.
    struct AddUserFormState: Encodable {
        /// The form's one-time id (`FormOnce`): the one sent, when the form comes back refused.
        var submission: String
        var email: String
        var roles: [DebtPagesController.Choice]
        var clients: [DebtPagesController.Choice]
        var problem: String?
    }

    static let roleChoices: [(String, String)] = [
        ("collector", "Collector"), ("manager", "Manager"), ("admin", "Admin"),
        ("client", "Client (a creditor's staff)"),
    ]

    /// The add form as `form` sent it (a fresh one without), the client choices from `clients`.
    static func addUserForm(_ form: UserForm?, problem: String?, clients: [ClientRow]) -> AddUserFormState {
        AddUserFormState(
            submission: DebtPagesController.kept(form?.submission), email: form?.email ?? "",
            roles: DebtPagesController.choices(roleChoices, selected: form?.role),
            clients: DebtPagesController.choices(
                [("", "None")] + clients.map { ($0.ref, $0.name) }, selected: form?.client ?? ""),
            problem: problem)
    }

    /// Adds a user from the form, once for the form (its one-time id); the password is hashed with bcrypt and never
    /// shown again. Post/redirect/get: 303 to the new user's row, which says so once. A form it cannot take (no
    /// role, a short password, not an email, someone already there) is the page again, 400, with the sentence next
    /// to the form and what was typed but the password.
    @Sendable
    func addUser(request: Request) async throws -> Response {
        try request.requireRole(.admin)
        let admin = try request.requireUser()
        let form = request.form(UserForm.self)
        do {
            guard let role = Role(rawValue: form.role ?? "") else {
                throw InputError("choose a role: collector, manager, admin or client")
            }
            let client = (form.client ?? "").trimmingCharacters(in: .whitespaces)
            if role == .client, client.isEmpty {
                throw InputError("a client user needs a client: choose the client whose debts they see")
            }
            let password = form.password ?? ""
            try PasswordRules.check(password)
            let submission = try FormOnce.submission(request, by: admin.email)
            switch try await UserStore.add(
                email: form.email ?? "", role: role, clientRef: client.isEmpty ? nil : client,
                passwordHash: try await request.password.async.hash(password), once: submission, on: request.db,
                now: request.application.settings.clock())
            {
            case .done(let user):
                return backToUsers(request, user: user, "Added \(user.email) (\(user.role.rawValue)).")
            case .repeated(let receipt):
                return try await repeated(
                    request, email: receipt.result ?? form.email ?? "", receipt, nothing: "no one was added again")
            }
        } catch {
            let (status, _, message) = JSONErrorMiddleware.describe(error)
            guard (400..<500).contains(status.code) else { throw error }
            var context = try await context(request, title: "Users")
            context.addUser = Self.addUserForm(form, problem: Self.sentence(message), clients: context.clients)
            return try await request.view.render("users", context).encodeResponse(status: .badRequest, for: request)
        }
    }

    // MARK: Disabling, enabling and passwords

    /// `/admin/users/EMAIL`, the email percent-encoded.
    static func userPath(_ email: String) -> String {
        "/admin/users/"
            + (email.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/", "+"])) ?? email)
    }

    /// Why an admin may not disable themselves.
    static let selfDisableRefusal =
        "You cannot disable your own account: it would end the session you are using, and the last admin would "
        + "have no one to enable them again. Another admin can, or recoup user disable on the server."

    /// Disables the user: they cannot sign in, their sessions end and their API tokens are refused (this server
    /// stops trusting the ones it has just checked at once). Not the admin's own account (`selfDisableRefusal`).
    @Sendable
    func disableUser(request: Request) async throws -> Response {
        try await setDisabled(true, request: request)
    }

    /// Enables a disabled user again, with the password and API tokens they had.
    @Sendable
    func enableUser(request: Request) async throws -> Response {
        try await setDisabled(false, request: request)
    }

    private func setDisabled(_ disabled: Bool, request: Request) async throws -> Response {
        try request.requireRole(.admin)
        let email = try request.requiredParameter("email")
        let admin = try request.requireUser()
        if disabled, email.trimmingCharacters(in: .whitespaces).lowercased() == admin.email {
            return try await showUsers(request, about: email, problem: Self.selfDisableRefusal, status: .forbidden)
        }
        let submission = try FormOnce.submission(request, by: admin.email)
        let result: OnceOnly<User>
        do {
            result = try await UserStore.setDisabled(
                disabled, email: email, once: submission, on: request.db, now: request.application.settings.clock())
        } catch StoreError.invalid(let sentence) {
            return try await showUsers(request, about: email, problem: Self.sentence(sentence), status: .notFound)
        }
        switch result {
        case .done(let user):
            if disabled { request.application.tokenCache.forget(userID: user.id) }
            return backToUsers(
                request, user: user,
                disabled
                    ? "Disabled \(user.email): they cannot sign in, their sessions have ended and their API tokens are "
                        + "refused. Enable undoes it."
                    : "Enabled \(user.email): they can sign in again with their password, and their API tokens work.")
        case .repeated(let receipt):
            return try await repeated(request, email: email, receipt)
        }
    }

    struct PasswordForm: PageForm {
        var password: String?
        var confirm: String?
    }

    /// Sets a new password the admin typed (twice; the command line's rule: at least
    /// `PasswordRules.minimumLength` characters), stored as a bcrypt hash. The user's sessions end; their API tokens
    /// keep working (as `recoup user password`).
    @Sendable
    func resetPassword(request: Request) async throws -> Response {
        try request.requireRole(.admin)
        let email = try request.requiredParameter("email")
        let admin = try request.requireUser()
        let form = request.form(PasswordForm.self)
        let password = form.password ?? ""
        do {
            try PasswordRules.check(password)
            guard password == form.confirm else {
                throw InputError("the two passwords are not the same; type the new password twice")
            }
        } catch {
            return try await showUsers(
                request, about: email, problem: Self.sentence("\(error)") + " Nothing was changed.",
                status: .badRequest, passwordOpen: true)
        }
        let submission = try FormOnce.submission(request, by: admin.email)
        let result: OnceOnly<User>
        do {
            result = try await UserStore.setPassword(
                email: email, passwordHash: try await request.password.async.hash(password), once: submission,
                on: request.db, now: request.application.settings.clock())
        } catch StoreError.invalid(let sentence) {
            return try await showUsers(request, about: email, problem: Self.sentence(sentence), status: .notFound)
        }
        switch result {
        case .done(let user):
            return backToUsers(
                request, user: user,
                "Set a new password for \(user.email): they sign in with it from now on; every browser signed in as "
                    + "them must sign in again. Their API tokens keep working (recoup token revoke ends one).")
        case .repeated(let receipt):
            return try await repeated(request, email: email, receipt)
        }
    }

    /// 303 See Other to the users page, at the user's row, with `text` shown there once.
    private func backToUsers(_ request: Request, user: User, _ text: String) -> Response {
        Flash.redirect(
            request, to: "/admin/users", fragment: "user-\(user.id)",
            with: Flash(kind: .notice, text: text, subject: user.email))
    }

    /// The answer to a form sent again: nothing is changed twice, and the user's row says so.
    private func repeated(
        _ request: Request, email: String, _ receipt: SubmissionReceipt, nothing: String = "nothing was changed again"
    ) async throws -> Response {
        let user = try await UserStore.user(email: email, on: request.db)?.user
        let text =
            FormOnce.alreadySent(receipt, zone: request.application.settings.businessTimeZone) + "; \(nothing)."
        guard let user else { return try await showUsers(request, about: email, problem: text, status: .ok) }
        return backToUsers(request, user: user, text)
    }

    /// A store's or rule's clause as a sentence: capital first, full stop last.
    static func sentence(_ clause: String) -> String {
        clause.prefix(1).uppercased() + clause.dropFirst() + (clause.hasSuffix(".") ? "" : ".")
    }

    /// The users page answering a refused form (nothing was changed), the sentence in the user's row.
    private func showUsers(
        _ request: Request, about email: String, problem: String, status: HTTPResponseStatus,
        passwordOpen: Bool = false
    ) async throws -> Response {
        var context = try await context(request, title: "Users")
        let email = email.trimmingCharacters(in: .whitespaces).lowercased()
        if let index = context.users.firstIndex(where: { $0.email == email }) {
            context.users[index].problem = problem
            context.users[index].passwordOpen = passwordOpen
        } else {
            context.problem = problem
        }
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
                anchor: "user-\($0.id)", email: $0.email, role: $0.role.rawValue,
                client: $0.clientRef.map { names[$0] ?? $0 } ?? "every client",
                state: $0.isDisabled ? "disabled" : "active", isDisabled: $0.isDisabled,
                isSelf: $0.id == request.recoupUser?.id, path: Self.userPath($0.email),
                stateSubmission: FormOnce.newID(), passwordSubmission: FormOnce.newID())
        }
        return AdminContext(
            title: title, clients: clients, users: users, addUser: Self.addUserForm(nil, problem: nil, clients: clients)
        )
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
        return try await Flash.showingOnce(request) { flash in
            var page = try await ClientProfilePage(request, stored: stored)
            page.flash = flash
            return try await request.view.render("client", page).encodeResponse(for: request)
        }
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
            return Flash.redirect(request, to: Self.profilePath(ref), with: Flash(kind: .notice, text: text))
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

    struct PlacementRow: Encodable {
        var client: String
        var agency: String
        var debts: Int
        var amount: String
    }

    struct ReportContext: Encodable {
        var title = "Reports"
        var asOf: String
        var rows: [ReportRow]
        var figuresAt: String
        /// Debts placed with agencies, in force, by client and agency.
        var placements: [PlacementRow] = []
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
        let placements = try await PlacementStore.inForceTotals(scope: scope, on: request.db).map {
            PlacementRow(
                client: $0.clientRef, agency: $0.agency, debts: $0.debts,
                amount: Money.displayString(minorUnits: $0.balance, currency: $0.currency))
        }
        return try await request.view.render(
            "reports",
            ReportContext(
                asOf: today.isoString, rows: rows, figuresAt: ISO8601Instant.format(oldest), placements: placements))
    }
}
