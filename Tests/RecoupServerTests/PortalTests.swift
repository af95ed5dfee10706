import Foundation
import RecoupCore
import RecoupStore
import RecoupTestSupport
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import RecoupServer

/// The debtor portal's forms: post/redirect/get with the message next to what it is about, once-only submissions,
/// what the debtor did shown on return, amounts as people type them, disputes about chosen debts, and the
/// debt-collector disclosure.
@Suite("The debtor portal's forms")
struct PortalTests {
    /// A debtor's portal in a test: the page's CSRF token and cookie, and the flash cookie a redirect leaves.
    struct Visit {
        let app: Application
        let path: String
        var csrf = ""
        var csrfCookie = ""
        var flashCookie: String? = nil
        var html = ""

        init(_ app: Application, token: String) {
            self.app = app
            path = "portal/\(token)"
        }

        /// Opens the page (with the flash the last redirect left) and keeps its tokens.
        mutating func open() async throws {
            var headers = HTTPHeaders()
            if let flashCookie { headers.add(name: .cookie, value: "\(Flash.cookieName)=\(flashCookie)") }
            var page = ("", "", "")
            try await app.testing().test(.GET, path, headers: headers) { response async throws in
                #expect(response.status == .ok)
                let html = response.body.string
                let start = html.range(of: #"name="csrf" value=""#)!.upperBound
                page = (
                    String(html[start...].prefix(while: { $0 != "\"" })),
                    response.headers.setCookie?[PortalController.csrfCookie]?.string ?? "", html
                )
            }
            (csrf, csrfCookie, html) = page
            flashCookie = nil
        }

        /// The one-time id of the form `id` on the page.
        func submission(_ form: String) -> String {
            let start = html.range(of: #"<form id="\#(form)""#)!.upperBound
            let field = html[start...].range(of: #"name="submission" value=""#)!.upperBound
            return String(html[field...].prefix(while: { $0 != "\"" }))
        }

        /// Posts `fields` to `action` with the page's CSRF token; keeps the flash a redirect sets. Returns the status
        /// and the Location (or the body for a page).
        mutating func post(_ action: String, _ fields: String) async throws -> (HTTPStatus, String) {
            var headers = HTTPHeaders()
            headers.contentType = .urlEncodedForm
            headers.add(name: .cookie, value: "\(PortalController.csrfCookie)=\(csrfCookie)")
            var result: (HTTPStatus, String, String?) = (.ok, "", nil)
            try await app.testing().test(
                .POST, path + "/" + action, headers: headers, body: ByteBuffer(string: fields + "&csrf=\(csrf)")
            ) { response async throws in
                result = (
                    response.status,
                    response.status == .seeOther
                        ? response.headers.first(name: .location) ?? "" : response.body.string,
                    response.headers.setCookie?[Flash.cookieName]?.string
                )
            }
            if let flash = result.2 { flashCookie = flash }
            return (result.0, result.1)
        }
    }

    /// The demo, a debtor of Harbor Dental with two open debts, and a link to their portal.
    static func setUp(_ app: Application) async throws -> (token: String, debts: [String]) {
        try await PagesTests.demo(app)
        let row = try await (app.db as! any SQLDatabase).raw(
            """
            SELECT p.ref FROM debtors p JOIN clients c ON c.id = p.client_id JOIN debts d ON d.debtor_id = p.id \
            WHERE c.ref = 'harbor-dental' GROUP BY p.ref HAVING COUNT(*) >= 2 ORDER BY p.ref
            """
        ).first()!
        let debtorRef = try row.decode(column: "ref", as: String.self)
        let link = try await PortalLinks.create(
            clientRef: "harbor-dental", debtorRef: debtorRef, days: 30, on: app.db, now: app.settings.clock())
        let debtor = try await PortalLinks.debtor(token: link.token, on: app.db, now: app.settings.clock())!
        let debts = try await PortalLinks.debts(of: debtor, on: app.db).filter(\.isOpen).map(\.ref)
        return (link.token, debts)
    }

    static func count(_ app: Application, _ table: String) async throws -> Int {
        try await (app.db as! any SQLDatabase).raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: table)").first()!
            .decode(column: "n", as: Int.self)
    }

    @Test(
        "propose and accept answer 303 to the plan; a form sent again records once; the accepted plan and its next installment show on return",
        arguments: TestStore.available)
    func planOnceAndOnReturn(store: TestStore) async throws {
        try await withApp(store, clock: { Date(timeIntervalSince1970: 1_795_960_800) }) { app in  // 2026-11-29T14:00Z
            let (token, _) = try await Self.setUp(app)
            var visit = Visit(app, token: token)
            try await visit.open()
            let arrangementsBefore = try await Self.count(app, "arrangements")
            let planID = visit.submission("propose")
            let (status, location) = try await visit.post(
                "propose", "amount=%24300&frequency=monthly&firstDue=2026-12-20&submission=\(planID)")
            #expect(status == .seeOther)
            #expect(location == "/portal/\(token)#plan")
            // The same form sent again (back and send) makes nothing.
            let again = try await visit.post(
                "propose", "amount=%24300&frequency=monthly&firstDue=2026-12-20&submission=\(planID)")
            #expect(again.0 == .seeOther)
            #expect(try await Self.count(app, "arrangements") == arrangementsBefore + 1)
            try await visit.open()
            #expect(visit.html.contains("You already sent this form"))
            // The proposal stays on the page with its accept form (no message this time).
            try await visit.open()
            #expect(!visit.html.contains("You already sent this form"))
            #expect(visit.html.contains(#"<pre id="agreement""#))
            #expect(visit.html.contains("waiting for you to accept it"))
            let start = visit.html.range(of: #"name="ref" value=""#)!.upperBound
            let ref = String(visit.html[start...].prefix(while: { $0 != "\"" }))
            let accepted = try await visit.post("accept", "ref=\(ref)&agree=on&name=Pat+Doe")
            #expect(accepted.0 == .seeOther)
            #expect(accepted.1 == "/portal/\(token)#plan")
            try await visit.open()
            #expect(visit.html.contains("Your arrangement \(ref) is accepted"))
            // Accepting again records nothing and says so.
            #expect(try await visit.post("accept", "ref=\(ref)&agree=on&name=Pat+Doe").0 == .seeOther)
            try await visit.open()
            #expect(visit.html.contains("was already accepted by Pat Doe"))
            // On return: the plan, its schedule and next installment; no accept form.
            try await visit.open()
            #expect(visit.html.contains(#"<article class="arrangement" id="arrangement-\#(ref)">"#))
            #expect(visit.html.contains("active, accepted by Pat Doe"))
            #expect(visit.html.contains("Next: $300.00 due Sun 20 Dec 2026"))
            #expect(!visit.html.contains(#"<form id="accept""#))
        }
    }

    @Test(
        "a promise typed as \"1,250.00\" or \"$ 25\" is read, nonsense is one sentence, a reload records once; a dispute names only the chosen debt; preferences show on return",
        arguments: TestStore.available)
    func promiseDisputePreferences(store: TestStore) async throws {
        try await withApp(store, clock: { Date(timeIntervalSince1970: 1_795_960_800) }) { app in
            let (token, debts) = try await Self.setUp(app)
            #expect(debts.count >= 2)
            var visit = Visit(app, token: token)
            try await visit.open()
            // Nonsense: the form again, 400, the sentence next to it and what was typed.
            let bad = try await visit.post(
                "promise", "debt=\(debts[0])&amount=lots&due=2026-12-10&submission=\(visit.submission("promise"))")
            #expect(bad.0 == .badRequest)
            #expect(
                bad.1.contains(
                    #"id="promise-message" role="alert"><p>Please check the promise: the amount: &quot;lots&quot; is not an amount"#
                ))
            #expect(bad.1.contains(#"value="lots""#))
            let promisesBefore = try await Self.count(app, "promises")
            let promiseID = visit.submission("promise")
            let ok = try await visit.post(
                "promise", "debt=\(debts[0])&amount=+%24+25+&due=2026-12-10&submission=\(promiseID)")
            #expect(ok.0 == .seeOther)
            #expect(ok.1 == "/portal/\(token)#promises")
            #expect(
                try await visit.post(
                    "promise", "debt=\(debts[0])&amount=+%24+25+&due=2026-12-10&submission=\(promiseID)"
                ).0 == .seeOther)
            #expect(try await Self.count(app, "promises") == promisesBefore + 1)
            try await visit.open()
            #expect(visit.html.contains("You already sent this form"))
            #expect(visit.html.contains("\(debts[0]): $25.00 by Thu 10 Dec 2026"))
            // Dispute: none ticked is refused; one ticked names that debt only.
            let none = try await visit.post(
                "dispute", "text=Not+mine&submission=\(visit.submission("dispute"))")
            #expect(none.0 == .badRequest)
            #expect(none.1.contains("Please tick at least one account"))
            let disputeID = visit.submission("dispute")
            let disputed = try await visit.post(
                "dispute", "debts[]=\(debts[1])&text=I+paid+this+in+October.&submission=\(disputeID)")
            #expect(disputed.0 == .seeOther)
            #expect(disputed.1 == "/portal/\(token)#disputes")
            _ = try await visit.post(
                "dispute", "debts[]=\(debts[1])&text=I+paid+this+in+October.&submission=\(disputeID)")
            let rows = try await (app.db as! any SQLDatabase).raw(
                "SELECT debt_ids FROM contact_events WHERE type = 'dispute'"
            ).all()
            #expect(rows.count == 1)
            let named = try rows.first?.decode(column: "debt_ids", as: String?.self) ?? ""
            #expect(named.contains(debts[1]) && !named.contains(debts[0]))
            let debtor = try await PortalLinks.debtor(token: token, on: app.db, now: app.settings.clock())!
            let open = try await PortalLinks.debts(of: debtor, on: app.db)
            for debt in open where debts.prefix(2).contains(debt.ref) {
                let decision = try await ContactStore.decide(
                    .call, at: app.settings.clock(), to: nil, debt: debt, on: app.db)
                let held = decision.findings.contains { $0.rule == .dispute && $0.effect == .block }
                #expect(held == (debt.ref == debts[1]), "only the chosen debt is held: \(debt.ref)")
            }
            try await visit.open()
            #expect(visit.html.contains("You disputed \(debts[1]) on "))
            // Preferences: saved once for a form sent twice, and shown on return.
            let prefsID = visit.submission("preferences")
            for _ in 0..<2 {
                #expect(
                    try await visit.post(
                        "preferences", "weekdays[]=tue&from=09:00&to=12:00&stopTexts=on&submission=\(prefsID)"
                    ).0 == .seeOther)
            }
            try await visit.open()
            #expect(visit.html.contains("You already sent these preferences"))
            #expect(visit.html.contains("Inconvenient: Tue from 09:00 to 12:00"))
            #expect(visit.html.contains("Opted out of text messages"))
            let events = try await (app.db as! any SQLDatabase).raw(
                "SELECT COUNT(*) AS n FROM contact_events WHERE type IN ('inconvenient', 'opt_out')"
            ).first()!.decode(column: "n", as: Int.self)
            #expect(events == 2)
        }
    }

