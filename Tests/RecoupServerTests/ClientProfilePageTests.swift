import Foundation
import RecoupCore
import RecoupStore
import RecoupTestSupport
import Testing
import Vapor
import VaporTesting

@testable import RecoupServer

@Suite("The client profile page and what debtors read")
struct ClientProfilePageTests {
    static let fields =
        "name=Acme+Roofing&phone=(617)+555-0142&email=billing%40acmeroofing.example"
        + "&website=https%3A%2F%2Facmeroofing.example&address=Acme+Roofing+LLC%0D%0A12+Main+Street%0D%0ABoston%2C+MA+02118"
        + "&paymentInstructions=Mail+a+check+payable+to+Acme+Roofing+LLC."
        + "&paymentLink=https%3A%2F%2Fpay.acmeroofing.example%2Finvoices"

    /// Two open invoices of one customer for the client `acme-roof`, created by the import with no name of its own.
    static func importClient(_ app: Application) async throws {
        let file = try TestFiles.temporary(ArrangementCommandTests.openInvoices)
        _ = try await Importer.run(
            ImportRequest(path: file, format: .ibmAR, clientRef: "acme-roof"), on: app.db, now: testNow)
    }

    /// The page as the test admin, with `cookie` (a flash) beside the session.
    static func page(
        _ app: Application, _ path: String, cookie: String? = nil, _ check: (TestingHTTPResponse) async throws -> Void
    ) async throws {
        var headers = HTTPHeaders()
        let session = "\(SessionAuthenticationMiddleware.cookieName)=\(TestAccounts.credentials(app).session)"
        headers.add(name: .cookie, value: cookie.map { "\(session); \($0)" } ?? session)
        try await app.testing().test(.GET, path, headers: headers, afterResponse: check)
    }

