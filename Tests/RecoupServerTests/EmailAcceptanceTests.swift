import Foundation
import RecoupStore
import RecoupTestSupport
import SQLKit
import Testing

/// Issue 15's acceptance from outside: a strategy that emails a reminder, `recoup run`, then `recoup outbox send`
/// with `RECOUP_SMTP_URL` pointing at a real SMTP server on this machine. The binary reads the real clock, so the
/// debtors' time zones are chosen now: one where it is the middle of the day, one where it is the middle of the night.
@Suite("Email from the daily run to a real SMTP server", .serialized)
struct EmailAcceptanceTests {
    /// A zone whose local hour at `now` is in `hours` (and stays so for the next half hour).
    static func zone(at now: Date, hours: Range<Int>) throws -> String {
        var calendar = Calendar(identifier: .gregorian)
        for identifier in [
            "Pacific/Honolulu", "America/Los_Angeles", "America/Chicago", "America/New_York",
            "America/Sao_Paulo", "Atlantic/Azores", "Europe/London", "Europe/Berlin", "Europe/Moscow", "Asia/Dubai",
            "Asia/Karachi", "Asia/Dhaka", "Asia/Bangkok", "Asia/Shanghai", "Asia/Tokyo", "Australia/Brisbane",
            "Pacific/Noumea", "Pacific/Auckland", "Pacific/Tongatapu", "Pacific/Kiritimati", "Pacific/Pago_Pago",
            "Pacific/Marquesas", "America/Anchorage", "America/Denver", "Asia/Kolkata", "Africa/Nairobi",
        ] {
            calendar.timeZone = TimeZone(identifier: identifier)!
            let start = calendar.component(.hour, from: now)
            let later = calendar.component(.hour, from: now.addingTimeInterval(1_800))
            if hours.contains(start), hours.contains(later) { return identifier }
        }
        throw TestServerError("no zone has an hour in \(hours) now")
    }

    /// Pat with two debts and Lee with one in a zone where it is mid-day, Quinn in one where it is night, all past
    /// due ten days; the client's profile; a strategy that emails a reminder on day 7; and today's run.
    static func portfolio(_ recoup: RecoupBinary) async throws {
        let now = Date()
        let day = try Self.zone(at: now, hours: 10..<17)
        let night = try Self.zone(at: now, hours: 1..<6)
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC")!
        let today = utc.dateComponents([.year, .month, .day], from: now)
        let asOf = String(format: "%04d-%02d-%02d", today.year!, today.month!, today.day!)
        let due = utc.date(byAdding: .day, value: -10, to: utc.date(from: today)!)!
        let dueParts = utc.dateComponents([.year, .month, .day], from: due)
        let dueOn = String(format: "%04d-%02d-%02d", dueParts.year!, dueParts.month!, dueParts.day!)
        let file = recoup.directory.appendingPathComponent("debts.csv")
        try """
        debt_ref,debtor_ref,debtor_kind,debtor_name,charged_on,due_on,principal,interest,fees,paid,paid_on,phones,emails,time_zones
        D1,P1,consumer,Pat Doe,2026-01-01,\(dueOn),1250.00,,,,,,pat@example.com,\(day)
        D2,P1,consumer,Pat Doe,2026-01-01,\(dueOn),80.00,,,,,,pat@example.com,\(day)
        E1,P2,consumer,Lee Chen,2026-01-01,\(dueOn),300.00,,,,,,lee@example.com,\(day)
        N1,P3,consumer,Quinn Roe,2026-01-01,\(dueOn),75.00,,,,,,quinn@example.com,\(night)

        """.write(to: file, atomically: true, encoding: .utf8)
        #expect(try await recoup.run(["import", "--format", "recoup", "--client", "alpha", file.path]).status == 0)
        let profile = try await recoup.run([
            "client", "profile", "--client", "alpha", "--name", "Alpha Dental", "--phone", "(617) 555-0199",
            "--payment-link", "https://pay.alpha.example/",
        ])
        #expect(profile.status == 0, "\(profile.standardError)")
        let strategy = recoup.directory.appendingPathComponent("email.yaml")
        try """
        name: email-reminder
        tracks:
          - steps:
              - {id: reminder-1, day: 7, action: email, template: reminder}

        """.write(to: strategy, atomically: true, encoding: .utf8)
        #expect(try await recoup.run(["strategy", "activate", strategy.path]).status == 0)
        let run = try await recoup.run(["run", "--as-of", asOf, "--format", "json"])
        #expect(run.status == 0, "\(run.standardError)")

    }

