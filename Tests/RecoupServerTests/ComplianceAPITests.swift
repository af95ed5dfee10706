import Foundation
import RecoupCore
import RecoupTestSupport
import Testing
import Vapor
import VaporTesting

@testable import RecoupServer

@Suite("The compliance API")
struct ComplianceAPITests {
    @Test("POST /api/v1/compliance/check answers exactly what the command prints")
    func check() async throws {
        try await withApp(.sqlite) { app in
            try await app.api(
                .POST, "api/v1/compliance/check", headers: ["Content-Type": "application/json"],
                body: ByteBuffer(string: ComplianceFixtures.request(at: "2026-04-07T18:00:00Z"))
            ) { response async throws in
                #expect(response.status == .ok)
                #expect(response.headers.contentType == .json)
                #expect(try JSONText.same(response.body.string, ComplianceFixtures.eighthCallDecision))
            }
        }
    }

    @Test("bad requests answer 400 with a JSON error naming the field")
    func badRequests() async throws {
        try await withApp(.sqlite) { app in
            let cases = [
                ("{", "the request is not valid JSON"),
                (#"{"at": "2026-04-08T16:00:00Z", "action": "call", "debtId": "D1"}"#, "debtor is missing"),
                ("", "the request body is empty"),
            ]
            for (body, message) in cases {
                try await app.api(.POST, "api/v1/compliance/check", body: ByteBuffer(string: body)) {
                    response async throws in
                    #expect(response.status == .badRequest)
                    let error = try response.content.decode(ErrorBody.self)
                    #expect(error.error.code == "invalid_request")
                    #expect(error.error.message.contains(message))
                }
            }
        }
    }

    @Test("lint and validation-period over HTTP")
    func lintAndValidation() async throws {
        try await withApp(.sqlite) { app in
            try await app.api(
                .POST, "api/v1/compliance/lint",
                body: ByteBuffer(
                    string:
                        #"{"channel": "voicemail", "text": "Hi, this is Jane Smith from ABC Services. Please call me back at 617-555-0100."}"#
                )
            ) { response async throws in
                #expect(response.status == .ok)
                let object = try JSONSerialization.jsonObject(with: Data(response.body.string.utf8)) as? [String: Any]
                #expect(object?["limitedContent"] as? Bool == true)
                #expect(object?["ok"] as? Bool == true)
            }
            // In Spanish: a lawsuit stated as certain is an error; the same text read as English finds no threat.
            let spanish = #""text": "Acme Recovery: si no paga hoy, lo demandaremos. Llame al 617-555-0100.""#
            for (language, fires) in [("es", true), ("en", false)] {
                try await app.api(
                    .POST, "api/v1/compliance/lint",
                    body: ByteBuffer(string: #"{"channel": "sms", "language": "\#(language)", \#(spanish)}"#)
                ) { response async throws in
                    #expect(response.status == .ok)
                    #expect(response.body.string.contains(#""rule":"threat-lawsuit""#) == fires, "\(language)")
                }
            }
            try await app.api(
                .POST, "api/v1/compliance/lint",
                body: ByteBuffer(string: #"{"channel": "sms", "language": "fr", "text": "x"}"#)
            ) { response async throws in
                #expect(response.status == .badRequest)
            }
            try await app.api(
                .POST, "api/v1/compliance/lint", body: ByteBuffer(string: #"{"channel": "fax", "text": "x"}"#)
            ) {
                response async throws in
                #expect(response.status == .badRequest)
                #expect(response.body.string.contains("use one of voicemail, sms, email, letter"))
            }
            try await app.api(.GET, "api/v1/compliance/validation-period?sent=2026-06-01") { response async throws in
                #expect(
                    try JSONText.same(
                        response.body.string,
                        #"{"sent":"2026-06-01","assumedReceived":"2026-06-08","periodEnds":"2026-07-08"}"#))
            }
        }
    }
}
