import Foundation
import NIOConcurrencyHelpers
import RecoupCore
import RecoupStore
import RecoupTestSupport
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import RecoupServer

@Suite("Accounts, tokens, client isolation, the debts API, the audit trail and the OpenAPI document")
struct AccessTests {
    /// Two clients: "alpha" (debts A-1, A-2 of one customer) and "beta" (B-1). Returns a token of a beta client user.
    static func twoClients(_ app: Application) async throws -> String {
        let header = IBMAccountsReceivableLayout.header.joined(separator: ",")
        let alpha = try TestFiles.temporary(
            header + "\n391,0379-NEVHP,4/6/2013,A-1,9/1/2026,10/1/2026,100.00,No,,Paper,,"
                + "\n391,0379-NEVHP,4/6/2013,A-2,9/1/2026,10/1/2026,50.00,No,10/15/2026,Paper,,\n", name: "alpha.csv")
        let beta = try TestFiles.temporary(
            header + "\n391,0465-ZZZZZ,4/6/2013,B-1,9/1/2026,10/1/2026,75.00,No,,Paper,,\n", name: "beta.csv")
        _ = try await Importer.run(
            ImportRequest(path: alpha, format: .ibmAR, clientRef: "alpha"), on: app.db, now: testNow)
        _ = try await Importer.run(
            ImportRequest(path: beta, format: .ibmAR, clientRef: "beta"), on: app.db, now: testNow)
        _ = try await UserStore.add(
            email: "clerk@beta.example", role: .client, clientRef: "beta",
            passwordHash: try Bcrypt.hash("beta-password", cost: 4),
            on: app.db, now: testNow)
        return try await UserStore.createToken(email: "clerk@beta.example", on: app.db, now: testNow).token
    }

    /// Alpha's side of the agency: a contract, a placement file (batch 1) and a statement through 2026-11-29; returns
    /// the statement's id. The file places no account: the routes about one are asked about A-1, which the scope
    /// refuses before anything else (AgencyPortalTests places accounts and walks them as each role).
    static func agencyData(_ app: Application) async throws -> Int64 {
        let contract = try AgencyContract(
            remittance: .net, directPaymentCommission: true, rates: [RateTier(rate: try CommissionRate(percent: "25"))])
        _ = try await AgencyStore.save(contract, clientRef: "alpha", by: nil, now: testNow, on: app.db)
        let file = try TestFiles.temporary(
            "debt_ref,debtor_ref,debtor_kind,debtor_name,charged_on,due_on,principal\n", name: "alpha-placements.csv")
        _ = try await PlacementIntake.importFile(
            PlacementImportRequest(path: file, clientRef: "alpha", placedOn: try LocalDate(iso: "2026-09-01")),
            now: testNow, on: app.db)
        return try await TrustStore.close(
            clientRef: "alpha", through: try LocalDate(iso: "2026-11-29"), by: nil, now: testNow, on: app.db
        ).statement.id
    }

    static func debtID(_ ref: String, _ app: Application) async throws -> Int64 {
        try await (app.db as! any SQLDatabase).raw("SELECT id FROM debts WHERE ref = \(bind: ref)").first()!
            .decode(column: "id", as: Int64.self)
    }

