import Foundation
import RecoupCore
import RecoupStore
import RecoupTestSupport
import SQLKit
import Testing

@testable import RecoupServer

/// The agency's commands as a user runs them (the real binary, on SQLite and on PostgreSQL when the tests have one):
/// a contract, a placement file with its acknowledgement, payments to the agency and a direct one, two statements with
/// a bounced check between them, the trust check after each step, a recall with its return file, and bad input.
@Suite("recoup agency, placement import, remittance and trust")
struct AgencyCommandTests {
    static let contract = """
        {"remittance": "net", "directPaymentCommission": true,
         "rates": [{"upToDaysAtPlacement": 180, "percent": "25"}, {"percent": "35"}]}
        """

    static let placements = """
        debt_ref,debtor_ref,debtor_kind,debtor_name,charged_on,due_on,principal,phones
        A-1,D1,consumer,Ann Able,2026-05-01,2026-06-01,1000.00,(617) 555-0101
        B-1,D2,consumer,Bob Baker,2025-12-01,2026-01-01,800.00,(617) 555-0102
        Z-1,D3,consumer,Zed Zero,2026-05-01,2026-06-01,0.00,

        """

    @Test(
        "the statements of the issue's scenario, exact to the cent, from the command line",
        arguments: TestStore.available)
    func scenario(store: TestStore) async throws {
        let (environment, drop) = try await PlacementCommandTests.database(store)
        defer { Task { await drop() } }
        let recoup = try RecoupBinary()
        let run = { (arguments: [String]) in try await recoup.run(arguments, environment: environment) }
        func ok(_ arguments: [String]) async throws -> String {
            let result = try await run(arguments)
            #expect(result.status == 0, "\(arguments): \(result.standardError)")
            return result.standardOutput
        }
        func trustHolds() async throws {
            let check = try await run(["trust", "check"])
            #expect(check.status == 0 && check.standardOutput.contains(#""reconciles":true"#), "\(check)")
        }

        // A contract for a new client, then its placement file: two accepted at 25% and 35%, one refused.
        let saved = try await ok([
            "agency", "contract", "--client", "acme", try recoup.write(Self.contract, to: "c.json"),
        ])
        #expect(saved.hasPrefix(#"{"client":"acme","version":1,"saved":true,"remittance":"net""#), "\(saved)")
        let imported = try PlacementCommandTests.json(
            try await ok([
                "placement", "import", try recoup.write(Self.placements, to: "p.csv"), "--client", "acme",
                "--placed-on", "2026-08-01",
            ]))
        #expect(imported["accepted"] as? Int == 2)
        let rejected = try #require(imported["rejected"] as? [[String: Any]])
        #expect(rejected.count == 1 && rejected[0]["line"] as? Int == 4 && rejected[0]["debtRef"] as? String == "Z-1")
        let acknowledgement = try String(
            contentsOfFile: try #require(imported["acknowledgement"] as? String), encoding: .utf8)
        #expect(
            acknowledgement.split(separator: "\n") == [
                "line,debt_ref,status,reason,balance,percent", "2,A-1,accepted,,1000.00,25",
                "3,B-1,accepted,,800.00,35",
                "4,Z-1,rejected,principal must be above zero,,",
            ])

        // Payments: 400.00 and 100.00 to the agency, 200.00 to the client directly.
        _ = try await ok([
            "payment", "post", "--client", "acme", "--debt", "A-1", "--amount", "400.00", "--on", "2026-08-10", "--key",
            "p1",
        ])
        _ = try await ok([
            "payment", "post", "--client", "acme", "--debt", "B-1", "--amount", "100.00", "--on", "2026-08-12", "--key",
            "p2",
        ])
        _ = try await ok([
            "payment", "post", "--client", "acme", "--debt", "A-1", "--amount", "200.00", "--on", "2026-08-20", "--key",
            "p3", "--received-by", "client",
        ])
        try await trustHolds()
        let close = ["remittance", "close", "--client", "acme", "--through", "2026-08-31", "--format", "json"]
        let first = try await ok(close)
        #expect(
            first.hasPrefix(
                #"{"client":"acme","through":"2026-08-31","remittance":"net","collected":"500.00","commission":"135.00","#
                    + #""directPayments":"200.00","commissionOnDirect":"50.00","reversalsAfterRemittance":"0.00","#
                    + #""commissionReturned":"0.00","dueToClient":"315.00","dueToAgency":"0.00","id":1,"#), "\(first)")
        #expect(first.hasSuffix(#""created":true}"# + "\n"))
        try await trustHolds()
        let again = try await ok(close)
        #expect(again == first.replacingOccurrences(of: #""created":true"#, with: #""created":false"#))
        try await trustHolds()

        // The check bounces after it was remitted; a new payment; the second statement.
        _ = try await ok([
            "payment", "reverse", "--client", "acme", "--debt", "A-1", "--payment-key", "p1", "--on", "2026-09-05",
            "--key", "r1", "--reason", "nsf",
        ])
        try await trustHolds()
        _ = try await ok([
            "payment", "post", "--client", "acme", "--debt", "B-1", "--amount", "600.00", "--on", "2026-09-10", "--key",
            "p4",
        ])
        let second = try PlacementCommandTests.json(
            try await ok(["remittance", "close", "--client", "acme", "--through", "2026-09-30"]))
        #expect(second["collected"] as? String == "600.00" && second["commission"] as? String == "210.00")
        #expect(second["reversalsAfterRemittance"] as? String == "400.00")
        #expect(second["commissionReturned"] as? String == "100.00")
        #expect(second["dueToClient"] as? String == "90.00" && second["dueToAgency"] as? String == "0.00")
        try await trustHolds()

        // The statement's CSV, one line per payment.
        let csv = try await ok(["remittance", "show", "2", "--format", "csv"])
        #expect(
            csv.split(separator: "\n").dropFirst() == [
                "D1,Ann Able,A-1,2026-09-05,reversal after remittance,-400.00,25,-100.00,USD",
                "D2,Bob Baker,B-1,2026-09-10,payment,600.00,35,210.00,USD",
            ])

        // A recall by the client: the return file names it with its reason code.
        let recalled = try PlacementCommandTests.json(
            try await ok([
                "placement", "recall", "--client", "acme", "--debt", "B-1", "--reason", "client asked", "--on",
                "2026-10-01",
            ]))
        #expect(recalled["reasonCode"] as? String == "recalled" && recalled["status"] as? String == "closed")
        let returns = try String(contentsOfFile: try #require(recalled["returnFile"] as? String), encoding: .utf8)
        #expect(
            returns.contains("B-1,D2,Bob Baker,2026-08-01,800.00,700.00,100.00,USD,2026-10-01,recalled,client asked"))
        // A recall without a reason: the code says it; the same day's return file lists both.
        let withoutReason = try PlacementCommandTests.json(
            try await ok(["placement", "recall", "--client", "acme", "--debt", "A-1", "--on", "2026-10-01"]))
        #expect(withoutReason["reasonCode"] as? String == "recalled" && withoutReason["note"] is NSNull)
        let both = try String(contentsOfFile: try #require(withoutReason["returnFile"] as? String), encoding: .utf8)
        #expect(both.split(separator: "\n").count == 3, "\(both)")

        // Bad input: one sentence each, exit status 2, nothing changed.
        let unknownKey = try await run([
            "agency", "contract", "--client", "acme",
            try recoup.write(
                #"{"remittance": "net", "directPaymentCommission": true, "rates": [{"percnt": "25"}]}"#, to: "bad.json"),
        ])
        #expect(unknownKey.status == 2)
        #expect(
            unknownKey.standardError.contains(#"rates[0] has an unknown key "percnt""#), "\(unknownKey.standardError)")
        let noCatchAll = try await run([
            "agency", "contract", "--client", "acme",
            try recoup.write(
                #"{"remittance": "net", "directPaymentCommission": true, "rates": [{"upToDaysAtPlacement": 90, "percent": "25"}]}"#,
                to: "bad2.json"),
        ])
        #expect(noCatchAll.status == 2 && noCatchAll.standardError.contains("the last rate must have no limits"))
        let negativeBalance = try await run([
            "agency", "contract", "--client", "acme",
            try recoup.write(
                #"{"remittance": "net", "directPaymentCommission": true, "rates": [{"upToBalance": "-5.00", "percent": "20"}, {"percent": "25"}]}"#,
                to: "bad3.json"),
        ])
        #expect(
            negativeBalance.status == 2
                && negativeBalance.standardError.contains("rates[0].upToBalance must be above zero (not -5.00)"),
            "\(negativeBalance.standardError)")
        let earlier = try await run(["remittance", "close", "--client", "acme", "--through", "2026-09-01"])
        #expect(earlier.status == 2 && earlier.standardError.contains("closed through 2026-09-30 already"))
        let receiver = try await run([
            "payment", "post", "--client", "acme", "--debt", "A-1", "--amount", "1.00", "--on", "2026-10-02", "--key",
            "p9", "--received-by", "bank",
        ])
        #expect(
            receiver.status == 2
                && receiver.standardError == "recoup: --received-by is \"bank\"; use agency or client\n")
        let statements = try await ok(["remittance", "list", "--client", "acme"])
        #expect(statements.components(separatedBy: #""through""#).count == 3)
    }

    @Test("trust check exits 1 with the first difference when the trust ledger was tampered with")
    func checkFails() async throws {
        let recoup = try RecoupBinary()
        let run = { (arguments: [String]) in try await recoup.run(arguments) }
        _ = try await run(["agency", "contract", "--client", "acme", try recoup.write(Self.contract, to: "c.json")])
        _ = try await run([
            "placement", "import", try recoup.write(Self.placements, to: "p.csv"), "--client", "acme", "--placed-on",
            "2026-08-01",
        ])
        _ = try await run([
            "payment", "post", "--client", "acme", "--debt", "A-1", "--amount", "400.00", "--on", "2026-08-10", "--key",
            "p1",
        ])
        let database = try await RecoupDatabase.open(
            .sqliteFile(path: recoup.directory.appendingPathComponent("recoup.sqlite").path), migrate: false)
        try await database.sql.raw("DELETE FROM trust_entries").run()
        await database.close()
        let check = try await run(["trust", "check", "--client", "acme"])
        #expect(check.status == 1)
        #expect(
            check.standardError == "acme: the payment p1 of 400.00 USD to A-1 is not in the trust ledger\n",
            "\(check.standardError)")
    }
}
