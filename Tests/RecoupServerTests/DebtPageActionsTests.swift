import Foundation
import RecoupCore
import RecoupStore
import RecoupTestSupport
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import RecoupServer

/// The debt page's actions: a call's outcome in one click, a contact with a note and a callback, a payment, a promise
/// and a portal link. Each posts, redirects with its message, records once however often it is sent, and answers a
/// form it cannot read with the page again and one sentence. The debts are DebtPageTests.file's: F1 disputed in the
/// client's file, F2 paid off, F3 open ($80.00; Sam Poe, New York, +16175550199). `testNow` is Sunday 29 Nov 2026,
/// 7:53 PM in New York (Monday 30 Nov, 00:53 UTC, the business zone's date).
@Suite("The debt page's actions: one-click outcomes, notes and callbacks, payments, promises, portal links")
struct DebtPageActionsTests {
    /// The payments posted from the page (their idempotency keys are the forms' ids), for `TestDebts.count`.
    static let pagePayments = "kind = 'payment' AND idempotency_key LIKE 'page-%'"

    /// The one-time id of the one-click button for `outcome`.
    static func quickID(_ html: String, _ outcome: CallOutcome) throws -> String {
        try DebtPageTests.submissionID(html, form: "quick-\(outcome.rawValue)")
    }

    static func quickFields(_ outcome: CallOutcome, id: String, to: String = "%2B16175550199") -> String {
        "type=call&direction=outbound&outcome=\(outcome.rawValue)&to=\(to)&at=now&submission=\(id)"
    }

    @Test(
        "a call's outcome takes one click: recorded now to the first number, once however often sent; a refused one records nothing",
        arguments: TestStore.available)
    func oneClickOutcome(store: TestStore) async throws {
        try await withApp(store) { app in
            // Setup
            let (f1, _, f3) = try await DebtPageTests.prepare(app)
            let page = try await DebtPageTests.html(app, "debts/\(f3)").1
            #expect(page.contains("Called +16175550199 just now? One click records the call and its outcome:"))
            for (outcome, label) in DebtPagesController.quickOutcomes {
                #expect(page.contains(#"id="quick-\#(outcome.rawValue)""#))
                #expect(page.contains("<button type=\"submit\">\(label)</button>"))
            }
            let noAnswer = try Self.quickID(page, .noAnswer)
            #expect(noAnswer != (try Self.quickID(page, .voicemail)), "each button is a form of its own")

            // Act: one click.
            let shown = try await DebtPageTests.sent(
                app, "debts/\(f3)/contacts", Self.quickFields(.noAnswer, id: noAnswer)
            ).page

            // Verify: a redirect to the page, which says what was recorded, when, and shows it in the timeline.
            #expect(
                shown.contains(
                    "<p>Recorded: call (outbound, no answer, to +16175550199), Sun 29 Nov 2026, 7:53 PM EST "
                        + "(your time Mon 30 Nov, 12:53 AM UTC).</p>"))
            #expect(shown.contains("<strong>call</strong> outbound, no answer, to +16175550199"))
            // The same click again (a double click, back and send): recorded once.
            let repeated = try await DebtPageTests.sent(
                app, "debts/\(f3)/contacts", Self.quickFields(.noAnswer, id: noAnswer)
            ).page
            #expect(repeated.contains("This form was already sent"))
            #expect(try await TestDebts.count("contact_events", on: app.db) == 1)

            // A refused one-click call: F1 is disputed in the client's file. The refusal, its rule, nothing recorded.
            let disputed = try await DebtPageTests.html(app, "debts/\(f1)").1
            #expect(disputed.contains("A call now is refused by the rules above"))
            let refusal = try await DebtPageTests.sent(
                app, "debts/\(f1)/contacts",
                Self.quickFields(.noAnswer, id: try Self.quickID(disputed, .noAnswer), to: "%2B16175550100")
            ).page
            #expect(refusal.contains(#"<div class="refusal" role="alert">"#))
            #expect(
                refusal.contains(
                    "Refused: the compliance rules block this call at Sun 29 Nov 2026, 7:53 PM EST (your time Mon 30 Nov, "
                        + "12:53 AM UTC). Nothing was recorded."))
            #expect(refusal.contains("<code>dispute</code>"))
            #expect(try await TestDebts.count("contact_events", on: app.db) == 1)

