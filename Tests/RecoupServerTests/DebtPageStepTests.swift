import Foundation
import RecoupCore
import RecoupStore
import RecoupTestSupport
import Testing
import Vapor
import VaporTesting

@testable import RecoupServer

/// The debt page's strategy section: the track and its steps, and a step run by hand through the same check and
/// outbox as the daily run, once per form.
@Suite("Running a step from the debt page")
struct DebtPageStepTests {
    static let file = """
        debt_ref,debtor_ref,debtor_kind,debtor_name,charged_on,due_on,principal,interest,fees,phones,emails,address_line1,address_city,address_state,address_postal_code,time_zones
        INV-1,C-17,consumer,Olivia Chen,2026-09-01,2026-10-31,1200.00,,,+16175550100:mobile,olivia.chen@example.com,12 Tremont St,Boston,MA,02118,America/New_York
        """

    @Test(
        "the page shows the track; running a step queues its message once; a second the same day is refused",
        arguments: TestStore.available)
    func runStepByHand(store: TestStore) async throws {
        try await withApp(store) { app in
            try await TestDebts.load(Self.file, on: app.db, now: testNow.addingTimeInterval(-86_400))
            try await ClientProfileStore.update(
                clientRef: "default",
                with: ClientProfileUpdate(name: "Harbor Dental", phone: "(617) 555-0199"), on: app.db)
            let debt = try await TestDebts.debt("INV-1", on: app.db)
            var stepID = ""
            try await app.page(.GET, "debts/\(debt.id)") { response async throws in
                #expect(response.status == .ok)
                let html = response.body.string
                #expect(html.contains(#"<section id="strategy""#))
                #expect(html.contains("standard (built-in)"))
                #expect(!html.contains("passed over"))
                let match = try #require(html.firstMatch(of: /<option value="([a-z0-9-]+)">[^<]*email/))
                stepID = String(match.1)
            }
            let submission = FormOnce.newID()
            let body = "step=\(stepID)&submission=\(submission)"
            let first = try await DebtPageTests.sent(app, "debts/\(debt.id)/steps", body)
            #expect(first.page.contains("Done: step \(stepID)"))
            #expect(first.page.contains("queued for"))
            let again = try await DebtPageTests.sent(app, "debts/\(debt.id)/steps", body)
            #expect(again.page.contains("was recorded once, not again"))
            #expect(try await TestDebts.count("outbox_messages", on: app.db) == 1)
            #expect(try await TestDebts.count("strategy_actions", where: "occurrence = -1", on: app.db) == 1)
            #expect(first.page.contains("run by hand for"))
            // The strategy never goes back behind a step done: the steps of earlier days are shown as passed over.
            #expect(first.page.contains("passed over (fell on 2026-11-07, before a later step)"))
            let second = try await DebtPageTests.sent(
                app, "debts/\(debt.id)/steps", "step=\(stepID)&submission=\(FormOnce.newID())")
            #expect(second.page.contains("Not done:"))
            #expect(second.page.contains("email-daily-limit"))
            #expect(
                try await TestDebts.count("outbox_messages", on: app.db) == 1, "the daily email limit refuses a second")
            let unknown = try await DebtPageTests.sent(
                app, "debts/\(debt.id)/steps", "step=nope&submission=\(FormOnce.newID())")
            #expect(unknown.page.contains("Not done: the debt&#39;s track has no step &quot;nope&quot;"))
            #expect(try await TestDebts.count("strategy_actions", on: app.db) == 1)
        }
    }
}