    @Test("the API refuses a missing, wrong or revoked token with 401 and a JSON error", arguments: TestStore.available)
    func tokens(store: TestStore) async throws {
        let clock = NIOLockedValueBox(testNow)
        try await withApp(store, clock: { clock.withLockedValue { $0 } }) { app in
            try await app.testing().test(.GET, "api/v1/debts") { response async throws in
                #expect(response.status == .unauthorized)
                #expect(response.body.string.hasPrefix(#"{"error":{"code":"unauthorized","message":"#))
            }
            try await app.api(.GET, "api/v1/debts", token: "rcp_0000") { response async throws in
                #expect(response.status == .unauthorized)
                #expect(response.body.string.contains("not valid"))
            }
            let token = try await UserStore.createToken(email: TestAccounts.adminEmail, on: app.db, now: testNow)
            try await app.api(.GET, "api/v1/debts", token: token.token) { response async throws in
                #expect(response.status == .ok)
            }
            // The scheme is read in any case; another scheme or an empty token is refused.
            for (header, status) in [
                ("bearer \(token.token)", HTTPStatus.ok), ("BEARER  \(token.token) ", .ok),
                ("Basic \(token.token)", .unauthorized), ("Bearer ", .unauthorized), ("Bearer", .unauthorized),
                ("Bearer\(token.token)", .unauthorized),
            ] {
                try await app.testing().test(.GET, "api/v1/debts", headers: ["Authorization": header]) {
                    response async throws in
                    #expect(response.status == status, "Authorization: \(header)")
                }
            }
            #expect(BearerAuthenticationMiddleware.bearerToken(["Authorization": "Bearer abc"]) == "abc")
            #expect(BearerAuthenticationMiddleware.bearerToken(["Authorization": "Token abc"]) == nil)
            #expect(try await UserStore.revokeToken(prefix: token.prefix, on: app.db, now: testNow) == 1)
            // A token found valid is trusted for up to 10 seconds (TokenCache); after that the revocation holds.
            clock.withLockedValue { $0 = testNow.addingTimeInterval(TokenCache.lifetime + 1) }
            try await app.api(.GET, "api/v1/debts", token: token.token) { response async throws in
                #expect(response.status == .unauthorized)
            }
            let stored = try await (app.db as! any SQLDatabase).raw("SELECT token_hash FROM api_tokens").all()
                .map { try $0.decode(column: "token_hash", as: String.self) }
            #expect(!stored.contains(token.token))
            #expect(stored.contains(UserStore.sha256Hex(token.token)))
            try await app.testing().test(.GET, "api/v1/openapi.json") { response async throws in
                #expect(response.status == .ok)
            }
        }
    }

