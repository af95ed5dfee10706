import Foundation
import RecoupCore
import RecoupStore
import RecoupTestSupport
import Testing
import Vapor
import VaporTesting

@testable import RecoupServer

/// The template pages: the list with whose wording is in force, the editor's save (post/redirect/get, a refusal
/// shown again with the text kept), reset, the preview fragment the page's script asks for, the roles that may use
/// them and the 404 page for a template there is none of.
@Suite("The template pages")
struct TemplatePageTests {
    static let key = TemplateKey(name: "reminder", channel: .sms, language: .en)

    /// Alpha (A-1 open, $100.00; A-2 paid) with a profile debtors can reply to, and beta with its client user.
    static func prepare(_ app: Application) async throws {
        _ = try await AccessTests.twoClients(app)
        _ = try await ClientProfileStore.update(
            clientRef: "alpha",
            with: ClientProfileUpdate(
                name: "Alpha Dental", phone: "+16175550142", email: "billing@alpha.example",
                paymentLink: "https://pay.alpha.example"),
            on: app.db)
    }

    /// The built-in text message, changed a little: wording the check accepts.
    static func goodBody(_ app: Application) async throws -> String {
        let builtIn = try await TemplateStore.show(key, clientRef: nil, on: app.db)
        return builtIn.source.body + "\nThank you."
    }

