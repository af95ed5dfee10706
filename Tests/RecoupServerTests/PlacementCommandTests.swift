import Foundation
import RecoupCore
import RecoupStore
import RecoupTestSupport
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import RecoupServer

/// `recoup placement create|recall|list|file` run as a user runs them (the real binary; on SQLite, and on PostgreSQL
/// when the tests have one), the placement file imported back by the agency into a fresh database with the same
/// balances, and `GET /api/v1/placements` through the user's scope.
@Suite("recoup placement and GET /api/v1/placements")
struct PlacementCommandTests {
    /// F1: principal, interest and fees with a payment (fees, then interest, then principal); G1: a commercial
    /// debtor with a comma and quotes in its name and an address; F2: paid off.
    static let file = """
        debt_ref,debtor_ref,debtor_kind,debtor_name,charged_on,due_on,principal,interest,fees,paid,paid_on,disputed,phones,emails,address_line1,address_city,address_state,address_postal_code,time_zones
        F1,P1,consumer,Pat Doe,2026-01-05,2026-02-04,1000.00,12.50,25.00,30.00,2026-03-01,yes,+16175550100:mobile;+16175550101:home,pat@example.com;pat@work.example,,,,,America/New_York
        G1,P3,commercial,"Acme, ""The"" Shop",2026-01-05,2026-02-04,500.00,,10.00,,,no,,,"1 Main St, Suite 2",Boston,MA,02118,
        F2,P2,consumer,Lee Roe,2026-01-05,2026-02-04,80.00,,,80.00,2026-03-01,no,,,,,,,

        """

