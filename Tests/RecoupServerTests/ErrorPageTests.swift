import Foundation
import RecoupStore
import RecoupTestSupport
import Testing
import Vapor
import VaporTesting

@testable import RecoupServer

@Suite("Errors in the browser are pages with a way back; the API keeps its JSON errors")
struct ErrorPageTests {
    @Test(
        "a missing debt, an unknown address, a bad form and a broken portal link are HTML pages",
        arguments: TestStore.available)
    func pages(store: TestStore) async throws {
        try await withApp(store) { app in
            try await app.page(.GET, "debts/999999999") { response async throws in
                #expect(response.status == .notFound)
                #expect(response.headers.contentType?.type == "text" && response.headers.contentType?.subType == "html")
                let html = response.body.string
                #expect(html.contains("<h1 id=\"error-h\">Not found</h1>"))
                #expect(html.contains(#"<a id="error-home" href="/">Go to the dashboard</a>"#))
                #expect(html.contains(#"aria-label="Main""#), "a signed-in user keeps the navigation")
                #expect(!html.contains(#"{"error""#))
            }
            try await app.page(.GET, "no-such-page") { response async throws in
                #expect(response.status == .notFound)
                #expect(response.body.string.contains("There is nothing at this address."))
            }
            // The way back is the page the person came from, on this host only.
            try await app.page(
                .GET, "debts/999999999",
                headers: ["Host": "recoup.test", "Referer": "http://recoup.test/debts?q=acme"]
            ) { response async throws in
                #expect(response.body.string.contains(#"<a id="error-back" href="/debts?q=acme">"#))
            }
            try await app.page(
                .GET, "debts/999999999", headers: ["Host": "recoup.test", "Referer": "https://evil.example/x"]
            ) { response async throws in
                #expect(!response.body.string.contains("error-back"))
            }
            // A form without its CSRF token: 403 as a page.
            try await app.page(
                .POST, "debts/1/contacts", headers: ["Content-Type": "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "type=call")
            ) { response async throws in
                #expect(response.status == .forbidden)
                #expect(response.body.string.contains("Not allowed"))
                #expect(response.body.string.contains("The form has expired"))
            }
            // A debtor's broken link: no staff navigation, no dashboard link, the sentence for them.
            try await app.testing().test(.GET, "portal/not-a-real-token") { response async throws in
                #expect(response.status == .notFound)
                let html = response.body.string
                #expect(html.contains("This link does not work any more."))
                #expect(!html.contains(#"aria-label="Main""#))
                #expect(!html.contains("dashboard"))
            }
            // Not signed in: an unknown address is a page with a way to sign in.
            try await app.testing().test(.GET, "no-such-page") { response async throws in
                #expect(response.status == .notFound)
                #expect(response.body.string.contains(#"href="/login">Sign in</a>"#))
            }
        }
    }

    @Test("the API and the health check still answer JSON errors", arguments: TestStore.available)
    func api(store: TestStore) async throws {
        try await withApp(store) { app in
            try await app.testing().test(.GET, "api/v1/debts") { response async throws in
                #expect(response.status == .unauthorized)
                #expect(response.body.string.hasPrefix(#"{"error":{"code":"unauthorized""#))
            }
            try await app.testing().test(.GET, "api/v1/no-such-route") { response async throws in
                #expect(response.status == .notFound)
                #expect(response.body.string.hasPrefix(#"{"error":{"code":"not_found""#))
            }
        }
    }

    @Test("an error message reads as a sentence")
    func sentence() {
        #expect(ErrorPage.sentence("the form has expired", status: .forbidden) == "The form has expired.")
        #expect(ErrorPage.sentence("Done!", status: .badRequest) == "Done!")
        #expect(ErrorPage.sentence("", status: .notFound).hasPrefix("There is nothing at this address."))
        #expect(ErrorPage.portalHome("/portal/abc/propose") == "/portal/abc")
        #expect(ErrorPage.portalHome("/debts/1") == nil)
    }
}
