import Foundation
import RecoupCore
import RecoupStore
import RecoupTestSupport
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import RecoupServer

/// The agency reports' pages, CSV downloads and commands, on `AgencyReportPortfolio`.
@Suite("Agency report pages and commands")
struct AgencyReportPagesTests {
    /// The liquidation report of the portfolio at the end of 2026-12-15, as CSV.
    static let liquidationCSV = """
        placement_month,accounts,placed,months_since_placement,calendar_month,collected,percent,collected_by_agency,percent_by_agency,currency
        2026-09,2,1500.00,0,2026-09,200.00,13.33,200.00,13.33,USD
        2026-09,2,1500.00,1,2026-10,250.00,16.67,200.00,13.33,USD
        2026-09,2,1500.00,2,2026-11,250.00,16.67,200.00,13.33,USD
        2026-09,2,1500.00,3,2026-12,350.00,23.33,300.00,20.00,USD
        2026-10,2,500.00,0,2026-10,60.00,12.00,60.00,12.00,USD
        2026-10,2,500.00,1,2026-11,80.00,16.00,80.00,16.00,USD
        2026-10,2,500.00,2,2026-12,80.00,16.00,80.00,16.00,USD

        """

    /// A session cookie for beta's client user.
    static func clerkHeaders(_ app: Application) async throws -> HTTPHeaders {
        let clerk = try await UserStore.add(
            email: "clerk@beta.example", role: .client, clientRef: "beta", passwordHash: "x", on: app.db, now: testNow)
        let session = try await UserStore.createSession(
            userID: clerk.id, on: app.db, now: app.settings.clock(), lifetime: 600)
        var headers = HTTPHeaders()
        headers.add(name: .cookie, value: "\(SessionAuthenticationMiddleware.cookieName)=\(session.token)")
        return headers
    }

