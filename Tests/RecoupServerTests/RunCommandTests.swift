import Foundation
import RecoupCore
import RecoupStore
import RecoupTestSupport
import SQLKit
import Testing

/// `recoup run` from outside, on the real IBM sample (it has no phone numbers, emails or addresses): the issue's
/// acceptance.
@Suite("recoup run")
struct RunCommandTests {
    /// The actions of a run's JSON, as "debtRef step action".
    static func actions(_ output: String) throws -> (keys: [String], document: [String: Any]) {
        let document = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        let actions = try #require(document["actions"] as? [[String: Any]])
        return (
            actions.map {
                "\($0["debtRef"] as? String ?? "") \($0["step"] as? String ?? "") \($0["action"] as? String ?? "")"
            }
            .sorted(), document
        )
    }

    @Test(
        "on the IBM sample: a dry run decides about the open debts and records nothing; the run creates just that, once"
    )
    func ibmSample() async throws {
        let recoup = try RecoupBinary()
        #expect(try await recoup.run(["import", "--format", "ibm-ar", TestFiles.ibmSample]).status == 0)
        let dry = try await recoup.run(["run", "--as-of", "2013-06-14", "--dry-run", "--format", "json"])
        #expect(dry.status == 0, "\(dry.standardError)")
        let (planned, document) = try Self.actions(dry.standardOutput)
        #expect(document["dryRun"] as? Bool == true)
        #expect(document["runId"] is NSNull)
        #expect(!planned.isEmpty)
        let actions = try #require(document["actions"] as? [[String: Any]])
        // Only debts open on the date; some before their due date, some past due; each with a step, an action and a
        // reason that says the debtor cannot be reached by any channel and what is done instead.
        let due = actions.compactMap { $0["scheduledOn"] as? String }
        #expect(due.allSatisfy { $0 <= "2013-06-14" })
        let reasons = actions.compactMap { $0["reason"] as? String }
        #expect(reasons.contains { $0.contains("before the due date") })
        #expect(reasons.contains { $0.contains("past due") })
        #expect(actions.allSatisfy { ($0["step"] as? String)?.isEmpty == false && $0["action"] is String })
        #expect(
            actions.filter { $0["action"] as? String == "request_contact_details" }.allSatisfy {
                ($0["reason"] as? String)?.contains("contact details") == true
            })
        let open = try #require(document["processed"] as? Int)
        let aging = try await recoup.run(["report", "aging", "--as-of", "2013-06-14"])
        let buckets = try #require(
            (try JSONSerialization.jsonObject(with: Data(aging.standardOutput.utf8)) as? [String: Any])?["total"]
                as? [String: Any])
        #expect(open == buckets["count"] as? Int, "the run looks at exactly the debts the aging report counts open")

        let real = try await recoup.run(["run", "--as-of", "2013-06-14", "--format", "json"])
        #expect(real.status == 0, "\(real.standardError)")
        let (created, realDocument) = try Self.actions(real.standardOutput)
        #expect(created == planned)
        #expect(realDocument["created"] as? Int == planned.count)
        #expect(realDocument["runId"] is String)

        let again = try await recoup.run(["run", "--as-of", "2013-06-14", "--format", "json"])
        let (repeated, againDocument) = try Self.actions(again.standardOutput)
        #expect(repeated.isEmpty)
        #expect(againDocument["created"] as? Int == 0)
        #expect(againDocument["alreadyDone"] as? Int == planned.count)

        let list = try await recoup.run(["run", "list"])
        let runs = try #require(
            (try JSONSerialization.jsonObject(with: Data(list.standardOutput.utf8)) as? [String: Any])?["runs"]
                as? [[String: Any]])
        #expect(runs.count == 2)
        #expect(runs.first?["created"] as? Int == 0)
        #expect(runs.last?["created"] as? Int == planned.count)

        let table = try await recoup.run(["run", "--as-of", "2013-06-14", "--dry-run", "--format", "table"])
        #expect(table.status == 0)
        #expect(table.standardOutput.contains("Dry run for 2013-06-14 (nothing recorded)"))
        #expect(table.standardOutput.contains("already done \(planned.count)"))
    }

    @Test("strategy simulate: counts by step and a sample of what a file would do; nothing recorded")
    func simulate() async throws {
        let recoup = try RecoupBinary()
        #expect(try await recoup.run(["import", "--format", "ibm-ar", TestFiles.ibmSample]).status == 0)
        let file = try recoup.write(
            """
            name: ask-first
            tracks:
              - steps:
                  - {id: ask, day: -10, action: request_contact_details}
                  - {id: trace, day: 5, action: skip_trace}
            """, to: "ask.yaml")
        let result = try await recoup.run(["strategy", "simulate", file, "--as-of", "2013-06-14", "--sample", "3"])
        #expect(result.status == 0, "\(result.standardError)")
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        #expect(document["strategy"] as? String == "ask-first")
        let steps = try #require((document["counts"] as? [String: Any])?["step"] as? [String: Int])
        #expect(Set(steps.keys) == ["ask", "trace"])
        #expect(steps.values.reduce(0, +) == document["actions"] as? Int)
        #expect((document["sample"] as? [Any])?.count == 3)
        let runs = try await recoup.run(["run", "list"])
        #expect(runs.standardOutput == #"{"runs":[]}"# + "\n")
        let bad = try recoup.write(
            "name: x\ntracks:\n  - steps:\n      - {id: a, day: 1, action: emial}\n", to: "bad.yaml")
        let refused = try await recoup.run(["strategy", "simulate", bad, "--as-of", "2013-06-14"])
        #expect(refused.status == 2)
        #expect(refused.standardError.contains("line 4, column 33"))
        #expect(refused.standardError.contains(#"did you mean "email""#))
    }

    @Test("an impossible date, an unknown client or zone: one sentence and exit 2")
    func badInput() async throws {
        let recoup = try RecoupBinary()
        let date = try await recoup.run(["run", "--as-of", "2013-02-30"])
        #expect(date.status == 2)
        #expect(date.standardError == "recoup: --as-of 2013-02-30 is not a real date: February 2013 has 28 days\n")
        let client = try await recoup.run(["run", "--as-of", "2013-06-14", "--client", "nobody"])
        #expect(client.status == 2)
        #expect(client.standardError.contains("nobody"))
        #expect(client.standardError.split(separator: "\n").count == 1)
        let zone = try await recoup.run(["run", "--as-of", "2013-06-14", "--time-zone", "Mars/Olympus"])
        #expect(zone.status == 2)
        #expect(zone.standardError.contains("Mars/Olympus"))
    }

    @Test("two recoup run processes on PostgreSQL for the same date create each action once")
    func twoProcessesOnPostgreSQL() async throws {
        guard let url = ProcessInfo.processInfo.environment["RECOUP_TEST_POSTGRES_URL"], !url.isEmpty else { return }
        // A database of its own: the binary reads DATABASE_URL, which names a database, not a schema.
        let name = "run_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        let admin = try await RecoupDatabase.open(.postgres(url: url, searchPath: nil), migrate: false)
        try await admin.sql.raw("CREATE DATABASE \(unsafeRaw: String(name))").run()
        await admin.close()
        var components = try #require(URLComponents(string: url))
        components.path = "/" + name
        let databaseURL = try #require(components.string)
        defer {
            Task {
                let admin = try await RecoupDatabase.open(.postgres(url: url, searchPath: nil), migrate: false)
                try await admin.sql.raw("DROP DATABASE IF EXISTS \(unsafeRaw: String(name))").run()
                await admin.close()
            }
        }
        let recoup = try RecoupBinary()
        let environment = ["DATABASE_URL": databaseURL]
        let imported = try await recoup.run(
            ["import", "--format", "ibm-ar", TestFiles.ibmSample], environment: environment)
        #expect(imported.status == 0, "\(imported.standardError)")
        let dry = try await recoup.run(["run", "--as-of", "2013-06-14", "--dry-run"], environment: environment)
        let (planned, _) = try Self.actions(dry.standardOutput)
        #expect(!planned.isEmpty)
        async let first = Task.detached {
            try await recoup.run(["run", "--as-of", "2013-06-14"], environment: environment)
        }.value
        async let second = Task.detached {
            try await recoup.run(["run", "--as-of", "2013-06-14"], environment: environment)
        }.value
        let (a, b) = try await (first, second)
        #expect(a.status == 0, "\(a.standardError)")
        #expect(b.status == 0, "\(b.standardError)")
        let (one, _) = try Self.actions(a.standardOutput)
        let (two, _) = try Self.actions(b.standardOutput)
        #expect((one + two).sorted() == planned)
        #expect(Set(one).isDisjoint(with: Set(two)))
        // While both work, each open debt is looked at by one of them: a chunk the other has finished is left alone.
        // (A process that starts after the other has finished runs the date again, and looks at every debt.)
        func processed(_ output: String) throws -> Int {
            let object = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any]
            return try #require(object?["processed"] as? Int)
        }
        let (byA, byB, all) = (
            try processed(a.standardOutput), try processed(b.standardOutput), try processed(dry.standardOutput)
        )
        #expect(byA + byB == all || (byA == all && byB == all), "a looked at \(byA), b at \(byB), of \(all)")
    }
}
