import Foundation
import RecoupCore
import RecoupStore
import RecoupTestSupport
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import RecoupServer

@Suite("Pages and the debtor portal")
struct PagesTests {
    /// The demo portfolio, loaded as of 2026-11-29.
    static func demo(_ app: Application) async throws {
        _ = try await DemoLoader.load(
            accounts: 120, seed: 7, today: try LocalDate(iso: "2026-11-29"), on: app.db, now: testNow)
    }

    static func form(
        _ app: Application, _ path: String, _ fields: String, csrf: String? = nil, cookie: String? = nil,
        headers extra: HTTPHeaders = [:], _ check: (TestingHTTPResponse) async throws -> Void
    ) async throws {
        var headers = extra
        headers.contentType = .urlEncodedForm
        let credentials = TestAccounts.credentials(app)
        headers.add(
            name: .cookie, value: cookie ?? "\(SessionAuthenticationMiddleware.cookieName)=\(credentials.session)")
        try await app.testing().test(
            .POST, path, headers: headers, body: ByteBuffer(string: fields + "&csrf=\(csrf ?? credentials.csrf)"),
            afterResponse: check)
    }

    @Test(
        "the debts list pages and searches; a debt page says whether we may call and records outcomes, refusing a blocked one",
        arguments: [TestStore.sqlite])
    func debtPages(store: TestStore) async throws {
        try await withApp(store) { app in
            try await Self.demo(app)
            try await app.page(.GET, "debts?limit=20") { response async throws in
                #expect(response.status == .ok)
                let html = response.body.string
                #expect(html.components(separatedBy: "class=\"debt-link\"").count - 1 == 20)
                #expect(html.contains(#"rel="next""#))
                #expect(html.contains(#"<label for="q">Search</label>"#))
            }
            try await app.page(.GET, "debts?q=HD-10000") { response async throws in
                let refs = response.body.string.components(separatedBy: "class=\"debt-link\"").dropFirst()
                #expect(!refs.isEmpty)
                #expect(refs.allSatisfy { $0.contains("HD-10000") })
            }
            let id = try await (app.db as! any SQLDatabase).raw("SELECT id FROM debts WHERE ref = 'HD-100001'").first()!
                .decode(column: "id", as: Int64.self)
            try await app.page(.GET, "debts/\(id)") { response async throws in
                let html = response.body.string
                #expect(html.contains("<h1>Debt HD-100001</h1>"))
                #expect(html.contains(#"<h2 id="segment-h">Segment: <span class="tag tag-new">new</span></h2>"#))
                for section in ["balance", "ledger", "timeline", "can-call", "projection", "holds", "segment"] {
                    #expect(html.contains("id=\"\(section)\""), "section \(section)")
                }
                #expect(html.contains("Can we call now?"))
            }
            // 22:00 UTC is daytime in every US zone. Each form answers 303 to the page with what happened in a cookie
            // (DebtPageTests follows them); the forms carry their one-time ids.
            func send(
                _ fields: String, to form: String = "contacts", csrf: String? = nil
            ) async throws -> (
                HTTPStatus, String?, String
            ) {
                var answer: (HTTPStatus, String?, String) = (.internalServerError, nil, "")
                try await Self.form(
                    app, "debts/\(id)/\(form)", fields + "&submission=\(FormOnce.newID())", csrf: csrf
                ) { response async throws in
                    answer = (
                        response.status, response.headers.setCookie?[Flash.cookieName]?.string,
                        response.body.string
                    )
                }
                return answer
            }
            func page(flash: String?) async throws -> String {
                var html = ""
                var headers = HTTPHeaders()
                if let flash { headers.add(name: .cookie, value: "\(Flash.cookieName)=\(flash)") }
                try await app.page(.GET, "debts/\(id)", headers: headers) { html = $0.body.string }
                return html
            }
            let call = try await send("type=call&direction=outbound&outcome=no_answer&at=2026-11-27T22:00")
            #expect(call.0 == .seeOther)
            #expect(try await page(flash: call.1).contains(#"<div class="notice" role="status">"#))
            #expect(try await page(flash: call.1).contains("<p>Recorded: call (outbound, no answer"))
            #expect(try await send("type=cease&direction=inbound&at=2026-11-27T22:05").0 == .seeOther)
            let refused = try await send("type=call&direction=outbound&outcome=no_answer&at=2026-11-27T22:10")
            #expect(refused.0 == .seeOther)
            let html = try await page(flash: refused.1)
            #expect(html.contains(#"role="alert""#))
            #expect(html.contains("<code>cease</code>"))
            #expect(
                html.components(separatedBy: "<strong>call</strong>").count - 1 == 1,
                "the refused call is not in the timeline")
            #expect(try await send("type=call&at=2026-11-27T22:10", csrf: "forged").0 == .forbidden)
            // A plan proposed from the page writes a proposed arrangement and shows its schedule and agreement.
            let plan = try await send(
                "amount=100.00&frequency=monthly&firstDue=2026-12-31&option=installments", to: "plan")
            #expect(plan.0 == .seeOther)
            let planned = try await page(flash: plan.1)
            #expect(planned.contains("Arrangement ARR-000001 proposed"))
            #expect(planned.contains(#"<pre class="agreement""#))
            #expect(planned.contains("Thu 31 Dec 2026"))
            #expect(planned.contains("<strong>ARR-000001</strong>: "))
            #expect(try await send("amount=abc&frequency=monthly&firstDue=2026-12-31", to: "plan").0 == .badRequest)
            // The page's plan is read as the portal's is: a first date in the past and a zero amount are refused.
            let past = try await send("amount=100.00&frequency=monthly&firstDue=2026-01-31", to: "plan")
            #expect(past.0 == .badRequest)
            #expect(past.2.contains("the first payment date must be today or later"))
            let zero = try await send("amount=0.00&frequency=monthly&firstDue=2026-12-31", to: "plan")
            #expect(zero.0 == .badRequest)
            #expect(zero.2.contains("the amount must be more than zero"))
            // A plan proposed and not yet accepted is not a sign of hardship (docs/segments.md): the segment says
            // the plan was proposed, and stays new.
            try await app.page(.GET, "debts/\(id)") { response async throws in
                #expect(
                    response.body.string.contains(
                        #"<h2 id="segment-h">Segment: <span class="tag tag-new">new</span></h2>"#))
                #expect(response.body.string.contains("a plan was proposed on "))
            }
        }
    }