    @Test(
        "the debt-collector disclosure is shown for an agency collecting for the client, not for a creditor collecting its own",
        arguments: TestStore.available)
    func disclosure(store: TestStore) async throws {
        try await withApp(store) { app in
            let (token, _) = try await Self.setUp(app)
            var visit = Visit(app, token: token)
            try await visit.open()
            #expect(!visit.html.contains(CollectorDisclosure.sentence))
            let terms = try await AccrualStore.terms(clientRef: "harbor-dental", on: app.db).terms
            let name = try await ClientProfileStore.profile(clientRef: "harbor-dental", on: app.db).profile.name
            var own = terms
            own.collectorName = name
            try await AccrualStore.setTerms(clientRef: "harbor-dental", terms: own, on: app.db)
            try await visit.open()
            #expect(!visit.html.contains(CollectorDisclosure.sentence), "the creditor collecting in its own name")
            var agency = terms
            agency.collectorName = "Fairway Recovery"
            try await AccrualStore.setTerms(clientRef: "harbor-dental", terms: agency, on: app.db)
            try await visit.open()
            #expect(
                visit.html.contains(#"<p id="disclosure" class="disclosure"><strong>\#(CollectorDisclosure.sentence)"#))
        }
    }

    @Test(
        "amounts as people type them",
        arguments: [
            ("$300", 30_000), ("300", 30_000), ("1,250.00", 125_000), (" 1250 ", 125_000), ("$ 25", 2_500),
            ("USD 40.5", 4_050), ("1,234,567", 123_456_700),
        ] as [(String, Int64)])
    func typedAmounts(text: String, units: Int64) throws {
        #expect(try AmountInput.typed(text, field: "the amount", currency: .usd) == units)
    }

    @Test(
        "nonsense amounts are one sentence naming the field",
        arguments: [
            ("lots", "the amount: \"lots\" is not an amount: give a number such as 300 or 1,250.00"),
            (
                "1,25",
                "the amount: \"1,25\" is not an amount: commas may only separate thousands (write 1,250.00 or 1250.00)"
            ),
            ("-5", "the amount: \"-5\" is not an amount: it must be more than zero"),
            ("", "the amount: \"\" is not an amount: it is empty"),
            ("0", "the amount must be more than zero (it is 0)"),
            ("€5", "the amount: \"€5\" is not an amount: give a number such as 300 or 1,250.00"),
            ("12.345", "the amount: \"12.345\" has more decimals than USD allows (2 decimals)"),
        ])
    func nonsenseAmounts(text: String, sentence: String) {
        #expect(throws: InputError.self) { try AmountInput.typed(text, field: "the amount", currency: .usd) }
        do {
            _ = try AmountInput.typed(text, field: "the amount", currency: .usd)
        } catch {
            #expect(error.description == sentence)
        }
    }
}
