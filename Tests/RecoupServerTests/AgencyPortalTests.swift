import Foundation
import RecoupCore
import RecoupStore
import RecoupTestSupport
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import RecoupServer

/// The agency's pages and API (docs/agency.md, "Pages" and "API"): statements, placed accounts, uploads with their
/// acknowledgement, recalls and closes, direct payments, contracts and the dashboard's remittance warning, each
/// through the signed-in user's scope.
@Suite("The agency's pages and API")
struct AgencyPortalTests {
    /// SQLite, and PostgreSQL when the tests have one.
    static let stores: [TestStore] = TestStore.available

    /// Someone signed in: an API token and a page session.
    struct Person {
        var email: String
        var token: String
        var session: String
        var csrf: String
    }

    /// What a page answered.
    struct Answer {
        var status: HTTPStatus
        var location: String
        var body: String
        var contentType: String
    }

    /// Two clients with net contracts (25% up to 180 days at placement, else 35%): acme places A-1 (1000.00) and A-2
    /// (500.00) on 2026-09-01, zeta places Z-1 (300.00); the agency receives 200.00 on A-1 on 2026-09-15. Client users
    /// for each, and a collector.
    struct Agency {
        var acme: Person
        var zeta: Person
        var collector: Person
    }

    static let header = "debt_ref,debtor_ref,debtor_kind,debtor_name,charged_on,due_on,principal"

    static func agency(_ app: Application) async throws -> Agency {
        let contract = try AgencyJSON.contract(
            from: Data(
                #"{"remittance": "net", "directPaymentCommission": true, "rates": [{"upToDaysAtPlacement": 180, "percent": "25"}, {"percent": "35"}]}"#
                    .utf8))
        for client in ["acme", "zeta"] {
            _ = try await AgencyStore.save(contract, clientRef: client, by: "test", now: testNow, on: app.db)
        }
        let acmeFile = try TestFiles.temporary(
            header + "\nA-1,P-1,consumer,Pat Doe,2026-06-01,2026-07-01,1000.00"
                + "\nA-2,P-2,consumer,Lee Roe,2026-06-01,2026-07-01,500.00\n", name: "acme.csv")
        let zetaFile = try TestFiles.temporary(
            header + "\nZ-1,Q-1,consumer,Kim Poe,2026-06-01,2026-07-01,300.00\n", name: "zeta.csv")
        let placedOn = try LocalDate(iso: "2026-09-01")
        _ = try await PlacementIntake.importFile(
            PlacementImportRequest(path: acmeFile, clientRef: "acme", placedOn: placedOn), now: testNow, on: app.db)
        _ = try await PlacementIntake.importFile(
            PlacementImportRequest(path: zetaFile, clientRef: "zeta", placedOn: placedOn), now: testNow, on: app.db)
        _ = try await PaymentStore.post(
            PaymentRequest(
                clientRef: "acme", debtRef: "A-1",
                action: .pay(
                    amount: .text("200.00", field: "amount"),
                    on: try LocalDate(iso: "2026-09-15")), idempotencyKey: "p-1"),
            on: app.db, now: testNow)
        return Agency(
            acme: try await person("clerk@acme.example", role: .client, client: "acme", app),
            zeta: try await person("clerk@zeta.example", role: .client, client: "zeta", app),
            collector: try await person("collector@agency.example", role: .collector, client: nil, app))
    }

    static func person(_ email: String, role: Role, client: String?, _ app: Application) async throws -> Person {
        let user = try await UserStore.add(
            email: email, role: role, clientRef: client, passwordHash: try Bcrypt.hash("long enough pass", cost: 4),
            on: app.db, now: testNow)
        let token = try await UserStore.createToken(email: email, on: app.db, now: testNow).token
        let session = try await UserStore.createSession(userID: user.id, on: app.db, now: testNow, lifetime: 3600)
        return Person(email: email, token: token, session: session.token, csrf: session.csrf)
    }

    /// The test admin, as a person.
    static func admin(_ app: Application) -> Person {
        let credentials = TestAccounts.credentials(app)
        return Person(
            email: TestAccounts.adminEmail, token: credentials.token, session: credentials.session,
            csrf: credentials.csrf)
    }

