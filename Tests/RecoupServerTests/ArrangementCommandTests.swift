import Foundation
import RecoupAPI
import RecoupCore
import RecoupStore
import RecoupTestSupport
import Testing
import Vapor
import VaporTesting

@testable import RecoupServer

@Suite("recoup client|accrual|arrangement|promise and their API")
struct ArrangementCommandTests {
    static let openInvoices =
        IBMAccountsReceivableLayout.header.joined(separator: ",")
        + "\n391,0379-NEVHP,4/6/2013,INV-1,9/1/2026,10/1/2026,1250.00,No,,Paper,,"
        + "\n391,0379-NEVHP,4/6/2013,INV-2,9/1/2026,10/1/2026,80.00,No,,Paper,,\n"

    static let terms = """
        {"currency": "USD", "accrual": {"annualInterestPercent": "8", "fees": [{"step": "final-notice", "flat": "25.00"}]},
         "plan": {"minInstallment": "25.00", "maxInstallments": 24, "settlementPercent": 70}, "graceDays": 5,
         "collector": "Acme Recovery", "contact": "Call 555-0100"}
        """

    /// A command's JSON answer as a value: members compare by name, in any order.
    static func json(_ text: String) throws -> JSONValue { try JSONValue.parse(Data(text.utf8)) }

