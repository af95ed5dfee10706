import Foundation
import RecoupTestSupport
import Testing
import Vapor
import VaporTesting
import Yams

@testable import RecoupServer

@Suite("The OpenAPI document: one source, served as YAML and JSON")
struct APIDocumentTests {
    @Test("the served YAML and JSON parse as the same document and describe every registered API route")
    func sameDocument() async throws {
        try await withApp(.sqlite) { app in
            var yamlText = ""
            try await app.testing().test(.GET, "api/v1/openapi.yaml") { response async throws in
                #expect(response.status == .ok)
                yamlText = response.body.string
            }
            var jsonData = Data()
            try await app.testing().test(.GET, "api/v1/openapi.json") { response async throws in
                #expect(response.status == .ok)
                jsonData = Data(response.body.readableBytesView)
            }
            let fromYAML = try #require(try Yams.load(yaml: yamlText) as? [String: Any])
            let fromJSON = try #require(try JSONSerialization.jsonObject(with: jsonData) as? [String: Any])
            #expect(try JSONText.canonical(fromYAML) == JSONText.canonical(fromJSON))

            // Every route registered under /api/v1 (and /health) is an operation of the document, and the reverse.
            var documented = Set<String>()
            for (path, item) in try #require(fromJSON["paths"] as? [String: Any]) {
                for method in (item as? [String: Any] ?? [:]).keys
                where ["get", "post", "put", "delete", "patch"].contains(method) {
                    documented.insert("\(method.uppercased()) \(path)")
                }
            }
            let registered = Set(
                app.routes.all.map { route in
                    "\(route.method.rawValue) /"
                        + route.path.map { component in
                            if case .parameter(let name) = component { return "{\(name)}" }
                            return component.description
                        }.joined(separator: "/")
                }
            ).filter { $0.contains(" /api/v1/") || $0.hasSuffix(" /health") }
            #expect(documented == registered)
        }
    }

    @Test(
        "a generated route names the field in its 400s: a wrong type, a value outside the list, a missing query parameter"
    )
    func fieldSentences() async throws {
        try await withApp(.sqlite) { app in
            let cases: [(HTTPMethod, String, String?, String)] = [
                (.POST, "api/v1/compliance/lint", #"{"channel": "sms", "text": 5}"#, "text: expected a string"),
                (
                    .POST, "api/v1/compliance/lint", #"{"channel": "fax", "text": "x"}"#,
                    #"channel is "fax"; use one of voicemail, sms, email, letter"#
                ),
                (.POST, "api/v1/compliance/lint", #"{"text": "x"}"#, "channel is missing"),
                (.POST, "api/v1/plans/propose", #"{"balance": true}"#, "balance: expected a string"),
                (.GET, "api/v1/compliance/validation-period", nil, "the query parameter sent is missing"),
                (.POST, "api/v1/compliance/check", "[1]", "the request must be a JSON object"),
                (.GET, "api/v1/debts?limit=abc", nil, #"limit is "abc"; it must be a whole number"#),
                (.GET, "api/v1/debts?status=pending", nil, #"status is "pending"; use one of open, closed"#),
                (.GET, "api/v1/promises?client=alpha", nil, "the query parameter asOf is missing"),
                (.GET, "api/v1/compliance/validation-period?sent=", nil, "the query parameter sent is missing"),
                (.PUT, "api/v1/clients/alpha/terms", #"{"colour": 1}"#, "colour is not a terms field"),
                (.POST, "api/v1/payments", #"{"client": "alpha", "on": "2026-11-01"}"#, "key is missing"),
            ]
            for (method, path, body, message) in cases {
                try await app.api(method, path, body: body.map { ByteBuffer(string: $0) }) { response async throws in
                    #expect(response.status == .badRequest, "\(path) \(body ?? "")")
                    let error = try response.content.decode(ErrorBody.self)
                    #expect(error.error.code == "invalid_request")
                    #expect(error.error.message == message)
                }
            }
        }
    }

    @Test("an empty query value means the parameter was not given, as before")
    func emptyQueryValues() async throws {
        try await withApp(.sqlite) { app in
            _ = try await AccessTests.twoClients(app)
            try await app.api(.GET, "api/v1/debts?status=&client=&limit=2") { response async throws in
                #expect(response.status == .ok)
                #expect(response.body.string.contains(#""items":[{"#))
            }
        }
    }

    @Test("a body over an operation's limit is refused before it is read")
    func bodyLimit() async throws {
        try await withApp(.sqlite) { app in
            // Over a real connection: the in-memory tester hands the body over whole, past any limit.
            let tester = LiveServer(app: app)
            var headers = HTTPHeaders()
            headers.bearerAuthorization = BearerAuthorization(token: TestAccounts.credentials(app).token)
            let text = String(repeating: "a", count: 1_100_000)
            try await tester.test(
                .POST, "api/v1/compliance/lint", headers: headers,
                body: ByteBuffer(string: #"{"channel": "sms", "text": "\#(text)"}"#)
            ) { response async throws in
                #expect(response.status == .payloadTooLarge)
            }
            try await tester.test(
                .POST, "api/v1/compliance/lint", headers: headers,
                body: ByteBuffer(string: #"{"channel": "sms", "text": "\#(text.prefix(900_000))"}"#)
            ) { response async throws in
                #expect(response.status == .ok)
            }
        }
    }
}

/// JSON values compared whatever the order of their members.
enum JSONText {
    /// The value written with sorted keys: equal for equal values.
    static func canonical(_ value: Any) throws -> String {
        String(
            decoding: try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed]),
            as: UTF8.self)
    }

    /// True when two JSON texts hold the same value.
    static func same(_ first: String, _ second: String) throws -> Bool {
        try canonical(JSONSerialization.jsonObject(with: Data(first.utf8), options: .fragmentsAllowed))
            == canonical(JSONSerialization.jsonObject(with: Data(second.utf8), options: .fragmentsAllowed))
    }
}
