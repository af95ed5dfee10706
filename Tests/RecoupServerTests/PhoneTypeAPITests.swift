import Foundation
import RecoupCore
import RecoupTestSupport
import Testing
import Vapor
import VaporTesting

@testable import RecoupServer

@Suite("Phone types by the names people use, over HTTP")
struct PhoneTypeAPITests {
    /// A call at noon in Boston to the debtor's only number, after they said contact at `place` is inconvenient.
    static func request(phoneType: String, place: String) -> String {
        """
        {"at": "2026-04-08T16:00:00Z", "action": "call", "debtId": "D1", "to": "+16175550100",
         "debtor": {"kind": "consumer", "timeZones": ["America/New_York"],
                    "phones": [{"number": "+16175550100", "type": "\(phoneType)"}]},
         "events": [{"type": "inconvenient_place", "at": "2026-04-01T16:00:00Z", "place": "\(place)"}]}
        """
    }

    @Test("POST /api/v1/compliance/check reads landline as home and office as work; an unknown type answers 400")
    func check() async throws {
        try await withApp(.sqlite) { app in
            for (type, place, decision) in [
                ("Landline", "home", "block"), ("cell phone", "home", "allow"), ("office", "work", "block"),
            ] {
                try await app.api(
                    .POST, "api/v1/compliance/check", headers: ["Content-Type": "application/json"],
                    body: ByteBuffer(string: Self.request(phoneType: type, place: place))
                ) { response async throws in
                    #expect(response.status == .ok, "\(type)")
                    let object =
                        try JSONSerialization.jsonObject(with: Data(response.body.string.utf8)) as? [String: Any]
                    #expect(object?["decision"] as? String == decision, "\(type): \(response.body.string)")
                }
            }
            try await app.api(
                .POST, "api/v1/compliance/check", headers: ["Content-Type": "application/json"],
                body: ByteBuffer(string: Self.request(phoneType: "pager", place: "home"))
            ) { response async throws in
                #expect(response.status == .badRequest)
                let error = try response.content.decode(ErrorBody.self)
                #expect(
                    error.error.message.hasPrefix(
                        #"debtor.phones[0].type is "pager"; use one of mobile, home, work, other"#))
            }
        }
    }
}
