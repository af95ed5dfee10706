import Foundation
import RecoupCore
import RecoupStore
import RecoupTestSupport
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import RecoupServer

/// The users page's controls (issue 13): Disable, Enable and Reset password, admins only, each form once.
@Suite("Disabling, enabling and resetting passwords on the users page")
struct UserPageTests {
    static let email = UserManagementTests.email
    static let path = "admin/users/cole@agency.example"

    /// The form posted as the test admin with a one-time id (`submission`), answered by `check`.
    static func send(
        _ app: Application, _ path: String, submission: String, fields: String = "",
        _ check: (TestingHTTPResponse) async throws -> Void
    ) async throws {
        try await PagesTests.form(app, path, "submission=\(submission)" + (fields.isEmpty ? "" : "&" + fields), check)
    }

    /// The users page as the test admin, carrying the flash a form's redirect set.
    static func usersPage(
        _ app: Application, flash: String?, _ check: (TestingHTTPResponse) async throws -> Void
    ) async throws {
        try await ClientProfilePageTests.page(
            app, "admin/users", cookie: flash.map { "\(Flash.cookieName)=\($0)" }, check)
    }

    /// The flash cookie of a 303 to the user's row.
    static func redirected(_ response: TestingHTTPResponse, userID: Int64) throws -> String {
        #expect(response.status == .seeOther)
        #expect(response.headers.first(name: .location) == "/admin/users#user-\(userID)")
        return try #require(response.headers.setCookie?[Flash.cookieName]?.string)
    }

    static func isDisabled(_ app: Application) async throws -> Bool {
        try #require(try await UserStore.user(email: email, on: app.db)).user.isDisabled
    }

    /// Cole, the collector the tests work on (`UserManagementTests.collector`): as stored, with their password's
    /// hash, an API token and a session.
    static func cole(
        _ app: Application
    ) async throws -> (user: User, passwordHash: String, token: String, session: String) {
        let (token, session) = try await UserManagementTests.collector(app)
        let stored = try #require(try await UserStore.user(email: email, on: app.db))
        return (stored.user, stored.passwordHash, token, session)
    }

    /// How the API answers `token`.
    static func apiStatus(_ app: Application, token: String) async throws -> HTTPStatus {
        var status = HTTPStatus.internalServerError
        try await app.api(.GET, "api/v1/debts", token: token) { response async throws in status = response.status }
        return status
    }