    /// The environment that points the binary at a fresh database of `store`'s kind (SQLite: the binary's own
    /// recoup.sqlite; PostgreSQL: a new database on the tests' server), and how to drop it.
    static func database(_ store: TestStore) async throws -> ([String: String], @Sendable () async -> Void) {
        guard store == .postgres, let url = ProcessInfo.processInfo.environment["RECOUP_TEST_POSTGRES_URL"] else {
            return ([:], {})
        }
        let name = "p_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20)
        let admin = try await RecoupDatabase.open(.postgres(url: url, searchPath: nil), migrate: false)
        try await admin.sql.raw("CREATE DATABASE \(unsafeRaw: String(name))").run()
        await admin.close()
        var components = try #require(URLComponents(string: url))
        components.path = "/\(name)"
        let databaseURL = try #require(components.string)
        return (
            ["DATABASE_URL": databaseURL],
            {
                guard let admin = try? await RecoupDatabase.open(.postgres(url: url, searchPath: nil), migrate: false)
                else { return }
                try? await admin.sql.raw("DROP DATABASE IF EXISTS \(unsafeRaw: String(name)) WITH (FORCE)").run()
                await admin.close()
            }
        )
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "\(text)")
    }

    /// Every debt's balance by component in an SQLite file, by reference: "principal/interest/fees".
    static func balances(sqlite path: String) async throws -> [String: String] {
        let database = try await RecoupDatabase.open(.sqliteFile(path: path), migrate: false)
        defer { Task { await database.close() } }
        var balances: [String: String] = [:]
        for row in try await database.sql.raw(
            """
            SELECT d.ref, SUM(l.principal) AS p, SUM(l.interest) AS i, SUM(l.fees) AS f FROM debts d \
            JOIN ledger_entries l ON l.debt_id = d.id GROUP BY d.ref
            """
        ).all() {
            balances[try row.decode(column: "ref", as: String.self)] =
                "\(try row.decode(column: "p", as: Int64.self))/\(try row.decode(column: "i", as: Int64.self))/"
                + "\(try row.decode(column: "f", as: Int64.self))"
        }
        return balances
    }

    @Test(
        "placement create writes the agency's file; the agency imports it into a fresh database with the same balances",
        arguments: TestStore.available)
    func roundTrip(store: TestStore) async throws {
        let (environment, drop) = try await Self.database(store)
        defer { Task { await drop() } }
        let recoup = try RecoupBinary()
        let run = { (arguments: [String]) in try await recoup.run(arguments, environment: environment) }
        let imported = try await run([
            "import", "--format", "recoup", try recoup.write(Self.file, to: "d.csv"), "--client", "acme",
        ])
        #expect(imported.status == 0, "\(imported.standardError)")
        let today = LocalDate(Date(), in: TimeZone(identifier: "UTC")!).isoString

        // Act: two debts placed with one agency today.
        let first = try await run([
            "placement", "create", "--client", "acme", "--debt", "F1", "--agency", "acme-collections", "--rate", "25",
        ])
        let second = try await run([
            "placement", "create", "--client", "acme", "--debt", "G1", "--agency", "acme-collections",
        ])

        // Verify: the placements, and one file with both.
        #expect(first.status == 0 && second.status == 0, "\(first.standardError) \(second.standardError)")
        let placement = try Self.json(first.standardOutput)
        let path = recoup.directory.appendingPathComponent("placements/acme-collections-acme-\(today).csv")
            .standardizedFileURL.path
        #expect(
            first.standardOutput
                == #"{"id":1,"client":"acme","debt":"F1","debtor":"P1","agency":"acme-collections","placedOn":"\#(today)","#
                + #""balanceAtPlacement":"1007.50","currency":"USD","contingencyPercent":"25","inForce":true,"#
                + #""recalledOn":null,"recalledBy":null,"recallReason":null,"file":"\#(path)","createdBy":null,"#
                + #""createdAt":"\#(placement["createdAt"] as? String ?? "")"}"# + "\n")
        #expect(try Self.json(second.standardOutput)["file"] as? String == path)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.split(separator: "\n").count == 3, "\(text)")

        // The agency imports the file into its own, fresh database.
        let agency = try await run([
            "import", "--format", "recoup", path, "--client", "acme", "--database", "agency.sqlite",
        ])
        #expect(
            agency.standardOutput == #"{"imported":2,"unchanged":0,"updated":0,"rejected":0,"errors":[],"warnings":[]}"#
                + "\n", "\(agency.standardError)")
        let balances = try await Self.balances(sqlite: recoup.directory.appendingPathComponent("agency.sqlite").path)
        // F1: 1000.00 + 12.50 + 25.00 − 30.00 (fees 25.00, interest 5.00); G1: 500.00 + 10.00 fees.
        #expect(balances == ["F1": "100000/750/0", "G1": "50000/0/1000"])
        if store == .sqlite {
            let source = try await Self.balances(sqlite: recoup.directory.appendingPathComponent("recoup.sqlite").path)
            #expect(source["F1"] == balances["F1"] && source["G1"] == balances["G1"])
        }
        // What the agency knows of the debtors: names, contact points, zones, the dispute.
        let agencyDatabase = try await RecoupDatabase.open(
            .sqliteFile(path: recoup.directory.appendingPathComponent("agency.sqlite").path), migrate: false)
        let points = try await agencyDatabase.sql.raw(
            "SELECT p.name, c.kind, c.value, c.type FROM contact_points c JOIN debtors p ON p.id = c.debtor_id ORDER BY c.id"
        ).all().map {
            "\(try $0.decode(column: "name", as: String.self)) \(try $0.decode(column: "kind", as: String.self)) "
                + "\(try $0.decode(column: "value", as: String.self)):\(try $0.decode(column: "type", as: String.self))"
        }
        let disputed = try await agencyDatabase.sql.raw("SELECT ref FROM debts WHERE disputed").all().map {
            try $0.decode(column: "ref", as: String.self)
        }
        await agencyDatabase.close()
        #expect(
            points == [
                "Pat Doe phone +16175550100:mobile", "Pat Doe phone +16175550101:home",
                "Pat Doe email pat@example.com:other",
                "Pat Doe email pat@work.example:other", "Acme, \"The\" Shop address 1 Main St, Suite 2:home",
            ])
        #expect(disputed == ["F1"])

        // RECOUP_PLACEMENTS_DIR says where; the file of another agency.
        let elsewhere = recoup.directory.appendingPathComponent("outbox-for-agencies").path
        var moved = environment
        moved["RECOUP_PLACEMENTS_DIR"] = elsewhere
        _ = try await run(["placement", "recall", "--client", "acme", "--debt", "G1", "--reason", "wrong agency"])
        let other = try await recoup.run(
            ["placement", "create", "--client", "acme", "--debt", "G1", "--agency", "b-agency"], environment: moved)
        #expect(other.status == 0, "\(other.standardError)")
        #expect(FileManager.default.fileExists(atPath: "\(elsewhere)/b-agency-acme-\(today).csv"))
        // The first agency's file written again leaves out the recalled debt.
        let rewritten = try await run(["placement", "file", "--agency", "acme-collections", "--on", today])
        #expect(rewritten.standardOutput == #"{"files":["\#(path)"]}"# + "\n", "\(rewritten.standardError)")
        #expect(try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").count == 2)
    }

    @Test("recall, list; bad input is one sentence and exit 2 (a rate of 150, an unplaced debt, nothing owed)")
    func recallAndRefusals() async throws {
        let recoup = try RecoupBinary()
        _ = try await recoup.run([
            "import", "--format", "recoup", try recoup.write(Self.file, to: "d.csv"), "--client", "acme",
        ])
        let refuse = { (arguments: [String], sentence: String) in
            let result = try await recoup.run(arguments)
            #expect(result.status == 2, "\(arguments): \(result.standardError)")
            #expect(result.standardError == "recoup: \(sentence)\n", "\(arguments)")
            #expect(result.standardOutput == "")
        }
        try await refuse(
            ["placement", "create", "--client", "acme", "--debt", "F1", "--agency", "acme", "--rate", "150"],
            "the contingency rate 150 is above 100 percent; give a number from 0 to 100")
        try await refuse(
            ["placement", "create", "--client", "acme", "--debt", "F9", "--agency", "acme"],
            "client \"acme\" has no debt \"F9\"")
        try await refuse(
            ["placement", "create", "--client", "acme", "--debt", "F2", "--agency", "acme", "--on", "2026-06-01"],
            "debt \"F2\" owes nothing on 2026-06-01 (balance $0.00), so there is nothing to place")
        try await refuse(
            ["placement", "recall", "--client", "acme", "--debt", "F1", "--reason", "x"],
            "debt \"F1\" of client \"acme\" is not placed with an agency, so there is nothing to recall")
        try await refuse(["placement", "list", "--format", "csv"], "--format is \"csv\"; use json or table")
        try await refuse(
            ["placement", "file", "--agency", "acme", "--on", "2026-06-01"], "nothing is placed with acme on 2026-06-01"
        )
        #expect(!FileManager.default.fileExists(atPath: recoup.directory.appendingPathComponent("placements").path))

        let placed = try await recoup.run([
            "placement", "create", "--client", "acme", "--debt", "F1", "--agency", "acme", "--on", "2026-02-01",
            "--rate", "33.50",
        ])
        #expect(placed.status == 0, "\(placed.standardError)")
        // Placed before the payment of 2026-03-01: the whole charge was owed.
        #expect(try Self.json(placed.standardOutput)["balanceAtPlacement"] as? String == "1037.50")
        try await refuse(
            ["placement", "recall", "--client", "acme", "--debt", "F1", "--on", "2026-01-31", "--reason", "x"],
            "the recall date 2026-01-31 is before the placement with acme on 2026-02-01")
        let recalled = try await recoup.run([
            "placement", "recall", "--client", "acme", "--debt", "F1", "--on", "2026-03-02", "--reason", "paid us",
        ])
        let recall = try Self.json(recalled.standardOutput)
        #expect(recall["inForce"] as? Bool == false && recall["recalledOn"] as? String == "2026-03-02")
        #expect(recall["recallReason"] as? String == "paid us")
        let table = try await recoup.run(["placement", "list", "--format", "table"])
        #expect(
            table.standardOutput == """
                id  client  debt  agency  placed on   balance    rate   recalled
                1   acme    F1    acme    2026-02-01  $1,037.50  33.5%  2026-03-02

                """)
        let none = try await recoup.run(["placement", "list", "--in-force", "--agency", "acme"])
        #expect(none.standardOutput == "[]\n")
    }

    @Test("GET /api/v1/placements and the debt's placements, through the user's scope", arguments: TestStore.available)
    func api(store: TestStore) async throws {
        try await withApp(store) { app in
            let beta = try await AccessTests.twoClients(app)
            let now = app.settings.clock()
            let utc = TimeZone(identifier: "UTC")!
            let a1 = try await PlacementStore.place(
                clientRef: "alpha", debtRef: "A-1", agency: "acme-collections", placedOn: app.settings.today,
                contingencyPercent: "25", by: "cole@example.com", now: now, zone: utc, on: app.db)
            _ = try await PlacementStore.place(
                clientRef: "beta", debtRef: "B-1", agency: "other-agency", placedOn: app.settings.today,
                contingencyPercent: nil, by: nil, now: now, zone: utc, on: app.db)

            try await app.api(.GET, "api/v1/placements?client=alpha") { response async throws in
                #expect(response.status == .ok)
                #expect(
                    response.body.string
                        == #"[{"agency":"acme-collections","balanceAtPlacement":"100.00","client":"alpha","contingencyPercent":"25","#
                        + #""createdAt":"\#(ISO8601Instant.format(a1.createdAt))","createdBy":"cole@example.com","currency":"USD","#
                        + #""debt":"A-1","debtor":"0379-NEVHP","id":\#(a1.id),"inForce":true,"placedOn":"2026-11-30","#
                        + #""recallReason":null,"recalledOn":null}]"#)
            }
            try await app.api(.GET, "api/v1/placements") { response async throws in
                #expect(response.body.string.components(separatedBy: #""agency""#).count - 1 == 2)
            }
            try await app.api(.GET, "api/v1/placements?agency=other-agency&inForce=true") { response async throws in
                #expect(response.body.string.contains(#""debt":"B-1""#) && !response.body.string.contains("A-1"))
            }
            // A client's staff: their client's only; another client's is 404, as a missing one.
            try await app.api(.GET, "api/v1/placements", token: beta) { response async throws in
                #expect(response.status == .ok)
                #expect(response.body.string.contains(#""debt":"B-1""#) && !response.body.string.contains("A-1"))
            }
            try await app.api(.GET, "api/v1/placements?client=alpha", token: beta) { response async throws in
                #expect(response.status == .notFound)
            }
            try await app.api(.GET, "api/v1/placements?inForce=maybe") { response async throws in
                #expect(response.status == .badRequest)
            }
            try await app.api(.GET, "api/v1/debts/\(a1.debtID)") { response async throws in
                #expect(response.body.string.contains(#""placements":[{"agency":"acme-collections","#))
            }
            let a2 = try await AccessTests.debtID("A-2", app)
            try await app.api(.GET, "api/v1/debts/\(a2)") { response async throws in
                #expect(response.body.string.contains(#""placements":[]"#))
            }
        }
    }

    @Test("the placements directory: RECOUP_PLACEMENTS_DIR, else beside the SQLite file, else the working directory")
    func directory() {
        let cwd = FileManager.default.currentDirectoryPath
        #expect(
            PlacementsDirectory.resolve(store: .sqliteFile(path: "/data/recoup.sqlite"), environment: [:]).path
                == "/data/placements")
        #expect(
            PlacementsDirectory.resolve(store: .sqliteFile(path: "recoup.sqlite"), environment: [:]).path
                == URL(fileURLWithPath: cwd).appendingPathComponent("placements").standardizedFileURL.path)
        #expect(
            PlacementsDirectory.resolve(
                store: .postgres(url: "postgres://u@h/d", searchPath: nil), environment: ["RECOUP_PLACEMENTS_DIR": ""]
            ).path == URL(fileURLWithPath: cwd).appendingPathComponent("placements").standardizedFileURL.path)
        #expect(
            PlacementsDirectory.resolve(
                store: .sqliteFile(path: "/data/recoup.sqlite"), environment: ["RECOUP_PLACEMENTS_DIR": "/srv/out"]
            ).path == "/srv/out")
    }
}
