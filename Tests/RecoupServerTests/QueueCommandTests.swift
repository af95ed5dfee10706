import Foundation
import RecoupCore
import RecoupTestSupport
import Testing

@Suite("recoup queue")
struct QueueCommandTests {
    /// Sam and Ava in New York, Lee in Los Angeles; promises are added by the test.
    static let file = """
        debt_ref,debtor_ref,debtor_kind,debtor_name,charged_on,due_on,principal,phones,time_zones
        S1,P3,consumer,Sam Roe,2026-07-01,2026-08-01,500.00,+16175550111:mobile,America/New_York
        L1,P2,consumer,Lee Kim,2026-08-01,2026-09-01,300.00,+12135550100:mobile,America/Los_Angeles
        A1,P4,consumer,Ava Poe,2026-09-01,2026-10-01,2000.00,+16175550122:mobile,America/New_York

        """

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    static func refs(_ body: [String: Any]) -> [String] {
        (body["items"] as? [[String: Any]] ?? []).compactMap { ($0["debt"] as? [String: Any])?["ref"] as? String }
    }

    @Test("lists the queue at an instant as JSON or a table; bad input exits 2 with one sentence")
    func commandLine() async throws {
        // Setup: a promise due on Sunday 29 November (New York's business day), one broken on the 20th.
        let recoup = try RecoupBinary()
        let file = try recoup.write(Self.file, to: "queue.csv")
        #expect(try await recoup.run(["import", "--format", "recoup", "--client", "acme", file]).status == 0)
        for (debt, amount, due, made) in [
            ("S1", "100.00", "2026-11-29", "2026-11-25"), ("L1", "50.00", "2026-11-20", "2026-11-15"),
        ] {
            let added = try await recoup.run([
                "promise", "add", "--client", "acme", "--debt", debt, "--amount", amount, "--due", due, "--made-on",
                made,
            ])
            #expect(added.status == 0, "\(added.standardError)")
        }
        let evening = ["--at", "2026-11-30T00:53:20Z", "--time-zone", "America/New_York"]

        // Act and verify: JSON, the API's answer.
        let listed = try await recoup.run(["queue", "--collector", "ana@agency.example"] + evening)
        #expect(listed.status == 0, "\(listed.standardError)")
        let body = try Self.json(listed.standardOutput)
        #expect(body["asOf"] as? String == "2026-11-29")
        #expect(Self.refs(body) == ["S1", "L1"])
        let items = try #require(body["items"] as? [[String: Any]])
        #expect(items.map { $0["reason"] as? String } == ["promise_due_today", "broken_promise"])
        #expect(items.map { $0["localTime"] as? String } == ["2026-11-29T19:53:20-05:00", "2026-11-29T16:53:20-08:00"])
        #expect(items.first?["sentence"] as? String == "A promise to pay $100.00 on S1 is due today.")

        let one = try await recoup.run(["queue", "list", "--limit", "1"] + evening)
        #expect(Self.refs(try Self.json(one.standardOutput)) == ["S1"])
        // 9:30 PM in New York: only Lee, in Los Angeles.
        let late = try await recoup.run(["queue", "--at", "2026-11-30T02:30:00Z", "--time-zone", "America/New_York"])
        #expect(Self.refs(try Self.json(late.standardOutput)) == ["L1"])

        let table = try await recoup.run(["queue", "--format", "table", "--client", "acme"] + evening)
        #expect(table.status == 0)
        let lines = table.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("#  reason") == true)
        #expect(lines.count == 5)
        #expect(lines[1].hasPrefix("1  promise due today  Sam Roe (acme)  +16175550111  19:53 America/New_York"))
        #expect(lines[1].hasSuffix("S1    $500.00"))
        #expect(lines[2] == "   A promise to pay $100.00 on S1 is due today.")
        let nobody = try await recoup.run(["queue", "--format", "table", "--at", "2026-11-30T08:00:00Z"])
        #expect(nobody.standardOutput.hasPrefix("Nobody may be called now"))

        let tasks = try await recoup.run(["queue", "tasks"])
        #expect(tasks.status == 0)
        #expect(tasks.standardOutput == #"{"items":[]}"# + "\n")

        for (arguments, message) in [
            (["queue", "--limit", "0"], "recoup: --limit is 0; use 1 to 100\n"),
            (
                ["queue", "--at", "soon"],
                "recoup: --at \"soon\" is not an instant; give one such as 2026-12-01T15:00:00Z\n"
            ),
            (["queue", "--client", "nope"], "recoup: there is no client \"nope\"\n"),
            (["queue", "tasks", "--limit", "9999"], "recoup: limit is 9999; use 1 to 500\n"),
        ] {
            let refused = try await recoup.run(arguments)
            #expect(refused.status == 2, "\(arguments)")
            #expect(refused.standardError == message, "\(arguments)")
        }
        let zone = try await recoup.run(["queue", "--time-zone", "Mars/Olympus"])
        #expect(zone.status == 2)
        #expect(zone.standardError.contains("Mars/Olympus"))
    }
}