    @Test("one email per debtor with the exact amount, the creditor and the opt-out; none twice; the night's deferred")
    func acceptance() async throws {
        guard let server = try SMTPTestServer.start() else { return }
        defer { server.stop() }
        let recoup = try RecoupBinary()
        try await Self.portfolio(recoup)

        let environment = [
            "RECOUP_SMTP_URL": "smtp://localhost:\(server.port)?starttls=never",
            "RECOUP_MAIL_FROM": "collections@alpha.example", "RECOUP_PUBLIC_URL": "https://recoup.example.com",
        ]
        let sent = try await recoup.run(["outbox", "send"], environment: environment)
        #expect(sent.status == 0, "\(sent.standardError)")
        #expect(sent.standardOutput.hasPrefix(#"{"cancelled":0,"deferred":"#), "\(sent.standardOutput)")
        #expect(sent.standardOutput.contains(#""sent":2,"#), "\(sent.standardOutput)")
        let received = try server.received()
        #expect(received.map(\.to).sorted { $0[0] < $1[0] } == [["lee@example.com"], ["pat@example.com"]])
        let pat = try #require(received.first { $0.to == ["pat@example.com"] })
        let text = decodeQuotedPrintable(pat.raw)
        #expect(text.contains("$1,330.00"), "the exact amount of both debts")
        #expect(text.contains("Alpha Dental"))
        #expect(text.contains("https://pay.alpha.example/"), "how to pay")
        #expect(text.contains("To stop receiving emails"), "opt-out instructions")
        #expect(text.contains("https://recoup.example.com/opt-out/"))
        #expect(pat.raw.contains("\r\nList-Unsubscribe: <https://recoup.example.com/opt-out/"))
        #expect(pat.raw.contains("\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"))

        // Sending again delivers nothing; Quinn's night-time email is still waiting, not sent.
        let again = try await recoup.run(["outbox", "send"], environment: environment)
        #expect(again.standardOutput.contains(#""sent":0,"#), "\(again.standardOutput)")
        #expect(try server.received().count == 2)
        let quinn = try await recoup.run(["outbox", "list", "--format", "table"], environment: environment)
        let line = try #require(quinn.standardOutput.split(separator: "\n").first { $0.contains("Quinn Roe") })
        #expect(line.contains("queued") || line.contains("deferred"), "\(line)")

        // A bad SMTP URL is one sentence and exit status 2.
        var bad = environment
        bad["RECOUP_SMTP_URL"] = "http://localhost:25"
        let refused = try await recoup.run(["outbox", "send"], environment: bad)
        #expect(refused.status == 2)
        #expect(
            refused.standardError
                == "recoup: RECOUP_SMTP_URL starts with \"http://\"; use smtp:// (STARTTLS) or smtps:// (implicit TLS), "
                + "such as smtp://user:password@mail.example.com:587\n")
    }

    @Test("recoup serve delivers the outbox in the background, every --deliver-every seconds")
    func serveDelivers() async throws {
        guard let server = try SMTPTestServer.start() else { return }
        defer { server.stop() }
        let recoup = try RecoupBinary()
        try await Self.portfolio(recoup)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: RecoupBinary.path)
        let (port, descriptor) = try ServePortTests.occupyPort()
        close(descriptor)
        process.arguments = ["serve", "--port", String(port), "--deliver-every", "1"]
        process.currentDirectoryURL = recoup.directory
        var variables = ProcessInfo.processInfo.environment
        variables.removeValue(forKey: "DATABASE_URL")
        variables["RECOUP_SMTP_URL"] = "smtp://localhost:\(server.port)?starttls=never"
        variables["RECOUP_MAIL_FROM"] = "collections@alpha.example"
        process.environment = variables
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        defer {
            process.terminate()
            process.waitUntilExit()
        }
        // The two due emails arrive within a few rounds, without a command.
        var received = 0
        for _ in 0..<300 where received < 2 {
            try await Task.sleep(for: .milliseconds(100))
            received = try server.received().count
        }
        #expect(received == 2)
        try await Task.sleep(for: .milliseconds(2_500))
        #expect(try server.received().count == 2, "nothing twice over the next rounds")
        #expect(process.isRunning)
    }

    @Test("a sender killed mid-batch: run again, and no email it recorded as sent goes twice; the rest go")
    func killedMidBatch() async throws {
        var options = SMTPTestServer.Options()
        options.delay = 0.3
        guard let server = try SMTPTestServer.start(options) else { return }
        defer { server.stop() }
        let recoup = try RecoupBinary()
        // Forty debtors, an email each, all due now.
        let day = try Self.zone(at: Date(), hours: 10..<17)
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC")!
        let today = utc.dateComponents([.year, .month, .day], from: Date())
        let asOf = String(format: "%04d-%02d-%02d", today.year!, today.month!, today.day!)
        var csv = "debt_ref,debtor_ref,debtor_kind,debtor_name,charged_on,due_on,principal,emails,time_zones\n"
        for number in 1...40 {
            csv +=
                "D\(number),P\(number),consumer,Person \(number),2026-01-01,2026-06-01,100.00,p\(number)@example.com,\(day)\n"
        }
        let file = try recoup.write(csv, to: "forty.csv")
        #expect(try await recoup.run(["import", "--format", "recoup", "--client", "alpha", file]).status == 0)
        #expect(
            try await recoup.run([
                "client", "profile", "--client", "alpha", "--name", "Alpha Dental", "--phone", "(617) 555-0199",
            ])
            .status == 0)
        let strategy = try recoup.write(
            "name: e\ntracks:\n  - steps:\n      - {id: r, day: 7, action: email, template: reminder}\n",
            to: "e.yaml")
        #expect(try await recoup.run(["strategy", "activate", strategy]).status == 0)
        #expect(try await recoup.run(["run", "--as-of", asOf]).status == 0)

        var variables = ProcessInfo.processInfo.environment
        variables.removeValue(forKey: "DATABASE_URL")
        variables["RECOUP_SMTP_URL"] = "smtp://localhost:\(server.port)?starttls=never"
        variables["RECOUP_MAIL_FROM"] = "collections@alpha.example"
        let sender = Process()
        sender.executableURL = URL(fileURLWithPath: RecoupBinary.path)
        sender.arguments = ["outbox", "send"]
        sender.currentDirectoryURL = recoup.directory
        sender.environment = variables
        sender.standardOutput = FileHandle.nullDevice
        try sender.run()
        // Killed once the server has taken 15 of the 40 (three tenths of a second each: twelve seconds in all, so a
        // busy machine still kills it in the middle).
        // Waiting without holding one of the few threads the other tests' tasks run on.
        for _ in 0..<200 where try server.received().count < 15 { try await Task.sleep(for: .milliseconds(50)) }
        kill(sender.processIdentifier, SIGKILL)
        sender.waitUntilExit()
        let beforeRestart = try server.received().count
        #expect(beforeRestart >= 15 && beforeRestart < 40)

        // What the killed sender recorded, and its claim run out (as if fifteen minutes had passed).
        let database = try await RecoupDatabase.open(
            .sqliteFile(path: recoup.directory.appendingPathComponent("recoup.sqlite").path))
        let recorded: [Int64]
        do {
            recorded = try await database.sql.raw("SELECT id FROM outbox_messages WHERE status = 'sent' ORDER BY id")
                .all().map { try $0.decode(column: "id", as: Int64.self) }
            try await database.sql.raw(
                "UPDATE outbox_messages SET claimed_until = 0 WHERE status = 'sending'"
            ).run()
            await database.close()
        } catch {
            await database.close()
            throw error
        }
        #expect(recorded.count >= 5, "answers are recorded as they come, not at the end of the batch")

        let again = try await recoup.run(
            ["outbox", "send"], environment: variables.filter { $0.key.hasPrefix("RECOUP_") })
        #expect(again.status == 0, "\(again.standardError)")
        // Every email arrived; those recorded as sent before the kill arrived once; a repeat keeps its Message-ID.
        var copies: [Int64: Int] = [:]
        for message in try server.received() {
            let line = try #require(message.raw.components(separatedBy: "\r\n").first { $0.hasPrefix("Message-ID: ") })
            let id = try #require(Int64(line.dropFirst("Message-ID: <outbox-".count).prefix { $0.isNumber }))
            copies[id, default: 0] += 1
        }
        #expect(copies.count == 40)
        for id in recorded { #expect(copies[id] == 1, "message \(id) was recorded as sent and must not go again") }
        let repeated = copies.filter { $0.value > 1 }.keys
        #expect(repeated.count <= beforeRestart - recorded.count, "only what was sent but not yet recorded repeats")
    }
}
