import Foundation
import RecoupCore
import RecoupStore
import RecoupTestSupport
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import RecoupServer

/// The work queue page: each item with its reason, talking points, number and local time; Claim; an outcome in one
/// click with a note, post/redirect/get, once-only; the Queue link for agency staff.
@Suite("The work queue page")
struct QueuePageTests {
    @Test("the page lists the callable debtors with what a collector needs, and tasks", arguments: TestStore.available)
    func page(store: TestStore) async throws {
        try await withApp(store) { app in
            let ids = try await QueueAPITests.prepare(app)
            let (status, html) = try await DebtPageTests.html(app, "queue")
            #expect(status == .ok)
            #expect(html.contains("<h1>Work queue</h1>"))
            #expect(html.contains(#"<a href="/queue" aria-current="page">Queue</a>"#))
            // In the queue's order, one card per debtor.
            let order = ["S1", "L1", "A1", "B1"].map { html.range(of: "id=\"item-\(ids[$0]!)\"")?.lowerBound }
            #expect(order.allSatisfy { $0 != nil })
            #expect(order.compactMap { $0 } == order.compactMap { $0 }.sorted())
            #expect(html.contains(#"<span class="tag queue-reason">Promise due today</span>"#))
            #expect(html.contains("A promise to pay $100.00 on S1 is due today."))
            #expect(html.contains(#"Call <a href="tel:+16175550111">+16175550111</a>"#))
            #expect(html.contains("their time Sun 29 Nov 2026, 7:53 PM EST (your time Mon 30 Nov, 12:53 AM UTC)."))
            #expect(html.contains("<li>Owes $500.00 on S1, 121 days past due (due 2026-08-01).</li>"))
            #expect(html.contains(#"<span class="tag queue-reason">Broken promise</span>"#))
            #expect(html.contains(#"<form class="inline" method="post" action="/queue/\#(ids["S1"]!)/claim">"#))
            #expect(html.contains(#"<button type="submit" name="outcome" value="no_answer">No answer</button>"#))
            #expect(html.contains(#"action="/queue/\#(ids["S1"]!)/outcome""#))
            #expect(html.contains(#"name="csrf" value="\#(TestAccounts.credentials(app).csrf)""#))
            #expect(html.contains("<td data-label=\"Task\">Skip trace</td>"))
        }
    }

    @Test(
        "Claim, then an outcome with a note: two clicks, each redirecting with what happened; the same form again records nothing",
        arguments: TestStore.available)
    func claimThenOutcome(store: TestStore) async throws {
        try await withApp(store) { app in
            let ids = try await QueueAPITests.prepare(app)
            let s1 = ids["S1"]!

            // Click 1: Claim.
            let claim = try await DebtPageTests.post(app, "queue/\(s1)/claim", "")
            #expect(claim.status == .seeOther)
            #expect(claim.location == "/queue#item-\(s1)")
            let claimed = try await DebtPageTests.html(app, "queue", flash: try #require(claim.flash)).1
            #expect(
                claimed.contains(
                    "Claimed: Sam Roe, until Sun 29 Nov 2026, 8:08 PM EST (your time Mon 30 Nov, 1:08 AM UTC). "
                        + "Call +16175550111; recording the outcome releases the claim."))
            #expect(claimed.contains("Claimed by you until Sun 29 Nov 2026, 8:08 PM EST"))
            #expect(!claimed.contains(#"action="/queue/\#(s1)/claim""#))

            // Click 2: the outcome, with the note typed beside the buttons.
            let submission = try Self.submission(claimed, item: s1)
            let fields = "outcome=conversation&note=Will+pay+Friday&to=%2B16175550111&submission=\(submission)"
            let (shown, _) = try await Self.sent(app, "queue/\(s1)/outcome", fields)
            #expect(
                shown.contains(
                    "Recorded: a call to Sam Roe (+16175550111), spoke to the debtor, about S1, with the note "
                        + "“Will pay Friday”. Its work item is done."))
            #expect(!shown.contains("id=\"item-\(s1)\""))
            let events = try await ContactStore.events(of: try await TestDebts.debt("S1", on: app.db), on: app.db)
            #expect(events.map(\.entry.note) == ["Will pay Friday"])
            #expect(
                try await TestDebts.count(
                    "work_items", where: "status = 'done' AND outcome = 'conversation' AND debt_id = \(s1)", on: app.db)
                    == 1)

