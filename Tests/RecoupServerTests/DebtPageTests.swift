import Foundation
import RecoupCore
import RecoupStore
import RecoupTestSupport
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import RecoupServer

/// The debt page's answers and forms: post/redirect/get with a signed message, once-only forms, errors shown as the
/// page again, holds and their releases, what the debtor did, times in the debtor's zone and the user's.
@Suite("The debt page: sentences, times, holds, once-only forms")
struct DebtPageTests {
    /// F1 is disputed in the client's file, F2 is paid off, F3 is open (Pat, New York); imported a day before
    /// `testNow` (2026-11-30T00:53:20Z, Sunday 19:53 in New York).
    static let file = """
        debt_ref,debtor_ref,debtor_kind,debtor_name,charged_on,due_on,principal,interest,fees,paid,paid_on,disputed,phones,time_zones
        F1,P1,consumer,Pat Doe,2026-06-01,2026-07-01,1250.00,,,,,yes,+16175550100:mobile,America/New_York
        F2,P2,consumer,Lee Roe,2026-06-01,2026-07-01,732.08,,,732.08,2026-11-23,no,+13125550100:mobile,
        F3,P3,consumer,Sam Poe,2026-06-01,2026-07-01,80.00,,,,,no,+16175550199:mobile,America/New_York

        """

    /// `file` imported a day before `testNow`: the debts' ids.
    static func prepare(_ app: Application) async throws -> (f1: Int64, f2: Int64, f3: Int64) {
        try await TestDebts.load(Self.file, on: app.db, now: testNow.addingTimeInterval(-86_400))
        let ids = try await TestDebts.ids(on: app.db)
        return (try #require(ids["F1"]), try #require(ids["F2"]), try #require(ids["F3"]))
    }

    /// A page's HTML as the test admin, with `flash` (a `recoup_flash` cookie value) when given.
    static func html(_ app: Application, _ path: String, flash: String? = nil) async throws -> (HTTPStatus, String) {
        var headers = HTTPHeaders()
        if let flash { headers.add(name: .cookie, value: "\(Flash.cookieName)=\(flash)") }
        var answer: (HTTPStatus, String) = (.internalServerError, "")
        try await app.page(.GET, path, headers: headers) { response in
            answer = (response.status, response.body.string)
            if flash != nil {
                #expect(
                    response.headers.setCookie?[Flash.cookieName]?.string == "",
                    "the page clears the message it showed")
            }
        }
        return answer
    }

    /// The one-time id of the form `formID` on the page's HTML.
    static func submissionID(_ html: String, form formID: String) throws -> String {
        let form = try #require(html.range(of: "id=\"\(formID)\"").map { html[$0.upperBound...] })
        let field = try #require(form.range(of: #"name="submission" value=""#))
        return String(form[field.upperBound...].prefix { $0 != "\"" })
    }

    /// POSTs a page form as the test admin (with `headers`, a `Host` say); returns the status, the Location and the
    /// flash cookie it set, and the body.
    static func post(
        _ app: Application, _ path: String, _ fields: String, headers: HTTPHeaders = [:]
    ) async throws -> (status: HTTPStatus, location: String?, flash: String?, body: String) {
        var answer: (HTTPStatus, String?, String?, String) = (.internalServerError, nil, nil, "")
        try await PagesTests.form(app, path, fields, headers: headers) { response in
            answer = (
                response.status, response.headers.first(name: .location),
                response.headers.setCookie?[Flash.cookieName]?.string, response.body.string
            )
        }
        return answer
    }

    /// POSTs a form the debt's page takes (`debts/ID/ACTION`): expects 303 See Other back to the page, and returns the
    /// page the redirect leads to, showing the message, and the message's cookie.
    static func sent(
        _ app: Application, _ path: String, _ fields: String, headers: HTTPHeaders = [:]
    ) async throws -> (page: String, flash: String) {
        let answer = try await post(app, path, fields, headers: headers)
        let page = path.split(separator: "/").prefix(2).joined(separator: "/")
        #expect(answer.status == .seeOther, "\(path): \(answer.status)")
        #expect(answer.location == "/" + page, "\(path)")
        let flash = try #require(answer.flash, "\(path) set no message")
        return (try await html(app, page, flash: flash).1, flash)
    }