    @Test(
        "an admin lists both clients' debts page by page; a client user sees only its own",
        arguments: TestStore.available)
    func listing(store: TestStore) async throws {
        try await withApp(store) { app in
            let beta = try await Self.twoClients(app)
            var refs: [String] = []
            var cursor = ""
            for _ in 0..<4 {
                var next: String? = nil
                try await app.api(.GET, "api/v1/debts?limit=2" + (cursor.isEmpty ? "" : "&cursor=\(cursor)")) {
                    response async throws in
                    #expect(response.status == .ok)
                    let page = try JSONValue.parse(Data(response.body.readableBytesView)).objectValue!
                    refs += page["items"]!.arrayValue!.map { $0.objectValue!["ref"]!.stringValue! }
                    next = page["next"]?.stringValue
                }
                guard let next else { break }
                cursor = next
            }
            #expect(refs == ["A-1", "A-2", "B-1"])
            try await app.api(.GET, "api/v1/debts?status=open") { response async throws in
                #expect(!response.body.string.contains(#""ref":"A-2""#))
                // Members come in sorted order: find A-1's item and look at its members.
                let items =
                    try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any]
                let a1 = (items?["items"] as? [[String: Any]])?.first { $0["ref"] as? String == "A-1" }
                #expect(a1?["client"] as? String == "alpha")
                #expect((a1?["debtor"] as? [String: Any])?["ref"] as? String == "0379-NEVHP")
            }
            try await app.api(.GET, "api/v1/debts?q=b-1") { response async throws in
                #expect(response.body.string.contains(#""ref":"B-1""#))
                #expect(!response.body.string.contains(#""ref":"A-1""#))
            }
            // Segments are worked out for each item; a segment filter reads the stored ones.
            try await app.api(.GET, "api/v1/debts?q=a-1") { response async throws in
                #expect(response.body.string.contains(#""daysPastDue":"#))
                #expect(
                    response.body.string.contains(
                        #""segment":"new","segmentReason":"no contact yet; no promise, plan or payment yet""#))
            }
            try await app.api(.GET, "api/v1/debts?segment=new") { response async throws in
                #expect(response.status == .ok)
                #expect(response.body.string.contains(#""items":[]"#))
            }
            try await SegmentStore.refresh(
                asOf: app.settings.today, zone: app.settings.businessTimeZone, on: app.db, now: app.settings.clock())
            try await app.api(.GET, "api/v1/debts?segment=new") { response async throws in
                #expect(response.body.string.contains(#""ref":"A-1""#))
            }
            try await app.api(.GET, "api/v1/debts?segment=angry") { response async throws in
                #expect(response.status == .badRequest)
                #expect(
                    response.body.string.contains(
                        #"segment is \"angry\"; use one of hardship, avoider, new, disputed, unreachable"#))
            }
            try await app.api(.GET, "api/v1/debts", token: beta) { response async throws in
                #expect(response.body.string.contains(#""ref":"B-1""#))
                #expect(!response.body.string.contains("alpha"))
            }
            try await app.api(.GET, "api/v1/debts?limit=0") { response async throws in
                #expect(response.status == .badRequest)
                #expect(response.body.string.contains(#"limit is \"0\""#))
            }
            let a1 = try await Self.debtID("A-1", app)
            try await app.api(.GET, "api/v1/debts/\(a1)") { response async throws in
                #expect(response.status == .ok)
                #expect(response.body.string.contains(#""ledger":[{"amount":"100.00","effectiveOn":"2026-09-01","#))
                #expect(response.body.string.contains(#""kind":"charge""#))
                #expect(response.body.string.contains(#""contacts":[]"#))
            }
        }
    }

    /// Every route the application registers, asked by a client user about the other client's data: each answers 404
    /// exactly as a missing one would (or is one of the routes that read no client data).
    @Test("a client user gets 404 for the other client's data on every route", arguments: TestStore.available)
    func isolationWalk(store: TestStore) async throws {
        try await withApp(store) { app in
            let beta = try await Self.twoClients(app)
            let a1 = try await Self.debtID("A-1", app)
            // Something of alpha's to point at: an arrangement and a promise.
            _ = try await ArrangementStore.create(
                CreateArrangementRequest(
                    clientRef: "alpha", debtRefs: ["A-1"], today: try LocalDate(iso: "2026-11-29"),
                    offer: PlanOffer(amount: 5_000, frequency: .monthly, firstDue: try LocalDate(iso: "2026-12-31")),
                    option: .installments),
                on: app.db, now: testNow)
            // And of the agency's side: a contract, a placement file (batch 1) and a statement (1).
            let alphaStatement = try await Self.agencyData(app)
            let requests: [String: (HTTPMethod, String, String?)] = [
                "GET /api/v1/debts": (.GET, "api/v1/debts?client=alpha", nil),
                "GET /api/v1/debts/:id": (.GET, "api/v1/debts/\(a1)", nil),
                "POST /api/v1/debts/:id/contacts": (
                    .POST, "api/v1/debts/\(a1)/contacts", #"{"type": "letter", "at": "2026-11-29T15:00:00Z"}"#
                ),
                "GET /api/v1/debts/:id/projection": (.GET, "api/v1/debts/\(a1)/projection?from=2026-11-29", nil),
                "GET /api/v1/reports/aging": (.GET, "api/v1/reports/aging?asOf=2026-11-29&client=alpha", nil),
                "GET /api/v1/reports/liquidation": (.GET, "api/v1/reports/liquidation?client=alpha", nil),
                "GET /api/v1/reports/recovery": (.GET, "api/v1/reports/recovery?client=alpha", nil),
                "GET /api/v1/reports/promises": (.GET, "api/v1/reports/promises?client=alpha", nil),
                "GET /api/v1/reports/collectors": (.GET, "api/v1/reports/collectors?client=alpha", nil),
                "POST /api/v1/payments": (
                    .POST, "api/v1/payments",
                    #"{"client": "alpha", "debt": "A-1", "amount": "1.00", "on": "2026-11-29", "key": "x"}"#
                ),
                "POST /api/v1/arrangements": (
                    .POST, "api/v1/arrangements",
                    #"{"client": "alpha", "debts": ["A-1"], "today": "2026-11-29", "offer": {"amount": "10.00", "frequency": "monthly", "firstDue": "2026-12-31"}}"#
                ),
                "GET /api/v1/arrangements/:ref": (
                    .GET, "api/v1/arrangements/ARR-000001?client=alpha&asOf=2026-11-29", nil
                ),
                "GET /api/v1/arrangements/:ref/agreement": (
                    .GET, "api/v1/arrangements/ARR-000001/agreement?client=alpha", nil
                ),
                "POST /api/v1/arrangements/:ref/accept": (
                    .POST, "api/v1/arrangements/ARR-000001/accept",
                    #"{"client": "alpha", "by": "X", "method": "signed_letter", "document": "d"}"#
                ),
                "POST /api/v1/arrangements/:ref/cancel": (
                    .POST, "api/v1/arrangements/ARR-000001/cancel",
                    #"{"client": "alpha", "reason": "r", "on": "2026-11-29"}"#
                ),
                "POST /api/v1/promises": (
                    .POST, "api/v1/promises",
                    #"{"client": "alpha", "debt": "A-1", "amount": "1.00", "due": "2026-12-05", "madeOn": "2026-11-29"}"#
                ),
                "GET /api/v1/promises": (.GET, "api/v1/promises?client=alpha&asOf=2026-11-29", nil),
                "GET /api/v1/queue": (.GET, "api/v1/queue?client=alpha", nil),
                "GET /api/v1/queue/tasks": (.GET, "api/v1/queue/tasks?client=alpha", nil),
                "POST /api/v1/queue/claim": (.POST, "api/v1/queue/claim?client=alpha", nil),
                "POST /api/v1/queue/:id/claim": (.POST, "api/v1/queue/\(a1)/claim", nil),
                "POST /api/v1/queue/:id/outcome": (.POST, "api/v1/queue/\(a1)/outcome", #"{"outcome": "no_answer"}"#),
                "GET /api/v1/clients/:client/terms": (.GET, "api/v1/clients/alpha/terms", nil),
                "PUT /api/v1/clients/:client/terms": (.PUT, "api/v1/clients/alpha/terms", "{}"),
                "GET /api/v1/placements": (.GET, "api/v1/placements?client=alpha", nil),
                "GET /api/v1/outbox": (.GET, "api/v1/outbox?client=alpha", nil),
                "GET /api/v1/templates": (.GET, "api/v1/templates?client=alpha", nil),
                "GET /api/v1/templates/:name/:channel/:language": (
                    .GET, "api/v1/templates/reminder/sms/en?client=alpha", nil
                ),
                "PUT /api/v1/templates/:name/:channel/:language": (
                    .PUT, "api/v1/templates/reminder/sms/en?client=alpha", #"{"body": "x"}"#
                ),
                "POST /api/v1/templates/preview": (
                    .POST, "api/v1/templates/preview",
                    #"{"client": "alpha", "debt": "A-1", "template": "reminder", "channel": "sms"}"#
                ),
                "GET /api/v1/agency/contracts/:client": (.GET, "api/v1/agency/contracts/alpha", nil),
                "PUT /api/v1/agency/contracts/:client": (
                    .PUT, "api/v1/agency/contracts/alpha",
                    #"{"remittance": "net", "directPaymentCommission": true, "rates": [{"percent": "20"}]}"#
                ),
                "GET /api/v1/agency/placements": (.GET, "api/v1/agency/placements?client=alpha", nil),
                "POST /api/v1/agency/placements/:client/:debt/recall": (
                    .POST, "api/v1/agency/placements/alpha/A-1/recall", #"{"reason": "r"}"#
                ),
                "POST /api/v1/agency/placements/:client/:debt/close": (
                    .POST, "api/v1/agency/placements/alpha/A-1/close", #"{"reasonCode": "settled"}"#
                ),
                "GET /api/v1/remittances": (.GET, "api/v1/remittances?client=alpha", nil),
                "GET /api/v1/remittances/:id": (.GET, "api/v1/remittances/\(alphaStatement)", nil),
                "GET /api/v1/remittances/:id/lines": (.GET, "api/v1/remittances/\(alphaStatement)/lines", nil),
                "POST /api/v1/remittances/close": (
                    .POST, "api/v1/remittances/close", #"{"client": "alpha", "through": "2026-11-30"}"#
                ),
                "GET /api/v1/trust/check": (.GET, "api/v1/trust/check?client=alpha", nil),
            ]
            // Routes that read no client's data: the pure engines, the public document, sign-in, static pages.
            let unscoped: Set<String> = [
                "POST /api/v1/compliance/check", "POST /api/v1/compliance/lint",
                "GET /api/v1/compliance/validation-period",
                "POST /api/v1/plans/propose", "GET /api/v1/openapi.json", "GET /api/v1/openapi.yaml", "GET /health",
                "GET /recoup.css", "GET /login", "POST /login",
                "POST /logout", "GET /",
                // The portal is reached by a debtor's own link: the token is the scope (PortalTests).
                "GET /portal/:token", "POST /portal/:token/propose", "POST /portal/:token/accept",
                "POST /portal/:token/promise", "POST /portal/:token/dispute", "POST /portal/:token/preferences",
                // Admin pages answer 403 to anyone else; reports list only the clients in scope (PagesTests).
                "GET /admin/clients", "GET /admin/users", "POST /admin/users", "GET /reports",
                "POST /admin/users/:email/disable", "POST /admin/users/:email/enable",
                "POST /admin/users/:email/password",
                "GET /admin/clients/:client", "POST /admin/clients/:client/profile",
                // The template pages are for admins and managers, 403 to anyone else (TemplatePageTests); the
                // editor's script and stylesheet hold no data.
                "GET /templates", "GET /templates/editor.js", "GET /templates/editor.css",
                "GET /templates/:name/:channel/:language", "POST /templates/:name/:channel/:language",
                "POST /templates/:name/:channel/:language/reset", "POST /templates/preview",
                // List and show only the runs made for the user's own client (RunAPITests).
                "GET /api/v1/runs", "GET /runs", "GET /runs/:id",
                // The opt-out link's signed token is the scope: it names one message (OutboxEmailTests).
                "GET /opt-out/:token", "POST /opt-out/:token",
                // The list of clients' contracts is for admins, 403 to anyone else (AgencyPortalTests).
                "GET /agency/contracts",
                // Services sending back, signed with an HMAC of the body, not a user (InboundAPITests).
                "POST /api/v1/inbound/sms", "POST /api/v1/inbound/sms-status", "POST /api/v1/inbound/email",
            ]
            // Pages, walked below with a session of the same client user.
            let pages: [String: (HTTPMethod, String, String?)] = [
                "GET /debts": (.GET, "debts?client=alpha", nil),
                "GET /debts/:id": (.GET, "debts/\(a1)", nil),
                "GET /queue": (.GET, "queue?client=alpha", nil),
                "GET /reports/liquidation": (.GET, "reports/liquidation?client=alpha", nil),
                "GET /reports/recovery": (.GET, "reports/recovery?client=alpha", nil),
                "GET /reports/promises": (.GET, "reports/promises?client=alpha", nil),
                "GET /reports/collectors": (.GET, "reports/collectors?client=alpha", nil),
                "GET /outbox": (.GET, "outbox?client=alpha", nil),
                "GET /outbox/:id": (.GET, "outbox/1", nil),
                "POST /outbox/:id/retry": (.POST, "outbox/1/retry", "submission=\(FormOnce.newID())"),
                "POST /outbox/:id/cancel": (.POST, "outbox/1/cancel", "reason=r&submission=\(FormOnce.newID())"),
                "POST /queue/claim": (.POST, "queue/claim", "client=alpha"),
                "POST /queue/:id/claim": (.POST, "queue/\(a1)/claim", ""),
                "POST /queue/:id/outcome": (
                    .POST, "queue/\(a1)/outcome", "outcome=no_answer&submission=\(FormOnce.newID())"
                ),
                "POST /debts/:id/contacts": (.POST, "debts/\(a1)/contacts", "type=letter&at=2026-11-29T15:00"),
                "POST /debts/:id/plan": (
                    .POST, "debts/\(a1)/plan", "amount=10.00&frequency=monthly&firstDue=2026-12-31"
                ),
                "POST /debts/:id/holds": (.POST, "debts/\(a1)/holds", "kind=dispute"),
                "POST /debts/:id/payments": (
                    .POST, "debts/\(a1)/payments", "amount=1.00&receivedOn=2026-11-29&submission=\(FormOnce.newID())"
                ),
                "POST /debts/:id/promises": (
                    .POST, "debts/\(a1)/promises", "amount=1.00&due=2026-12-05&submission=\(FormOnce.newID())"
                ),
                "POST /debts/:id/portal-link": (
                    .POST, "debts/\(a1)/portal-link", "days=30&submission=\(FormOnce.newID())"
                ),
                "POST /debts/:id/steps": (.POST, "debts/\(a1)/steps", "step=wait-1&submission=\(FormOnce.newID())"),
                "POST /debts/:id/pauses": (
                    .POST, "debts/\(a1)/pauses",
                    "scope=debt&until=2026-12-10&reason=r&submission=\(FormOnce.newID())"
                ),
                "POST /debts/:id/pauses/end": (
                    .POST, "debts/\(a1)/pauses/end", "pause=1&submission=\(FormOnce.newID())"
                ),
                "POST /debts/:id/exclusion": (
                    .POST, "debts/\(a1)/exclusion", "reason=r&submission=\(FormOnce.newID())"
                ),
                "POST /debts/:id/exclusion/end": (
                    .POST, "debts/\(a1)/exclusion/end", "exclusion=1&submission=\(FormOnce.newID())"
                ),
                "POST /debts/:id/placement": (
                    .POST, "debts/\(a1)/placement",
                    "agency=acme&placedOn=2026-11-29&submission=\(FormOnce.newID())"
                ),
                "POST /debts/:id/placement/recall": (
                    .POST, "debts/\(a1)/placement/recall",
                    "reason=r&recalledOn=2026-11-29&submission=\(FormOnce.newID())"
                ),
                "GET /agency/placements": (.GET, "agency/placements?client=alpha", nil),
                "GET /agency/placements/returns.csv": (.GET, "agency/placements/returns.csv?client=alpha", nil),
                "GET /agency/placements/acknowledgements/:batch": (.GET, "agency/placements/acknowledgements/1", nil),
                "GET /agency/placements/acknowledgements/:batch/acknowledgement.csv": (
                    .GET, "agency/placements/acknowledgements/1/acknowledgement.csv", nil
                ),
                "POST /agency/placements/upload": (
                    .POST, "agency/placements/upload", "client=alpha&placedOn=2026-11-29"
                ),
                "POST /agency/placements/:client/:debt/recall": (
                    .POST, "agency/placements/alpha/A-1/recall", "reason=r"
                ),
                "POST /agency/placements/:client/:debt/close": (
                    .POST, "agency/placements/alpha/A-1/close", "reasonCode=settled"
                ),
                "POST /agency/placements/:client/:debt/direct-payment": (
                    .POST, "agency/placements/alpha/A-1/direct-payment",
                    "amount=1.00&receivedOn=2026-11-29&submission=\(FormOnce.newID())"
                ),
                "GET /agency/contracts/:client": (.GET, "agency/contracts/alpha", nil),
                "POST /agency/contracts/:client": (.POST, "agency/contracts/alpha", "document=%7B%7D"),
                "GET /remittances": (.GET, "remittances?client=alpha", nil),
                "POST /remittances/close": (.POST, "remittances/close", "client=alpha&through=2026-11-30"),
                "GET /remittances/:id": (.GET, "remittances/\(alphaStatement)", nil),
                "GET /remittances/:id/statement.csv": (.GET, "remittances/\(alphaStatement)/statement.csv", nil),
                "GET /remittances/:id/statement.pdf": (.GET, "remittances/\(alphaStatement)/statement.pdf", nil),
            ]
            let registered = Set(
                app.routes.all.map { "\($0.method.rawValue) /" + $0.path.map(\.description).joined(separator: "/") })
            #expect(
                registered.subtracting(unscoped) == Set(requests.keys).union(pages.keys),
                "every route is walked or declared unscoped")
            let clerk = try await UserStore.user(email: "clerk@beta.example", on: app.db)!.user
            let session = try await UserStore.createSession(
                userID: clerk.id, on: app.db, now: app.settings.clock(), lifetime: 600)
            for (route, page) in pages.sorted(by: { $0.key < $1.key }) {
                var headers = HTTPHeaders()
                headers.add(name: .cookie, value: "\(SessionAuthenticationMiddleware.cookieName)=\(session.token)")
                headers.contentType = .urlEncodedForm
                let body = page.2.map { ByteBuffer(string: $0 + "&csrf=\(session.csrf)") }
                try await app.testing().test(page.0, page.1, headers: headers, body: body) { response async throws in
                    #expect(response.status == .notFound, "\(route) answered \(response.status)")
                }
            }
            for (route, request) in requests.sorted(by: { $0.key < $1.key }) {
                try await app.api(request.0, request.1, body: request.2.map { ByteBuffer(string: $0) }, token: beta) {
                    response async throws in
                    #expect(response.status == .notFound, "\(route) answered \(response.status)")
                    #expect(response.body.string.contains(#""code":"not_found""#), "\(route)")
                }
            }
            // The debt really is there: the admin reads it.
            try await app.api(.GET, "api/v1/debts/\(a1)") { response async throws in #expect(response.status == .ok) }
            // And a missing debt reads exactly like another client's.
            try await app.api(.GET, "api/v1/debts/999999", token: beta) { missing async throws in
                #expect(missing.status == .notFound)
            }
        }
    }

    @Test(
        "recording contacts: an allowed call is stored, a blocked one is refused with 409 and the decision",
        arguments: TestStore.available)
    func contacts(store: TestStore) async throws {
        try await withApp(store) { app in
            _ = try await Self.twoClients(app)
            let b1 = try await Self.debtID("B-1", app)
            let letter = #"{"type": "letter", "at": "2026-11-20T15:00:00Z"}"#
            try await app.api(.POST, "api/v1/debts/\(b1)/contacts", body: ByteBuffer(string: letter)) {
                response async throws in
                #expect(response.status == .created)
                #expect(
                    response.body.string.contains(
                        #""event":{"at":"2026-11-20T15:00:00Z","debtIds":["B-1"],"type":"letter"}"#))
            }
            let cease = #"{"type": "cease", "at": "2026-11-21T15:00:00Z"}"#
            try await app.api(.POST, "api/v1/debts/\(b1)/contacts", body: ByteBuffer(string: cease)) {
                response async throws in
                #expect(response.status == .created)
                #expect(response.body.string.contains(#""decision":null"#))
            }
            let email =
                #"{"type": "email", "at": "2026-11-22T15:00:00Z", "direction": "outbound", "to": "ap@example.com"}"#
            try await app.api(.POST, "api/v1/debts/\(b1)/contacts", body: ByteBuffer(string: email)) {
                response async throws in
                #expect(response.status == .conflict)
                #expect(response.body.string.contains(#""error":{"code":"blocked","#))
                #expect(response.body.string.contains(#""rule":"cease""#))
            }
            let bad = #"{"type": "call", "at": "2026-11-22T15:00:00Z", "outcome": "ringing"}"#
            try await app.api(.POST, "api/v1/debts/\(b1)/contacts", body: ByteBuffer(string: bad)) {
                response async throws in
                #expect(response.status == .badRequest)
                #expect(response.body.string.contains(#"outcome is \"ringing\"; use one of no_answer"#))
            }
            try await app.api(.GET, "api/v1/debts/\(b1)") { response async throws in
                #expect(
                    response.body.string.contains(
                        #""contacts":[{"at":"2026-11-20T15:00:00Z","debtIds":["B-1"],"type":"letter"}"#))
                #expect(!response.body.string.contains("ap@example.com"))
            }
            // A dispute recorded through the API moves the debt into the stored "disputed" segment at once.
            try await app.api(.GET, "api/v1/debts?segment=disputed") { response async throws in
                #expect(!response.body.string.contains(#""ref":"B-1""#))
            }
            let dispute = #"{"type": "dispute", "at": "2026-11-23T15:00:00Z"}"#
            try await app.api(.POST, "api/v1/debts/\(b1)/contacts", body: ByteBuffer(string: dispute)) {
                response async throws in
                #expect(response.status == .created)
            }
            try await app.api(.GET, "api/v1/debts?segment=disputed") { response async throws in
                #expect(response.body.string.contains(#""ref":"B-1""#))
                #expect(
                    response.body.string.contains(
                        #""segment":"disputed","segmentReason":"disputed on 2026-11-23; no verification sent since, so collection waits""#
                    ))
            }
        }
    }

    @Test(
        "the dashboard for one client counts that client's collections only, for agency staff as for its own staff",
        arguments: TestStore.available)
    func dashboardByClient(store: TestStore) async throws {
        try await withApp(store) { app in
            _ = try await Self.twoClients(app)
            for (client, debt, amount) in [("alpha", "A-1", "1.00"), ("beta", "B-1", "2.50")] {
                let body =
                    #"{"client": "\#(client)", "debt": "\#(debt)", "amount": "\#(amount)", "on": "2026-11-29", "key": "k-\#(debt)"}"#
                try await app.api(.POST, "api/v1/payments", body: ByteBuffer(string: body)) { response async throws in
                    #expect(response.status == .created)
                }
            }
            for (path, collected) in [("/", "$3.50"), ("/?client=alpha", "$1.00"), ("/?client=beta", "$2.50")] {
                try await app.page(.GET, path) { response async throws in
                    #expect(response.status == .ok)
                    #expect(
                        response.body.string.contains("Collected this month<strong>\(collected) </strong>"), "\(path)")
                }
            }
            try await app.page(.GET, "/?client=nobody") { response async throws in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test(
        "state-changing requests are audited in a hash chain; a changed entry is found", arguments: TestStore.available)
    func audit(store: TestStore) async throws {
        try await withApp(store) { app in
            _ = try await Self.twoClients(app)
            let body = #"{"client": "alpha", "debt": "A-1", "amount": "1.00", "on": "2026-11-29", "key": "k1"}"#
            for _ in 0..<3 {
                try await app.api(.POST, "api/v1/payments", body: ByteBuffer(string: body)) { _ async throws in }
            }
            try await app.api(.GET, "api/v1/debts") { _ async throws in }
            // A compliance check computes an answer and changes nothing: not audited.
            try await app.api(
                .POST, "api/v1/compliance/check",
                body: ByteBuffer(string: ComplianceFixtures.request(at: "2026-04-07T18:00:00Z"))
            ) { response async throws in
                #expect(response.status == .ok)
            }
            let sql = app.db as! any SQLDatabase
            let rows = try await sql.raw("SELECT actor, action, status FROM audit_log ORDER BY id").all()
            #expect(rows.count == 3)
            #expect(try rows[0].decode(column: "actor", as: String.self) == TestAccounts.adminEmail)
            #expect(try rows[0].decode(column: "action", as: String.self) == "POST /api/v1/payments")
            #expect(try rows.map { try $0.decode(column: "status", as: Int.self) } == [201, 200, 200])
            #expect(
                try await AuditStore.verify(on: app.db) == AuditVerification(entries: 3, firstBroken: nil, reason: nil))
            try await sql.raw("UPDATE audit_log SET actor = 'someone-else' WHERE id = 2").run()
            let broken = try await AuditStore.verify(on: app.db)
            #expect(broken.firstBroken == 2)
            #expect(broken.reason == "entry 2 was changed after it was written")
        }
    }

    @Test(
        "the OpenAPI document is served and describes exactly the routes the application registers",
        arguments: [TestStore.sqlite])
    func openAPI(store: TestStore) async throws {
        try await withApp(store) { app in
            var documented = Set<String>()
            try await app.testing().test(.GET, "api/v1/openapi.json") { response async throws in
                #expect(response.status == .ok)
                #expect(response.headers.contentType == .json)
                let document = try JSONValue.parse(Data(response.body.readableBytesView)).objectValue!
                #expect(document["openapi"]?.stringValue == "3.1.0")
                for (path, item) in document["paths"]!.objectValue!.members {
                    for method in item.objectValue!.keys
                    where ["get", "post", "put", "delete", "patch"].contains(method) {
                        documented.insert("\(method.uppercased()) \(path)")
                    }
                }
            }
            let registered = Set(
                app.routes.all.map { route in
                    "\(route.method.rawValue) /"
                        + route.path.map { component in
                            switch component {
                            case .parameter(let name): "{\(name)}"
                            default: component.description
                            }
                        }.joined(separator: "/")
                }
            ).filter { $0.contains("/api/v1/") || $0.hasSuffix(" /health") }
            #expect(documented == registered)
            try await app.testing().test(.GET, "api/v1/openapi.yaml") { response async throws in
                #expect(response.status == .ok)
                #expect(response.headers.contentType?.subType == "yaml")
                let text = response.body.string
                #expect(text.hasPrefix("openapi: 3.1.0\n"))
                // Every documented path appears in the YAML too.
                for path in Set(documented.map { $0.split(separator: " ")[1] }) {
                    #expect(text.contains("\n  \(path):") || text.contains("\n  '\(path)':"), "\(path) in the YAML")
                }
            }
        }
    }
}
