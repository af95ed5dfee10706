import Foundation
import RecoupCore
import RecoupTestSupport
import Testing

/// `recoup pause` and `recoup exclude`, run as a user runs them (the real binary, its own SQLite file): JSON on
/// standard output, one sentence and exit status 2 for bad input. The binary reads the real clock, so the dates are
/// counted from today in UTC.
@Suite("recoup pause and recoup exclude")
struct PauseCommandTests {
    static let file = """
        debt_ref,debtor_ref,debtor_kind,debtor_name,charged_on,due_on,principal
        F1,P1,consumer,Pat Doe,2026-01-01,2026-02-01,100.00
        F2,P1,consumer,Pat Doe,2026-01-01,2026-02-01,200.00

        """

    static func prepared() async throws -> RecoupBinary {
        let recoup = try RecoupBinary()
        let imported = try await recoup.run([
            "import", "--format", "recoup", try recoup.write(file, to: "d.csv"), "--client", "acme",
        ])
        #expect(imported.status == 0, "\(imported.standardError)")
        return recoup
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "\(text)")
    }

    static func expectRefusal(_ result: RecoupBinary.Result, _ sentence: String) {
        #expect(result.status == 2, "\(result.standardError)")
        #expect(result.standardError == "recoup: \(sentence)\n")
        #expect(result.standardOutput == "")
    }

    @Test("pause a debt and a debtor, list them, end one; bad input is one sentence, exit 2")
    func pauses() async throws {
        let recoup = try await Self.prepared()
        let today = LocalDate(Date(), in: TimeZone(identifier: "UTC")!)
        let until = today.adding(days: 10).isoString

        let debt = try await recoup.run([
            "pause", "--client", "acme", "--debt", "F1", "--until", until, "--reason", "talking to the debtor",
        ])
        #expect(debt.status == 0, "\(debt.standardError)")
        let pause = try Self.json(debt.standardOutput)
        #expect(pause["id"] as? Int == 1 && pause["client"] as? String == "acme" && pause["debt"] as? String == "F1")
        #expect(pause["debtor"] as? String == "P1" && pause["until"] as? String == until)
        #expect(pause["reason"] as? String == "talking to the debtor" && pause["inForce"] as? Bool == true)
        #expect(pause["endedAt"] is NSNull)
        #expect(debt.standardOutput.hasPrefix(#"{"id":1,"client":"acme","debtor":"P1","debt":"F1","until":""#))
        let debtor = try await recoup.run([
            "pause", "set", "--client", "acme", "--debtor", "P1", "--until", today.isoString, "--reason", "hardship",
        ])
        #expect(try Self.json(debtor.standardOutput)["debt"] is NSNull)

        let table = try await recoup.run(["pause", "list", "--client", "acme", "--format", "table"])
        #expect(table.status == 0)
        #expect(table.standardOutput.hasPrefix("id  client  debtor  debt   until       in force  reason\n"))
        #expect(table.standardOutput.contains("2   acme    P1      (all)  \(today.isoString)  yes       hardship\n"))

        let ended = try await recoup.run(["pause", "end", "1"])
        #expect(ended.status == 0)
        #expect(try Self.json(ended.standardOutput)["inForce"] as? Bool == false)
        let inForce = try await recoup.run(["pause", "list", "--in-force"])
        let listed = try #require(
            try JSONSerialization.jsonObject(with: Data(inForce.standardOutput.utf8)) as? [[String: Any]])
        #expect(listed.map { $0["id"] as? Int } == [2])

        let endedTwice = try await recoup.run(["pause", "end", "1"])
        #expect(endedTwice.status == 2 && endedTwice.standardOutput == "")
        #expect(endedTwice.standardError.hasPrefix("recoup: pause 1 was already ended at "))
        Self.expectRefusal(
            try await recoup.run([
                "pause", "--client", "acme", "--debt", "F1", "--until", today.adding(days: -1).isoString, "--reason",
                "x",
            ]),
            "the pause would end on \(today.adding(days: -1).isoString), before today (\(today.isoString)); give today "
                + "or a later day")
        Self.expectRefusal(
            try await recoup.run(["pause", "--client", "acme", "--debt", "F9", "--until", until, "--reason", "x"]),
            "client \"acme\" has no debt \"F9\"")
        Self.expectRefusal(
            try await recoup.run(["pause", "--client", "acme", "--debtor", "P9", "--until", until, "--reason", "x"]),
            "client \"acme\" has no debtor \"P9\"")
        Self.expectRefusal(
            try await recoup.run(["pause", "--client", "acme", "--until", until, "--reason", "x"]),
            "give either --debt or --debtor")
        Self.expectRefusal(
            try await recoup.run([
                "pause", "--client", "acme", "--debt", "F1", "--debtor", "P1", "--until", until, "--reason", "x",
            ]), "give either --debt or --debtor")
        Self.expectRefusal(
            try await recoup.run([
                "pause", "--client", "acme", "--debt", "F1", "--until", "2026-02-30", "--reason", "x",
            ]),
            "--until 2026-02-30 is not a real date: February 2026 has 28 days")
        Self.expectRefusal(
            try await recoup.run(["pause", "list", "--debtor", "P1"]),
            "--debtor needs --client: a debtor's reference is its client's")
        Self.expectRefusal(
            try await recoup.run(["pause", "list", "--format", "xml"]), "--format is \"xml\"; use json or table")
        Self.expectRefusal(
            try await recoup.run([
                "pause", "--client", "acme", "--debt", "F1", "--until", until, "--reason", "x", "--time-zone",
                "Mars/Base",
            ]),
            "unknown time zone \"Mars/Base\": use an IANA name such as America/New_York")
    }

    @Test("exclude a debtor and a whole client, end an exclusion; a second one of the same is refused")
    func exclusions() async throws {
        let recoup = try await Self.prepared()
        let debtor = try await recoup.run(["exclude", "--client", "acme", "--debtor", "P1", "--reason", "lawyer asked"])
        #expect(debtor.status == 0, "\(debtor.standardError)")
        #expect(
            debtor.standardOutput.hasPrefix(
                #"{"id":1,"client":"acme","debtor":"P1","reason":"lawyer asked","inForce":true,"#))
        let client = try await recoup.run(["exclude", "--client", "acme", "--reason", "manual client"])
        #expect(try Self.json(client.standardOutput)["debtor"] is NSNull)
        Self.expectRefusal(
            try await recoup.run(["exclude", "--client", "acme", "--debtor", "P1", "--reason", "again"]),
            "debtor \"P1\" of client \"acme\" is already excluded from automatic steps (exclusion 1)")
        Self.expectRefusal(
            try await recoup.run(["exclude", "--client", "nobody", "--reason", "x"]), "there is no client \"nobody\"")
        Self.expectRefusal(
            try await recoup.run(["exclude", "--client", "acme", "--debtor", "P1", "--reason", ""]),
            "give a reason for an exclusion")
        let ended = try await recoup.run(["exclude", "end", "1"])
        #expect(try Self.json(ended.standardOutput)["inForce"] as? Bool == false)
        Self.expectRefusal(try await recoup.run(["exclude", "end", "7"]), "there is no exclusion 7")
        let table = try await recoup.run(["exclude", "list", "--format", "table"])
        #expect(
            table.standardOutput == """
                id  client  debtor          in force  reason
                2   acme    (whole client)  yes       manual client
                1   acme    P1              no        lawyer asked

                """)
        let inForce = try await recoup.run(["exclude", "list", "--client", "acme", "--in-force"])
        let listed = try #require(
            try JSONSerialization.jsonObject(with: Data(inForce.standardOutput.utf8)) as? [[String: Any]])
        #expect(listed.map { $0["id"] as? Int } == [2])
    }
}
