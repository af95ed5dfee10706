import Foundation
import RecoupCore
import RecoupStore
import RecoupTestSupport
import Testing
import Vapor
import VaporTesting

/// The runs recorded, through the API and the pages: counts as recorded, and a client's staff see their client's
/// runs only.
@Suite("The runs API and pages")
struct RunAPITests {
    static let strategy: Strategy = {
        var reminder = StrategyStep(id: "reminder-1", day: 1, action: .email)
        reminder.template = "reminder"
        return Strategy(name: "t", tracks: [StrategyTrack(steps: [StrategyStep(id: "wait-1", day: 0, action: .wait)])])
    }()

    static func run(_ app: Application, client: String?) async throws -> RunSummary {
        var request = RunRequest(
            asOf: try LocalDate(iso: "2026-11-29"),
            defaultStrategy: RunStrategy(strategy: strategy, id: nil, version: 0),
            zone: TimeZone(identifier: "UTC")!)
        request.clientRef = client
        return try await RunStore.run(request, on: app.db, now: testNow)
    }

    @Test(
        "GET /api/v1/runs lists the runs with their counts; a client user sees its own client's only",
        arguments: TestStore.available)
    func api(store: TestStore) async throws {
        try await withApp(store) { app in
            let beta = try await AccessTests.twoClients(app)
            let all = try await Self.run(app, client: nil)
            let alpha = try await Self.run(app, client: "alpha")
            let betaRun = try await Self.run(app, client: "beta")
            #expect(all.created == 2)  // A-1 and B-1 are open; A-2 was paid
            #expect(alpha.created == 0 && alpha.alreadyDone == 1)
            try await app.api(.GET, "api/v1/runs") { response async throws in
                #expect(response.status == .ok)
                let body = response.body.string
                let document = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
                let items = try #require(document["items"] as? [[String: Any]])
                #expect(
                    items.map { $0["runId"] as? String } == [betaRun, alpha, all].map { $0.runID.map(String.init) })
                #expect(items.last?["created"] as? Int == 2)
                #expect(items.last?["client"] is NSNull)
                #expect(((items.last?["counts"] as? [String: Any])?["action"] as? [String: Int])?["wait"] == 2)
            }
            try await app.api(.GET, "api/v1/runs?limit=1") { response async throws in
                let document = try #require(
                    try JSONSerialization.jsonObject(with: Data(response.body.string.utf8)) as? [String: Any])
                #expect((document["items"] as? [Any])?.count == 1)
                #expect(document["next"] as? String == betaRun.runID.map(String.init))
            }
            try await app.api(.GET, "api/v1/runs", token: beta) { response async throws in
                let document = try #require(
                    try JSONSerialization.jsonObject(with: Data(response.body.string.utf8)) as? [String: Any])
                let items = try #require(document["items"] as? [[String: Any]])
                #expect(items.map { $0["runId"] as? String } == [betaRun.runID.map(String.init)])
            }
            try await app.api(.GET, "api/v1/runs?limit=0") { response async throws in
                #expect(response.status == .badRequest)
            }
            try await app.api(.GET, "api/v1/runs?before=abc") { response async throws in
                #expect(response.status == .badRequest)
                #expect(response.body.string.contains("before is"))
            }
        }
    }

    @Test(
        "the runs page lists runs; a run's page shows its actions; another client's run is not found",
        arguments: TestStore.available)
    func pages(store: TestStore) async throws {
        try await withApp(store) { app in
            _ = try await AccessTests.twoClients(app)
            let all = try await Self.run(app, client: nil)
            let runID = try #require(all.runID)
            try await app.page(.GET, "runs") { response async throws in
                #expect(response.status == .ok)
                let html = response.body.string
                #expect(html.contains(#"<a href="/runs/\#(runID)">\#(runID)</a>"#))
                #expect(html.contains("Sun 29 Nov 2026"))
                #expect(html.contains(#"aria-current="page">Runs</a>"#))
            }
            try await app.page(.GET, "runs/\(runID)") { response async throws in
                #expect(response.status == .ok)
                let html = response.body.string
                #expect(html.contains("A-1"))
                #expect(html.contains("B-1"))
                #expect(html.contains("By action: wait 2"))
                #expect(html.contains("Nothing was blocked."))
            }
            try await app.page(.GET, "runs/999999") { response async throws in
                #expect(response.status == .notFound)
            }
            try await app.page(.GET, "runs/abc") { response async throws in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test(
        "the reports page totals the debts placed with agencies, through the user's scope",
        arguments: TestStore.available)
    func placementsOnReports(store: TestStore) async throws {
        try await withApp(store) { app in
            _ = try await AccessTests.twoClients(app)
            try await app.page(.GET, "reports") { response async throws in
                #expect(response.body.string.contains("No debt is placed with an agency."))
            }
            _ = try await PlacementStore.place(
                clientRef: "alpha", debtRef: "A-1", agency: "partner-agency",
                placedOn: try LocalDate(iso: "2026-11-29"),
                contingencyPercent: "25", by: "test", now: testNow, zone: TimeZone(identifier: "UTC")!, on: app.db)
            try await app.page(.GET, "reports") { response async throws in
                let html = response.body.string
                #expect(
                    html.contains(
                        #"<tr><td>alpha</td><td>partner-agency</td><td class="num">1</td><td class="num">$100.00</td></tr>"#
                    ))
            }
        }
    }
}
