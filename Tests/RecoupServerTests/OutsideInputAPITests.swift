import Foundation
import RecoupCore
import RecoupStore
import RecoupTestSupport
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import RecoupServer

/// Requests that used to stop the server, poison a report or be stored when they should have been refused (issue 11).
@Suite("Outside input over HTTP: a 400 that names the field, and the server keeps answering")
struct OutsideInputAPITests {
    static let header =
        "debt_ref,debtor_ref,debtor_kind,debtor_name,charged_on,due_on,principal,interest,fees,phones,time_zones"

    /// `count` debts of one debtor each for `client`, every component at the largest accepted amount.
    static func largestDebts(_ app: Application, client: String, count: Int) async throws -> ImportSummary {
        let largest = "99999999.99"
        var csv = header + "\n"
        for index in 1...count {
            csv += "\(client)-\(index),P-\(client)-\(index),consumer,Debtor \(index),2026-01-05,2026-02-04,"
            csv += "\(largest),\(largest),\(largest),+16175550100:mobile,America/New_York\n"
        }
        let path = try TestFiles.temporary(csv, name: "\(client).csv")
        return try await Importer.run(
            ImportRequest(path: path, format: .recoup, clientRef: client), on: app.db, now: testNow)
    }

    static func counts(_ app: Application) async throws -> [Int] {
        var counts: [Int] = []
        for table in ["debts", "ledger_entries", "contact_events"] {
            counts.append(
                try await (app.db as! any SQLDatabase).raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: table)").first()!
                    .decode(column: "n", as: Int.self))
        }
        return counts
    }

    static func expectBadRequest(
        _ response: TestingHTTPResponse, naming field: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(response.status == .badRequest, "\(response.body.string)", sourceLocation: sourceLocation)
        #expect(response.body.string.hasPrefix(#"{"error":{"code":""#), sourceLocation: sourceLocation)
        #expect(
            response.body.string.contains(field), "\(response.body.string) should name \(field)",
            sourceLocation: sourceLocation)
    }

    @Test(
        "an amount above the largest accepted one is refused everywhere; the largest on many debts leaves every list and report working",
        arguments: TestStore.available)
    func largestAmount(store: TestStore) async throws {
        try await withApp(store) { app in
            #expect(try await Self.largestDebts(app, client: "acme", count: 40).imported == 40)
            #expect(try await Self.largestDebts(app, client: "zenith", count: 40).imported == 40)
            // The recoup layout refuses a principal above the limit by line, naming the column.
            let huge = try TestFiles.temporary(
                Self.header + "\nH-1,P-H,consumer,Huge,2026-01-05,2026-02-04,92233720368547758.07,,,,\n",
                name: "huge.csv")
            let refused = try await Importer.run(
                ImportRequest(path: huge, format: .recoup, clientRef: "acme"), on: app.db, now: testNow)
            #expect(refused.imported == 0 && refused.rejected == 1)
            #expect(refused.errors.first?.message.contains("principal") == true)
            #expect(refused.errors.first?.message.contains("at most 99999999.99") == true)

            // The probe's payment: refused, naming the field; nothing is written.
            let before = try await Self.counts(app)
            let poison =
                #"{"client": "acme", "debt": "acme-1", "amount": "92233720368547758.07", "on": "2026-11-29", "key": "p"}"#
            try await app.api(.POST, "api/v1/payments", body: ByteBuffer(string: poison)) { response async throws in
                Self.expectBadRequest(response, naming: "amount")
            }
            #expect(try await Self.counts(app) == before)

            // The largest accepted payment on every debt (an overpayment the size of the principal).
            for client in ["acme", "zenith"] {
                for index in 1...40 {
                    let body =
                        #"{"client": "\#(client)", "debt": "\#(client)-\#(index)", "amount": "99999999.99", "on": "2026-11-29", "key": "k\#(index)"}"#
                    try await app.api(.POST, "api/v1/payments", body: ByteBuffer(string: body)) {
                        response async throws in
                        #expect(response.status == .created, "\(response.body.string)")
                    }
                }
            }
            let debtID = try await AccessTests.debtID("acme-1", app)
            for path in [
                "api/v1/debts?limit=100", "api/v1/debts?client=acme", "api/v1/debts?client=zenith&status=open",
                "api/v1/debts/\(debtID)", "api/v1/debts/\(debtID)/projection?from=2026-11-29&months=120",
                "api/v1/reports/aging?asOf=2026-11-29", "api/v1/reports/aging?asOf=2026-11-29&client=acme",
                "api/v1/promises?client=acme&asOf=2026-11-29",
            ] {
                try await app.api(.GET, path) { response async throws in
                    #expect(response.status == .ok, "\(path): \(response.body.string)")
                }
            }
            try await app.api(.GET, "api/v1/reports/aging?asOf=2026-11-29") { response async throws in
                // 80 debts × 99,999,999.99 × 3 components − 80 payments of 99,999,999.99 = 80 × 199,999,999.98.
                let document = try response.content.decode(AgingReportDocument.self)
                #expect(document.total == .init(count: 80, amount: "15999999998.40"))
            }
            for path in ["", "?client=acme", "debts", "debts?client=zenith", "debts/\(debtID)", "reports"] {
                try await app.page(.GET, path) { response async throws in
                    #expect(response.status == .ok, "page /\(path): \(response.status)")
                }
            }
            // A second largest payment on the same debt still posts and answers.
            let again =
                #"{"client": "acme", "debt": "acme-1", "amount": "99999999.99", "on": "2026-11-29", "key": "again"}"#
            try await app.api(.POST, "api/v1/payments", body: ByteBuffer(string: again)) { response async throws in
                #expect(response.status == .created)
            }
        }
    }

    @Test("plan proposals near the 64-bit limit answer 400 naming the field, and the server keeps answering")
    func planProposal() async throws {
        try await withApp(.sqlite) { app in
            for (balance, amount, field) in [
                ("92233720368547758.07", "92233720368547758.07", "balance"), ("92233720368547758", "1", "balance"),
                ("100.00", "92233720368547758.07", "offer.amount"),
            ] {
                let body =
                    #"{"balance": "\#(balance)", "currency": "USD", "today": "2026-12-01", "offer": {"amount": "\#(amount)", "frequency": "weekly", "firstDue": "2026-12-01"}, "terms": {"settlementPercent": 90}}"#
                try await app.api(.POST, "api/v1/plans/propose", body: ByteBuffer(string: body)) {
                    response async throws in
                    Self.expectBadRequest(response, naming: field)
                }
            }
            let largest =
                #"{"balance": "99999999.99", "currency": "USD", "today": "2026-12-01", "offer": {"amount": "0.01", "frequency": "weekly", "firstDue": "2026-12-01"}, "terms": {"settlementPercent": 90, "maxInstallments": 12}}"#
            try await app.api(.POST, "api/v1/plans/propose", body: ByteBuffer(string: largest)) {
                response async throws in
                #expect(response.status == .ok)
                #expect(
                    response.body.string.contains(#""count":12,"#)
                        && response.body.string.contains(#""total":"99999999.99""#))
            }
        }
    }

    @Test("accepting an arrangement with a bad method, a letter without its document or a bad instant is a 400")
    func acceptance() async throws {
        try await withApp(.sqlite) { app in
            _ = try await AccessTests.twoClients(app)
            let create =
                #"{"client": "alpha", "debts": ["A-1"], "today": "2026-11-29", "offer": {"amount": "10.00", "frequency": "monthly", "firstDue": "2026-12-31"}}"#
            try await app.api(.POST, "api/v1/arrangements", body: ByteBuffer(string: create)) { response async throws in
                #expect(response.status == .created)
            }
            for (body, field) in [
                (#"{"client": "alpha", "by": "Pat", "method": "carrier_pigeon"}"#, "method"),
                (#"{"client": "alpha", "by": "Pat", "method": "signed_letter"}"#, "document"),
                (#"{"client": "alpha", "by": "Pat", "method": "signed_letter", "document": "d", "at": "nope"}"#, "at"),
                (#"{"client": "alpha", "by": "Pat", "method": "recorded_call", "collector": "Sam"}"#, "recording"),
            ] {
                try await app.api(.POST, "api/v1/arrangements/ARR-000001/accept", body: ByteBuffer(string: body)) {
                    response async throws in
                    Self.expectBadRequest(response, naming: field)
                }
            }
            try await app.api(.GET, "api/v1/arrangements/ARR-000001?client=alpha&asOf=2026-11-29") {
                response async throws in
                #expect(response.status == .ok)
                #expect(response.body.string.contains(#""state":"proposed""#))
            }
        }
    }

    @Test(
        "payments dated before the debt was charged or after today are refused; nothing is written",
        arguments: TestStore.available)
    func paymentDates(store: TestStore) async throws {
        try await withApp(store) { app in
            _ = try await AccessTests.twoClients(app)  // A-1 charged 2026-09-01
            let before = try await Self.counts(app)
            for (on, problem) in [("2026-08-31", "before the debt was charged"), ("2026-12-02", "after today")] {
                let body = #"{"client": "alpha", "debt": "A-1", "amount": "1.00", "on": "\#(on)", "key": "d-\#(on)"}"#
                try await app.api(.POST, "api/v1/payments", body: ByteBuffer(string: body)) { response async throws in
                    Self.expectBadRequest(response, naming: problem)
                }
                let spread =
                    #"{"client": "alpha", "debtor": "0379-NEVHP", "amount": "1.00", "on": "\#(on)", "key": "s-\#(on)"}"#
                try await app.api(.POST, "api/v1/payments", body: ByteBuffer(string: spread)) { response async throws in
                    Self.expectBadRequest(response, naming: problem)
                }
            }
            #expect(try await Self.counts(app) == before)
            let fine = #"{"client": "alpha", "debt": "A-1", "amount": "1.00", "on": "2026-11-29", "key": "ok"}"#
            try await app.api(.POST, "api/v1/payments", body: ByteBuffer(string: fine)) { response async throws in
                #expect(response.status == .created)
            }
        }
    }

    @Test(
        "a contact event with unknown members, undocumented values, an instant outside the window or another debtor's debt is refused and not stored",
        arguments: TestStore.available)
    func contactEvents(store: TestStore) async throws {
        try await withApp(store) { app in
            _ = try await AccessTests.twoClients(app)
            let a1 = try await AccessTests.debtID("A-1", app)
            let before = try await Self.counts(app)
            for (event, field) in [
                (#"{"type": "letter", "at": "2026-11-29T15:00:00Z", "colour": "red"}"#, "colour"),
                (#"{"type": "call", "at": "2026-11-29T15:00:00Z", "outcome": "hung_up"}"#, "outcome"),
                (#"{"type": "call", "at": "1830-06-01T15:00:00Z", "outcome": "conversation"}"#, "at"),
                (#"{"type": "call", "at": "2027-06-01T15:00:00Z", "outcome": "conversation"}"#, "at"),
                (#"{"type": "dispute", "at": "2026-11-29T15:00:00Z", "debtIds": ["B-1"]}"#, "debtIds[0]"),
                (#"{"type": "dispute", "at": "2026-11-29T15:00:00Z", "debtIds": ["A-2", "NOPE"]}"#, "debtIds[1]"),
            ] {
                try await app.api(.POST, "api/v1/debts/\(a1)/contacts", body: ByteBuffer(string: event)) {
                    response async throws in
                    Self.expectBadRequest(response, naming: field)
                }
            }
            #expect(try await Self.counts(app) == before)
            let dispute = #"{"type": "dispute", "at": "2026-11-29T15:00:00Z", "debtIds": ["A-2"]}"#
            try await app.api(.POST, "api/v1/debts/\(a1)/contacts", body: ByteBuffer(string: dispute)) {
                response async throws in
                #expect(response.status == .created)
            }
        }
    }

    @Test("a search with invalid UTF-8 is refused or finds nothing, on the API and the page")
    func invalidUTF8Search() async throws {
        try await withApp(.sqlite) { app in
            _ = try await AccessTests.twoClients(app)
            for query in ["%FF", "%C3%28", "a%80b", "%ED%A0%80"] {
                try await app.api(.GET, "api/v1/debts?q=\(query)") { response async throws in
                    #expect(
                        response.status == .badRequest || response.body.string.hasPrefix(#"{"items":[],"#),
                        "q=\(query): \(response.status) \(response.body.string)")
                }
                try await app.page(.GET, "debts?q=\(query)") { response async throws in
                    #expect(response.status == .badRequest || response.status == .ok, "q=\(query): \(response.status)")
                    #expect(!response.body.string.contains("A-1"))
                }
            }
        }
    }

    @Test("the validation period of a notice sent on 9999-12-31 is a 400 with a sentence")
    func validationPeriodEnd() async throws {
        try await withApp(.sqlite) { app in
            try await app.api(.GET, "api/v1/compliance/validation-period?sent=9999-12-31") { response async throws in
                Self.expectBadRequest(response, naming: "after 9999-12-31")
            }
        }
    }
}
