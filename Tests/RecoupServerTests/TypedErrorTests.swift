import Foundation
import RecoupCore
import RecoupStore
import RecoupTestSupport
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import RecoupServer

/// The store's typed errors, answered the same way everywhere: over HTTP an unknown client, debt, debtor or
/// arrangement is 404 `not_found`, an idempotency key reused for a different request 409 `idempotency_conflict`,
/// other bad input 400 `invalid_request`, each with one sentence; on the command line each is exit 2 and the sentence.
@Suite("Typed errors: 404 unknown, 409 reused key, 400 invalid — over HTTP and on the command line")
struct TypedErrorTests {
    /// The exact error body for a status code and sentence.
    static func errorBody(_ code: String, _ message: String) -> String {
        OrderedJSON.object([("error", .object([("code", .string(code)), ("message", .string(message))]))]).text
    }

    static func post(
        _ app: Application, _ path: String, _ body: String, _ status: HTTPStatus, _ expected: String? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        try await app.api(.POST, path, body: ByteBuffer(string: body)) { response async throws in
            #expect(
                response.status == status, "\(path) \(body): \(response.body.string)", sourceLocation: sourceLocation)
            if let expected {
                #expect(response.body.string == expected, sourceLocation: sourceLocation)
            }
        }
    }

    static func ledgerRows(_ app: Application) async throws -> Int {
        try await (app.db as! any SQLDatabase).raw("SELECT COUNT(*) AS n FROM ledger_entries").first()!
            .decode(column: "n", as: Int.self)
    }

    @Test(
        "an unknown client, debt, debtor or arrangement answers 404 with one sentence naming it; nothing is written",
        arguments: TestStore.available)
    func notFound(store: TestStore) async throws {
        try await withApp(store) { app in
            _ = try await AccessTests.twoClients(app)
            let before = try await Self.ledgerRows(app)
            try await Self.post(
                app, "api/v1/payments",
                #"{"client": "alpha", "debt": "NOPE", "amount": "10.00", "on": "2026-11-01", "key": "k1"}"#,
                .notFound, Self.errorBody("not_found", #"client "alpha" has no debt "NOPE""#))
            try await Self.post(
                app, "api/v1/payments",
                #"{"client": "nobody", "debt": "A-1", "amount": "10.00", "on": "2026-11-01", "key": "k1"}"#,
                .notFound, Self.errorBody("not_found", #"there is no client "nobody""#))
            try await Self.post(
                app, "api/v1/payments",
                #"{"client": "alpha", "debtor": "NOBODY", "amount": "10.00", "on": "2026-11-01", "key": "k1"}"#,
                .notFound, Self.errorBody("not_found", #"client "alpha" has no debtor "NOBODY""#))
            try await Self.post(
                app, "api/v1/payments",
                #"{"client": "alpha", "debt": "NOPE", "reverses": "k0", "on": "2026-11-01", "key": "k1"}"#,
                .notFound, Self.errorBody("not_found", #"client "alpha" has no debt "NOPE""#))
            try await Self.post(
                app, "api/v1/payments",
                #"{"client": "alpha", "debt": "NOPE", "refund": "1.00", "on": "2026-11-01", "key": "k1"}"#,
                .notFound, Self.errorBody("not_found", #"client "alpha" has no debt "NOPE""#))
            try await Self.post(
                app, "api/v1/promises",
                #"{"client": "alpha", "debt": "NOPE", "amount": "10.00", "due": "2026-12-10", "madeOn": "2026-11-29"}"#,
                .notFound, Self.errorBody("not_found", #"client "alpha" has no debt "NOPE""#))
            try await Self.post(
                app, "api/v1/arrangements",
                #"{"client": "alpha", "debts": ["NOPE"], "today": "2026-11-29", "offer": {"amount": "50.00", "frequency": "monthly", "firstDue": "2026-12-29"}}"#,
                .notFound, Self.errorBody("not_found", #"client "alpha" has no debt "NOPE""#))
            try await Self.post(
                app, "api/v1/arrangements/ARR-999999/cancel",
                #"{"client": "alpha", "reason": "x", "on": "2026-11-29"}"#,
                .notFound, Self.errorBody("not_found", #"client "alpha" has no arrangement "ARR-999999""#))
            try await app.api(.GET, "api/v1/arrangements/ARR-999999?client=alpha&asOf=2026-11-29") {
                response async throws in
                #expect(response.status == .notFound)
                #expect(
                    response.body.string
                        == Self.errorBody("not_found", #"client "alpha" has no arrangement "ARR-999999""#))
            }
            #expect(try await Self.ledgerRows(app) == before)
            let promises = try await (app.db as! any SQLDatabase).raw("SELECT COUNT(*) AS n FROM promises").first()!
                .decode(column: "n", as: Int.self)
            #expect(promises == 0)
        }
    }

    @Test(
        "the same key with another amount or date answers 409; the same request again answers 200 with the first result",
        arguments: TestStore.available)
    func idempotencyConflict(store: TestStore) async throws {
        try await withApp(store) { app in
            _ = try await AccessTests.twoClients(app)
            let body = #"{"client": "alpha", "debt": "A-1", "amount": "10.00", "on": "2026-11-01", "key": "k1"}"#
            var first = ""
            try await app.api(.POST, "api/v1/payments", body: ByteBuffer(string: body)) { response async throws in
                #expect(response.status == .created)
                first = response.body.string
            }
            try await app.api(.POST, "api/v1/payments", body: ByteBuffer(string: body)) { response async throws in
                #expect(response.status == .ok)
                #expect(
                    response.body.string == first.replacingOccurrences(of: #""posted""#, with: #""already_posted""#))
            }
            let conflict = Self.errorBody(
                "idempotency_conflict", #"A-1: idempotency key "k1" was already used for a different entry"#)
            try await Self.post(
                app, "api/v1/payments", body.replacingOccurrences(of: "10.00", with: "20.00"), .conflict, conflict)
            try await Self.post(
                app, "api/v1/payments", body.replacingOccurrences(of: "2026-11-01", with: "2026-11-02"), .conflict,
                conflict)

            let spread =
                #"{"client": "alpha", "debtor": "0379-NEVHP", "amount": "5.00", "on": "2026-11-03", "key": "s1"}"#
            try await Self.post(app, "api/v1/payments", spread, .created)
            try await Self.post(app, "api/v1/payments", spread, .ok)
            try await Self.post(
                app, "api/v1/payments", spread.replacingOccurrences(of: "5.00", with: "6.00"), .conflict,
                Self.errorBody(
                    "idempotency_conflict",
                    #"the idempotency key "s1" was already used for a different payment to debtor "0379-NEVHP""#))
            // One payment and one spread part (A-2 is paid already): nothing from the refused requests.
            let a1 = try await AccessTests.debtID("A-1", app)
            let keys = try await (app.db as! any SQLDatabase).raw(
                "SELECT idempotency_key FROM ledger_entries WHERE debt_id = \(bind: a1) AND kind <> 'charge' ORDER BY idempotency_key"
            ).all().map { try $0.decode(column: "idempotency_key", as: String.self) }
            #expect(keys == ["k1", "s1#A-1"])
        }
    }

    @Test(
        "invalid input answers 400 invalid_request with the sentence naming the field", arguments: TestStore.available)
    func invalid(store: TestStore) async throws {
        try await withApp(store) { app in
            _ = try await AccessTests.twoClients(app)
            let before = try await Self.ledgerRows(app)
            try await Self.post(
                app, "api/v1/payments",
                #"{"client": "alpha", "debt": "A-1", "amount": "0", "on": "2026-11-01", "key": "k1"}"#,
                .badRequest, Self.errorBody("invalid_request", "amount must be more than zero (it is 0)"))
            try await Self.post(
                app, "api/v1/payments",
                #"{"client": "alpha", "debt": "A-1", "amount": "1.001", "on": "2026-11-01", "key": "k1"}"#,
                .badRequest,
                Self.errorBody("invalid_request", #"amount: "1.001" has more decimals than USD allows (2 decimals)"#))
            try await Self.post(
                app, "api/v1/payments",
                #"{"client": "alpha", "debt": "A-1", "refund": "1.00", "on": "2026-11-01", "key": "f1"}"#,
                .badRequest,
                Self.errorBody(
                    "invalid_request", "A-1: there is no credit to refund (a refund of 100 minor units was asked for)"))
            try await Self.post(
                app, "api/v1/promises",
                #"{"client": "alpha", "debt": "A-1", "amount": "-5", "due": "2026-12-10", "madeOn": "2026-11-29"}"#,
                .badRequest, Self.errorBody("invalid_request", "amount must be more than zero (it is -5)"))
            try await Self.post(
                app, "api/v1/arrangements",
                #"{"client": "alpha", "debts": ["A-1"], "today": "2026-11-29", "offer": {"amount": "50.00", "frequency": "monthly", "firstDue": "2026-11-01"}}"#,
                .badRequest,
                Self.errorBody("invalid_request", "the first due date 2026-11-01 is before today (2026-11-29)"))
            #expect(try await Self.ledgerRows(app) == before)
        }
    }

    @Test("the command line: unknown debt, debtor, client and arrangement, a reused key and invalid input each exit 2")
    func commandLine() async throws {
        let recoup = try RecoupBinary()
        let file = try recoup.write(PaymentCommandTests.openInvoice, to: "open.csv")
        #expect(try await recoup.run(["import", "--format", "ibm-ar", "--client", "acme", file]).status == 0)
        let post = ["payment", "post", "--client", "acme", "--amount", "10.00", "--on", "2013-03-01"]
        for (arguments, sentence) in [
            (post + ["--debt", "NOPE", "--key", "k"], #"client "acme" has no debt "NOPE""#),
            (post + ["--debtor", "NOBODY", "--key", "k"], #"client "acme" has no debtor "NOBODY""#),
            (
                [
                    "payment", "post", "--client", "nobody", "--debt", "0000611365", "--amount", "1", "--on",
                    "2013-03-01", "--key", "k",
                ],
                #"there is no client "nobody""#
            ),
            (
                [
                    "promise", "add", "--client", "acme", "--debt", "NOPE", "--amount", "5.00", "--due", "2013-03-10",
                    "--made-on",
                    "2013-03-01",
                ],
                #"client "acme" has no debt "NOPE""#
            ),
            (
                ["arrangement", "show", "ARR-999999", "--client", "acme", "--as-of", "2013-03-01"],
                #"client "acme" has no arrangement "ARR-999999""#
            ),
            (
                [
                    "payment", "post", "--client", "acme", "--debt", "0000611365", "--amount", "0", "--on",
                    "2013-03-01", "--key", "z",
                ],
                "--amount must be more than zero (it is 0)"
            ),
        ] {
            let result = try await recoup.run(arguments)
            #expect(result.status == 2, "\(arguments)")
            #expect(result.standardError == "recoup: \(sentence)\n", "\(arguments)")
        }
        #expect(try await recoup.run(post + ["--debt", "0000611365", "--key", "k1"]).status == 0)
        let retry = try await recoup.run(post + ["--debt", "0000611365", "--key", "k1"])
        #expect(retry.status == 0)
        #expect(retry.standardOutput.contains(#""status":"already_posted""#))
        let reused = try await recoup.run(
            [
                "payment", "post", "--client", "acme", "--amount", "11.00", "--on", "2013-03-01", "--debt",
                "0000611365", "--key", "k1",
            ])
        #expect(reused.status == 2)
        #expect(
            reused.standardError
                == "recoup: 0000611365: idempotency key \"k1\" was already used for a different entry\n")
    }
}
