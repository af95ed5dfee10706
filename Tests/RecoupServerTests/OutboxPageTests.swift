import Foundation
import RecoupCore
import RecoupStore
import RecoupTestSupport
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import RecoupServer

/// The outbox page: the list with its filters and pages, a message's text and history, Retry and Cancel by
/// post/redirect/get, once per form, refused for a status they do not apply to, for a client's staff and for another
/// client's message; a wrong filter is a 400 page.
@Suite("The outbox page")
struct OutboxPageTests {
    /// Alpha's email (queued, about A-1 and A-2), text (sent) and letter (queued), and beta's email (queued): their ids.
    static func prepare(_ app: Application) async throws -> (email: Int64, text: Int64, letter: Int64, beta: Int64) {
        _ = try await AccessTests.twoClients(app)
        let ids = try await OutboxAPITests.seed(app)
        return (ids[0], ids[1], ids[2], ids[3])
    }

    static func setStatus(_ id: Int64, _ status: String, error: String? = nil, _ app: Application) async throws {
        try await (app.db as! any SQLDatabase).raw(
            "UPDATE outbox_messages SET status = \(bind: status), last_error = \(bind: error) WHERE id = \(bind: id)"
        ).run()
    }

    static func status(_ id: Int64, _ app: Application) async throws -> String {
        try await (app.db as! any SQLDatabase).raw("SELECT status FROM outbox_messages WHERE id = \(bind: id)")
            .first()!.decode(column: "status", as: String.self)
    }

    /// The ids of the rows the list shows, in order.
    static func rows(_ html: String) -> [Int64] {
        html.components(separatedBy: "<tr id=\"message-").dropFirst().compactMap { Int64($0.prefix { $0 != "\"" }) }
    }

    /// The one-time id of the form posting to `action` on the page.
    static func submission(_ html: String, action: String) throws -> String {
        let form = try #require(html.range(of: "action=\"\(action)\"").map { html[$0.upperBound...] })
        let field = try #require(form.range(of: #"name="submission" value=""#))
        return String(form[field.upperBound...].prefix { $0 != "\"" })
    }

