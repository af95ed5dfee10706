import Foundation
import RecoupCore
import RecoupStore
import RecoupTestSupport
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import RecoupServer

/// `GET /api/v1/queue` and its claim and outcome operations: the signed-in user is the collector, the client scope
/// applies, refusals are 409 with a code and one sentence.
@Suite("The work queue API")
struct QueueAPITests {
    /// Client "default": Sam (a promise due today, 2026-11-30 in the test's UTC business zone), Lee in Los Angeles (a
    /// promise broken on 20 November), Ava (a call step due); client "beta": Bo (a call step due).
    static let file = """
        debt_ref,debtor_ref,debtor_kind,debtor_name,charged_on,due_on,principal,phones,time_zones
        S1,P3,consumer,Sam Roe,2026-07-01,2026-08-01,500.00,+16175550111:mobile,America/New_York
        L1,P2,consumer,Lee Kim,2026-08-01,2026-09-01,300.00,+12135550100:mobile,America/Los_Angeles
        A1,P4,consumer,Ava Poe,2026-09-01,2026-10-01,2000.00,+16175550122:mobile,America/New_York

        """
    static let betaFile = """
        debt_ref,debtor_ref,debtor_kind,debtor_name,charged_on,due_on,principal,phones,time_zones
        B1,Q1,consumer,Bo Tan,2026-09-01,2026-10-01,700.00,+16175550133:mobile,America/New_York

        """

    static func day(_ text: String) -> LocalDate { try! LocalDate(iso: text) }

    /// The portfolio above, with its promises and the daily run's open steps (and a skip-trace task on L1); returns the
    /// debts' ids by reference.
    @discardableResult
    static func prepare(_ app: Application) async throws -> [String: Int64] {
        try await TestDebts.load(file, on: app.db, now: testNow.addingTimeInterval(-86_400))
        _ = try await Importer.run(
            ImportRequest(path: try TestFiles.temporary(betaFile), format: .recoup, clientRef: "beta"), on: app.db,
            now: testNow.addingTimeInterval(-86_400))
        _ = try await PromiseStore.add(
            clientRef: "default", debtRef: "S1", amount: .minorUnits(10_000), due: day("2026-11-30"),
            madeOn: day("2026-11-25"), via: .call, note: nil, on: app.db, now: testNow)
        _ = try await PromiseStore.add(
            clientRef: "default", debtRef: "L1", amount: .minorUnits(5_000), due: day("2026-11-20"),
            madeOn: day("2026-11-15"), via: .portal, note: nil, on: app.db, now: testNow)
        for (kind, ref) in [("call", "A1"), ("call", "B1"), ("skip_trace", "L1")] {
            try await (app.db as! any SQLDatabase).raw(
                """
                INSERT INTO work_items (kind, debt_id, debtor_id, client_id, reason, due_on, status, created_at) \
                SELECT \(bind: kind), id, debtor_id, client_id, \(bind: "Step \(kind)-1 is due for \(ref)."), \
                \(bind: day("2026-11-30").daysSinceEpoch), 'open', \(bind: testNow) FROM debts WHERE ref = \(bind: ref)
                """
            ).run()
        }
        return try await TestDebts.ids(on: app.db)
    }

    /// A user with an API token: a collector, or with `client` a client's own staff.
    static func token(_ email: String, client: String? = nil, _ app: Application) async throws -> String {
        _ = try await UserStore.add(
            email: email, role: client == nil ? .collector : .client, clientRef: client, passwordHash: "x", on: app.db,
            now: testNow)
        return try await UserStore.createToken(email: email, on: app.db, now: testNow).token
    }

    static func json(_ response: TestingHTTPResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
    }

    static func refs(_ body: [String: Any]) -> [String] {
        (body["items"] as? [[String: Any]] ?? []).compactMap { ($0["debt"] as? [String: Any])?["ref"] as? String }
    }