    @Test(
        "the portal: amount and itemization, a plan accepted in writing, a dispute that stops calls, preferences, dead links",
        arguments: [TestStore.sqlite])
    func portal(store: TestStore) async throws {
        try await withApp(store, clock: { Date(timeIntervalSince1970: 1_795_960_800) }) { app in  // 2026-11-29T14:00Z
            try await Self.demo(app)
            let link = try await PortalLinks.create(
                clientRef: "harbor-dental", debtorRef: "HD-C1", days: 30, on: app.db, now: app.settings.clock())
            let path = "portal/\(link.token)"
            func page() async throws -> (csrf: String, cookie: String, html: String) {
                var result = ("", "", "")
                try await app.testing().test(.GET, path) { response async throws in
                    #expect(response.status == .ok)
                    #expect(response.headers.first(name: .cacheControl) == "no-store")
                    let html = response.body.string
                    let start = html.range(of: #"name="csrf" value=""#)!.upperBound
                    result = (
                        String(html[start...].prefix(64)),
                        response.headers.setCookie?[PortalController.csrfCookie]?.string ?? "", html
                    )
                }
                return result
            }
            let first = try await page()
            #expect(first.html.contains(#"<strong id="amount-owed">$"#))
            #expect(first.html.contains(#"<table id="itemization" class="stack">"#))
            #expect(first.html.contains("is contacting you about money"))
            let cookie = "\(PortalController.csrfCookie)=\(first.cookie)"
            // The forms post, then redirect to the page (PortalTests has the details).
            var visit = PortalTests.Visit(app, token: link.token)
            try await visit.open()
            let proposed = try await visit.post(
                "propose",
                "amount=40.00&frequency=monthly&firstDue=2026-12-20&submission=\(visit.submission("propose"))")
            #expect(proposed.0 == .seeOther)
            try await visit.open()
            #expect(visit.html.contains(#"<pre id="agreement""#))
            #expect(visit.html.contains("Sun 20 Dec 2026"))
            let start = visit.html.range(of: #"name="ref" value=""#)!.upperBound
            let ref = String(visit.html[start...].prefix(while: { $0 != "\"" }))
            #expect(ref == "ARR-000001")
            let unticked = try await visit.post("accept", "ref=\(ref)&name=Pat+Doe")
            #expect(unticked.0 == .badRequest)  // the box was not ticked
            var headers = HTTPHeaders()
            headers.contentType = .urlEncodedForm
            headers.add(name: .cookie, value: "\(PortalController.csrfCookie)=\(visit.csrfCookie)")
            headers.add(name: .userAgent, value: "PortalTest/2.0")
            try await app.testing().test(
                .POST, path + "/accept", headers: headers,
                body: ByteBuffer(string: "ref=\(ref)&agree=on&name=Pat+Doe&csrf=\(visit.csrf)")
            ) { response async throws in
                #expect(response.status == .seeOther)
                visit.flashCookie = response.headers.setCookie?[Flash.cookieName]?.string
            }
            try await visit.open()
            #expect(visit.html.contains("Your arrangement ARR-000001 is accepted"))
            let accepted = try await ArrangementStore.show(
                clientRef: "harbor-dental", ref: ref, asOf: try LocalDate(iso: "2026-11-29"), on: app.db)
            #expect(accepted.arrangement.state == .active)
            #expect(accepted.arrangement.acceptance?.by == "Pat Doe")
            if case .portalClick(_, let agent) = accepted.arrangement.acceptance?.method {
                #expect(agent == "PortalTest/2.0")
            } else {
                Issue.record("the acceptance is not a portal click")
            }
            let debtRefs = try await PortalLinks.debts(
                of: (try await PortalLinks.debtor(token: link.token, on: app.db, now: app.settings.clock()))!,
                on: app.db
            ).map { "debts[]=\($0.ref)" }.joined(separator: "&")
            #expect(
                try await visit.post(
                    "dispute", "\(debtRefs)&text=I+paid+this+in+October.&submission=\(visit.submission("dispute"))"
                ).0 == .seeOther)
            try await visit.open()
            #expect(visit.html.contains("stopped collecting while we check it"))
            #expect(
                try await visit.post(
                    "preferences",
                    "weekdays[]=tue&from=09:00&to=12:00&stopTexts=on&submission=\(visit.submission("preferences"))"
                ).0 == .seeOther)
            try await visit.open()
            #expect(visit.html.contains("Saved: the times you do not want to be contacted, no more text messages."))
            let types = try await (app.db as! any SQLDatabase).raw(
                "SELECT e.type, e.recorded_by FROM contact_events e JOIN debtors p ON p.id = e.debtor_id WHERE p.ref = 'HD-C1' ORDER BY e.id"
            ).all().map { try $0.decode(column: "type", as: String.self) }
            #expect(types == ["dispute", "inconvenient", "opt_out"])
            // The dispute holds every debt: a call now is blocked.
            let debt = try await PortalLinks.debts(
                of: (try await PortalLinks.debtor(token: link.token, on: app.db, now: app.settings.clock()))!,
                on: app.db)[0]
            let decision = try await ContactStore.decide(
                .call, at: app.settings.clock(), to: nil, debt: debt, on: app.db)
            #expect(decision.findings.contains { $0.rule == .dispute && $0.effect == .block })
            // A form without the page's token is refused; revoked and unknown links are 404.
            try await Self.form(app, path + "/dispute", "text=x", csrf: "forged", cookie: cookie) {
                response async throws in
                #expect(response.status == .forbidden)
            }
            #expect(
                try await PortalLinks.revoke(clientRef: "harbor-dental", debtorRef: "HD-C1", on: app.db, now: testNow)
                    == 1)
            try await app.testing().test(.GET, path) { response async throws in #expect(response.status == .notFound) }
            try await app.testing().test(.GET, "portal/0000") { response async throws in
                #expect(response.status == .notFound)
            }
            let audited = try await (app.db as! any SQLDatabase).raw("SELECT DISTINCT actor FROM audit_log").all()
                .map { try $0.decode(column: "actor", as: String.self) }
            #expect(audited.contains("portal:HD-C1"))
        }
    }