    @Test(
        "an admin disables a user (sessions end, tokens refused at once, sign-in refused, audited) and enables them; a form sent again changes nothing",
        arguments: TestStore.available)
    func disableAndEnable(store: TestStore) async throws {
        try await withApp(store) { app in
            // Setup: a collector signed in, whose token the server has just trusted (its cache holds it).
            let (cole, _, token, session) = try await Self.cole(app)
            #expect(try await Self.apiStatus(app, token: token) == .ok)
            try await app.page(.GET, "admin/users") { response async throws in
                let html = response.body.string
                #expect(html.contains(#"<tr id="user-\#(cole.id)">"#))
                #expect(
                    html.contains(
                        #"<form class="inline" method="post" action="/admin/users/cole@agency.example/disable"><input type="hidden" name="csrf""#
                    ))
                #expect(
                    html.contains(
                        #"<button type="submit">Disable<span class="visually-hidden"> cole@agency.example</span></button>"#
                    ))
                #expect(html.contains(#"action="/admin/users/cole@agency.example/password""#))
                #expect(html.contains(#"<label for="user-\#(cole.id)-confirm">The same password again</label>"#))
                // The admin's own row has no Disable button.
                #expect(!html.contains("action=\"/admin/users/admin@example.com/disable\""))
                #expect(html.contains("You: another admin can disable this account."))
            }
            // Act: Disable.
            let disableForm = FormOnce.newID()
            var flash = ""
            try await Self.send(app, Self.path + "/disable", submission: disableForm) { response async throws in
                flash = try Self.redirected(response, userID: cole.id)
            }
            // Verify: the row says what happened, once; the state reads disabled with an Enable button.
            try await Self.usersPage(app, flash: flash) { response async throws in
                #expect(response.status == .ok)
                let html = response.body.string
                #expect(
                    html.contains(
                        "<p class=\"notice\" role=\"status\">Disabled cole@agency.example: they cannot sign in, their "
                            + "sessions have ended and their API tokens are refused. Enable undoes it.</p>"))
                #expect(html.contains(#"<td data-label="State">disabled</td>"#))
                #expect(html.contains(#"action="/admin/users/cole@agency.example/enable""#))
                #expect(response.headers.setCookie?[Flash.cookieName]?.string == "", "shown once")
            }
            #expect(try await Self.isDisabled(app))
            #expect(try await UserStore.session(token: session, on: app.db, now: testNow) == nil)
            // The token is refused at once: this server forgot that it had just trusted it.
            try await app.api(.GET, "api/v1/debts", token: token) { response async throws in
                #expect(response.status == .unauthorized)
                #expect(try response.content.decode(ErrorBody.self).error.message == "the user is disabled")
            }
            try await UserManagementTests.signIn(app, password: UserManagementTests.password) {
                response async throws in
                #expect(response.status == .forbidden)
                #expect(response.body.string.contains("This account is disabled."))
            }
            // Audited: who, what, on whom, when, how it ended.
            let audit = try await (app.db as! any SQLDatabase).raw(
                "SELECT actor, action, target, status, at FROM audit_log WHERE target LIKE '/admin/users/%' ORDER BY id"
            ).all()
            #expect(audit.count == 1)
            #expect(try audit.first?.decode(column: "actor", as: String.self) == TestAccounts.adminEmail)
            #expect(try audit.first?.decode(column: "action", as: String.self) == "POST /admin/users/:email/disable")
            #expect(
                try audit.first?.decode(column: "target", as: String.self) == "/admin/users/cole@agency.example/disable"
            )
            #expect(try audit.first?.decode(column: "status", as: Int.self) == 303)
            #expect(try audit.first?.decode(column: "at", as: Date.self) == testNow)

            // Enable, with a form of its own.
            try await Self.send(app, Self.path + "/enable", submission: FormOnce.newID()) { response async throws in
                flash = try Self.redirected(response, userID: cole.id)
            }
            try await Self.usersPage(app, flash: flash) { response async throws in
                #expect(
                    response.body.string.contains(
                        "Enabled cole@agency.example: they can sign in again with their password, and their API tokens work."
                    ))
            }
            #expect(try await !Self.isDisabled(app))
            // The first Disable form sent again (a reload, back and send): nothing is changed twice.
            try await Self.send(app, Self.path + "/disable", submission: disableForm) { response async throws in
                flash = try Self.redirected(response, userID: cole.id)
            }
            #expect(try await !Self.isDisabled(app))
            try await Self.usersPage(app, flash: flash) { response async throws in
                #expect(
                    response.body.string.contains(
                        "This form was already sent (Mon 30 Nov 2026, 12:53 AM UTC by admin@example.com); nothing was changed again."
                    ))
            }
            try await UserManagementTests.signIn(app, password: UserManagementTests.password) {
                response async throws in
                #expect(response.status == .seeOther)
            }
            #expect(try await Self.apiStatus(app, token: token) == .ok)
        }
    }

    @Test(
        "an admin cannot disable themselves: 403, the reason in their row, nothing changed",
        arguments: TestStore.available)
    func notThemselves(store: TestStore) async throws {
        try await withApp(store) { app in
            try await Self.send(app, "admin/users/Admin@Example.com/disable", submission: FormOnce.newID()) {
                response async throws in
                #expect(response.status == .forbidden)
                #expect(response.headers.contentType == .html)
                let html = response.body.string
                #expect(
                    html.contains(
                        "<p class=\"refusal\" role=\"alert\">You cannot disable your own account: it would end the "
                            + "session you are using, and the last admin would have no one to enable them again. "
                            + "Another admin can, or recoup user disable on the server.</p>"))
                #expect(html.contains(#"<td data-label="State">active</td>"#))
            }
            #expect(try await UserStore.user(email: TestAccounts.adminEmail, on: app.db)?.user.isDisabled == false)
            // Still signed in.
            try await app.page(.GET, "admin/users") { response async throws in #expect(response.status == .ok) }
        }
    }

    @Test(
        "an admin sets a new password typed twice: refused when short or different, then the user signs in with it; a form sent again sets nothing",
        arguments: TestStore.available)
    func resetPassword(store: TestStore) async throws {
        try await withApp(store) { app in
            let (cole, hash, token, session) = try await Self.cole(app)
            // Refused: too short (the command line's rule), then two different passwords. Nothing changes.
            try await Self.send(
                app, Self.path + "/password", submission: FormOnce.newID(), fields: "password=short&confirm=short"
            ) { response async throws in
                #expect(response.status == .badRequest)
                let html = response.body.string
                #expect(html.contains("The password needs at least 10 characters. Nothing was changed."))
                #expect(html.contains("<details open><summary>Reset password"))
            }
            try await Self.send(
                app, Self.path + "/password", submission: FormOnce.newID(),
                fields: "password=second-long-secret&confirm=second-long-secrte"
            ) { response async throws in
                #expect(response.status == .badRequest)
                #expect(
                    response.body.string.contains(
                        "The two passwords are not the same; type the new password twice. Nothing was changed."))
            }
            #expect(try await UserStore.user(email: Self.email, on: app.db)?.passwordHash == hash)
            #expect(try await UserStore.session(token: session, on: app.db, now: testNow) != nil)
            // Act: a new password, then another with a second form.
            let first = FormOnce.newID()
            var flash = ""
            try await Self.send(
                app, Self.path + "/password", submission: first,
                fields: "password=second-long-secret&confirm=second-long-secret"
            ) { response async throws in
                flash = try Self.redirected(response, userID: cole.id)
            }
            try await Self.usersPage(app, flash: flash) { response async throws in
                #expect(
                    response.body.string.contains(
                        "Set a new password for cole@agency.example: they sign in with it from now on; every browser "
                            + "signed in as them must sign in again. Their API tokens keep working (recoup token revoke ends one)."
                    ))
            }
            #expect(try await UserStore.session(token: session, on: app.db, now: testNow) == nil)
            try await UserManagementTests.signIn(app, password: UserManagementTests.password) {
                response async throws in
                #expect(response.status == .unauthorized)
            }
            try await UserManagementTests.signIn(app, password: "second-long-secret") { response async throws in
                #expect(response.status == .seeOther)
            }
            try await Self.send(
                app, Self.path + "/password", submission: FormOnce.newID(),
                fields: "password=third-long-secret&confirm=third-long-secret"
            ) { response async throws in
                _ = try Self.redirected(response, userID: cole.id)
            }
            // The first form sent again does not bring its password back.
            try await Self.send(
                app, Self.path + "/password", submission: first,
                fields: "password=second-long-secret&confirm=second-long-secret"
            ) { response async throws in
                flash = try Self.redirected(response, userID: cole.id)
            }
            try await Self.usersPage(app, flash: flash) { response async throws in
                #expect(response.body.string.contains("This form was already sent"))
            }
            try await UserManagementTests.signIn(app, password: "second-long-secret") { response async throws in
                #expect(response.status == .unauthorized)
            }
            try await UserManagementTests.signIn(app, password: "third-long-secret") { response async throws in
                #expect(response.status == .seeOther)
            }
            // The password is stored as a bcrypt hash, and API tokens keep working (as recoup user password).
            #expect(try await UserStore.user(email: Self.email, on: app.db)?.passwordHash.hasPrefix("$2") == true)
            #expect(try await Self.apiStatus(app, token: token) == .ok)
            // Someone unknown: the page with one sentence, 404.
            try await Self.send(
                app, "admin/users/nobody@x.example/password", submission: FormOnce.newID(),
                fields: "password=third-long-secret&confirm=third-long-secret"
            ) { response async throws in
                #expect(response.status == .notFound)
                #expect(response.body.string.contains("There is no user nobody@x.example"))
            }
        }
    }

    @Test(
        "managers and collectors get the 403 page for every user control, and nothing changes; a form without its CSRF token is refused",
        arguments: TestStore.available)
    func adminsOnly(store: TestStore) async throws {
        try await withApp(store) { app in
            let hash = try await Self.cole(app).passwordHash
            let manager = try await RoleTests.person("manager@agency.example", role: .manager, app)
            let collector = try await RoleTests.person("collector@agency.example", role: .collector, app)
            for person in [manager, collector] {
                for (action, fields) in [
                    ("disable", ""), ("enable", ""),
                    ("password", "&password=long+enough+pass&confirm=long+enough+pass"),
                ] {
                    try await PagesTests.form(
                        app, Self.path + "/" + action, "submission=\(FormOnce.newID())\(fields)", csrf: person.csrf,
                        cookie: person.cookie
                    ) { response async throws in
                        #expect(response.status == .forbidden, "\(action)")
                        #expect(response.headers.contentType == .html, "\(action)")
                        #expect(response.body.string.contains("it needs admin"), "\(action)")
                    }
                }
            }
            try await PagesTests.form(app, Self.path + "/disable", "submission=\(FormOnce.newID())", csrf: "forged") {
                response async throws in
                #expect(response.status == .forbidden)
            }
            #expect(try await !Self.isDisabled(app))
            #expect(try await UserStore.user(email: Self.email, on: app.db)?.passwordHash == hash)
        }
    }

    /// How many users have `email`.
    static func count(_ app: Application, email: String) async throws -> Int {
        try await UserStore.all(on: app.db).filter { $0.email == email }.count
    }

    @Test(
        "an admin adds a user with post/redirect/get: the new row says so once; a reload and the same form sent again add no one",
        arguments: TestStore.available)
    func addUser(store: TestStore) async throws {
        try await withApp(store) { app in
            // Setup: the page offers the form with a one-time id.
            try await app.page(.GET, "admin/users") { response async throws in
                let html = response.body.string
                #expect(html.contains(#"<form id="add-user" class="stacked" method="post" action="/admin/users">"#))
                #expect(html.contains(#"<input type="hidden" name="submission" value=""#))
                #expect(html.contains(#"<option value="collector" selected>Collector</option>"#))
            }
            let before = try await UserStore.all(on: app.db).count
            let form = FormOnce.newID()
            let fields = "email=Dana%40Agency.example&role=manager&client=&password=long+enough+pass"
            // Act: add, then follow the redirect with the message cookie.
            var flash = ""
            var dana: User?
            try await Self.send(app, "admin/users", submission: form, fields: fields) { response async throws in
                dana = try #require(try await UserStore.user(email: "dana@agency.example", on: app.db)).user
                flash = try Self.redirected(response, userID: try #require(dana).id)
            }
            let added = try #require(dana)
            #expect(added.role == .manager)
            try await Self.usersPage(app, flash: flash) { response async throws in
                #expect(response.status == .ok)
                let html = response.body.string
                #expect(html.contains(#"<tr id="user-\#(added.id)">"#))
                #expect(html.contains(#"<p class="notice" role="status">Added dana@agency.example (manager).</p>"#))
                #expect(response.headers.setCookie?[Flash.cookieName]?.string == "", "shown once")
                #expect(!html.contains("long enough pass"))
            }
            // A reload of the answer is a GET without the message: nothing is added, nothing said again.
            try await app.page(.GET, "admin/users") { response async throws in
                #expect(!response.body.string.contains("Added dana@agency.example"))
            }
            // The same form sent again (back and send, a double click): no one is added twice.
            try await Self.send(app, "admin/users", submission: form, fields: fields) { response async throws in
                flash = try Self.redirected(response, userID: added.id)
            }
            try await Self.usersPage(app, flash: flash) { response async throws in
                #expect(
                    response.body.string.contains(
                        "This form was already sent (Mon 30 Nov 2026, 12:53 AM UTC by admin@example.com); no one was "
                            + "added again."))
            }
            // Even with another password in it: the first one stays.
            try await Self.send(
                app, "admin/users", submission: form,
                fields: "email=dana%40agency.example&role=admin&client=&password=another+long+one"
            ) { response async throws in
                _ = try Self.redirected(response, userID: added.id)
            }
            #expect(try await Self.count(app, email: "dana@agency.example") == 1)
            #expect(try await UserStore.all(on: app.db).count == before + 1)
            let stored = try #require(try await UserStore.user(email: "dana@agency.example", on: app.db))
            #expect(stored.user.role == .manager)
            #expect(try Bcrypt.verify("long enough pass", created: stored.passwordHash))
        }
    }

    @Test(
        "a user the page cannot add is the page again (400) with one sentence next to the form and what was typed, never the password",
        arguments: TestStore.available)
    func addUserRefused(store: TestStore) async throws {
        try await withApp(store) { app in
            let before = try await UserStore.all(on: app.db).count
            let form = FormOnce.newID()
            for (fields, sentence) in [
                (
                    "email=dana%40agency.example&role=manager&password=short-pw",
                    "The password needs at least 10 characters."
                ),
                ("email=dana&role=manager&password=long+enough+pass", "&quot;dana&quot; is not an email address."),
                (
                    "email=Admin%40Example.com&role=manager&password=long+enough+pass",
                    "There is already a user admin@example.com."
                ),
                (
                    "email=dana%40agency.example&role=client&client=&password=long+enough+pass",
                    "A client user needs a client: choose the client whose debts they see."
                ),
                (
                    "email=dana%40agency.example&role=owner&password=long+enough+pass",
                    "Choose a role: collector, manager, admin or client."
                ),
            ] {
                try await Self.send(app, "admin/users", submission: form, fields: fields) { response async throws in
                    #expect(response.status == .badRequest, "\(fields)")
                    #expect(response.headers.contentType == .html)
                    let html = response.body.string
                    // The sentence next to the form, the form as sent with the same one-time id, no password.
                    #expect(
                        html.contains(
                            #"<h2 id="add-user-h">Add a user</h2>"# + "\n"
                                + #"<p class="refusal" role="alert" id="add-user-error">\#(sentence)</p>"#),
                        "\(fields)")
                    #expect(html.contains(#"name="submission" value="\#(form)""#), "\(fields)")
                    #expect(!html.contains("short-pw") && !html.contains("long enough pass"), "\(fields)")
                    #expect(!html.contains(#"role="status""#), "\(fields)")
                }
            }
            // What was typed is kept: the email and the role chosen.
            try await Self.send(
                app, "admin/users", submission: form, fields: "email=dana%40agency.example&role=admin&password=short"
            ) { response async throws in
                let html = response.body.string
                #expect(
                    html.contains(
                        #"id="user-email" name="email" type="email" required autocomplete="off" value="dana@agency.example""#
                    ))
                #expect(html.contains(#"<option value="admin" selected>Admin</option>"#))
                #expect(!html.contains(#"<option value="collector" selected>"#))
            }
            // A form without its one-time id (an old page): the sentence says to reload.
            try await PagesTests.form(
                app, "admin/users", "email=dana%40agency.example&role=manager&password=long+enough+pass"
            ) {
                response async throws in
                #expect(response.status == .badRequest)
                #expect(
                    response.body.string.contains(
                        "The form has no one-time id (it may come from an old page); reload the page and send it again."
                    ))
            }
            #expect(try await UserStore.all(on: app.db).count == before)
            // The refusals claimed nothing: the corrected form, with the same id, adds the user once.
            try await Self.send(
                app, "admin/users", submission: form,
                fields: "email=dana%40agency.example&role=manager&password=long+enough+pass"
            ) { response async throws in
                let dana = try #require(try await UserStore.user(email: "dana@agency.example", on: app.db)).user
                _ = try Self.redirected(response, userID: dana.id)
            }
            #expect(try await UserStore.all(on: app.db).count == before + 1)
        }
    }

    @Test("an email with + and other characters reaches its user through the path", arguments: [TestStore.sqlite])
    func encodedEmail(store: TestStore) async throws {
        try await withApp(store) { app in
            let user = try await UserStore.add(
                email: "o'neil+ops@agency.example", role: .collector, clientRef: nil,
                passwordHash: try Bcrypt.hash("long enough pass", cost: 4), on: app.db, now: testNow)
            #expect(AdminPagesController.userPath(user.email) == "/admin/users/o'neil%2Bops@agency.example")
            try await app.page(.GET, "admin/users") { response async throws in
                #expect(
                    response.body.string.contains(#"action="/admin/users/o&#39;neil%2Bops@agency.example/disable""#))
            }
            try await Self.send(app, "admin/users/o'neil%2Bops@agency.example/disable", submission: FormOnce.newID()) {
                response async throws in
                _ = try Self.redirected(response, userID: user.id)
            }
            #expect(try await UserStore.user(email: user.email, on: app.db)?.user.isDisabled == true)
        }
    }
}