    @Test(
        "each report page draws its chart as SVG, shows its table and links its CSV; the CSV is the report's",
        arguments: TestStore.available)
    func pages(store: TestStore) async throws {
        try await withApp(store) { app in
            try await AgencyReportPortfolio.load(on: app.db)
            try await app.page(.GET, "reports/liquidation?asOf=2026-12-15") { response async throws in
                #expect(response.status == .ok)
                let html = response.body.string
                #expect(html.contains(#"<svg id="report-chart" role="img""#))
                #expect(html.components(separatedBy: "<polyline ").count - 1 == 2)  // one step line per month placed
                #expect(html.contains(#"<td data-label="Month 3" class="num">23.33%</td>"#))
                #expect(html.contains(#"href="/reports/liquidation?asOf=2026-12-15&amp;format=csv""#))
                #expect(html.contains(#"aria-current="page">Reports</a>"#))
            }
            try await app.page(.GET, "reports/liquidation?asOf=2026-12-15&format=csv") { response async throws in
                #expect(response.status == .ok)
                #expect(response.headers.contentType?.subType == "csv")
                #expect(
                    response.headers.first(name: .contentDisposition)?.contains("liquidation-2026-12-15.csv") == true)
                #expect(response.body.string == Self.liquidationCSV)
            }
            try await app.page(.GET, "reports/recovery?asOf=2026-12-15") { response async throws in
                #expect(response.status == .ok)
                let html = response.body.string
                #expect(html.contains("<svg"))
                #expect(html.contains(#"<td data-label="Recovery" class="num">22.78%</td>"#))
            }
            try await app.page(.GET, "reports/promises?from=2026-10-01&to=2026-12-31&asOf=2026-12-15") {
                response async throws in
                #expect(response.status == .ok)
                #expect(response.body.string.contains("<svg"))
                #expect(response.body.string.contains(#"<td data-label="Kept rate" class="num">50.00%</td>"#))
            }
            try await app.page(.GET, "reports/collectors?from=2026-11-01&to=2026-12-15&format=csv") {
                response async throws in
                #expect(
                    response.body.string == """
                        collector,attempts,conversations,promises,collected,currency
                        ana@agency.example,2,2,2,20.00,USD
                        sam@agency.example,2,1,1,100.00,USD

                        """)
            }
            try await app.page(.GET, "reports/collectors?from=2026-11-01&to=2026-12-15") { response async throws in
                let html = response.body.string
                #expect(html.contains("<svg"))
                #expect(html.contains(">sam@agency.example: 2 / 1, $100.00</text>"))
            }
            try await app.page(.GET, "reports") { response async throws in
                #expect(response.body.string.contains(#"<a href="/reports/liquidation">"#))
            }
            for bad in [
                "reports/liquidation?asOf=2026-02-30", "reports/liquidation?format=xls",
                "reports/collectors?from=2026-12-02&to=2026-12-01",
            ] {
                try await app.page(.GET, bad) { response async throws in
                    #expect(response.status == .badRequest, "\(bad)")
                }
            }
        }
    }

    @Test(
        "the API answers each report with the JSON the command prints, in the user's scope",
        arguments: TestStore.available)
    func api(store: TestStore) async throws {
        try await withApp(store) { app in
            try await AgencyReportPortfolio.load(on: app.db)
            let sql = app.db as! any SQLDatabase
            let asOf = try LocalDate(iso: "2026-12-15")
            let (from, to) = (try LocalDate(iso: "2026-10-01"), try LocalDate(iso: "2026-12-15"))
            let expected: [(String, OrderedJSON)] = [
                (
                    "liquidation?asOf=2026-12-15",
                    AgencyReportText.json(try await AgencyReports.liquidation(asOf: asOf, on: sql), clientRef: nil)
                ),
                (
                    "recovery?asOf=2026-12-15&client=acme",
                    AgencyReportText.json(
                        try await AgencyReports.recovery(asOf: asOf, clientRef: "acme", on: sql), clientRef: "acme")
                ),
                (
                    "promises?from=2026-10-01&to=2026-12-15&asOf=2026-12-15",
                    AgencyReportText.json(
                        try await AgencyReports.promises(from: from, to: to, asOf: asOf, on: sql), clientRef: nil)
                ),
                (
                    "collectors?from=2026-10-01&to=2026-12-15",
                    AgencyReportText.json(
                        try await AgencyReports.collectors(
                            from: from, to: to, zone: app.settings.businessTimeZone, on: sql), clientRef: nil)
                ),
            ]
            func object(_ text: String) throws -> NSDictionary {
                try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? NSDictionary, "\(text)")
            }
            for (path, json) in expected {
                try await app.api(.GET, "api/v1/reports/\(path)") { response async throws in
                    #expect(response.status == .ok, "\(path): \(response.body.string)")
                    #expect(try object(response.body.string) == (try object(json.text)), "\(path)")
                }
            }
            // The figures are the portfolio's: 350.00 collected of 1,500.00 placed in September, 23.33%.
            try await app.api(.GET, "api/v1/reports/liquidation?asOf=2026-12-15") { response async throws in
                let body = try object(response.body.string)
                let september = try #require((body["placements"] as? [NSDictionary])?.first)
                let last = try #require((september["months"] as? [NSDictionary])?.last)
                #expect(last["collected"] as? String == "350.00" && last["percent"] as? String == "23.33")
            }
            // A client user: its own client's figures; another client's are not found.
            let clerk = try await UserStore.add(
                email: "clerk@beta.example", role: .client, clientRef: "beta", passwordHash: "x", on: app.db,
                now: testNow)
            let token = try await UserStore.createToken(email: clerk.email, on: app.db, now: testNow).token
            try await app.api(.GET, "api/v1/reports/recovery?asOf=2026-12-15", token: token) { response async throws in
                let clients = try #require(try object(response.body.string)["clients"] as? [NSDictionary])
                #expect(clients.map { $0["client"] as? String } == ["beta"])
            }
            try await app.api(.GET, "api/v1/reports/liquidation?client=acme", token: token) { response async throws in
                #expect(response.status == .notFound)
            }
            // Bad input: one sentence, 400.
            for bad in [
                "liquidation?asOf=2026-02-30", "collectors?from=2026-12-02&to=2026-12-01", "recovery?currency=XYZ",
            ] {
                try await app.api(.GET, "api/v1/reports/\(bad)") { response async throws in
                    #expect(response.status == .badRequest, "\(bad): \(response.body.string)")
                }
            }
        }
    }

    @Test(
        "a client user sees its own client's figures only; another client's is not found",
        arguments: TestStore.available)
    func clientScope(store: TestStore) async throws {
        try await withApp(store) { app in
            try await AgencyReportPortfolio.load(on: app.db)
            let headers = try await Self.clerkHeaders(app)
            try await app.testing().test(.GET, "reports/liquidation?asOf=2026-12-15&format=csv", headers: headers) {
                response async throws in
                #expect(
                    response.body.string == """
                        placement_month,accounts,placed,months_since_placement,calendar_month,collected,percent,collected_by_agency,percent_by_agency,currency
                        2026-10,1,200.00,0,2026-10,0.00,0.00,0.00,0.00,USD
                        2026-10,1,200.00,1,2026-11,20.00,10.00,20.00,10.00,USD
                        2026-10,1,200.00,2,2026-12,20.00,10.00,20.00,10.00,USD

                        """)
            }
            try await app.testing().test(.GET, "reports/recovery?asOf=2026-12-15", headers: headers) {
                response async throws in
                #expect(response.status == .ok)
                let html = response.body.string
                #expect(html.contains("<svg"))
                #expect(html.contains(">beta</td>"))
                #expect(!html.contains("acme"))
                #expect(!html.contains(#"<select id="client""#))
            }
            try await app.testing().test(.GET, "reports/collectors?from=2026-11-01&to=2026-12-15", headers: headers) {
                response async throws in
                #expect(!response.body.string.contains("sam@agency.example"))
            }
            for path in ["liquidation", "recovery", "promises", "collectors"] {
                try await app.testing().test(.GET, "reports/\(path)?client=acme", headers: headers) {
                    response async throws in
                    #expect(response.status == .notFound, "\(path)")
                }
            }
        }
    }

    @Test(
        "recoup report liquidation|recovery|promises|collectors print JSON and CSV; bad input is one sentence, exit 2")
    func commands() async throws {
        let recoup = try RecoupBinary()
        let path = recoup.directory.appendingPathComponent("recoup.sqlite").path
        let database = try await RecoupDatabase.open(.sqliteFile(path: path))
        do {
            try await AgencyReportPortfolio.load(on: database.db)
        } catch {
            await database.close()
            throw error
        }
        await database.close()
        let csv = try await recoup.run(["report", "liquidation", "--as-of", "2026-12-15", "--format", "csv"])
        #expect(csv.status == 0)
        #expect(csv.standardOutput == Self.liquidationCSV)
        let json = try await recoup.run(["report", "liquidation", "--as-of", "2026-12-15", "--client", "beta"])
        #expect(
            json.standardOutput
                == #"{"report":"liquidation","asOf":"2026-12-15","client":"beta","currency":"USD","placements":[{"month":"2026-10","accounts":1,"placed":"200.00","months":[{"month":0,"calendarMonth":"2026-10","collected":"0.00","percent":"0.00","collectedByAgency":"0.00","percentByAgency":"0.00"},{"month":1,"calendarMonth":"2026-11","collected":"20.00","percent":"10.00","collectedByAgency":"20.00","percentByAgency":"10.00"},{"month":2,"calendarMonth":"2026-12","collected":"20.00","percent":"10.00","collectedByAgency":"20.00","percentByAgency":"10.00"}]}],"total":{"accounts":1,"placed":"200.00","collected":"20.00","percent":"10.00","collectedByAgency":"20.00","percentByAgency":"10.00"}}"#
                + "\n")
        let recovery = try await recoup.run(["report", "recovery", "--as-of", "2026-12-15", "--format", "csv"])
        #expect(
            recovery.standardOutput == """
                client,name,placed,collected,percent,collected_by_agency,open,closed,currency
                acme,acme,1800.00,410.00,22.78,360.00,2,1,USD
                beta,beta,200.00,20.00,10.00,20.00,1,0,USD

                """)
        let promises = try await recoup.run([
            "report", "promises", "--from", "2026-10-01", "--to", "2026-12-31", "--as-of", "2026-12-15",
        ])
        #expect(
            promises.standardOutput.contains(
                #""total":{"made":5,"kept":2,"partiallyKept":1,"broken":1,"pending":1,"keptPercent":"50.00","promised":"420.00","paid":"310.00"}"#
            ))
        let collectors = try await recoup.run([
            "report", "collectors", "--from", "2026-11-01", "--to", "2026-12-15", "--format", "json",
        ])
        #expect(
            collectors.standardOutput.contains(
                #"{"collector":"sam@agency.example","attempts":2,"conversations":1,"promises":1,"collected":"100.00"}"#
            ))
        for arguments in [
            ["report", "liquidation", "--format", "xls"], ["report", "liquidation", "--client", "nobody"],
            ["report", "liquidation", "--as-of", "2026-02-30"], ["report", "recovery", "--currency", "XYZ1"],
            ["report", "collectors", "--from", "2026-12-02", "--to", "2026-12-01"],
            ["report", "promises", "--time-zone", "Mars/Olympus_Mons"],
        ] {
            let bad = try await recoup.run(arguments)
            #expect(bad.status == 2, "\(arguments)")
            #expect(bad.standardError.hasPrefix("recoup: "), "\(arguments)")
            #expect(bad.standardError.split(separator: "\n").count == 1, "\(arguments)")
        }
    }
}