    /// A page request as `person`; `form` is posted URL-encoded with the session's CSRF token.
    static func page(
        _ app: Application, _ person: Person, _ method: HTTPMethod, _ path: String, form: String? = nil,
        multipart: (boundary: String, body: String)? = nil
    ) async throws -> Answer {
        var headers = HTTPHeaders()
        headers.add(name: .cookie, value: "\(SessionAuthenticationMiddleware.cookieName)=\(person.session)")
        var body: ByteBuffer? = nil
        if let form {
            headers.contentType = .urlEncodedForm
            body = ByteBuffer(string: form + "&csrf=\(person.csrf)")
        }
        if let multipart {
            headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(multipart.boundary)")
            body = ByteBuffer(string: multipart.body)
        }
        var answer = Answer(status: .internalServerError, location: "", body: "", contentType: "")
        try await app.testing().test(method, path, headers: headers, body: body) { response async throws in
            answer = Answer(
                status: response.status, location: response.headers.first(name: .location) ?? "",
                body: response.body.string, contentType: response.headers.first(name: .contentType) ?? "")
        }
        return answer
    }

    /// An API request as `person`.
    static func api(
        _ app: Application, _ person: Person, _ method: HTTPMethod, _ path: String, body: String? = nil
    ) async throws -> (status: HTTPStatus, body: String) {
        var answer: (HTTPStatus, String) = (.internalServerError, "")
        try await app.api(method, path, body: body.map { ByteBuffer(string: $0) }, token: person.token) {
            response async throws in
            answer = (response.status, response.body.string)
        }
        return answer
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "\(text)")
    }

    static func statementCount(_ app: Application) async throws -> Int {
        try await (app.db as! any SQLDatabase).raw("SELECT COUNT(*) AS n FROM remittance_statements").first()!
            .decode(column: "n", as: Int.self)
    }

    @Test(
        "a client user sees its own statements and gets 404 for another client's, on the page, CSV, PDF and API",
        arguments: Self.stores)
    func statements(store: TestStore) async throws {
        try await withApp(store) { app in
            let agency = try await Self.agency(app)
            let admin = Self.admin(app)
            // Closed through the API: 201, then the same statement again with 200 and nothing new.
            let first = try await Self.api(
                app, admin, .POST, "api/v1/remittances/close", body: #"{"client": "acme", "through": "2026-09-30"}"#)
            #expect(first.status == .created)
            let statement = try Self.json(first.body)
            #expect(statement["collected"] as? String == "200.00")
            #expect(statement["commission"] as? String == "50.00")
            #expect(statement["dueToClient"] as? String == "150.00")
            #expect(statement["dueToAgency"] as? String == "0.00")
            #expect(statement["created"] as? Bool == true)
            let acmeID = try #require(statement["id"] as? Int)
            let again = try await Self.api(
                app, admin, .POST, "api/v1/remittances/close", body: #"{"client": "acme", "through": "2026-09-30"}"#)
            #expect(again.status == .ok)
            #expect(try Self.json(again.body)["id"] as? Int == acmeID)
            #expect(try Self.json(again.body)["created"] as? Bool == false)
            let zeta = try await Self.api(
                app, admin, .POST, "api/v1/remittances/close", body: #"{"client": "zeta", "through": "2026-09-30"}"#)
            let zetaID = try #require(try Self.json(zeta.body)["id"] as? Int)
            #expect(try await Self.statementCount(app) == 2)

            // The acme clerk: its own statement everywhere, zeta's nowhere.
            let list = try await Self.api(app, agency.acme, .GET, "api/v1/remittances")
            #expect(list.status == .ok)
            #expect(list.body.contains(#""client":"acme""#))
            #expect(!list.body.contains("zeta"))
            #expect(try await Self.api(app, agency.acme, .GET, "api/v1/remittances/\(acmeID)").status == .ok)
            let lines = try await Self.api(app, agency.acme, .GET, "api/v1/remittances/\(acmeID)/lines")
            #expect(lines.body.contains(#""amount":"200.00""#) && lines.body.contains(#""commission":"50.00""#))
            for path in [
                "api/v1/remittances/\(zetaID)", "api/v1/remittances/\(zetaID)/lines", "api/v1/remittances?client=zeta",
            ] {
                let answer = try await Self.api(app, agency.acme, .GET, path)
                #expect(answer.status == .notFound, "\(path)")
                #expect(answer.body.contains(#""code":"not_found""#), "\(path)")
            }
            let page = try await Self.page(app, agency.acme, .GET, "/remittances/\(acmeID)")
            #expect(page.status == .ok)
            #expect(page.body.contains("Collected by the agency"))
            #expect(page.body.contains("200.00 USD"))
            #expect(page.body.contains("150.00 USD"))
            #expect(page.body.contains("A-1"))
            let csv = try await Self.page(app, agency.acme, .GET, "/remittances/\(acmeID)/statement.csv")
            #expect(csv.status == .ok && csv.contentType.hasPrefix("text/csv"))
            #expect(csv.body.contains("P-1,Pat Doe,A-1,2026-09-15,payment,200.00,25,50.00,USD"))
            let pdf = try await Self.page(app, agency.acme, .GET, "/remittances/\(acmeID)/statement.pdf")
            #expect(pdf.status == .ok && pdf.contentType == "application/pdf")
            #expect(pdf.body.hasPrefix("%PDF"))
            let listPage = try await Self.page(app, agency.acme, .GET, "/remittances")
            #expect(listPage.body.contains("/remittances/\(acmeID)") && !listPage.body.contains("zeta"))
            #expect(!listPage.body.contains("close-statement"), "a client user has no close form")
            for path in [
                "/remittances/\(zetaID)", "/remittances/\(zetaID)/statement.csv",
                "/remittances/\(zetaID)/statement.pdf", "/remittances?client=zeta", "/remittances/nope",
            ] {
                let answer = try await Self.page(app, agency.acme, .GET, path)
                #expect(answer.status == .notFound, "\(path)")
                #expect(!answer.body.contains("Kim Poe"), "\(path)")
            }
            // A collector reads no statements; a client user closes none.
            #expect(try await Self.api(app, agency.collector, .GET, "api/v1/remittances").status == .forbidden)
            #expect(try await Self.page(app, agency.collector, .GET, "/remittances").status == .forbidden)
            let clientClose = try await Self.api(
                app, agency.acme, .POST, "api/v1/remittances/close",
                body: #"{"client": "acme", "through": "2026-10-31"}"#)
            #expect(clientClose.status == .forbidden)
            let otherClose = try await Self.page(
                app, agency.acme, .POST, "/remittances/close", form: "client=zeta&through=2026-10-31")
            #expect(otherClose.status == .notFound)
        }
    }

    @Test(
        "a staff close from the page creates the statement once; a second close answers the same",
        arguments: Self.stores)
    func closeFromPage(store: TestStore) async throws {
        try await withApp(store) { app in
            _ = try await Self.agency(app)
            let admin = Self.admin(app)
            let first = try await Self.page(
                app, admin, .POST, "/remittances/close", form: "client=acme&through=2026-09-30")
            #expect(first.status == .seeOther)
            #expect(first.location.hasPrefix("/remittances/"))
            let second = try await Self.page(
                app, admin, .POST, "/remittances/close", form: "client=acme&through=2026-09-30")
            #expect(second.status == .seeOther)
            #expect(second.location == first.location)
            #expect(try await Self.statementCount(app) == 1)
            let shown = try await Self.page(app, admin, .GET, first.location)
            #expect(shown.status == .ok && shown.body.contains("Statement") && shown.body.contains("150.00 USD"))
            // A bad day is refused back on the list, with nothing created.
            let bad = try await Self.page(app, admin, .POST, "/remittances/close", form: "client=acme&through=someday")
            #expect(bad.status == .seeOther && bad.location == "/remittances")
            #expect(try await Self.statementCount(app) == 1)
        }
    }

    @Test("bad input to the agency's API is a 4xx JSON error with one sentence", arguments: Self.stores)
    func badInput(store: TestStore) async throws {
        try await withApp(store) { app in
            let agency = try await Self.agency(app)
            let admin = Self.admin(app)
            let cases: [(HTTPMethod, String, String?, HTTPStatus, String)] = [
                (
                    .POST, "api/v1/remittances/close", #"{"client": "acme", "through": "2026-02-30"}"#, .badRequest,
                    "through: "
                ),
                (.POST, "api/v1/remittances/close", #"{"through": "2026-09-30"}"#, .badRequest, "client is missing"),
                (
                    .POST, "api/v1/remittances/close", #"{"client": "nobody", "through": "2026-09-30"}"#, .notFound,
                    #"there is no client \"nobody\""#
                ),
                (
                    .POST, "api/v1/remittances/close",
                    #"{"client": "acme", "through": "2026-09-30", "currency": "XYZ"}"#,
                    .badRequest, "XYZ"
                ),
                (.GET, "api/v1/remittances/abc", nil, .badRequest, "id"),
                (.GET, "api/v1/remittances/999", nil, .notFound, "there is no statement 999"),
                (
                    .PUT, "api/v1/agency/contracts/acme",
                    #"{"remittance": "net", "directPaymentCommission": true, "rates": [{"upToDaysAtPlacement": 90, "percent": "25"}]}"#,
                    .unprocessableEntity, "the last rate must have no limits"
                ),
                (
                    .PUT, "api/v1/agency/contracts/acme",
                    #"{"remittance": "net", "directPaymentCommission": true, "rates": [{"percent": "125"}]}"#,
                    .unprocessableEntity, "rates[0].percent"
                ),
                (.PUT, "api/v1/agency/contracts/acme", "not json", .badRequest, "the contract is not JSON"),
                (
                    .POST, "api/v1/agency/placements/acme/A-1/close", #"{"reasonCode": "lost"}"#, .badRequest,
                    "reasonCode is \\\"lost\\\""
                ),
                (.POST, "api/v1/agency/placements/acme/NOPE/recall", #"{"reason": "r"}"#, .notFound, "NOPE"),
                (
                    .POST, "api/v1/agency/placements/acme/A-1/recall", #"{"reason": " "}"#, .badRequest,
                    "reason is empty"
                ),
                (
                    .POST, "api/v1/agency/placements/acme/A-1/close", #"{"reasonCode": "settled", "on": "2026-08-01"}"#,
                    .badRequest, "cannot be closed on 2026-08-01"
                ),
                (
                    .POST, "api/v1/payments",
                    #"{"client": "acme", "debt": "A-1", "amount": "1.00", "on": "2026-11-20", "key": "k", "receivedBy": "bank"}"#,
                    .badRequest, "receivedBy"
                ),
                (
                    .POST, "api/v1/payments",
                    #"{"client": "acme", "debt": "A-1", "amount": "1.00", "on": "2026-11-20", "key": "k", "releaseOn": "2026-11-01"}"#,
                    .badRequest, "releaseOn 2026-11-01 is before"
                ),
            ]
            for (method, path, body, status, sentence) in cases {
                let answer = try await Self.api(app, admin, method, path, body: body)
                #expect(answer.status == status, "\(method) \(path) \(body ?? ""): \(answer.body)")
                #expect(answer.body.hasPrefix(#"{"error":{"code":"#), "\(path)")
                #expect(answer.body.contains(sentence), "\(path) \(body ?? ""): \(answer.body)")
            }
            // Saving contracts is for admins; a client user reads its own.
            let contract = #"{"remittance": "gross", "directPaymentCommission": false, "rates": [{"percent": "30"}]}"#
            #expect(
                try await Self.api(app, agency.acme, .PUT, "api/v1/agency/contracts/acme", body: contract).status
                    == .forbidden)
            let saved = try await Self.api(app, admin, .PUT, "api/v1/agency/contracts/acme", body: contract)
            #expect(saved.status == .ok)
            #expect(try Self.json(saved.body)["version"] as? Int == 2)
            #expect(try Self.json(saved.body)["saved"] as? Bool == true)
            let read = try await Self.api(app, agency.acme, .GET, "api/v1/agency/contracts/acme")
            #expect(read.status == .ok && read.body.contains(#""remittance":"gross""#))
            #expect(try await Self.api(app, agency.acme, .GET, "api/v1/agency/contracts/zeta").status == .notFound)
            #expect(try await Self.api(app, agency.collector, .GET, "api/v1/trust/check").status == .forbidden)
            let check = try await Self.api(app, admin, .GET, "api/v1/trust/check")
            #expect(check.status == .ok && check.body.contains(#""reconciles":true"#))
            // The contract page shows a refusal in the page, with the sentence, and saves nothing.
            let refused = try await Self.page(
                app, admin, .POST, "/agency/contracts/acme",
                form: "document="
                    + (#"{"remittance": "weekly"}"#.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.contains("Remittance must be"))
            #expect(refused.body.contains("Nothing was saved."))
            #expect(try await AgencyStore.contract(clientRef: "acme", on: app.db)?.version == 2)
            #expect(try await Self.page(app, agency.acme, .GET, "/agency/contracts/acme").status == .forbidden)
            #expect(try await Self.page(app, agency.acme, .GET, "/agency/contracts/zeta").status == .notFound)
        }
    }

    static func multipart(csrf: String, placedOn: String, client: String?, file: String) -> (String, String) {
        let boundary = "recoup-test-boundary"
        var body = ""
        var fields = [("csrf", csrf), ("placedOn", placedOn)]
        if let client { fields.append(("client", client)) }
        for (name, value) in fields {
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n"
        }
        body +=
            "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"more.csv\"\r\n"
            + "Content-Type: text/csv\r\n\r\n\(file)\r\n--\(boundary)--\r\n"
        return (boundary, body)
    }

    @Test(
        "the upload form answers with the acknowledgement, which only its client sees, and its CSV",
        arguments: Self.stores)
    func upload(store: TestStore) async throws {
        try await withApp(store) { app in
            let agency = try await Self.agency(app)
            let file =
                Self.header + "\nA-3,P-3,consumer,Sam Loe,2026-06-01,2026-07-01,250.00"
                + "\nA-1,P-1,consumer,Pat Doe,2026-06-01,2026-07-01,1000.00\n"
            let uploaded = try await Self.page(
                app, agency.acme, .POST, "/agency/placements/upload",
                multipart: Self.multipart(csrf: agency.acme.csrf, placedOn: "2026-11-29", client: nil, file: file))
            #expect(uploaded.status == .seeOther)
            #expect(uploaded.location.hasPrefix("/agency/placements/acknowledgements/"))
            let shown = try await Self.page(app, agency.acme, .GET, uploaded.location)
            #expect(shown.status == .ok)
            #expect(shown.body.contains("1 accepted"))
            #expect(shown.body.contains("1 rejected"))
            #expect(shown.body.contains("A-3"))
            let csv = try await Self.page(app, agency.acme, .GET, uploaded.location + "/acknowledgement.csv")
            #expect(csv.status == .ok)
            #expect(csv.body.hasPrefix("line,debt_ref,status,reason,balance,percent\n"))
            #expect(csv.body.contains("A-3,accepted,,250.00,25"))
            #expect(csv.body.contains("A-1,rejected,"))
            #expect(try await PlacementIntake.isOpen(clientRef: "acme", debtRef: "A-3", on: app.db))
            // Zeta's clerk cannot see it; nor can it place accounts for acme.
            #expect(try await Self.page(app, agency.zeta, .GET, uploaded.location).status == .notFound)
            #expect(
                try await Self.page(app, agency.zeta, .GET, uploaded.location + "/acknowledgement.csv").status
                    == .notFound)
            let foreign = try await Self.page(
                app, agency.zeta, .POST, "/agency/placements/upload",
                multipart: Self.multipart(csrf: agency.zeta.csrf, placedOn: "2026-11-29", client: "acme", file: file))
            #expect(foreign.status == .notFound)
            // Staff name the client; without one, or without a file, it is refused on the page.
            let admin = Self.admin(app)
            let unnamed = try await Self.page(
                app, admin, .POST, "/agency/placements/upload",
                multipart: Self.multipart(csrf: admin.csrf, placedOn: "2026-11-29", client: nil, file: file))
            #expect(unnamed.status == .seeOther && unnamed.location == "/agency/placements#upload-h")
            // The placed accounts page lists acme's accounts for its clerk and nothing of zeta's.
            let list = try await Self.page(app, agency.acme, .GET, "/agency/placements")
            #expect(list.status == .ok && list.body.contains("A-3") && !list.body.contains("Z-1"))
            #expect(!list.body.contains("Close with a reason code"), "client users recall; staff close")
            #expect(try await Self.page(app, agency.acme, .GET, "/agency/placements?client=zeta").status == .notFound)
            let returns = try await Self.page(app, agency.acme, .GET, "/agency/placements/returns.csv")
            #expect(returns.status == .ok && returns.body.hasPrefix("debt_ref,debtor_ref"))
        }
    }

    @Test(
        "recall closes the placement; a staff close takes a reason code; neither reaches another client's",
        arguments: Self.stores)
    func recallAndClose(store: TestStore) async throws {
        try await withApp(store) { app in
            let agency = try await Self.agency(app)
            let recalled = try await Self.page(
                app, agency.acme, .POST, "/agency/placements/acme/A-2/recall", form: "reason=paid+us+directly")
            #expect(recalled.status == .seeOther && recalled.location == "/agency/placements")
            #expect(try await PlacementIntake.isOpen(clientRef: "acme", debtRef: "A-2", on: app.db) == false)
            let placement = try #require(
                try await PlacementIntake.placements(clientRef: "acme", scope: .all, on: app.db).first {
                    $0.debtRef == "A-2"
                })
            #expect(placement.closeReason == .recalled)
            #expect(placement.closeNote == "paid us directly")
            #expect(
                try await Self.page(app, agency.zeta, .POST, "/agency/placements/acme/A-1/recall", form: "reason=x")
                    .status == .notFound)
            #expect(
                try await Self.page(
                    app, agency.collector, .POST, "/agency/placements/acme/A-1/recall", form: "reason=x"
                )
                .status == .forbidden)
            #expect(
                try await Self.page(
                    app, agency.acme, .POST, "/agency/placements/acme/A-1/close", form: "reasonCode=settled"
                ).status == .forbidden)
            #expect(try await PlacementIntake.isOpen(clientRef: "acme", debtRef: "A-1", on: app.db))
            // Through the API: zeta's clerk recalls its own; staff close with a reason code.
            let api = try await Self.api(
                app, agency.zeta, .POST, "api/v1/agency/placements/zeta/Z-1/recall", body: #"{"reason": "sold"}"#)
            #expect(api.status == .ok)
            #expect(try Self.json(api.body)["reasonCode"] as? String == "recalled")
            #expect(try Self.json(api.body)["status"] as? String == "closed")
            let closed = try await Self.page(
                app, Self.admin(app), .POST, "/agency/placements/acme/A-1/close",
                form: "reasonCode=bankruptcy&note=chapter+7&on=2026-11-29")
            #expect(closed.status == .seeOther)
            let open = try await Self.api(app, agency.acme, .GET, "api/v1/agency/placements?open=true")
            #expect(open.status == .ok && open.body == "[]")
            let all = try await Self.api(app, agency.acme, .GET, "api/v1/agency/placements")
            #expect(all.body.contains(#""reasonCode":"bankruptcy""#) && !all.body.contains("Z-1"))
        }
    }

    @Test(
        "a client user reports a direct payment from the page (received_by client, once) and may not post agency money",
        arguments: Self.stores)
    func directPayment(store: TestStore) async throws {
        try await withApp(store) { app in
            let agency = try await Self.agency(app)
            let submission = FormOnce.newID()
            let form = "amount=30.00&receivedOn=2026-11-20&submission=\(submission)"
            for _ in 0..<2 {
                let answer = try await Self.page(
                    app, agency.acme, .POST, "/agency/placements/acme/A-1/direct-payment", form: form)
                #expect(answer.status == .seeOther && answer.location == "/agency/placements")
            }
            let sql = app.db as! any SQLDatabase
            let rows = try await sql.raw(
                "SELECT received_by, amount FROM ledger_entries WHERE idempotency_key = \(bind: "direct-" + submission)"
            ).all()
            #expect(rows.count == 1)
            #expect(try rows.first?.decode(column: "received_by", as: String?.self) == "client")
            #expect(try rows.first?.decode(column: "amount", as: Int64.self) == 3_000)
            let direct = try await sql.raw("SELECT COUNT(*) AS n FROM trust_entries WHERE kind = 'direct'").first()!
                .decode(column: "n", as: Int.self)
            #expect(direct == 1)
            #expect(
                try await Self.page(
                    app, agency.zeta, .POST, "/agency/placements/acme/A-1/direct-payment",
                    form: "amount=1.00&receivedOn=2026-11-20&submission=\(FormOnce.newID())"
                ).status == .notFound)
            // The API: a client user may not say the agency received it, and its payment on a placed account is
            // recorded as a direct one.
            let agencyMoney = try await Self.api(
                app, agency.acme, .POST, "api/v1/payments",
                body:
                    #"{"client": "acme", "debt": "A-1", "amount": "5.00", "on": "2026-11-21", "key": "c-1", "receivedBy": "agency"}"#
            )
            #expect(agencyMoney.status == .forbidden)
            let reported = try await Self.api(
                app, agency.acme, .POST, "api/v1/payments",
                body: #"{"client": "acme", "debt": "A-1", "amount": "5.00", "on": "2026-11-21", "key": "c-2"}"#)
            #expect(reported.status == .created)
            let receiver = try await sql.raw(
                "SELECT received_by FROM ledger_entries WHERE idempotency_key = 'c-2'"
            ).first()?.decode(column: "received_by", as: String?.self)
            #expect(receiver == "client")
            // The debt page's payment form too: a client user's payment on a placed account is a direct one.
            let debtID = try await AccessTests.debtID("A-1", app)
            let fromPage = try await Self.page(
                app, agency.acme, .POST, "/debts/\(debtID)/payments",
                form: "amount=2.00&receivedOn=2026-11-22&method=check&submission=\(FormOnce.newID())")
            #expect(fromPage.status == .seeOther, "\(fromPage.body.prefix(500))")
            let pageReceiver = try await sql.raw(
                "SELECT received_by FROM ledger_entries WHERE idempotency_key LIKE 'page-%'"
            ).first()?.decode(column: "received_by", as: String?.self)
            #expect(pageReceiver == "client")
            let reversal = try await Self.api(
                app, agency.acme, .POST, "api/v1/payments",
                body: #"{"client": "acme", "debt": "A-1", "reverses": "p-1", "on": "2026-11-21", "key": "c-3"}"#)
            #expect(reversal.status == .forbidden)
        }
    }

    @Test(
        "the dashboard warns about an overdue remittance until a statement covers it", arguments: Self.stores)
    func dashboardWarning(store: TestStore) async throws {
        try await withApp(store) { app in
            let agency = try await Self.agency(app)
            let admin = Self.admin(app)
            // 200.00 collected on 2026-09-15: due 30 days after the end of September, 2026-10-30; today is 2026-11-30.
            let dashboard = try await Self.page(app, admin, .GET, "/")
            #expect(dashboard.status == .ok)
            #expect(
                dashboard.body.contains(
                    "acme: 1 payment collected in September ($200.00) must be remitted by 2026-10-30"))
            #expect(dashboard.body.contains("31 days late"))
            #expect(!(try await Self.page(app, agency.zeta, .GET, "/")).body.contains("acme:"))
            _ = try await TrustStore.close(
                clientRef: "acme", through: try LocalDate(iso: "2026-09-30"), by: "test", now: testNow, on: app.db)
            #expect(!(try await Self.page(app, admin, .GET, "/")).body.contains("remittance-warnings"))
        }
    }

    @Test(
        "the placed accounts come a page at a time, the latest placed first, and a reference finds one",
        arguments: Self.stores)
    func pages(store: TestStore) async throws {
        try await withApp(store) { app in
            let agency = try await Self.agency(app)
            // 230 more accounts of acme over three placement days: 232 with A-1 and A-2.
            let rows = (1...230).map { "B-\($0),R-\($0),consumer,Name \($0),2026-06-01,2026-07-01,100.00" }
            for (day, part) in [
                ("2026-10-01", rows[0..<100]), ("2026-10-15", rows[100..<200]), ("2026-11-02", rows[200...]),
            ] {
                let file = try TestFiles.temporary(([Self.header] + part).joined(separator: "\n") + "\n")
                _ = try await PlacementIntake.importFile(
                    PlacementImportRequest(path: file, clientRef: "acme", placedOn: try LocalDate(iso: day)),
                    now: testNow, on: app.db)
            }
            var shown: [String] = []
            var path = "/agency/placements?status=all"
            var pages = 0
            while true {
                let page = try await Self.page(app, agency.acme, .GET, path)
                #expect(page.status == .ok)
                pages += 1
                let found = page.body.matches(of: /data-debt="([^"]+)"/).map { String($0.output.1) }
                #expect(found.count == (pages < 3 ? 100 : 32), "page \(pages)")
                shown += found
                if pages > 1 { #expect(page.body.contains(#"id="first-page""#)) }
                guard let next = page.body.firstMatch(of: /id="next-page" href="([^"]+)"/) else { break }
                path = String(next.output.1).replacingOccurrences(of: "&amp;", with: "&")
                #expect(path.contains("status=all") && path.contains("after="), "\(path)")
                if pages > 5 { break }
            }
            // Every account once, the latest placed first (ties: the latest stored first), zeta's never.
            #expect(pages == 3)
            #expect(shown.count == 232 && Set(shown).count == 232)
            #expect(Array(shown.prefix(2)) == ["B-230", "B-229"])
            #expect(Array(shown.suffix(2)) == ["A-2", "A-1"])
            #expect(!shown.contains("Z-1"))
            // A reference: the account, or the debtor's accounts.
            let found = try await Self.page(app, agency.acme, .GET, "/agency/placements?ref=B-17")
            #expect(found.body.matches(of: /data-debt="([^"]+)"/).map { String($0.output.1) } == ["B-17"])
            let byDebtor = try await Self.page(app, agency.acme, .GET, "/agency/placements?ref=P-1")
            #expect(byDebtor.body.matches(of: /data-debt="([^"]+)"/).map { String($0.output.1) } == ["A-1"])
            #expect(
                try await Self.page(app, agency.zeta, .GET, "/agency/placements?ref=A-1").body.contains("no-placements")
            )
            // A cursor that is not one is refused in a sentence.
            let bad = try await Self.page(app, agency.acme, .GET, "/agency/placements?after=yesterday")
            #expect(bad.status == .badRequest && bad.body.contains("start again from its first page"))
            // The API takes the same cursor.
            let first = try await Self.api(app, agency.acme, .GET, "api/v1/agency/placements?limit=150")
            let firstPage = try #require(
                try JSONSerialization.jsonObject(with: Data(first.body.utf8)) as? [[String: Any]])
            let last = try #require(firstPage.last)
            let cursor = "\(try #require(last["placedOn"] as? String)).\(try #require(last["id"] as? Int))"
            let rest = try await Self.api(app, agency.acme, .GET, "api/v1/agency/placements?after=\(cursor)")
            let restPage = try #require(
                try JSONSerialization.jsonObject(with: Data(rest.body.utf8)) as? [[String: Any]])
            #expect(firstPage.count == 150 && restPage.count == 82)
            #expect(
                Set((firstPage + restPage).compactMap { $0["debt"] as? String }).count == 232)
            let badAPI = try await Self.api(app, agency.acme, .GET, "api/v1/agency/placements?after=x")
            #expect(badAPI.status == .badRequest)
        }
    }

    @Test("a client user sees a debt's history without the notes staff wrote", arguments: Self.stores)
    func notesHidden(store: TestStore) async throws {
        try await withApp(store) { app in
            let agency = try await Self.agency(app)
            let id = try await AccessTests.debtID("A-1", app)
            let note = "Debtor sounded evasive, try the work number"
            let recorded = try await Self.page(
                app, Self.admin(app), .POST, "/debts/\(id)/contacts",
                form: "type=letter&at=2026-11-27T15:00&submission=\(FormOnce.newID())&note="
                    + (note.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))
            #expect(recorded.status == .seeOther, "\(recorded.body.prefix(2000))")
            #expect(try await Self.page(app, Self.admin(app), .GET, "/debts/\(id)").body.contains(note))
            let clerk = try await Self.page(app, agency.acme, .GET, "/debts/\(id)")
            #expect(clerk.status == .ok)
            #expect(clerk.body.contains("letter") || clerk.body.contains("Letter"))
            #expect(!clerk.body.contains(note))
        }
    }
}