    @Test(
        "the list: the latest first, each message's channel, recipient, debtor, debts and status, filtered and paged",
        arguments: TestStore.available)
    func list(store: TestStore) async throws {
        try await withApp(store) { app in
            let ids = try await Self.prepare(app)
            let a1 = try await AccessTests.debtID("A-1", app)
            let a2 = try await AccessTests.debtID("A-2", app)
            try await Self.setStatus(ids.letter, "failed", error: "the letters folder is full", app)

            let (status, html) = try await DebtPageTests.html(app, "outbox")
            #expect(status == .ok)
            #expect(html.contains("<h1>Outbox</h1>"))
            #expect(Self.rows(html) == [ids.beta, ids.letter, ids.text, ids.email])
            #expect(html.contains(#"<a class="message-link" href="/outbox/\#(ids.email)">#\#(ids.email)</a> Email"#))
            #expect(html.contains("debtor@example.com<"))
            #expect(html.contains("<small>About your account</small>"))
            #expect(
                html.contains(
                    #"about <a class="ref" href="/debts/\#(a1)">A-1</a>, <a class="ref" href="/debts/\#(a2)">A-2</a>"#))
            #expect(
                html.contains("href=\"/debts?client=alpha&amp;debtor=")
                    || html.contains("href=\"/debts?client=alpha&debtor="))
            #expect(html.contains("template reminder"))
            #expect(html.contains(#"<time datetime="2026-11-30T12:00:00Z">Mon 30 Nov 2026, 12:00 PM UTC</time>"#))
            #expect(html.contains(#"<span class="tag status-failed">failed</span>"#))
            #expect(html.contains("the letters folder is full"))
            #expect(html.contains("no address known"))
            // Retry for the failed letter, Cancel for it and the queued messages, nothing for the text that went.
            #expect(html.contains("action=\"/outbox/\(ids.letter)/retry\""))
            #expect(!html.contains("action=\"/outbox/\(ids.email)/retry\""))
            #expect(html.contains("action=\"/outbox/\(ids.email)/cancel\""))
            #expect(!html.contains("action=\"/outbox/\(ids.text)/"))
            #expect(html.contains(#"<select id="client" name="client">"#))

            for (query, expected) in [
                ("status=sent", [ids.text]), ("status=queued", [ids.beta, ids.email]),
                ("channel=letter", [ids.letter]), ("channel=email&client=alpha", [ids.email]),
                ("client=beta", [ids.beta]), ("status=bounced", []),
            ] {
                let (status, page) = try await DebtPageTests.html(app, "outbox?\(query)")
                #expect(status == .ok)
                #expect(Self.rows(page) == expected, "\(query)")
                if expected.isEmpty { #expect(page.contains("No message matches these filters.")) }
            }
            let (_, selected) = try await DebtPageTests.html(app, "outbox?status=failed&channel=letter")
            #expect(selected.contains(#"<option value="failed" selected>Failed</option>"#))
            #expect(selected.contains(#"<option value="letter" selected>Letter</option>"#))

            // Two a page: Next page keeps the filters and walks back in time.
            let (_, first) = try await DebtPageTests.html(app, "outbox?limit=2")
            #expect(Self.rows(first) == [ids.beta, ids.letter])
            let next = "/outbox?limit=2&amp;before=\(ids.letter)"
            #expect(first.contains(#"<a href="\#(next)" rel="next">Next page</a>"#))
            let (_, second) = try await DebtPageTests.html(app, "outbox?limit=2&before=\(ids.letter)")
            #expect(Self.rows(second) == [ids.text, ids.email])
            #expect(!second.contains(#"rel="next""#))
            #expect(second.contains(#"<a href="/outbox?limit=2" rel="first">Latest</a>"#))
        }
    }

    @Test("a message's page shows its text and its history", arguments: TestStore.available)
    func message(store: TestStore) async throws {
        try await withApp(store) { app in
            let ids = try await Self.prepare(app)
            for (status, detail) in [("sending", "attempt 1"), ("sent", "250 queued as 4F1A")] {
                try await (app.db as! any SQLDatabase).raw(
                    """
                    INSERT INTO outbox_changes (message_id, status, at, detail, changed_by) VALUES \
                    (\(bind: ids.text), \(bind: status), \(bind: testNow), \(bind: detail), 'serve')
                    """
                ).run()
            }
            let (status, html) = try await DebtPageTests.html(app, "outbox/\(ids.text)")
            #expect(status == .ok)
            #expect(html.contains("Message \(ids.text) · Text message"))
            #expect(html.contains(#"<pre id="message-body">Message from Alpha</pre>"#))
            #expect(html.contains("250 queued as 4F1A"))
            #expect(html.contains(#"<td data-label="By">serve</td>"#))
            #expect(html.contains("<a href=\"/runs/3\">run 3</a>"))
            #expect(!html.contains("id=\"retry-form\"") && !html.contains("id=\"cancel-form\""))
            let (missing, _) = try await DebtPageTests.html(app, "outbox/999999")
            #expect(missing == .notFound)
            let (word, _) = try await DebtPageTests.html(app, "outbox/abc")
            #expect(word == .notFound)
        }
    }

    @Test(
        "Retry and Cancel post, redirect back with what happened and act once; a status they do not apply to is refused",
        arguments: TestStore.available)
    func actions(store: TestStore) async throws {
        try await withApp(store) { app in
            let ids = try await Self.prepare(app)
            try await Self.setStatus(ids.email, "failed", error: "550 5.1.1 User unknown", app)

            // Retry from the list of failed messages: back to that list, at the row.
            let (_, list) = try await DebtPageTests.html(app, "outbox?status=failed")
            let retryID = try Self.submission(list, action: "/outbox/\(ids.email)/retry")
            let fields = "submission=\(retryID)&back=%2Foutbox%3Fstatus%3Dfailed"
            let retried = try await DebtPageTests.post(app, "outbox/\(ids.email)/retry", fields)
            #expect(retried.status == .seeOther)
            #expect(retried.location == "/outbox?status=failed#message-\(ids.email)")
            let (_, shown) = try await DebtPageTests.html(
                app, "outbox?status=failed", flash: try #require(retried.flash))
            #expect(
                shown.contains(
                    "Retried: message \(ids.email) (an email to debtor@example.com) was failed and is queued again, "
                        + "due now; the next delivery round checks it with the compliance rules again and sends it."))
            #expect(try await Self.status(ids.email, app) == "queued")
            let history = try await OutboxStore.history(messageID: ids.email, scope: .all, on: app.db)
            #expect(history.map(\.status) == [.queued])
            #expect(history.map(\.at) == [testNow])
            #expect(history.map(\.detail) == ["retried by hand"])
            #expect(history.map(\.changedBy) == [TestAccounts.adminEmail])
            // The same form again: nothing more.
            let again = try await DebtPageTests.post(app, "outbox/\(ids.email)/retry", fields)
            let (_, repeated) = try await DebtPageTests.html(app, "outbox", flash: try #require(again.flash))
            #expect(repeated.contains("message \(ids.email) was retried once, not again."))
            #expect(try await OutboxStore.history(messageID: ids.email, scope: .all, on: app.db).count == 1)

            // Cancel from the message's page, with the reason: back to the page, which shows it in the history.
            let (_, page) = try await DebtPageTests.html(app, "outbox/\(ids.letter)")
            let cancelID = try Self.submission(page, action: "/outbox/\(ids.letter)/cancel")
            let cancelled = try await DebtPageTests.post(
                app, "outbox/\(ids.letter)/cancel",
                "submission=\(cancelID)&back=%2Foutbox%2F\(ids.letter)&reason=Paid+at+the+desk")
            #expect(cancelled.status == .seeOther)
            #expect(cancelled.location == "/outbox/\(ids.letter)")
            let (_, after) = try await DebtPageTests.html(
                app, "outbox/\(ids.letter)", flash: try #require(cancelled.flash))
            #expect(after.contains("Cancelled: message \(ids.letter) (a letter to 0379-NEVHP, no address known)"))
            #expect(after.contains("was queued and will not be sent."))
            #expect(after.contains("cancelled by hand: Paid at the desk"))
            #expect(after.contains(#"<td data-label="By">\#(TestAccounts.adminEmail)</td>"#))
            #expect(try await Self.status(ids.letter, app) == "cancelled")

            // Refusals: a sent text cannot be retried or cancelled; a cancellation needs its reason; a form needs its
            // one-time id. Each is a message on the page, and nothing changes.
            for (path, fields, sentence) in [
                (
                    "outbox/\(ids.text)/retry", "submission=\(FormOnce.newID())",
                    "Not retried: message \(ids.text) is sent; only a failed or deferred message can be retried."
                ),
                (
                    "outbox/\(ids.text)/cancel", "submission=\(FormOnce.newID())&reason=x",
                    "Not cancelled: message \(ids.text) is sent; only a queued, deferred or failed message can be "
                        + "cancelled."
                ),
                (
                    "outbox/\(ids.beta)/cancel", "submission=\(FormOnce.newID())&reason=+",
                    "Not cancelled: say why it is cancelled (at most 500 characters)."
                ),
                ("outbox/\(ids.beta)/cancel", "reason=because", "Not cancelled: the form has no one-time id"),
            ] {
                let answer = try await DebtPageTests.post(app, path, fields)
                #expect(answer.status == .seeOther, "\(path)")
                let target = try #require(answer.location).split(separator: "#")[0]
                let (_, refused) = try await DebtPageTests.html(
                    app, String(target.dropFirst()), flash: try #require(answer.flash))
                #expect(refused.contains(#"<div class="refusal" role="alert" id="outbox-message">"#), "\(path)")
                #expect(refused.contains(sentence), "\(path): \(sentence)")
            }
            #expect(try await Self.status(ids.text, app) == "sent")
            #expect(try await Self.status(ids.beta, app) == "queued")
            // A form's way back never leaves the outbox.
            let away = try await DebtPageTests.post(
                app, "outbox/\(ids.beta)/cancel",
                "submission=\(FormOnce.newID())&reason=dup&back=https%3A%2F%2Fevil.example%2Foutbox")
            #expect(away.location == "/outbox/\(ids.beta)")
            let missing = try await DebtPageTests.post(app, "outbox/999999/retry", "submission=\(FormOnce.newID())")
            #expect(missing.status == .notFound)
        }
    }

    @Test(
        "a client's staff see their own client's messages only and cannot retry or cancel",
        arguments: TestStore.available)
    func clientUser(store: TestStore) async throws {
        try await withApp(store) { app in
            let ids = try await Self.prepare(app)
            try await Self.setStatus(ids.beta, "failed", app)
            try await Self.setStatus(ids.email, "failed", app)
            let clerk = try #require(try await UserStore.user(email: "clerk@beta.example", on: app.db)).user
            let session = try await UserStore.createSession(
                userID: clerk.id, on: app.db, now: app.settings.clock(), lifetime: 600)
            func get(_ path: String) async throws -> (HTTPStatus, String) {
                var answer: (HTTPStatus, String) = (.internalServerError, "")
                try await app.testing().test(.GET, path, headers: UserManagementTests.sessionHeaders(session.token)) {
                    answer = ($0.status, $0.body.string)
                }
                return answer
            }
            func post(_ path: String) async throws -> HTTPStatus {
                var status = HTTPStatus.internalServerError
                try await PagesTests.form(
                    app, path, "submission=\(FormOnce.newID())&reason=mine", csrf: session.csrf,
                    cookie: "\(SessionAuthenticationMiddleware.cookieName)=\(session.token)"
                ) { status = $0.status }
                return status
            }

            let (status, html) = try await get("outbox")
            #expect(status == .ok)
            #expect(Self.rows(html) == [ids.beta])
            #expect(!html.contains(#"<select id="client""#))
            #expect(!html.contains("/retry\"") && !html.contains("/cancel\""))
            #expect(try await get("outbox?client=beta").0 == .ok)
            #expect(try await get("outbox?client=alpha").0 == .notFound)
            #expect(try await get("outbox/\(ids.email)").0 == .notFound)
            let (own, page) = try await get("outbox/\(ids.beta)")
            #expect(own == .ok)
            #expect(!page.contains("id=\"retry-form\""))
            // Their own message: not allowed (403); another client's: not found (404), as a missing one.
            #expect(try await post("outbox/\(ids.beta)/retry") == .forbidden)
            #expect(try await post("outbox/\(ids.beta)/cancel") == .forbidden)
            #expect(try await post("outbox/\(ids.email)/retry") == .notFound)
            #expect(try await post("outbox/\(ids.email)/cancel") == .notFound)
            #expect(try await Self.status(ids.beta, app) == "failed")
            #expect(try await Self.status(ids.email, app) == "failed")
        }
    }

    @Test("a filter that is not one is a 400 page saying what to use", arguments: TestStore.available)
    func badFilters(store: TestStore) async throws {
        try await withApp(store) { app in
            _ = try await Self.prepare(app)
            for (query, sentence) in [
                ("status=lost", "use queued, sending, sent, deferred, failed, bounced or cancelled."),
                ("channel=fax", "use email, sms or letter."),
                ("channel=voicemail", "use email, sms or letter."),
                ("limit=0", "use 1 to 500."), ("before=soon", "use the next page"),
            ] {
                let (status, html) = try await DebtPageTests.html(app, "outbox?\(query)")
                #expect(status == .badRequest, "\(query)")
                #expect(html.contains(">Please check what you entered</h1>"), "\(query)")
                #expect(html.contains(sentence), "\(query): \(html.suffix(600))")
            }
            let (unknown, _) = try await DebtPageTests.html(app, "outbox?client=nobody")
            #expect(unknown == .notFound)
        }
    }
}