    @Test("terms, accrual, projection, an arrangement from proposal to broken, and a promise: the real binary")
    func commandLine() async throws {
        let recoup = try RecoupBinary()
        let file = try recoup.write(Self.openInvoices, to: "open.csv")
        #expect(try await recoup.run(["import", "--format", "ibm-ar", "--client", "acme", file]).status == 0)
        let termsFile = try recoup.write(Self.terms, to: "terms.json")
        let stored = try await recoup.run(["client", "terms", "--client", "acme", termsFile])
        #expect(stored.status == 0, "\(stored.standardError)")
        #expect(stored.standardOutput.contains(#""annualInterestPercent":"8""#))
        #expect(try await recoup.run(["client", "terms", "--client", "acme"]).standardOutput == stored.standardOutput)
        let badTerms = try recoup.write(#"{"graceDays": 90}"#, to: "bad.json")
        let refused = try await recoup.run(["client", "terms", "--client", "acme", badTerms])
        #expect(refused.status == 2)
        #expect(refused.standardError == "recoup: graceDays is 90; use 0 to 60\n")

        let accrued = try await recoup.run(["accrual", "run", "--client", "acme", "--through", "2026-11-29"])
        // 1,250.00 and 80.00 at 8% for 59 days (Oct 2 – Nov 29): 16.16 + 1.03.
        #expect(
            accrued.standardOutput
                == #"{"client":"acme","through":"2026-11-29","debts":2,"posted":2,"interest":"17.19","currency":"USD","skippedOtherCurrency":0}"#
                + "\n")
        #expect(
            try await recoup.run(["accrual", "run", "--client", "acme", "--through", "2026-11-29"]).standardOutput
                .contains(#""posted":0,"interest":"0.00""#))
        let fee = try await recoup.run([
            "accrual", "fee", "--client", "acme", "--debt", "INV-2", "--step", "final-notice", "--on", "2026-11-29",
        ])
        let charged = try #require(try Self.json(fee.standardOutput).objectValue)
        for (member, value) in [("status", "posted"), ("debt", "INV-2"), ("kind", "fee"), ("amount", "25.00")] {
            #expect(charged[member] == .string(value), "\(member)")
        }
        #expect(charged["allocation"]?.objectValue?["fees"] == .string("25.00"))
        let projection = try await recoup.run([
            "accrual", "projection", "--client", "acme", "--debt", "INV-1", "--from", "2026-11-29",
        ])
        #expect(
            projection.standardOutput.hasPrefix(
                #"{"currency":"USD","from":"2026-11-29","points":[{"date":"2026-12-29","#))
        let paused = try await recoup.run([
            "accrual", "pause", "--client", "acme", "--debtor", "0379-NEVHP", "--from", "2026-11-30", "--reason",
            "hardship",
        ])
        #expect(paused.standardOutput.contains(#""debts":2"#))
        #expect(
            try await recoup.run([
                "accrual", "projection", "--client", "acme", "--debt", "INV-1", "--from", "2026-11-29",
            ])
            .standardOutput.hasSuffix(#""growth":"0.00"}"# + "\n"))

        let created = try await recoup.run(
            [
                "arrangement", "create", "--client", "acme", "--debt", "INV-1", "--today", "2026-11-29", "--amount",
                "300.00",
                "--frequency", "monthly", "--first-due", "2026-12-31",
            ])
        #expect(created.status == 0, "\(created.standardError)")
        let proposed = try #require(try Self.json(created.standardOutput).objectValue)
        for (member, value) in [
            ("ref", "ARR-000001"), ("client", "acme"), ("debtor", "0379-NEVHP"), ("state", "proposed"),
            ("kind", "installments"), ("currency", "USD"), ("total", "1266.16"),
        ] {
            #expect(proposed[member] == .string(value), "\(member)")
        }
        #expect(proposed["acceptance"] == .null)
        let agreement = try await recoup.run(["arrangement", "agreement", "ARR-000001", "--client", "acme"])
        #expect(agreement.standardOutput.contains("Acme Recovery"))
        #expect(agreement.standardOutput.contains("2027-04-30"))
        let accept = [
            "arrangement", "accept", "ARR-000001", "--client", "acme", "--by", "Pat Doe", "--at",
            "2026-11-29T17:00:00Z",
            "--method", "signed_letter",
        ]
        let missing = try await recoup.run(accept)
        #expect(missing.status == 2)
        #expect(
            missing.standardError.contains(
                "document is missing: an acceptance by signed_letter must record the signed letter's reference"))
        let accepted = try await recoup.run(accept + ["--document", "scan-7"])
        let active = try #require(try Self.json(accepted.standardOutput).objectValue)
        #expect(active["state"] == .string("active"))
        #expect(
            try active["acceptance"]
                == Self.json(
                    #"{"by":"Pat Doe","at":"2026-11-29T17:00:00Z","method":"signed_letter","document":"scan-7"}"#))
        _ = try await recoup.run([
            "payment", "post", "--client", "acme", "--debt", "INV-1", "--amount", "300.00", "--on", "2026-12-01",
            "--key", "p1",
        ])
        let evaluated = try await recoup.run(["arrangement", "evaluate", "--client", "acme", "--as-of", "2027-02-10"])
        #expect(
            evaluated.standardOutput
                == #"{"client":"acme","asOf":"2027-02-10","changed":[{"ref":"ARR-000001","state":"broken","on":"2027-02-06","reason":"Installment 2 of 5 (300.00 due 2027-01-31) had 0.00 paid by 2027-02-05, the end of its 5 grace days."}]}"#
                + "\n")

        let promise = try await recoup.run(
            [
                "promise", "add", "--client", "acme", "--debt", "INV-2", "--amount", "50.00", "--due", "2026-12-05",
                "--made-on",
                "2026-11-29", "--via", "call",
            ])
        #expect(promise.standardOutput.contains(#""outcome":"pending""#))
        let list = try await recoup.run(["promise", "list", "--client", "acme", "--as-of", "2026-12-06"])
        let listed = try #require(try Self.json(list.standardOutput).arrayValue?.first?.objectValue)
        #expect(listed["outcome"] == .string("broken"))
        #expect(listed["paid"] == .string("0.00"))
        let badVia = try await recoup.run(
            [
                "promise", "add", "--client", "acme", "--debt", "INV-2", "--amount", "50.00", "--due", "2026-12-05",
                "--made-on",
                "2026-11-29", "--via", "pigeon",
            ])
        #expect(badVia.status == 2)
        #expect(badVia.standardError == "recoup: --via is \"pigeon\"; use call or portal\n")
    }

    @Test(
        "the API creates, accepts from the portal with the request's address and browser, shows and refuses nonsense",
        arguments: TestStore.available)
    func api(store: TestStore) async throws {
        try await withApp(store) { app in
            let file = try TestFiles.temporary(Self.openInvoices)
            _ = try await Importer.run(
                ImportRequest(path: file, format: .ibmAR, clientRef: "acme"), on: app.db, now: testNow)
            try await app.api(.PUT, "api/v1/clients/acme/terms", body: ByteBuffer(string: Self.terms)) {
                response async throws in
                #expect(response.status == .ok)
            }
            try await app.api(.PUT, "api/v1/clients/acme/terms", body: ByteBuffer(string: #"{"colour": 1}"#)) {
                response async throws in
                #expect(response.status == .badRequest)
                #expect(response.body.string.contains("colour is not a terms field"))
            }
            let create =
                #"{"client": "acme", "debts": ["INV-1", "INV-2"], "today": "2026-11-29", "offer": {"amount": "100.00", "frequency": "biweekly", "firstDue": "2026-12-10"}, "option": "settlement"}"#
            try await app.api(.POST, "api/v1/arrangements", body: ByteBuffer(string: create)) { response async throws in
                #expect(response.status == .created)
                // The API writes members in sorted order: each one is checked on its own.
                for member in [#""kind":"settlement""#, #""currency":"USD""#, #""total":"931.00""#] {
                    #expect(response.body.string.contains(member))
                }
            }
            var headers = HTTPHeaders()
            headers.add(name: .userAgent, value: "TestBrowser/1.0")
            try await app.api(
                .POST, "api/v1/arrangements/ARR-000001/accept", headers: headers,
                body: ByteBuffer(
                    string: #"{"client": "acme", "by": "Pat Doe", "method": "portal_click", "ip": "198.51.100.7"}"#)
            ) { response async throws in
                #expect(response.status == .ok)
                for member in [#""method":"portal_click""#, #""ip":"198.51.100.7""#, #""userAgent":"TestBrowser/1.0""#]
                {
                    #expect(response.body.string.contains(member))
                }
            }
            let shown = try await ArrangementStore.show(
                clientRef: "acme", ref: "ARR-000001", asOf: try LocalDate(iso: "2026-12-01"), on: app.db)
            try await app.api(.GET, "api/v1/arrangements/ARR-000001?client=acme&asOf=2026-12-01") {
                response async throws in
                #expect(response.status == .ok)
                #expect(response.body.string.contains(#""state":"active""#))
                // `recoup arrangement show` prints what the API answers, byte for byte.
                #expect(response.body.string == (try CommandOutput.text(Components.Schemas.Arrangement(shown))))
            }
            try await app.api(.GET, "api/v1/arrangements/ARR-000001/agreement?client=acme&format=html") {
                response async throws in
                #expect(response.headers.contentType == .html)
                #expect(response.headers.first(name: "X-Agreement-SHA256")?.count == 64)
            }
            try await app.api(.GET, "api/v1/arrangements/ARR-000009?client=acme&asOf=2026-12-01") {
                response async throws in
                #expect(response.status == .notFound)
            }
            try await app.api(.GET, "api/v1/arrangements/ARR-000001?client=nobody&asOf=2026-12-01") {
                response async throws in
                #expect(response.status == .notFound)
            }
            try await app.api(
                .POST, "api/v1/promises",
                body: ByteBuffer(
                    string:
                        #"{"client": "acme", "debt": "INV-2", "amount": "20.00", "due": "2026-12-05", "madeOn": "2026-11-29"}"#
                )
            ) { response async throws in
                #expect(response.status == .created)
                #expect(response.body.string.contains(#""via":"portal""#))
            }
            // A promise due years ahead is a 400 with the sentence.
            try await app.api(
                .POST, "api/v1/promises",
                body: ByteBuffer(
                    string:
                        #"{"client": "acme", "debt": "INV-2", "amount": "20.00", "due": "2029-11-29", "madeOn": "2026-11-29"}"#
                )
            ) { response async throws in
                #expect(response.status == .badRequest)
                #expect(
                    response.body.string
                        == #"{"error":{"code":"invalid_request","message":"A promise due 2029-11-29 is more than 90 days after the day it was made (2026-11-29); promise a date by 2027-02-27, or propose a plan."}}"#
                )
            }
            let promises = try await PromiseStore.list(
                clientRef: "acme", debtRef: nil, asOf: try LocalDate(iso: "2026-12-06"), on: app.db)
            try await app.api(.GET, "api/v1/promises?client=acme&asOf=2026-12-06") { response async throws in
                #expect(response.body.string.contains(#""outcome":"broken""#))
                #expect(
                    response.body.string
                        == (try CommandOutput.text(
                            promises.map { Components.Schemas.Promise($0, asOf: try LocalDate(iso: "2026-12-06")) })))
            }
            try await app.api(.GET, "api/v1/debts/INV-1/projection?client=acme&from=2026-11-29") {
                response async throws in
                #expect(response.status == .ok)
                #expect(response.body.string.contains(#""growth":"#))
            }
            try await app.api(.GET, "api/v1/debts/INV-1/projection?client=acme&from=2026-02-30") {
                response async throws in
                #expect(response.status == .badRequest)
            }
        }
    }
}