            // The same form again (back, send): nothing more.
            let (again, _) = try await Self.sent(app, "queue/\(s1)/outcome", fields)
            #expect(again.contains("the call was recorded once, not again."))
            #expect(
                try await ContactStore.events(of: try await TestDebts.debt("S1", on: app.db), on: app.db).count == 1)
        }
    }

    @Test(
        "an outcome in one click without a claim; a refusal says why and records nothing; the link is for agency staff",
        arguments: TestStore.available)
    func refusals(store: TestStore) async throws {
        try await withApp(store) { app in
            let ids = try await QueueAPITests.prepare(app)
            let a1 = ids["A1"]!
            let (_, html) = try await DebtPageTests.html(app, "queue")
            let (recorded, _) = try await Self.sent(
                app, "queue/\(a1)/outcome", "outcome=no_answer&submission=\(try Self.submission(html, item: a1))")
            #expect(
                recorded.contains(
                    "Recorded: a call to Ava Poe (+16175550122), no answer, about A1. Its work item is done."))

            // Lee asked us to stop: the outcome is refused with the rule, nothing recorded.
            _ = try await ContactStore.record(
                ContactLogEntry(ContactEvent(.cease, at: testNow.addingTimeInterval(-60))),
                about: try await TestDebts.debt("L1", on: app.db), recordedBy: nil, on: app.db, now: testNow)
            let l1 = ids["L1"]!
            let (refused, _) = try await Self.sent(
                app, "queue/\(l1)/outcome", "outcome=busy&submission=\(FormOnce.newID())")
            #expect(
                refused.contains("Refused: the compliance rules block a call to Lee Kim now. Nothing was recorded."))
            #expect(refused.contains("<code>cease</code>"))
            // An outcome that is not one of the buttons.
            let (odd, _) = try await Self.sent(
                app, "queue/\(ids["S1"]!)/outcome", "outcome=shouted&submission=\(FormOnce.newID())")
            #expect(odd.contains("Not recorded: choose how the call went: no answer, left a voicemail"))
            // Claiming a debtor the rules now block says why.
            let (notClaimed, _) = try await Self.sent(app, "queue/\(l1)/claim", "")
            #expect(notClaimed.contains("Not claimed: a call to Lee Kim is not allowed now: "))
            #expect(try await TestDebts.count("contact_events", where: "type = 'call'", on: app.db) == 1)

            // A client's own staff reach their queue but the header offers it to agency staff only.
            let clerk = try await UserStore.add(
                email: "clerk@beta.example", role: .client, clientRef: "beta", passwordHash: "x", on: app.db,
                now: testNow)
            let session = try await UserStore.createSession(
                userID: clerk.id, on: app.db, now: app.settings.clock(), lifetime: 600)
            var headers = HTTPHeaders()
            headers.add(name: .cookie, value: "\(SessionAuthenticationMiddleware.cookieName)=\(session.token)")
            try await app.testing().test(.GET, "queue", headers: headers) { response async throws in
                #expect(response.status == .ok)
                let page = response.body.string
                #expect(page.contains("id=\"item-\(ids["B1"]!)\""))
                #expect(!page.contains("id=\"item-\(ids["S1"]!)\""))
                #expect(!page.contains(#"<a href="/queue""#))
            }
        }
    }

    /// The one-time id of the outcome form of the item about `debt`.
    static func submission(_ html: String, item debt: Int64) throws -> String {
        let form = try #require(html.range(of: "action=\"/queue/\(debt)/outcome\"").map { html[$0.upperBound...] })
        let field = try #require(form.range(of: #"name="submission" value=""#))
        return String(form[field.upperBound...].prefix { $0 != "\"" })
    }

    /// POSTs a queue form: expects 303 See Other to the queue, and returns the page it leads to and the message.
    static func sent(_ app: Application, _ path: String, _ fields: String) async throws -> (page: String, flash: String)
    {
        let answer = try await DebtPageTests.post(app, path, fields)
        #expect(answer.status == .seeOther, "\(path): \(answer.status) \(answer.body.prefix(300))")
        #expect(answer.location?.hasPrefix("/queue") == true, "\(path)")
        let flash = try #require(answer.flash, "\(path) set no message")
        return (try await DebtPageTests.html(app, "queue", flash: flash).1, flash)
    }
}