    /// POSTs a form the debt's page cannot take: expects the page again (400), and returns it and the sentence next to
    /// the form (the text of the element `errorID`, HTML-escaped).
    static func refused(
        _ app: Application, _ path: String, _ fields: String, errorID: String
    ) async throws -> (sentence: String, page: String) {
        let answer = try await post(app, path, fields)
        #expect(answer.status == .badRequest, "\(path) \(fields.prefix(60)): \(answer.status)")
        let sentence = try #require(
            answer.body.range(of: #"id="\#(errorID)">"#).map {
                String(answer.body[$0.upperBound...].prefix { $0 != "<" })
            },
            "\(path) \(fields.prefix(60)): no #\(errorID)")
        return (sentence, answer.body)
    }

    @Test(
        "a form posts, redirects with its message, and records once however often it is sent; a reload shows no message",
        arguments: TestStore.available)
    func postRedirectGet(store: TestStore) async throws {
        try await withApp(store) { app in
            let (f1, _, f3) = try await Self.prepare(app)
            let page = try await Self.html(app, "debts/\(f3)")
            #expect(page.0 == .ok)
            let id = try Self.submissionID(page.1, form: "record-contact")
            #expect(id.count == 22)
            // 2026-11-29 18:00 UTC is 13:00 in New York.
            let fields = "type=call&direction=outbound&outcome=no_answer&at=2026-11-29T18:00&submission=\(id)"
            let (shown, flash) = try await Self.sent(app, "debts/\(f3)/contacts", fields)
            #expect(
                shown.contains(
                    "<p>Recorded: call (outbound, no answer), Sun 29 Nov 2026, 1:00 PM EST (your time 6:00 PM UTC).</p>"
                ))
            #expect(shown.components(separatedBy: "<strong>call</strong>").count - 1 == 1)
            // The message belongs to this page and this session only, and a reload after it shows none.
            #expect(!(try await Self.html(app, "debts/\(f1)", flash: flash)).1.contains("Recorded: call"))
            #expect(!(try await Self.html(app, "debts/\(f3)", flash: "x" + flash)).1.contains("Recorded: call"))
            #expect(!(try await Self.html(app, "debts/\(f3)")).1.contains("role=\"status\""))

            // The same form again (back and send, a double click): the same redirect, nothing recorded.
            let repeated = try await Self.sent(app, "debts/\(f3)/contacts", fields).page
            #expect(repeated.contains("This form was already sent"))
            #expect(repeated.contains("the contact was recorded once, not again."))
            #expect(repeated.components(separatedBy: "<strong>call</strong>").count - 1 == 1)
            #expect(try await TestDebts.count("contact_events", on: app.db) == 1)
            // A form without its one-time id is shown again, saying to reload.
            let old = try await Self.refused(
                app, "debts/\(f3)/contacts", "type=call&direction=outbound&outcome=no_answer&at=2026-11-29T18:05",
                errorID: "contact-error")
            #expect(old.sentence.hasPrefix("the form has no one-time id"))
        }
    }

    @Test(
        "an unreadable form is the page again (HTML, 400) with a sentence and what was typed; a refusal lists why",
        arguments: TestStore.available)
    func formErrors(store: TestStore) async throws {
        try await withApp(store) { app in
            let f3 = try await Self.prepare(app).f3
            let id = try Self.submissionID(try await Self.html(app, "debts/\(f3)").1, form: "record-contact")
            let bad = try await Self.refused(
                app, "debts/\(f3)/contacts",
                "type=call&direction=inbound&outcome=conversation&at=yesterday&to=%2B16175550199&submission=\(id)",
                errorID: "contact-error")
            #expect(bad.page.contains("<h1>Debt F3</h1>"))
            #expect(bad.sentence.hasPrefix("&quot;yesterday&quot; is not a date and time"))
            #expect(bad.page.contains(#"<option value="inbound" selected>"#))
            #expect(bad.page.contains(#"<option value="conversation" selected>"#))
            #expect(bad.page.contains(#"name="submission" value="\#(id)""#), "the corrected form keeps its id")
            let unknown = try await Self.refused(
                app, "debts/\(f3)/contacts", "type=fax&at=2026-11-29T18:00&submission=\(id)", errorID: "contact-error")
            #expect(unknown.sentence.hasPrefix("choose what happened"))
            let plan = try await Self.refused(
                app, "debts/\(f3)/plan",
                "amount=abc&frequency=weekly&firstDue=2026-12-31&option=installments&submission=\(FormOnce.newID())",
                errorID: "plan-error")
            #expect(plan.page.contains(#"value="abc""#))
            #expect(plan.page.contains(#"<option value="weekly" selected>"#))

            // 03:00 in New York: quiet hours refuse the call, and the page lists why, with nothing recorded.
            let shown = try await Self.sent(
                app, "debts/\(f3)/contacts",
                "type=call&direction=outbound&outcome=no_answer&at=2026-11-29T08:00&submission=\(id)"
            ).page
            #expect(shown.contains(#"<div class="refusal" role="alert">"#))
            #expect(shown.contains("Refused: the compliance rules block this call at Sun 29 Nov 2026, 3:00 AM EST"))
            #expect(shown.contains("<code>quiet-hours</code>"))
            #expect(shown.contains("No contacts recorded yet."))
            // The refused form's id was given back: corrected, it records.
            let recorded = try await Self.sent(
                app, "debts/\(f3)/contacts",
                "type=call&direction=outbound&outcome=no_answer&at=2026-11-29T18:00&submission=\(id)"
            ).page
            #expect(recorded.contains("Recorded: call"))
        }
    }

    @Test(
        "a file-disputed debt answers No with the dispute and shows the hold; verification sent from the page releases it",
        arguments: TestStore.available)
    func fileDisputeAndRelease(store: TestStore) async throws {
        try await withApp(store) { app in
            let f1 = try await Self.prepare(app).f1
            let page = try await Self.html(app, "debts/\(f1)").1
            #expect(page.contains(#"<section id="can-call" class="verdict verdict-no""#))
            #expect(page.contains("No, do not call now: a rule blocks the call."))
            #expect(page.contains("The client&#39;s file marks F1 disputed (imported on 2026-11-28)"))
            #expect(page.contains("No time can be given"))
            #expect(!page.contains("Next allowed"))
            #expect(page.contains("Dispute: no collection contact until verification is sent"))
            #expect(
                page.contains(
                    "Since <span class=\"when\">Sat 28 Nov 2026, 7:53 PM EST (your time Sun 29 Nov, 12:53 AM UTC)</span>, from the client&#39;s file."
                ))
            #expect(page.contains(#"<span class="tag tag-disputed">disputed</span>"#))
            let id = try Self.submissionID(page, form: "release-dispute")
            // There is no attorney hold to release.
            let none = try await Self.post(app, "debts/\(f1)/holds", "kind=attorney&submission=\(FormOnce.newID())")
            #expect(none.status == .badRequest)
            #expect(none.body.contains("there is no attorney hold on F1 to release"))

            let after = try await Self.sent(app, "debts/\(f1)/holds", "kind=dispute&submission=\(id)").page
            #expect(
                after.contains(
                    "Recorded: verification sent, Sun 29 Nov 2026, 7:53 PM EST (your time Mon 30 Nov, 12:53 AM UTC). The dispute hold is released."
                ))
            #expect(after.contains("Yes, you may call now."))
            #expect(!after.contains(#"id="release-dispute""#))
            #expect(
                after.contains(
                    "Released Sun 29 Nov 2026, 7:53 PM EST (your time Mon 30 Nov, 12:53 AM UTC): verification sent, "
                        + "recorded by admin@example.com."))
            #expect(!after.contains(#"<span class="tag tag-disputed">"#))
            #expect(
                after.contains("the client&#39;s file marked this debt disputed; verification was sent on 2026-11-29"),
                "the date the holds give it")
            // Sent twice, the release records once.
            _ = try await Self.sent(app, "debts/\(f1)/holds", "kind=dispute&submission=\(id)")
            #expect(try await TestDebts.count("contact_events", where: "type = 'verification_sent'", on: app.db) == 1)
        }
    }

    @Test(
        "a paid-off debt is not called; the segment reads the ledger; what the debtor did is on the page",
        arguments: TestStore.available)
    func paidOffAndActivity(store: TestStore) async throws {
        try await withApp(store) { app in
            let (_, f2, f3) = try await Self.prepare(app)
            let paid = try await Self.html(app, "debts/\(f2)").1
            #expect(paid.contains("verdict-nothing-owed"))
            #expect(paid.contains("No. Nothing is owed on this debt ($0.00), so there is nothing to collect"))
            #expect(paid.contains("paid in full: $732.08 in 1 payment, the last on 2026-11-23; nothing is owed"))
            #expect(!paid.contains("no promise, plan or payment yet"))

            let page = try await Self.html(app, "debts/\(f3)").1
            let plan = try await Self.post(
                app, "debts/\(f3)/plan",
                "amount=20.00&frequency=monthly&firstDue=2026-12-15&option=installments&submission="
                    + (try Self.submissionID(page, form: "plan-form")))
            #expect(plan.status == .seeOther)
            let debt = try #require(try await DebtQueries.debt(id: f3, scope: .all, on: app.db))
            _ = try await PromiseStore.add(
                clientRef: debt.clientRef, debtRef: "F3", amount: .minorUnits(1_000),
                due: try LocalDate(iso: "2026-12-05"), madeOn: try LocalDate(iso: "2026-11-29"), via: .portal,
                note: nil, on: app.db, now: testNow)
            for entry in [
                ContactLogEntry(ContactEvent(.inconvenientPlace(.work), at: testNow.addingTimeInterval(-900))),
                ContactLogEntry(
                    ContactEvent(.dispute, at: testNow.addingTimeInterval(-600)), note: "I paid in October"),
            ] {
                _ = try await ContactStore.record(
                    entry, debtorID: debt.debtorID, recordedBy: "portal:P3", on: app.db, now: testNow)
            }
            let shown = try await Self.html(app, "debts/\(f3)", flash: try #require(plan.flash)).1
            #expect(shown.contains("Arrangement ARR-000001 proposed"))
            #expect(shown.contains(#"<article class="arrangement" id="arrangement-ARR-000001">"#))
            #expect(shown.contains("<strong>ARR-000001</strong>: 4 payments, $80.00 in all, written Mon 30 Nov 2026."))
            #expect(shown.contains(#"<p class="next-installment">Next: $20.00 due Tue 15 Dec 2026</p>"#))
            #expect(shown.contains("<details open><summary>Agreement</summary>"))
            #expect(
                shown.contains(
                    "$10.00 by Sat 5 Dec 2026, promised Sun 29 Nov 2026 (portal): <span class=\"promise-pending\">pending</span>"
                ))
            #expect(shown.contains("Do not contact them at work."))
            #expect(shown.contains("The debtor disputed the debt."))
            #expect(shown.contains("<q>I paid in October</q>"))
            #expect(shown.contains("Dispute: no collection contact until verification is sent"))
        }
    }

    @Test("times read in the debtor's zone and the user's, the day named when it differs")
    func timeDisplay() throws {
        let at = ISO8601Instant.parse("2026-12-08T14:00:00Z")!
        let newYork = TimeZone(identifier: "America/New_York")!
        let paris = TimeZone(identifier: "Europe/Paris")!
        #expect(
            TimeDisplay(debtorZone: newYork, userZone: paris).instant(at)
                == "Tue 8 Dec 2026, 9:00 AM EST (your time 3:00 PM GMT+1)")
        #expect(TimeDisplay(debtorZone: newYork, userZone: newYork).instant(at) == "Tue 8 Dec 2026, 9:00 AM EST")
        let late = ISO8601Instant.parse("2026-07-08T03:30:00Z")!
        #expect(
            TimeDisplay(
                debtorZone: TimeZone(identifier: "America/Los_Angeles")!, userZone: TimeZone(identifier: "UTC")!
            )
            .instant(late) == "Tue 7 Jul 2026, 8:30 PM PDT (your time Wed 8 Jul, 3:30 AM UTC)")
        let unknown = TimeDisplay(debtor: DebtorContactProfile(kind: .consumer), userZone: TimeZone(identifier: "UTC")!)
        #expect(
            unknown.instant(at)
                == "Tue 8 Dec 2026, 9:00 AM EST (the debtor's zone is not known; your time 2:00 PM UTC)")
        #expect(TimeDisplay.date(try LocalDate(iso: "2026-02-01")) == "Sun 1 Feb 2026")
    }
}