            // A one-click form without its one-time id: the sentence next to the buttons.
            let old = try await DebtPageTests.refused(
                app, "debts/\(f3)/contacts", "type=call&direction=outbound&outcome=busy&to=%2B16175550199&at=now",
                errorID: "quick-calls-error")
            #expect(old.sentence.hasPrefix("the form has no one-time id"))
            #expect(!old.page.contains(#"id="contact-error""#))
        }
    }

    @Test(
        "a contact keeps its note and callback: both in the timeline, the callback in both zones until the next contact",
        arguments: TestStore.available)
    func noteAndCallback(store: TestStore) async throws {
        try await withApp(store) { app in
            let f3 = try await DebtPageTests.prepare(app).f3
            let page = try await DebtPageTests.html(app, "debts/\(f3)").1
            // Every field is on the page (the form works without CSS's help); each type's own fields are marked.
            #expect(page.contains(#"<textarea id="contact-note" name="note""#))
            #expect(
                page.contains(#"<div class="field" data-for="call sms email letter"><label for="contact-callback">"#))
            #expect(page.contains(#"<div class="field" data-for="call"><label for="outcome">"#))
            #expect(page.contains(#"<datalist id="contact-points"><option value="+16175550199"></option></datalist>"#))
            let id = try DebtPageTests.submissionID(page, form: "record-contact")
            let note = "Says payday is Friday & asked us to call back then"

            // Act: an inbound call with a note and a callback (Friday 10:00 in New York is 15:00 UTC, the user's zone).
            let shown = try await DebtPageTests.sent(
                app, "debts/\(f3)/contacts",
                "type=call&direction=inbound&outcome=conversation&at=2026-11-29T18:00&note="
                    + note.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
                    + "&callback=2026-12-04T15:00&submission=\(id)"
            ).page

            // Verify
            #expect(
                shown.contains(
                    "Recorded: call (inbound, conversation), Sun 29 Nov 2026, 1:00 PM EST (your time 6:00 PM UTC). "
                        + "Call back: Fri 4 Dec 2026, 10:00 AM EST (your time 3:00 PM UTC)."))
            #expect(shown.contains("<q>Says payday is Friday &amp; asked us to call back then</q>"))
            #expect(
                shown.contains(
                    #"<span class="callback">Call back <time datetime="2026-12-04T15:00:00Z">Fri 4 Dec 2026, 10:00 AM EST (your time 3:00 PM UTC)</time></span>"#
                ))
            #expect(
                shown.contains(
                    #"<p id="callback" class="callback">Call back <time datetime="2026-12-04T15:00:00Z">Fri 4 Dec 2026, 10:00 AM EST (your time 3:00 PM UTC)</time>, asked by admin@example.com."#
                ))
            // The conversation holds collection calls for seven days: the page warns that the callback falls inside
            // them, when it is set and while it is pending, with the first time a call is allowed.
            let warning =
                "A call then would be refused: A telephone conversation about F3 took place on 2026-11-29; no call "
                + "about it until 2026-12-06. The first time one is allowed: Sun 6 Dec 2026, 8:00 AM EST (your time "
                + "1:00 PM UTC)."
            #expect(shown.contains("<li>\(warning)</li>"), "on the message")
            #expect(shown.contains(#"<span class="callback-warning">\#(warning)</span></p>"#), "under Can we call now?")
            let stored = try await ContactStore.events(
                debtorID: try #require(try await DebtQueries.debt(id: f3, scope: .all, on: app.db)).debtorID, on: app.db
            )
            #expect(stored.map(\.callbackAt) == [ISO8601Instant.parse("2026-12-04T15:00:00Z")])
            #expect(stored.map(\.entry.note) == [note])

            // The next contact answers the callback: it is no longer pending (the timeline keeps it).
            _ = try await DebtPageTests.sent(
                app, "debts/\(f3)/contacts",
                "type=email&direction=inbound&at=2026-11-29T19:00&submission=\(FormOnce.newID())")
            let after = try await DebtPageTests.html(app, "debts/\(f3)").1
            #expect(!after.contains(#"id="callback""#))
            #expect(after.contains(#"<span class="callback">Call back"#))
        }
    }

    @Test(
        "a contact form the page cannot take is shown again with one sentence: callback, note, a cease's hidden callback ignored",
        arguments: TestStore.available)
    func contactFormRefusals(store: TestStore) async throws {
        try await withApp(store) { app in
            let f3 = try await DebtPageTests.prepare(app).f3
            let id = try DebtPageTests.submissionID(
                try await DebtPageTests.html(app, "debts/\(f3)").1, form: "record-contact")
            let base = "type=call&direction=inbound&outcome=conversation&at=2026-11-29T18:00&submission=\(id)"
            for (fields, sentence) in [
                (
                    "&callback=tomorrow",
                    "the callback &quot;tomorrow&quot; is not a date and time; give one such as 2026-12-01T10:00"
                ),
                ("&callback=2026-11-29T17:00", "the callback must be after the contact it follows"),
                ("&callback=2027-12-01T10:00", "the callback must be within a year of the contact"),
                ("&note=" + String(repeating: "a", count: 4_001), "the note is 4001 characters long; keep it to 4000"),
            ] {
                let refused = try await DebtPageTests.refused(
                    app, "debts/\(f3)/contacts", base + fields, errorID: "contact-error")
                #expect(refused.sentence.hasPrefix(sentence), "\(fields.prefix(40))")
                #expect(refused.page.contains(#"name="submission" value="\#(id)""#), "the corrected form keeps its id")
            }
            let typed = try await DebtPageTests.refused(
                app, "debts/\(f3)/contacts", base + "&callback=2026-13-01T10:00&note=kept", errorID: "contact-error")
            #expect(typed.page.contains(#"value="2026-13-01T10:00""#), "what was typed is shown again")
            #expect(typed.page.contains(#"maxlength="4000">kept</textarea>"#))
            #expect(try await TestDebts.count("contact_events", on: app.db) == 0)

            // A cease takes no callback: one left in its hidden field is not sent on.
            _ = try await DebtPageTests.sent(
                app, "debts/\(f3)/contacts",
                "type=cease&at=2026-11-29T18:00&note=Wants+letters+only&callback=2026-12-04T15:00&submission=\(id)")
            let row = try await (app.db as! any SQLDatabase).raw("SELECT type, callback_at FROM contact_events").first()
            #expect(try row?.decode(column: "type", as: String.self) == "cease")
            #expect(try row?.decode(column: "callback_at", as: Date?.self) == nil)
        }
    }

    @Test(
        "a payment recorded from the page: amount as typed, the balance drops, once however often sent; bad input is one sentence",
        arguments: TestStore.available)
    func payment(store: TestStore) async throws {
        try await withApp(store) { app in
            let f3 = try await DebtPageTests.prepare(app).f3
            let page = try await DebtPageTests.html(app, "debts/\(f3)").1
            #expect(
                page.contains(
                    #"<input id="payment-received-on" name="receivedOn" type="date" value="2026-11-30" required>"#))
            let id = try DebtPageTests.submissionID(page, form: "payment-form")
            let fields = "amount=+%2420+&receivedOn=2026-11-30&method=card&reference=CHK+1001&submission=\(id)"

            // Act
            let shown = try await DebtPageTests.sent(app, "debts/\(f3)/payments", fields).page

            // Verify: a redirect, the sentence, the new balance, one ledger entry keyed by the form.
            #expect(
                shown.contains(
                    "<p>Recorded: a payment of $20.00 received Mon 30 Nov 2026 (card), reference CHK 1001. "
                        + "The balance is now $60.00.</p>"))
            #expect(shown.contains(#"<tfoot><tr><th scope="row">Total</th><td class="num">$60.00</td></tr></tfoot>"#))
            #expect(
                try await TestDebts.count(
                    "ledger_entries",
                    where:
                        "kind = 'payment' AND idempotency_key = 'page-\(id)' AND method = 'card' AND reference = 'CHK 1001'",
                    on: app.db) == 1)
            // Sent again, as it was or changed (back, another amount, send): recorded once.
            for resend in [fields, fields.replacingOccurrences(of: "%2420", with: "25")] {
                let repeated = try await DebtPageTests.sent(app, "debts/\(f3)/payments", resend).page
                #expect(repeated.contains("This form was already sent: the payment was recorded once, not again."))
            }
            #expect(try await TestDebts.count("ledger_entries", where: Self.pagePayments, on: app.db) == 1)

            // Bad input: the page again (400) with the sentence next to the form and what was typed.
            let fresh = FormOnce.newID()
            for (fields, sentence) in [
                ("amount=1%2C5&receivedOn=2026-11-30", "the amount:"),
                (
                    "amount=10&receivedOn=30%2F11%2F2026",
                    "the date received &quot;30/11/2026&quot; is not a date; give one such as 2026-12-05"
                ),
                ("amount=10&receivedOn=2026-12-25", "F3: "),
                (
                    "amount=10&receivedOn=2026-11-30&method=bitcoin",
                    "choose how it was paid: card, bank transfer (ach), check, cash, money order, other"
                ),
            ] {
                let refused = try await DebtPageTests.refused(
                    app, "debts/\(f3)/payments", fields + "&submission=\(fresh)", errorID: "payment-error")
                #expect(refused.sentence.hasPrefix(sentence), "\(fields): \(refused.sentence)")
                #expect(refused.page.contains(#"name="submission" value="\#(fresh)""#))
            }
            let typed = try await DebtPageTests.refused(
                app, "debts/\(f3)/payments", "amount=1%2C5&receivedOn=2026-11-30&submission=\(fresh)",
                errorID: "payment-error")
            #expect(
                typed.page.contains(#"id="payment-amount" name="amount" type="text" inputmode="decimal" value="1,5""#))
            #expect(try await TestDebts.count("ledger_entries", where: Self.pagePayments, on: app.db) == 1)
        }
    }

    @Test(
        "a promise recorded from the page: once however often sent; above the balance or beyond 90 days refused with the reason",
        arguments: TestStore.available)
    func promise(store: TestStore) async throws {
        try await withApp(store) { app in
            let (_, f2, f3) = try await DebtPageTests.prepare(app)
            let page = try await DebtPageTests.html(app, "debts/\(f3)").1
            #expect(page.contains("Up to $80.00 (what is owed), due by Sun 28 Feb 2027 at the latest."))
            #expect(page.contains(#"min="2026-11-30" max="2027-02-28""#))
            let id = try DebtPageTests.submissionID(page, form: "promise-form")
            let fields = "amount=%2450&due=2026-12-10&via=call&note=after+payday&submission=\(id)"

            let shown = try await DebtPageTests.sent(app, "debts/\(f3)/promises", fields).page

            #expect(shown.contains("<p>Recorded: a promise to pay $50.00 by Thu 10 Dec 2026 (on a call).</p>"))
            #expect(
                shown.contains(
                    "$50.00 by Thu 10 Dec 2026, promised Mon 30 Nov 2026 (call): <span class=\"promise-pending\">pending</span>"
                ))
            let repeated = try await DebtPageTests.sent(app, "debts/\(f3)/promises", fields).page
            #expect(repeated.contains("the promise was recorded once, not again."))
            #expect(try await TestDebts.count("promises", on: app.db) == 1)

            let fresh = FormOnce.newID()
            for (fields, sentence) in [
                ("amount=500&due=2026-12-10", "$500.00"),
                ("amount=50&due=2027-06-01", "2027-02-28"),
                ("amount=50&due=", "give the date it is promised by, as a date"),
                ("amount=50&due=2026-12-10&via=fax", "choose where the promise was made"),
            ] {
                let refused = try await DebtPageTests.refused(
                    app, "debts/\(f3)/promises", fields + "&submission=\(fresh)", errorID: "promise-error")
                #expect(refused.sentence.contains(sentence), "\(fields): \(refused.sentence)")
            }
            #expect(try await TestDebts.count("promises", on: app.db) == 1)
            // Nothing owed, nothing to promise: the paid-off debt shows no promise form.
            let paid = try await DebtPageTests.html(app, "debts/\(f2)").1
            #expect(!paid.contains(#"id="promise-form""#))
            #expect(paid.contains("Nothing is owed on this debt, so there is nothing to promise."))
        }
    }

    @Test(
        "a portal link made from the page is a whole URL (the public URL, else the request's host) that opens the portal",
        arguments: TestStore.available)
    func portalLink(store: TestStore) async throws {
        try await withApp(store) { app in
            let f3 = try await DebtPageTests.prepare(app).f3
            let id = try DebtPageTests.submissionID(
                try await DebtPageTests.html(app, "debts/\(f3)").1, form: "portal-link-form")

            // Act: no public URL is set, so the link is built from the address the browser used.
            let shown = try await DebtPageTests.sent(
                app, "debts/\(f3)/portal-link", "days=30&submission=\(id)", headers: ["Host": "recoup.test:8443"]
            ).page

            // Verify: the page shows the link once, whole; it opens the debtor's portal.
            #expect(shown.contains("Portal link made for Sam Poe. Send it to them: it is shown only this once"))
            let anchor = try #require(shown.range(of: #"<a id="portal-link-url" class="break" href=""#))
            let url = String(shown[anchor.upperBound...].prefix { $0 != "\"" })
            #expect(url.hasPrefix("http://recoup.test:8443/portal/"))
            #expect(shown.contains("Works until Tue 29 Dec 2026, 7:53 PM EST (your time Wed 30 Dec, 12:53 AM UTC)."))
            #expect(!(try await DebtPageTests.html(app, "debts/\(f3)")).1.contains("portal-link-url"), "shown once")
            let token = String(url.dropFirst("http://recoup.test:8443/portal/".count))
            try await app.testing().test(.GET, "portal/\(token)") { response async throws in
                #expect(response.status == .ok)
                #expect(response.body.string.contains("Sam Poe"))
            }
            // Sent again: no second link.
            let repeated = try await DebtPageTests.sent(
                app, "debts/\(f3)/portal-link", "days=30&submission=\(id)", headers: ["Host": "recoup.test:8443"]
            ).page
            #expect(
                repeated.contains("one link was made then, and it is shown only once. Make a new one if it was lost."))
            #expect(!repeated.contains("portal-link-url"))
            #expect(try await TestDebts.count("portal_links", on: app.db) == 1)

            // With a public URL configured, links are made under it whatever the request's host.
            app.settings.publicURL = try PublicBaseURL(parsing: "https://Pay.Example.com/recoup/")
            let page = try await DebtPageTests.sent(
                app, "debts/\(f3)/portal-link", "days=7&submission=\(FormOnce.newID())",
                headers: ["Host": "internal:8080"]
            ).page
            #expect(page.contains(#"href="https://pay.example.com/recoup/portal/"#))

            // Bad input: one sentence next to the form, nothing made.
            for days in ["0", "366", "a+month"] {
                let refused = try await DebtPageTests.refused(
                    app, "debts/\(f3)/portal-link", "days=\(days)&submission=\(FormOnce.newID())",
                    errorID: "portal-error")
                #expect(refused.sentence.hasPrefix("a portal link lasts 1 to 365 days; &quot;"), "\(days)")
            }
            #expect(try await TestDebts.count("portal_links", on: app.db) == 2)
        }
    }

    @Test(
        "a client user works its own debt from the page; another client's debt answers 404 to every action",
        arguments: TestStore.available)
    func clientUser(store: TestStore) async throws {
        try await withApp(store) { app in
            _ = try await AccessTests.twoClients(app)
            let b1 = try await AccessTests.debtID("B-1", app)
            let a1 = try await AccessTests.debtID("A-1", app)
            let clerk = try await UserStore.user(email: "clerk@beta.example", on: app.db)!.user
            let session = try await UserStore.createSession(
                userID: clerk.id, on: app.db, now: app.settings.clock(), lifetime: 600)
            let cookie = "\(SessionAuthenticationMiddleware.cookieName)=\(session.token)"
            func post(_ path: String, _ fields: String) async throws -> HTTPStatus {
                var status = HTTPStatus.internalServerError
                try await PagesTests.form(app, path, fields, csrf: session.csrf, cookie: cookie) { response in
                    status = response.status
                }
                return status
            }
            let forms = [
                ("payments", "amount=5&receivedOn=2026-11-30"), ("promises", "amount=5&due=2026-12-10"),
                ("portal-link", "days=30"),
            ]
            for (action, fields) in forms {
                #expect(
                    try await post("debts/\(b1)/\(action)", fields + "&submission=\(FormOnce.newID())") == .seeOther,
                    "\(action) on its own debt")
                #expect(
                    try await post("debts/\(a1)/\(action)", fields + "&submission=\(FormOnce.newID())") == .notFound,
                    "\(action) on another client's debt")
            }
            #expect(try await TestDebts.count("ledger_entries", where: Self.pagePayments, on: app.db) == 1)
            #expect(try await TestDebts.count("promises", on: app.db) == 1)
            #expect(try await TestDebts.count("portal_links", on: app.db) == 1)
        }
    }

    @Test("the public base URL: an http or https address, the flag over the environment, one sentence when it is not")
    func publicBaseURL() throws {
        #expect(
            try PublicBaseURL(parsing: " https://Recoup.Example.com/ ").url("/portal/x")
                == "https://recoup.example.com/portal/x")
        #expect(
            try PublicBaseURL(parsing: "http://10.0.0.5:8080/collect//").description == "http://10.0.0.5:8080/collect")
        #expect(
            try PublicBaseURL.resolve(
                option: "https://flag.example", environment: ["RECOUP_PUBLIC_URL": "https://env.example"])?
                .description == "https://flag.example")
        #expect(
            try PublicBaseURL.resolve(option: nil, environment: ["RECOUP_PUBLIC_URL": "https://env.example"])?
                .description == "https://env.example")
        #expect(try PublicBaseURL.resolve(option: nil, environment: [:]) == nil)
        for (text, sentence) in [
            (
                "recoup.example.com",
                #"--public-url "recoup.example.com" is not an http or https address such as https://recoup.example.com"#
            ),
            (
                "ftp://recoup.example.com",
                #"--public-url "ftp://recoup.example.com" is not an http or https address such as https://recoup.example.com"#
            ),
            (
                "https://recoup.example.com/?a=1",
                #"--public-url "https://recoup.example.com/?a=1" must be only a scheme, host, port and path (no ?query, #fragment or user), such as https://recoup.example.com"#
            ),
            ("https://", #"--public-url "https://" names no host; give one such as https://recoup.example.com"#),
        ] {
            #expect(throws: InputError.self) { try PublicBaseURL(parsing: text) }
            do {
                _ = try PublicBaseURL(parsing: text)
            } catch {
                #expect("\(error)" == sentence)
            }
        }
        #expect(PublicBaseURL.isHostAndPort("[::1]:8080"))
        #expect(!PublicBaseURL.isHostAndPort("evil.example/path"))
    }

    @Test(
        "recoup portal link prints a whole URL under --public-url or RECOUP_PUBLIC_URL; serve refuses a bad one with exit 2"
    )
    func commandLine() async throws {
        let recoup = try RecoupBinary()
        let header = IBMAccountsReceivableLayout.header.joined(separator: ",")
        let file = try recoup.write(
            header + "\n391,0379-NEVHP,4/6/2013,A-1,9/1/2026,10/1/2026,100.00,No,,Paper,,\n", to: "alpha.csv")
        #expect(try await recoup.run(["import", "--format", "ibm-ar", "--client", "alpha", file]).status == 0)
        let link = ["portal", "link", "--client", "alpha", "--debtor", "0379-NEVHP"]
        let bare = try await recoup.run(link)
        #expect(bare.status == 0)
        #expect(bare.standardOutput.hasPrefix(#"{"url":"/portal/"#))
        let flag = try await recoup.run(
            link + ["--public-url", "https://pay.example.com/"],
            environment: ["RECOUP_PUBLIC_URL": "https://env.example"])
        #expect(flag.standardOutput.hasPrefix(#"{"url":"https://pay.example.com/portal/"#), "\(flag.standardOutput)")
        let environment = try await recoup.run(link, environment: ["RECOUP_PUBLIC_URL": "https://env.example/recoup"])
        #expect(environment.standardOutput.hasPrefix(#"{"url":"https://env.example/recoup/portal/"#))
        let bad = try await recoup.run(link, environment: ["RECOUP_PUBLIC_URL": "pay.example.com"])
        #expect(bad.status == 2)
        #expect(
            bad.standardError
                == "recoup: RECOUP_PUBLIC_URL \"pay.example.com\" is not an http or https address such as https://recoup.example.com\n"
        )
        let serve = try RecoupBinary()
        let refused = try await serve.run(["serve", "--port", "18098", "--public-url", "ftp://x.example"])
        #expect(refused.status == 2)
        #expect(refused.standardError.contains(#"--public-url "ftp://x.example" is not an http or https address"#))
        #expect(!FileManager.default.fileExists(atPath: serve.directory.path + "/recoup.sqlite"))
    }
}