    static func encoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
    }

    /// A page as a user of `role` (a new one), through a session of their own.
    static func status(
        _ app: Application, as role: Role, _ method: HTTPMethod, _ path: String
    ) async throws
        -> HTTPStatus
    {
        let email = "\(role.rawValue)-\(UUID().uuidString.prefix(6))@agency.example"
        let user = try await UserStore.add(
            email: email, role: role, clientRef: role == .client ? "beta" : nil,
            passwordHash: try Bcrypt.hash("a-long-password", cost: 4), on: app.db, now: testNow)
        let session = try await UserStore.createSession(
            userID: user.id, on: app.db, now: app.settings.clock(), lifetime: 600)
        var headers = HTTPHeaders()
        headers.add(name: .cookie, value: "\(SessionAuthenticationMiddleware.cookieName)=\(session.token)")
        headers.contentType = .urlEncodedForm
        var status = HTTPStatus.internalServerError
        let body = method == .POST ? ByteBuffer(string: "body=x&csrf=\(session.csrf)") : nil
        try await app.testing().test(method, path, headers: headers, body: body) { response async throws in
            status = response.status
        }
        return status
    }

    @Test(
        "the list shows every template built in, then the client's own after a save; the editor shows the variables and a preview",
        arguments: TestStore.available)
    func list(store: TestStore) async throws {
        try await withApp(store) { app in
            try await Self.prepare(app)
            let (status, html) = try await DebtPageTests.html(app, "templates?client=alpha")
            #expect(status == .ok)
            #expect(html.contains("<h1>Message templates</h1>"))
            #expect(
                html.contains(#"<a href="/templates" aria-current="page">Templates</a>"#)
                    || html.contains(#"href="/templates""#))
            #expect(html.contains(#"<option value="alpha" selected>Alpha Dental</option>"#))
            #expect(
                html.contains(#"<a class="template-link" href="/templates/reminder/sms/en?client=alpha">reminder</a>"#))
            #expect(!html.contains("origin-client"))
            #expect(html.components(separatedBy: #"class="origin-built-in""#).count - 1 == TemplateStore.keys.count)

            _ = try await TemplateStore.save(
                Self.key, source: TemplateSource(body: try await Self.goodBody(app)), clientRef: "alpha",
                by: "ana@agency.example", now: testNow, on: app.db)
            let (_, after) = try await DebtPageTests.html(app, "templates?client=alpha")
            #expect(after.components(separatedBy: #"<span class="origin-client">Client</span>"#).count - 1 == 1)
            #expect(after.contains(" by ana@agency.example</time>"))
            // The installation's list still has the built-in wording.
            let (_, installation) = try await DebtPageTests.html(app, "templates")
            #expect(!installation.contains("origin-client"))

            let (editorStatus, editor) = try await DebtPageTests.html(app, "templates/reminder/email/en?client=alpha")
            #expect(editorStatus == .ok)
            #expect(editor.contains(#"<input id="template-subject" name="subject""#))
            #expect(editor.contains(#"<textarea id="template-body" name="body""#))
            #expect(
                editor.contains("<dt>{{debtorName}}</dt><dd>the debtor&#39;s name</dd>")
                    || editor.contains("<dt>{{debtorName}}</dt><dd>the debtor's name</dd>"))
            // The preview is for the client's first open debt, with its exact amount.
            #expect(editor.contains(#"value="A-1""#))
            #expect(editor.contains("$100.00"))
            #expect(editor.contains(#"<script src="/templates/editor.js"></script>"#))
            let (sms, smsEditor) = try await DebtPageTests.html(app, "templates/reminder/sms/en?client=alpha")
            #expect(sms == .ok)
            #expect(!smsEditor.contains("template-subject"), "a text message has no subject")
        }
    }

    @Test(
        "a threat is refused with 422: the finding at the top, the typed text kept, nothing stored; a good save redirects with the version",
        arguments: TestStore.available)
    func save(store: TestStore) async throws {
        try await withApp(store) { app in
            try await Self.prepare(app)
            let threat = try await Self.goodBody(app) + "\nWe will sue you today."
            let refused = try await DebtPageTests.post(
                app, "templates/reminder/sms/en", "client=alpha&debt=A-1&intent=save&body=\(Self.encoded(threat))")
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.contains(#"id="template-refusal""#))
            #expect(refused.body.contains("was not saved"))
            #expect(refused.body.contains("We will sue you today.</textarea>"))
            #expect(refused.body.contains(#"<span class="finding-error">error</span>"#))
            #expect(try await TemplateStore.show(Self.key, clientRef: "alpha", on: app.db).origin == .builtIn)

            let good = try await Self.goodBody(app)
            let saved = try await DebtPageTests.post(
                app, "templates/reminder/sms/en", "client=alpha&debt=A-1&intent=save&body=\(Self.encoded(good))")
            #expect(saved.status == .seeOther)
            #expect(saved.location == "/templates/reminder/sms/en?client=alpha&debt=A-1")
            let flash = try #require(saved.flash)
            let (_, page) = try await DebtPageTests.html(
                app, "templates/reminder/sms/en?client=alpha&debt=A-1", flash: flash)
            #expect(
                page.contains(
                    #"<div class="notice" role="status" id="template-message"><p>Saved as version 1.</p></div>"#))
            #expect(page.contains("the client&#39;s own version 1") || page.contains("the client's own version 1"))
            let shown = try await TemplateStore.show(Self.key, clientRef: "alpha", on: app.db)
            #expect(shown.origin == .client && shown.version == 1 && shown.savedBy == TestAccounts.adminEmail)

            // The Preview button shows the page again with the preview, saving nothing.
            let previewed = try await DebtPageTests.post(
                app, "templates/reminder/sms/en",
                "client=alpha&debt=A-1&intent=preview&body=\(Self.encoded(good + " More."))")
            #expect(previewed.status == .ok)
            #expect(previewed.body.contains(#"<pre id="preview-body">"#))
            #expect(previewed.body.contains("More.</textarea>"))
            #expect(try await TemplateStore.show(Self.key, clientRef: "alpha", on: app.db).version == 1)
        }
    }

    @Test(
        "an email's editor has the statement box, checked from the wording in force, kept on a refusal; ticked it is saved, unticked it is cleared",
        arguments: TestStore.available)
    func attachStatement(store: TestStore) async throws {
        try await withApp(store) { app in
            try await Self.prepare(app)
            let key = TemplateKey(name: "final-notice", channel: .email, language: .en)
            let box = #"<input id="template-attach" name="attachStatement" type="checkbox" value="yes""#
            let (status, editor) = try await DebtPageTests.html(app, "templates/final-notice/email/en?client=alpha")
            #expect(status == .ok)
            #expect(editor.contains(box + " checked>"), "the built-in final notice by email attaches the statement")
            #expect(editor.contains("Attach a PDF statement of the debts"))
            #expect(editor.contains(#"id="preview-attachment""#), "the preview says what goes with the email")
            let (_, reminder) = try await DebtPageTests.html(app, "templates/reminder/email/en?client=alpha")
            #expect(reminder.contains(box + ">"), "the reminder's box is there, unticked")
            let (_, sms) = try await DebtPageTests.html(app, "templates/final-notice/sms/en?client=alpha")
            #expect(!sms.contains("template-attach"), "only an email can carry a statement")
            let (_, list) = try await DebtPageTests.html(app, "templates?client=alpha")
            #expect(
                list.components(separatedBy: #"class="tag template-statement""#).count - 1
                    == MessageLanguage.allCases.count)

            let builtIn = try await TemplateStore.show(key, clientRef: "alpha", on: app.db)
            let subject = Self.encoded(builtIn.source.subject ?? "")
            let body = Self.encoded(builtIn.source.body + "\nThank you.")
            let form = "client=alpha&debt=A-1&subject=\(subject)&body=\(body)"

            // A refusal shows the box as it was posted.
            let threat = Self.encoded(builtIn.source.body + "\nWe will sue you today.")
            let refused = try await DebtPageTests.post(
                app, "templates/final-notice/email/en",
                "client=alpha&debt=A-1&intent=save&subject=\(subject)&body=\(threat)&attachStatement=yes")
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.contains(box + " checked>"))
            let refusedUnticked = try await DebtPageTests.post(
                app, "templates/final-notice/email/en",
                "client=alpha&debt=A-1&intent=save&subject=\(subject)&body=\(threat)")
            #expect(refusedUnticked.status == .unprocessableEntity)
            #expect(refusedUnticked.body.contains(box + ">"))
            #expect(try await TemplateStore.show(key, clientRef: "alpha", on: app.db).origin == .builtIn)

            // The Preview button and the preview fragment take the box as posted.
            let previewed = try await DebtPageTests.post(
                app, "templates/final-notice/email/en", form + "&intent=preview")
            #expect(previewed.status == .ok)
            #expect(previewed.body.contains(box + ">"))
            #expect(!previewed.body.contains(#"id="preview-attachment""#))
            let fragment = try await DebtPageTests.post(
                app, "templates/preview",
                "name=final-notice&channel=email&language=en&" + form + "&attachStatement=yes")
            #expect(fragment.body.contains(#"id="preview-attachment""#))

            let ticked = try await DebtPageTests.post(
                app, "templates/final-notice/email/en", form + "&intent=save&attachStatement=yes")
            #expect(ticked.status == .seeOther)
            var stored = try await TemplateStore.show(key, clientRef: "alpha", on: app.db)
            #expect(stored.origin == .client && stored.version == 1 && stored.source.attachStatement)
            let (_, saved) = try await DebtPageTests.html(app, "templates/final-notice/email/en?client=alpha")
            #expect(saved.contains(box + " checked>"))

            let unticked = try await DebtPageTests.post(app, "templates/final-notice/email/en", form + "&intent=save")
            #expect(unticked.status == .seeOther)
            stored = try await TemplateStore.show(key, clientRef: "alpha", on: app.db)
            #expect(stored.version == 2 && !stored.source.attachStatement)
            let (_, cleared) = try await DebtPageTests.html(app, "templates/final-notice/email/en?client=alpha")
            #expect(cleared.contains(box + ">"))
            // The other language's final notice is untouched.
            #expect(
                try await TemplateStore.show(
                    TemplateKey(name: "final-notice", channel: .email, language: .es), clientRef: "alpha", on: app.db
                ).source.attachStatement)
        }
    }

    @Test("reset puts the built-in wording back once confirmed", arguments: TestStore.available)
    func reset(store: TestStore) async throws {
        try await withApp(store) { app in
            try await Self.prepare(app)
            _ = try await TemplateStore.save(
                Self.key, source: TemplateSource(body: try await Self.goodBody(app)), clientRef: "alpha", by: nil,
                now: testNow, on: app.db)
            let (_, editor) = try await DebtPageTests.html(app, "templates/reminder/sms/en?client=alpha")
            #expect(editor.contains("Reset to the built-in wording"))
            let unconfirmed = try await DebtPageTests.post(app, "templates/reminder/sms/en/reset", "client=alpha")
            #expect(unconfirmed.status == .seeOther)
            #expect(try await TemplateStore.show(Self.key, clientRef: "alpha", on: app.db).origin == .client)

            let reset = try await DebtPageTests.post(app, "templates/reminder/sms/en/reset", "client=alpha&confirm=yes")
            #expect(reset.status == .seeOther)
            #expect(reset.location == "/templates/reminder/sms/en?client=alpha")
            let (_, page) = try await DebtPageTests.html(
                app, "templates/reminder/sms/en?client=alpha", flash: try #require(reset.flash))
            #expect(page.contains("Reset: the built-in wording stands again."))
            #expect(try await TemplateStore.show(Self.key, clientRef: "alpha", on: app.db).origin == .builtIn)
            #expect(!page.contains("Reset to the built-in wording"), "nothing of the client's own to reset")
        }
    }

    @Test(
        "the preview fragment renders the typed wording for the debt, with its exact amount and the findings",
        arguments: TestStore.available)
    func previewFragment(store: TestStore) async throws {
        try await withApp(store) { app in
            try await Self.prepare(app)
            let body = try await Self.goodBody(app)
            let answer = try await DebtPageTests.post(
                app, "templates/preview",
                "name=reminder&channel=sms&language=en&client=alpha&debt=A-1&body=\(Self.encoded(body))")
            #expect(answer.status == .ok)
            #expect(answer.body.contains(#"<pre id="preview-body">"#))
            #expect(answer.body.contains("$100.00"))
            #expect(!answer.body.contains("<html"), "a fragment, not a page")
            let threat = try await DebtPageTests.post(
                app, "templates/preview",
                "name=reminder&channel=sms&language=en&client=alpha&debt=A-1&body=\(Self.encoded(body + " We will sue you today."))"
            )
            #expect(threat.body.contains(#"<p id="preview-verdict" class="no">"#))
            #expect(threat.body.contains(#"<span class="finding-error">error</span>"#))
            let missing = try await DebtPageTests.post(
                app, "templates/preview", "name=reminder&channel=sms&language=en&client=alpha&debt=NOPE&body=x")
            #expect(missing.status == .ok)
            #expect(missing.body.contains(#"id="preview-problem""#))
        }
    }

    @Test(
        "a collector and a client's staff get 403; an unknown template, channel or language the 404 page",
        arguments: TestStore.available)
    func refusals(store: TestStore) async throws {
        try await withApp(store) { app in
            try await Self.prepare(app)
            for role in [Role.collector, .client] {
                #expect(try await Self.status(app, as: role, .GET, "templates") == .forbidden)
                #expect(try await Self.status(app, as: role, .GET, "templates/reminder/sms/en") == .forbidden)
                #expect(try await Self.status(app, as: role, .POST, "templates/reminder/sms/en") == .forbidden)
            }
            #expect(try await Self.status(app, as: .manager, .GET, "templates/reminder/sms/en") == .ok)
            for path in ["templates/nope/sms/en", "templates/call/email/en", "templates/reminder/sms/fr"] {
                let (status, html) = try await DebtPageTests.html(app, path)
                #expect(status == .notFound, "\(path)")
                #expect(html.contains("<html"), "\(path): the HTML 404 page")
            }
            let (unknownClient, _) = try await DebtPageTests.html(app, "templates?client=nobody")
            #expect(unknownClient == .notFound)
        }
    }
}
