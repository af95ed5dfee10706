import Foundation
import RecoupCore
import RecoupTestSupport
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import RecoupStore

@Suite("The debt page's outbox")
struct DebtPageOutboxTests {
    @Test(
        "the timeline lists the debtor's messages: channel, status, send time in the debtor's time, subject, debts, text",
        arguments: TestStore.available)
    func timeline(store: TestStore) async throws {
        try await withApp(store) { app in
            _ = try await AccessTests.twoClients(app)
            let a1 = try await AccessTests.debtID("A-1", app)
            // Before any message, the timeline has no outbox part.
            try await app.page(.GET, "debts/\(a1)") { response async throws in
                #expect(response.status == .ok)
                #expect(!response.body.string.contains("Messages in the outbox"))
            }
            _ = try await OutboxAPITests.seed(app)
            let sql = app.db as! any SQLDatabase
            let alphaDebtor = try await sql.raw("SELECT debtor_id FROM debts WHERE ref = 'A-1'").first()!
                .decode(column: "debtor_id", as: Int64.self)
            let alphaClient = try await sql.raw("SELECT id FROM clients WHERE ref = 'alpha'").first()!
                .decode(column: "id", as: Int64.self)
            _ = try await OutboxStore.insert(
                clientID: alphaClient, debtorID: alphaDebtor, channel: .sms, recipient: "+16175550100", subject: nil,
                body: "<script>alert(1)</script> {{debtorName}}", template: "reminder", sendAfter: testNow,
                asOf: try LocalDate(iso: "2026-11-29"), on: app.db, now: testNow)
            try await app.page(.GET, "debts/\(a1)") { response async throws in
                let page = response.body.string
                #expect(page.contains("<h3 id=\"outbox-h\">Messages in the outbox</h3>"))
                let outbox = try #require(page.range(of: "id=\"outbox-h\"")).upperBound
                let contacts = try #require(page.range(of: "<h3>Contacts</h3>")).lowerBound
                let part = String(page[outbox..<contacts])
                // The latest send time first: the email of Mon 30 Nov, then the others of Sun 29 Nov.
                #expect(part.components(separatedBy: "<li class=").count == 5, "\(part)")
                #expect(part.contains("<strong>Email</strong> <span class=\"tag\">queued</span> to be sent from"))
                #expect(part.contains("About your account"))
                #expect(part.contains("To debtor@example.com · about A-1 and A-2 · template reminder, step reminder-1"))
                #expect(part.contains("<pre>Dear debtor,\nYou owe $150.00.</pre>"))
                #expect(
                    part.contains("<strong>Text message</strong> <span class=\"tag\">sent</span> was to be sent from"))
                #expect(part.contains("<strong>Letter</strong>") && part.contains("To no address known"))
                #expect(
                    part.contains("datetime=\"\(ISO8601Instant.format(Date(timeIntervalSince1970: 1_796_040_000)))\""))
                // Times as the page writes every other: the debtor's zone first (unknown here: Eastern).
                #expect(part.contains("Mon 30 Nov 2026, 7:00 AM EST"), "\(part)")
                // The message's text is escaped like everything else on the page.
                #expect(part.contains("&lt;script&gt;alert(1)&lt;/script&gt; {{debtorName}}"))
                #expect(!part.contains("<script>"))
                // Beta's message is not alpha's debtor's.
                #expect(!part.contains("Dear B"))
            }
        }
    }
}
