import Foundation
import RecoupCore
import RecoupStore
import RecoupTestSupport
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import RecoupServer

/// `POST /api/v1/inbound/sms` and `/sms-status`: signed with an HMAC of the body, not a token.
@Suite("Inbound texts through the API")
struct InboundAPITests {
    static let secret = "a-shared-secret-of-32-characters"

    static func post(
        _ app: Application, _ path: String, _ body: String, signature: String? = nil,
        _ check: (TestingHTTPResponse) async throws -> Void
    ) async throws {
        var headers = HTTPHeaders()
        headers.contentType = .json
        headers.add(
            name: "X-Recoup-Signature", value: signature ?? InboundSignature.signature(Data(body.utf8), secret: secret))
        try await app.testing().test(.POST, path, headers: headers, body: ByteBuffer(string: body)) { response in
            try await check(response)
        }
    }

    @Test("STOP from a debtor's number opts it out; HELP answers; a bad signature is 401; no secret is 503")
    func texts() async throws {
        try await withApp(.sqlite) { app in
            _ = try await Importer.run(
                ImportRequest(
                    path: try TestFiles.temporary(
                        """
                        debt_ref,debtor_ref,debtor_kind,debtor_name,charged_on,due_on,principal,phones,emails,time_zones
                        D1,P1,consumer,Pat Doe,2026-01-01,2026-02-01,100.00,+16175550100:mobile,pat@example.com,America/New_York

                        """), format: .recoup, clientRef: "alpha"), on: app.db, now: testNow)
            app.settings.inboundSecret = nil
            try await Self.post(app, "api/v1/inbound/sms", #"{"from":"+16175550100","body":"STOP"}"#) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(response.body.string.contains("RECOUP_INBOUND_SECRET"))
            }
            app.settings.inboundSecret = Self.secret
            try await Self.post(
                app, "api/v1/inbound/sms", #"{"from":"+16175550100","body":"STOP"}"#, signature: "sha256=00"
            ) { response in
                #expect(response.status == .unauthorized)
            }
            try await Self.post(app, "api/v1/inbound/sms", #"{"from":"+16175550100","body":"STOP"}"#) { response in
                #expect(response.status == .ok)
                #expect(response.body.string == #"{"debtors":1,"outcome":"opted_out"}"#)
            }
            let debtorID = try #require(
                try await (app.db as! any SQLDatabase).raw("SELECT id FROM debtors WHERE ref = 'P1'").first()?.decode(
                    column: "id", as: Int64.self))
            let events = try await ContactStore.events(debtorID: debtorID, on: app.db)
            #expect(
                events.contains { if case .optOut(.sms, "+16175550100") = $0.entry.event.kind { true } else { false } })
            try await Self.post(app, "api/v1/inbound/sms", #"{"from":"+16175550100","body":"help"}"#) { response in
                #expect(response.status == .ok)
                #expect(response.body.string.contains(#""outcome":"help""#))
            }
            try await Self.post(app, "api/v1/inbound/sms", #"{"from":"nobody","body":"hi"}"#) { response in
                #expect(response.status == .badRequest)
            }
            try await Self.post(
                app, "api/v1/inbound/sms-status", #"{"messageId":"424242","status":"failed"}"#
            ) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test("a bounce posted whole marks the address undeliverable; unsigned is 401; bytes that are not an email are 400")
    func email() async throws {
        try await withApp(.sqlite) { app in
            _ = try await Importer.run(
                ImportRequest(
                    path: try TestFiles.temporary(
                        """
                        debt_ref,debtor_ref,debtor_kind,debtor_name,charged_on,due_on,principal,emails,time_zones
                        D1,P1,consumer,Pat Doe,2026-01-01,2026-02-01,100.00,pat@example.com,America/New_York

                        """), format: .recoup, clientRef: "alpha"), on: app.db, now: testNow)
            app.settings.inboundSecret = Self.secret
            let bounce = SampleEmails.bounce(messageID: "<someone-else@example.net>", recipient: "pat@example.com")
            try await Self.post(app, "api/v1/inbound/email", bounce, signature: "") { response in
                #expect(response.status == .unauthorized)
            }
            try await Self.post(app, "api/v1/inbound/email", "no headers here") { response in
                #expect(response.status == .badRequest)
                #expect(response.body.string.contains("not an email"))
            }
            try await Self.post(app, "api/v1/inbound/email", bounce) { response in
                #expect(response.status == .ok)
                #expect(response.body.string == #"{"debtors":1,"messages":0,"outcome":"bounced"}"#)
            }
            let marked = try await (app.db as! any SQLDatabase).raw(
                "SELECT undeliverable_reason FROM contact_points WHERE value = 'pat@example.com'"
            ).first()?.decode(column: "undeliverable_reason", as: String?.self)
            #expect(marked?.contains("5.1.1") == true)
        }
    }
}