    @Test(
        "an admin sets a profile on the client's page: 303 back to the page, which says it was saved; bad input is an HTML page naming the field",
        arguments: TestStore.available)
    func setOnThePage(store: TestStore) async throws {
        try await withApp(store) { app in
            // Setup: a client known by its reference alone.
            try await Self.importClient(app)
            try await app.page(.GET, "admin/clients") { response async throws in
                #expect(response.status == .ok)
                let html = response.body.string
                #expect(html.contains(#"<a class="client-link" href="/admin/clients/acme-roof">acme-roof</a>"#))
                #expect(html.contains("add a name (pages show the reference), how to pay, a phone or email"))
            }
            try await app.page(.GET, "admin/clients/acme-roof") { response async throws in
                #expect(response.status == .ok)
                let html = response.body.string
                #expect(html.contains("This client has no name of its own yet"))
                #expect(html.contains(#"<label for="profile-name">Name debtors and staff see</label>"#))
                #expect(
                    html.contains(
                        #"<form id="client-profile" class="stacked" method="post" action="/admin/clients/acme-roof/profile""#
                    ))
                #expect(html.contains("We are contacting you about money you owe."))
            }
            // Act: the form is sent.
            var flash = ""
            try await PagesTests.form(app, "admin/clients/acme-roof/profile", Self.fields) { response async throws in
                // Verify: 303 See Other back to the page, with what happened in the flash cookie.
                #expect(response.status == .seeOther)
                #expect(response.headers.first(name: .location) == "/admin/clients/acme-roof")
                flash = try #require(response.headers.setCookie?[Flash.cookieName]?.string)
            }
            try await Self.page(app, "admin/clients/acme-roof", cookie: "\(Flash.cookieName)=\(flash)") {
                response async throws in
                #expect(response.status == .ok)
                let html = response.body.string
                #expect(html.contains(#"<p class="notice" role="status">Saved the profile of Acme Roofing.</p>"#))
                #expect(html.contains("<h1>Acme Roofing</h1>"))
                #expect(!html.contains("This client has no name of its own yet"))
                #expect(html.contains(#"value="(617) 555-0142""#))
                #expect(html.contains(">Acme Roofing LLC\n12 Main Street\nBoston, MA 02118</textarea>"))
                #expect(html.contains("Acme Roofing is contacting you about money you owe it."))
                #expect(html.contains("Pay online at https://pay.acmeroofing.example/invoices."))
                #expect(response.headers.setCookie?[Flash.cookieName]?.string == "", "shown once")
            }
            let stored = try await ClientProfileStore.profile(clientRef: "acme-roof", on: app.db)
            #expect(stored.profile.phone == "+16175550142")
            #expect(stored.profile.addressLines == ["Acme Roofing LLC", "12 Main Street", "Boston, MA 02118"])
            try await app.page(.GET, "admin/clients") { response async throws in
                let html = response.body.string
                #expect(html.contains(#"href="/admin/clients/acme-roof">Acme Roofing</a>"#))
                #expect(html.contains(#"<td data-label="Profile">complete</td>"#))
            }
            // Lists name the client too.
            try await app.page(.GET, "debts") { response async throws in
                #expect(response.body.string.contains(">Acme Roofing</td>"))
                #expect(!response.body.string.contains(">acme-roof</td>"))
            }
            // The same form again changes nothing and says so.
            try await PagesTests.form(app, "admin/clients/acme-roof/profile", Self.fields) { response async throws in
                #expect(response.status == .seeOther)
                flash = try #require(response.headers.setCookie?[Flash.cookieName]?.string)
            }
            try await Self.page(app, "admin/clients/acme-roof", cookie: "\(Flash.cookieName)=\(flash)") {
                response async throws in
                #expect(response.body.string.contains("Nothing changed: the profile was already as sent."))
            }
            // Bad input: the page again (400, HTML), the sentence naming the field, the form as sent; nothing saved.
            try await PagesTests.form(
                app, "admin/clients/acme-roof/profile",
                "name=Acme+Roofing+Co&phone=(617)+555-0142&paymentLink=ftp%3A%2F%2Fpay.acmeroofing.example"
            ) { response async throws in
                #expect(response.status == .badRequest)
                #expect(response.headers.contentType == .html)
                let html = response.body.string
                #expect(
                    html.contains(
                        "The payment link &quot;ftp://pay.acmeroofing.example&quot; is not a web address starting with "
                            + "https:// or http://. Nothing was saved."))
                #expect(html.contains(#"value="ftp://pay.acmeroofing.example" aria-invalid="true""#))
                #expect(html.contains(#"value="Acme Roofing Co""#))
                #expect(!html.contains("\"error\""))
            }
            #expect(try await ClientProfileStore.profile(clientRef: "acme-roof", on: app.db) == stored)
            // A form without the session's CSRF token changes nothing.
            try await PagesTests.form(app, "admin/clients/acme-roof/profile", "name=Forged", csrf: "wrong") {
                response async throws in
                #expect(response.status == .forbidden)
            }
            #expect(try await ClientProfileStore.profile(clientRef: "acme-roof", on: app.db) == stored)
            try await app.page(.GET, "admin/clients/nobody") { response async throws in
                #expect(response.status == .notFound)
                #expect(response.headers.contentType == .html)
            }
        }
    }

    @Test(
        "the portal names the client and shows how to pay from its profile, never its reference",
        arguments: TestStore.available)
    func portal(store: TestStore) async throws {
        try await withApp(store) { app in
            // Setup: a portal link for the debtor of a client known by its reference alone.
            try await Self.importClient(app)
            let link = try await PortalLinks.create(
                clientRef: "acme-roof", debtorRef: "0379-NEVHP", days: 30, on: app.db, now: testNow)
            func portal() async throws -> String {
                var html = ""
                try await app.testing().test(.GET, "portal/\(link.token)") { response async throws in
                    #expect(response.status == .ok)
                    html = response.body.string
                }
                return html
            }
            let before = try await portal()
            #expect(before.contains("We are contacting you about money you owe."))
            #expect(before.contains("<title>Your account</title>"))
            #expect(!before.contains("How to pay</h2>"))
            #expect(!before.contains("acme-roof"))
            // Act: the profile is set.
            try await PagesTests.form(app, "admin/clients/acme-roof/profile", Self.fields) { response async throws in
                #expect(response.status == .seeOther)
            }
            // Verify
            let after = try await portal()
            #expect(after.contains("<title>Your account · Acme Roofing</title>"))
            #expect(after.contains("Acme Roofing is contacting you about money you owe it."))
            #expect(after.contains(#"<h2 id="pay-h">How to pay</h2>"#))
            #expect(after.contains("<p>Mail a check payable to Acme Roofing LLC.</p>"))
            #expect(after.contains(#"<a id="pay-link" href="https://pay.acmeroofing.example/invoices""#))
            #expect(after.contains(#"<a href="tel:+16175550142">(617) 555-0142</a>"#))
            #expect(after.contains(#"<a href="mailto:billing@acmeroofing.example">billing@acmeroofing.example</a>"#))
            #expect(after.contains("Acme Roofing LLC<br>12 Main Street<br>Boston, MA 02118<br>"))
            #expect(!after.contains("acme-roof"))
            #expect(!after.contains("call the number on our letters"), "the profile says how to reach the client")
            // An agency named in the terms is the one contacting, for the client.
            try await AccrualStore.setTerms(
                clientRef: "acme-roof", terms: ClientTerms(collectorName: "Fairway Recovery"), on: app.db)
            let agency = try await portal()
            #expect(agency.contains("Fairway Recovery is contacting you about money owed to Acme Roofing."))
            #expect(agency.contains("<title>Your account · Fairway Recovery</title>"))
        }
    }
}