    @Test(
        "the queue in order with each item's reason, talking points, number and local time",
        arguments: TestStore.available)
    func list(store: TestStore) async throws {
        try await withApp(store) { app in
            let ids = try await Self.prepare(app)
            try await app.api(.GET, "api/v1/queue") { response async throws in
                #expect(response.status == .ok)
                let body = try Self.json(response)
                #expect(body["asOf"] as? String == "2026-11-30")
                #expect(Self.refs(body) == ["S1", "L1", "A1", "B1"])
                #expect(body["complete"] as? Bool == true)
                let sam = try #require((body["items"] as? [[String: Any]])?.first)
                #expect(sam["id"] as? String == String(ids["S1"]!))
                #expect(sam["reason"] as? String == "promise_due_today")
                #expect(sam["sentence"] as? String == "A promise to pay $100.00 on S1 is due today.")
                #expect(sam["action"] as? String == "call")
                #expect(sam["client"] as? String == "default")
                #expect((sam["debtor"] as? [String: Any])?["name"] as? String == "Sam Roe")
                #expect(
                    sam["debt"] as? [String: String] == [
                        "id": String(ids["S1"]!), "ref": "S1", "balance": "500.00", "currency": "USD",
                        "dueDate": "2026-08-01",
                    ])
                #expect(sam["daysPastDue"] as? Int == 121)
                #expect(sam["phone"] as? [String: String] == ["number": "+16175550111", "type": "mobile"])
                #expect(sam["timeZone"] as? String == "America/New_York")
                #expect(sam["localTime"] as? String == "2026-11-29T19:53:20-05:00")
                #expect((sam["decision"] as? [String: Any])?["decision"] as? String == "allow")
                #expect(sam["workItemId"] is NSNull)
                #expect(sam["claimedUntil"] is NSNull)
                #expect(sam["lastContact"] is NSNull)
                #expect(
                    (sam["talkingPoints"] as? [String])?.first
                        == "Owes $500.00 on S1, 121 days past due (due 2026-08-01).")
            }
            try await app.api(.GET, "api/v1/queue?limit=1&client=default") { response async throws in
                #expect(Self.refs(try Self.json(response)) == ["S1"])
            }
            try await app.api(.GET, "api/v1/queue/tasks") { response async throws in
                #expect(response.status == .ok)
                let items = try #require(try Self.json(response)["items"] as? [[String: Any]])
                #expect(items.map { $0["kind"] as? String } == ["skip_trace"])
                #expect(items.first?["debtRef"] as? String == "L1")
                #expect(items.first?["dueDate"] as? String == "2026-11-30")
            }
            for (path, message) in [
                ("api/v1/queue?limit=0", "limit is 0; use 1 to 100"),
                ("api/v1/queue/tasks?limit=501", "limit is 501; use 1 to 500"),
            ] {
                try await app.api(.GET, path) { response async throws in
                    #expect(response.status == .badRequest, "\(path)")
                    #expect(
                        try Self.json(response)["error"] as? [String: String] == [
                            "code": "invalid_request", "message": message,
                        ])
                }
            }
            try await app.api(.GET, "api/v1/queue?client=nope") { response async throws in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test(
        "a claim hides the debtor from another collector, who is refused with 409; the outcome records the call and releases it",
        arguments: TestStore.available)
    func claimAndOutcome(store: TestStore) async throws {
        try await withApp(store) { app in
            let ids = try await Self.prepare(app)
            let bo = try await Self.token("bo@agency.example", app)
            let s1 = ids["S1"]!

            // The admin claims the next: Sam.
            try await app.api(.POST, "api/v1/queue/claim?minutes=10") { response async throws in
                #expect(response.status == .ok)
                let body = try Self.json(response)
                #expect(body["claimedBy"] as? String == TestAccounts.adminEmail)
                #expect(body["claimedUntil"] as? String == "2026-11-30T01:03:20Z")
                let item = try #require(body["item"] as? [String: Any])
                #expect(item["id"] as? String == String(s1))
                #expect(item["claimedUntil"] as? String == "2026-11-30T01:03:20Z")
                #expect(item["workItemId"] as? String == body["workItemId"] as? String)
            }
            try await app.api(.GET, "api/v1/queue", token: bo) { response async throws in
                #expect(Self.refs(try Self.json(response)) == ["L1", "A1", "B1"])
            }
            try await app.api(.POST, "api/v1/queue/\(s1)/claim", token: bo) { response async throws in
                #expect(response.status == .conflict)
                #expect(
                    try Self.json(response)["error"] as? [String: String] == [
                        "code": "claimed", "message": "admin@example.com holds this debtor until 2026-11-30T01:03:20Z",
                    ])
            }
            let outcome = ByteBuffer(string: #"{"outcome": "no_answer", "note": "rang out"}"#)
            try await app.api(.POST, "api/v1/queue/\(s1)/outcome", body: outcome, token: bo) { response async throws in
                #expect(response.status == .conflict)
                #expect((try Self.json(response)["error"] as? [String: String])?["code"] == "claimed")
            }

            // The admin's call: recorded, the claim released, the item done.
            try await app.api(.POST, "api/v1/queue/\(s1)/outcome", body: outcome) { response async throws in
                #expect(response.status == .created)
                let body = try Self.json(response)
                #expect(body["recorded"] as? Bool == true)
                #expect((body["workItems"] as? [String])?.count == 1)
                let event = try #require(body["event"] as? [String: Any])
                #expect(event["type"] as? String == "call")
                #expect(event["outcome"] as? String == "no_answer")
                #expect(event["to"] as? String == "+16175550111")
                #expect(event["debtIds"] as? [String] == ["S1"])
            }
            let events = try await ContactStore.events(of: try await TestDebts.debt("S1", on: app.db), on: app.db)
            #expect(events.map(\.entry.note) == ["rang out"])
            #expect(events.map(\.recordedBy) == [TestAccounts.adminEmail])
            try await app.api(.GET, "api/v1/queue") { response async throws in
                #expect(Self.refs(try Self.json(response)) == ["L1", "A1", "B1"])
            }
            try await app.api(.GET, "api/v1/queue", token: bo) { response async throws in
                #expect(Self.refs(try Self.json(response)) == ["L1", "A1", "B1"])
            }
        }
    }

    @Test(
        "refusals: a call the rules block is 409 with the decision; bad input 400; a debt not callable or nothing to claim 409",
        arguments: TestStore.available)
    func refusals(store: TestStore) async throws {
        try await withApp(store) { app in
            let ids = try await Self.prepare(app)
            // Ava asked us to stop.
            _ = try await ContactStore.record(
                ContactLogEntry(ContactEvent(.cease, at: testNow.addingTimeInterval(-3_600))),
                about: try await TestDebts.debt("A1", on: app.db), recordedBy: nil, on: app.db, now: testNow)
            let a1 = ids["A1"]!
            try await app.api(
                .POST, "api/v1/queue/\(a1)/outcome", body: ByteBuffer(string: #"{"outcome": "conversation"}"#)
            ) { response async throws in
                #expect(response.status == .conflict)
                let body = try Self.json(response)
                #expect((body["error"] as? [String: String])?["code"] == "blocked")
                let rules = (body["decision"] as? [String: Any])?["rules"] as? [[String: Any]]
                #expect(rules?.contains { $0["rule"] as? String == "cease" } == true)
            }
            try await app.api(.POST, "api/v1/queue/\(a1)/claim") { response async throws in
                #expect(response.status == .conflict)
                let error = try #require(try Self.json(response)["error"] as? [String: String])
                #expect(error["code"] == "not_callable")
                #expect(error["message"]?.hasPrefix("a call to Ava Poe is not allowed now: ") == true)
            }
            for (body, message) in [
                (
                    #"{"outcome": "maybe"}"#,
                    #"outcome is "maybe"; use one of no_answer, busy, not_in_service, voicemail, answered_dropped, conversation, third_party"#
                ),
                (#"{}"#, "outcome is missing"),
                (
                    #"{"outcome": "busy", "callbackAt": "soon"}"#,
                    #"callbackAt "soon" is not an instant; give one such as 2026-12-01T15:00:00Z"#
                ),
            ] {
                try await app.api(
                    .POST, "api/v1/queue/\(ids["L1"]!)/outcome", body: ByteBuffer(string: body)
                ) { response async throws in
                    #expect(response.status == .badRequest, "\(body)")
                    #expect((try Self.json(response)["error"] as? [String: String])?["message"] == message, "\(body)")
                }
            }
            try await app.api(.POST, "api/v1/queue/\(ids["L1"]!)/claim?minutes=300") { response async throws in
                #expect(response.status == .badRequest)
            }
            try await app.api(.POST, "api/v1/queue/999999/claim") { response async throws in
                #expect(response.status == .notFound)
            }
            // Beta's staff: their client's debtor only; once claimed, nothing is left to claim.
            let clerk = try await Self.token("clerk@beta.example", client: "beta", app)
            try await app.api(.GET, "api/v1/queue", token: clerk) { response async throws in
                #expect(Self.refs(try Self.json(response)) == ["B1"])
            }
            try await app.api(.POST, "api/v1/queue/claim", token: clerk) { response async throws in
                #expect(response.status == .ok)
            }
            try await app.api(.POST, "api/v1/queue/claim", token: clerk) { response async throws in
                #expect(response.status == .conflict)
                #expect(
                    try Self.json(response)["error"] as? [String: String] == [
                        "code": "nothing_to_claim", "message": "there is nobody in the queue that you may call now",
                    ])
            }
            try await app.api(.POST, "api/v1/queue/\(ids["S1"]!)/claim", token: clerk) { response async throws in
                #expect(response.status == .notFound)
            }
        }
    }
}