    @Test(
        "admins list clients and add users; others get 403; reports show only the clients a user may see",
        arguments: [TestStore.sqlite])
    func adminAndReports(store: TestStore) async throws {
        try await withApp(store) { app in
            try await Self.demo(app)
            try await app.page(.GET, "admin/clients") { response async throws in
                #expect(response.status == .ok)
                #expect(response.body.string.contains(#"<td data-label="Reference"><code>harbor-dental</code></td>"#))
            }
            var flash = ""
            try await UserPageTests.send(
                app, "admin/users", submission: FormOnce.newID(),
                fields: "email=ann%40harbor.example&role=client&client=harbor-dental&password=ten+chars+ok"
            ) { response async throws in
                let ann = try #require(try await UserStore.user(email: "ann@harbor.example", on: app.db)).user
                flash = try UserPageTests.redirected(response, userID: ann.id)
            }
            try await UserPageTests.usersPage(app, flash: flash) { response async throws in
                #expect(response.body.string.contains("Added ann@harbor.example (client)."))
            }
            try await UserPageTests.send(
                app, "admin/users", submission: FormOnce.newID(),
                fields: "email=bob%40x.example&role=client&password=ten+chars+ok"
            ) { response async throws in
                #expect(response.status == .badRequest)
                #expect(
                    response.body.string.contains(
                        "A client user needs a client: choose the client whose debts they see."))
            }
            let ann = try await UserStore.user(email: "ann@harbor.example", on: app.db)!
            #expect(ann.user.role == .client)
            #expect(ann.passwordHash.hasPrefix("$2"))
            let session = try await UserStore.createSession(
                userID: ann.user.id, on: app.db, now: app.settings.clock(), lifetime: 600)
            var headers = HTTPHeaders()
            headers.add(name: .cookie, value: "\(SessionAuthenticationMiddleware.cookieName)=\(session.token)")
            try await app.testing().test(.GET, "admin/users", headers: headers) { response async throws in
                #expect(response.status == .forbidden)
            }
            try await app.testing().test(.GET, "reports", headers: headers) { response async throws in
                #expect(response.status == .ok)
                let html = response.body.string
                #expect(html.contains("Harbor Dental"))
                #expect(html.components(separatedBy: "<tr><td><a href=").count - 1 == 1, "only the user's own client")
            }
            try await app.page(.GET, "reports") { response async throws in
                #expect(response.body.string.components(separatedBy: "<tr><td><a href=").count - 1 == 4)
            }
        }
    }
}
