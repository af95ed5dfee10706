import Foundation
import RecoupCore
import RecoupStore
import RecoupTestSupport
import Testing
import Vapor
import VaporTesting

@testable import RecoupServer

@Suite("The debts list and the navigation (issue 13)")
struct DebtListPageTests {
    static func html(_ app: Application, _ path: String, session: String? = nil) async throws -> (HTTPStatus, String) {
        var result = (HTTPStatus.internalServerError, "")
        if let session {
            var headers = HTTPHeaders()
            headers.add(name: .cookie, value: "\(SessionAuthenticationMiddleware.cookieName)=\(session)")
            try await app.testing().test(.GET, path, headers: headers) { response async throws in
                result = (response.status, response.body.string)
            }
        } else {
            try await app.page(.GET, path) { response async throws in result = (response.status, response.body.string) }
        }
        return result
    }

    /// The href of the link with this rel, entities decoded.
    static func link(_ rel: String, in html: String) -> String? {
        guard let tag = html.range(of: #"rel="\#(rel)""#) else { return nil }
        let before = html[..<tag.lowerBound]
        guard let start = before.range(of: #"href=""#, options: .backwards) else { return nil }
        return String(before[start.upperBound...].prefix { $0 != "\"" }).replacingOccurrences(of: "&amp;", with: "&")
    }

    static func order(_ refs: [String], in html: String) -> Bool {
        let positions = refs.compactMap { html.range(of: ">\($0)</a>")?.lowerBound }
        return positions.count == refs.count && positions == positions.sorted()
    }

    @Test(
        "sorts, totals, previous page, debtor links, due phrases, Paid off, the client list",
        arguments: TestStore.available)
    func list(store: TestStore) async throws {
        try await withApp(store) { app in
            _ = try await AccessTests.twoClients(app)
            var (status, html) = try await Self.html(app, "/debts?sort=balance&dir=desc")
            #expect(status == .ok)
            #expect(Self.order(["A-1", "B-1", "A-2"], in: html))
            #expect(html.contains("Debts by balance, highest first"))
            #expect(html.contains(#"<p id="totals" class="totals">Matching: 3 debts · $175.00</p>"#))
            #expect(html.contains("days past due"))
            #expect(!html.contains("-" + "59 days"))
            #expect(html.contains(">Paid off<"))
            #expect(!html.contains(">closed<"))
            #expect(html.contains(#"<select id="client" name="client">"#))
            #expect(html.contains(#"<option value="alpha">"#))
            #expect(html.contains(#"href="/debts?debtor=0379-NEVHP""#))
            #expect(html.contains(#"<a href="/debts" aria-current="page">Debts</a>"#))
            #expect(html.contains(#"href="/admin/clients""#) && html.contains(#"href="/admin/users""#))

            (status, html) = try await Self.html(app, "/debts?sort=balance")
            #expect(Self.order(["A-2", "B-1", "A-1"], in: html))

            (status, html) = try await Self.html(app, "/debts?debtor=0379-NEVHP")
            #expect(html.contains(">A-1</a>") && html.contains(">A-2</a>") && !html.contains(">B-1</a>"))
            #expect(html.contains("Matching: 2 debts"))

            // One debt a page: next, next, then previous twice is the first page again.
            (status, html) = try await Self.html(app, "/debts?sort=days&dir=desc&limit=1")
            #expect(Self.link("prev", in: html) == nil)
            let first = html.contains(">A-1</a>")
            let second = try #require(Self.link("next", in: html))
            (status, html) = try await Self.html(app, second)
            let third = try #require(Self.link("next", in: html))
            (status, html) = try await Self.html(app, third)
            #expect(Self.link("next", in: html) == nil)
            (status, html) = try await Self.html(app, try #require(Self.link("prev", in: html)))
            (status, html) = try await Self.html(app, try #require(Self.link("prev", in: html)))
            #expect(Self.link("prev", in: html) == nil)
            #expect(html.contains(">A-1</a>") == first)
            #expect(Self.link("next", in: html) == second)

            (status, html) = try await Self.html(app, "/debts?sort=size")
            #expect(status == .badRequest)
            #expect(html.contains("Sort is &quot;size&quot;; use added, balance, days, contact or ref."))
            (status, _) = try await Self.html(app, "/debts?cursor=1&before=2")
            #expect(status == .badRequest)
        }
    }

    @Test("the due date reads as people say it")
    func duePhrases() throws {
        let today = try LocalDate(year: 2026, month: 11, day: 29)
        let cases: [(Int, String)] = [
            (13, "13 days past due"), (1, "1 day past due"), (0, "due today"), (-1, "due tomorrow"),
            (-13, "due in 13 days"),
        ]
        for (days, phrase) in cases {
            #expect(
                DebtPagesController.duePhrase(dueOn: today.adding(days: -days), today: today) == phrase)
        }
    }

    @Test(
        "every staff page marks where it is; only admins see Users, managers see Clients",
        arguments: TestStore.available)
    func navigation(store: TestStore) async throws {
        try await withApp(store) { app in
            let collector = try await RoleTests.person("collector@example.com", role: .collector, app)
            let manager = try await RoleTests.person("manager@example.com", role: .manager, app)
            for (path, current) in [("/", "/"), ("/debts", "/debts"), ("/reports", "/reports")] {
                let (status, html) = try await Self.html(app, path)
                #expect(status == .ok, "\(path)")
                #expect(html.contains(#"<a href="\#(current)" aria-current="page">"#), "\(path)")
                #expect(html.components(separatedBy: "aria-current").count == 2, "\(path)")
                #expect(html.contains(#"href="/admin/users""#), "\(path)")
                let (_, seen) = try await Self.html(app, path, session: collector.session)
                #expect(!seen.contains(#"href="/admin/users""#) && !seen.contains(#"href="/admin/clients""#))
                let (_, managed) = try await Self.html(app, path, session: manager.session)
                #expect(!managed.contains(#"href="/admin/users""#) && managed.contains(#"href="/admin/clients""#))
            }
            _ = try await AccessTests.twoClients(app)
            let (_, dashboard) = try await Self.html(app, "/?client=alpha")
            #expect(dashboard.contains(#"<select id="client" name="client">"#))
            #expect(dashboard.contains(#"<option value="alpha" selected>"#))
            let (_, users) = try await Self.html(app, "/admin/users")
            #expect(users.contains(#"<a href="/admin/users" aria-current="page">Users</a>"#))
        }
    }

    /// The values of every `csrf` field on a page.
    static func csrfFields(_ html: String) -> [String] {
        html.components(separatedBy: #"name="csrf" value=""#).dropFirst().map { String($0.prefix { $0 != "\"" }) }
    }

    @Test(
        "every staff page's header names who is signed in, and its forms carry their session's CSRF token; the portal's pages, its error page too, carry none of it",
        arguments: TestStore.available)
    func header(store: TestStore) async throws {
        try await withApp(store) { app in
            _ = try await AccessTests.twoClients(app)
            let debt = try await AccessTests.debtID("A-1", app)
            let admin = TestAccounts.credentials(app)
            let collector = try await RoleTests.person("collector@example.com", role: .collector, app)
            for path in [
                "/", "/debts", "/debts/\(debt)", "/reports", "/admin/clients", "/admin/clients/alpha",
                "/admin/users", "/debts/999999999",
            ] {
                let (_, html) = try await Self.html(app, path)
                #expect(
                    html.contains(
                        "<span>\(TestAccounts.adminEmail)</span>\n      <input type=\"hidden\" name=\"csrf\" value=\"\(admin.csrf)\">"
                    ), "\(path)")
                let fields = Self.csrfFields(html)
                #expect(!fields.isEmpty && fields.allSatisfy { $0 == admin.csrf }, "\(path)")
            }
            for path in ["/debts/\(debt)", "/admin/users"] {
                let (_, html) = try await Self.html(app, path, session: collector.session)
                #expect(html.contains("<span>collector@example.com</span>"), "\(path)")
                let fields = Self.csrfFields(html)
                #expect(!fields.isEmpty && fields.allSatisfy { $0 == collector.csrf }, "\(path)")
            }
            // Signed out: no one is named, and there is no Sign out form.
            try await app.testing().test(.GET, "no-such-page") { response async throws in
                #expect(!response.body.string.contains(#"class="signout""#))
                #expect(Self.csrfFields(response.body.string).isEmpty)
            }
            // A staff member opening a debtor's link sees the debtor's page: the portal's own token, not theirs.
            let link = try await PortalLinks.create(
                clientRef: "alpha", debtorRef: "0379-NEVHP", days: 30, on: app.db, now: testNow)
            for path in ["portal/\(link.token)", "portal/\(link.token)/no-such-page", "portal/not-a-real-token"] {
                let (status, html) = try await Self.html(app, path)
                #expect(status == (path == "portal/\(link.token)" ? .ok : .notFound), "\(path)")
                #expect(!html.contains(#"class="signout""#) && !html.contains(TestAccounts.adminEmail), "\(path)")
                let fields = Self.csrfFields(html)
                #expect(!fields.contains(admin.csrf), "\(path)")
                #expect(fields.isEmpty == (path != "portal/\(link.token)"), "\(path): the page's forms, and only there")
            }
        }
    }
}
