import Foundation
import NIOConcurrencyHelpers
import RecoupCore
import RecoupStore
import RecoupTestSupport
import Testing
import Vapor
import VaporTesting

@testable import RecoupServer

@Suite("API tokens that expire, and the token list")
struct TokenExpiryTests {
    @Test(
        "after its expiry a token is refused with 401, even one the cache has just seen", arguments: TestStore.available
    )
    func expiry(store: TestStore) async throws {
        let clock = NIOLockedValueBox(testNow)
        try await withApp(store, clock: { clock.withLockedValue { $0 } }) { app in
            // Setup: a token that lasts one day.
            let expiresAt = testNow.addingTimeInterval(86_400)
            let token = try await UserStore.createToken(
                email: TestAccounts.adminEmail, expiresAt: expiresAt, on: app.db, now: testNow)
            // Act and verify: it works up to its last seconds, and that answer is cached …
            clock.withLockedValue { $0 = expiresAt.addingTimeInterval(-3) }
            try await app.api(.GET, "api/v1/debts", token: token.token) { response async throws in
                #expect(response.status == .ok)
            }
            // … but the cache does not serve it once it has expired (3 seconds later, inside the cache's 10).
            clock.withLockedValue { $0 = expiresAt.addingTimeInterval(1) }
            try await app.api(.GET, "api/v1/debts", token: token.token) { response async throws in
                #expect(response.status == .unauthorized)
                #expect(try response.content.decode(ErrorBody.self).error.message.hasPrefix("the token has expired"))
            }
            // The database says the same to a server that never cached it.
            #expect(try await UserStore.authenticate(token: token.token, on: app.db, now: expiresAt) == .expired)
            // A token without an expiry keeps working.
            clock.withLockedValue { $0 = testNow.addingTimeInterval(3650 * 86_400) }
            try await app.api(.GET, "api/v1/debts") { response async throws in
                #expect(response.status == .ok)
            }
        }
    }

    @Test("token create --days, token list (json and table) without any secret, revoked shown")
    func commands() async throws {
        let recoup = try RecoupBinary()
        #expect(
            try await recoup.run(
                ["user", "add", "ana@agency.example", "--role", "manager", "--password-stdin"],
                input: "a long enough secret\n"
            )
            .status == 0)
        let lasting = try await recoup.run(["token", "create", "ana@agency.example"])
        let expiring = try await recoup.run(["token", "create", "Ana@Agency.example", "--days", "30"])
        #expect(lasting.status == 0 && expiring.status == 0)
        #expect(expiring.standardOutput.hasPrefix("rcp_") && expiring.standardOutput.count == 4 + 64 + 1)
        for days in ["0", "3651", "-1"] {
            let refused = try await recoup.run(["token", "create", "ana@agency.example", "--days", days])
            #expect(refused.status == 2)
            #expect(refused.standardError.hasPrefix("recoup: "))
            #expect(refused.standardError.split(separator: "\n").count == 1)
        }
        #expect(
            try await recoup.run(["token", "create", "ana@agency.example", "--days", "0"]).standardError
                == "recoup: --days is 0; a token lasts from 1 to 3650 days (leave --days out for no expiry)\n")
        let first = String(lasting.standardOutput.prefix(12))
        #expect(try await recoup.run(["token", "revoke", first]).status == 0)

        let listed = try await recoup.run(["token", "list"])
        #expect(listed.status == 0)
        let items = try JSONSerialization.jsonObject(with: Data(listed.standardOutput.utf8)) as! [[String: Any]]
        #expect(items.count == 2)
        #expect(items.map { $0["prefix"] as? String } == [first, String(expiring.standardOutput.prefix(12))])
        #expect(items.allSatisfy { $0["email"] as? String == "ana@agency.example" })
        #expect(items.map { $0["revoked"] as? Bool } == [true, false])
        #expect(items[0]["expiresAt"] is NSNull)
        let created = ISO8601Instant.parse(items[1]["createdAt"] as! String)!
        let expires = ISO8601Instant.parse(items[1]["expiresAt"] as! String)!
        #expect(abs(expires.timeIntervalSince(created) - 30 * 86_400) < 2)
        #expect(listed.standardOutput.hasPrefix(#"[{"prefix":"rcp_"#))
        let table = try await recoup.run(["token", "list", "--format", "table"])
        #expect(table.status == 0)
        #expect(
            table.standardOutput.hasPrefix(
                "prefix        email               created               expires               revoked\n"))
        #expect(table.standardOutput.split(separator: "\n").count == 3)
        // Never a token or a hash.
        for output in [listed.standardOutput, table.standardOutput] {
            for token in [lasting.standardOutput, expiring.standardOutput] {
                let secret = token.trimmingCharacters(in: .newlines)
                #expect(!output.contains(secret))
                #expect(!output.contains(UserStore.sha256Hex(secret)))
                #expect(!output.contains(String(secret.dropFirst(12))))
            }
        }
        #expect(try await recoup.run(["token", "list", "--format", "xml"]).status == 2)
    }
}
