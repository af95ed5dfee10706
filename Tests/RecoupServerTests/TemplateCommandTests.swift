import Foundation
import RecoupCore
import RecoupStore
import RecoupTestSupport
import SQLKit
import Testing

/// `recoup template list|show|set|reset|preview` through the real binary, and the run writing with a client's own
/// wording in the debtor's language.
@Suite("recoup template")
struct TemplateCommandTests {
    static let debts = """
        debt_ref,debtor_ref,debtor_kind,debtor_name,charged_on,due_on,principal,emails,time_zones,language
        D1,P1,consumer,Pat Doe,2026-06-01,2026-07-01,1250.00,pat@example.com,America/New_York,
        D2,P2,consumer,Ana García,2026-06-01,2026-07-01,300.00,ana@example.com,America/New_York,es

        """

    /// A client "alpha" (Alpha Dental, a phone to reply to) with Pat (English) and Ana (Spanish).
    static func seeded() async throws -> RecoupBinary {
        let recoup = try RecoupBinary()
        let file = try recoup.write(debts, to: "debts.csv")
        let imported = try await recoup.run(["import", "--format", "recoup", "--client", "alpha", file])
        #expect(imported.status == 0, "\(imported.standardError)")
        let profile = try await recoup.run([
            "client", "profile", "--client", "alpha", "--name", "Alpha Dental", "--phone", "(617) 555-0199",
        ])
        #expect(profile.status == 0, "\(profile.standardError)")
        return recoup
    }

    static func json(_ text: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(text.utf8))
    }

    @Test("list shows every template built in; show prints a file that set takes back for one client")
    func listShowSet() async throws {
        let recoup = try await Self.seeded()
        let list = try await recoup.run(["template", "list"])
        #expect(list.status == 0, "\(list.standardError)")
        let all = try #require(try Self.json(list.standardOutput) as? [[String: Any]])
        #expect(all.count == TemplateStore.keys.count)
        #expect(all.allSatisfy { $0["origin"] as? String == "built-in" && $0["version"] as? Int == 0 })
        #expect(
            all.contains {
                $0["template"] as? String == "reminder" && $0["channel"] as? String == "email"
                    && $0["language"] as? String == "es"
            })

        let shown = try await recoup.run(["template", "show", "reminder", "--channel", "email"])
        #expect(shown.status == 0, "\(shown.standardError)")
        #expect(shown.standardOutput.hasPrefix("template: reminder\nchannel: email\nlanguage: en\nsubject: "))
        #expect(shown.standardOutput.contains("{{total}}"))

        // The client's own wording: the same file with a new first paragraph.
        let edited = shown.standardOutput.replacingOccurrences(
            of: "Dear {{debtorName}},", with: "Hello {{debtorName}}, a note from Alpha's billing desk.")
        #expect(edited != shown.standardOutput)
        let file = try recoup.write(edited, to: "reminder.txt")
        let saved = try await recoup.run(["template", "set", file, "--client", "alpha"])
        #expect(saved.status == 0, "\(saved.standardError)")
        let answer = try #require(try Self.json(saved.standardOutput) as? [String: Any])
        #expect(answer["saved"] as? Bool == true)
        #expect(answer["origin"] as? String == "client")
        #expect(answer["client"] as? String == "alpha")
        #expect(answer["version"] as? Int == 1)
        // Saving the same again stores nothing new.
        let again = try await recoup.run(["template", "set", file, "--client", "alpha"])
        let unchanged = try #require(try Self.json(again.standardOutput) as? [String: Any])
        #expect(unchanged["version"] as? Int == 1)
        #expect(unchanged["saved"] as? Bool == false, "the same wording: nothing stored")

        let mine = try await recoup.run([
            "template", "show", "reminder", "--channel", "email", "--client", "alpha",
        ])
        #expect(mine.standardOutput.contains("a note from Alpha's billing desk"))
        #expect(mine.standardOutput.contains("client: alpha\n"))
        // The installation's wording, and other clients', are unchanged.
        let installation = try await recoup.run(["template", "show", "reminder", "--channel", "email"])
        #expect(installation.standardOutput == shown.standardOutput)

        let listed = try await recoup.run(["template", "list", "--client", "alpha", "--format", "table"])
        #expect(listed.standardOutput.contains("reminder"))
        #expect(
            listed.standardOutput.split(separator: "\n").contains {
                $0.hasPrefix("reminder ") && $0.contains("email") && $0.contains("client alpha")
            }, "\(listed.standardOutput)")

        // Reset: the built-in wording stands again.
        let reset = try await recoup.run([
            "template", "reset", "reminder", "--channel", "email", "--client", "alpha",
        ])
        #expect(reset.status == 0, "\(reset.standardError)")
        #expect((try Self.json(reset.standardOutput) as? [String: Any])?["origin"] as? String == "built-in")
        let back = try await recoup.run([
            "template", "show", "reminder", "--channel", "email", "--client", "alpha",
        ])
        #expect(!back.standardOutput.contains("billing desk"))
    }

    @Test("a threat, a missing opt-out or an unknown variable is refused with the findings; nothing is saved")
    func refused() async throws {
        let recoup = try await Self.seeded()
        let shown = try await recoup.run(["template", "show", "reminder", "--channel", "email"]).standardOutput
        let cases: [(String, String, String)] = [
            (
                "threat",
                shown.replacingOccurrences(
                    of: "Dear {{debtorName}},", with: "Dear {{debtorName}},\n\nPay today or we will sue you."),
                "threat-lawsuit"
            ),
            (
                "no opt-out",
                shown.split(separator: "\n", omittingEmptySubsequences: false)
                    .filter { !$0.contains("STOP") }.joined(separator: "\n"),
                "missing-opt-out"
            ),
            ("typo", shown.replacingOccurrences(of: "{{total}}", with: "{{totl}}"), "template-variable"),
        ]
        for (label, text, rule) in cases {
            let file = try recoup.write(text, to: "\(label).txt")
            let result = try await recoup.run(["template", "set", file, "--client", "alpha"])
            #expect(result.status == 2, "\(label)")
            let answer = try #require(try Self.json(result.standardOutput) as? [String: Any], "\(label)")
            #expect(answer["saved"] as? Bool == false)
            let findings = try #require(answer["findings"] as? [[String: Any]])
            #expect(findings.contains { $0["rule"] as? String == rule }, "\(label): \(findings)")
            #expect(result.standardError.hasPrefix("recoup: the email template reminder (en) was not saved"))
            #expect(result.standardError.split(separator: "\n").count == 1)
        }
        let list = try await recoup.run(["template", "list", "--client", "alpha"])
        let all = try #require(try Self.json(list.standardOutput) as? [[String: Any]])
        #expect(all.allSatisfy { $0["origin"] as? String == "built-in" }, "nothing was saved")
    }

    @Test("a final notice by email attaches the statement; a text cannot; the header round-trips")
    func attachStatement() async throws {
        let recoup = try await Self.seeded()
        let final = try await recoup.run(["template", "show", "final-notice", "--channel", "email"])
        #expect(final.standardOutput.contains("\nattach: statement\n"), "\(final.standardOutput)")
        let reminder = try await recoup.run(["template", "show", "reminder", "--channel", "email"])
        #expect(!reminder.standardOutput.contains("attach:"))
        // The reminder asks for it too: saved, and shown so.
        let withStatement = reminder.standardOutput.replacingOccurrences(
            of: "\n\nDear", with: "\nattach: statement\n\nDear")
        let saved = try await recoup.run([
            "template", "set", try recoup.write(withStatement, to: "r.txt"), "--client", "alpha",
        ])
        #expect(saved.status == 0, "\(saved.standardError)")
        let shown = try await recoup.run(["template", "show", "reminder", "--channel", "email", "--client", "alpha"])
        #expect(shown.standardOutput.contains("\nattach: statement\n"))
        // A text cannot carry a file.
        let text = try await recoup.run(["template", "show", "reminder", "--channel", "sms"]).standardOutput
        let refused = try await recoup.run([
            "template", "set",
            try recoup.write(text.replacingOccurrences(of: "\n\n", with: "\nattach: statement\n\n"), to: "s.txt"),
        ])
        #expect(refused.status == 2)
        #expect(refused.standardOutput.contains(#""rule":"template-attach""#), "\(refused.standardOutput)")
        let wrong = try await recoup.run([
            "template", "set",
            try recoup.write(
                withStatement.replacingOccurrences(of: "attach: statement", with: "attach: invoice"), to: "w.txt"),
        ])
        #expect(wrong.status == 2)
        #expect(wrong.standardError.contains(#"attach is "invoice""#), "\(wrong.standardError)")
    }

    @Test("a bad file, an unknown template, channel, language or client: one sentence and exit 2")
    func badInput() async throws {
        let recoup = try await Self.seeded()
        let noHeader = try recoup.write("Dear {{debtorName}}\n", to: "bad.txt")
        let unknownName = try recoup.write("template: welcome\nchannel: email\nsubject: Hi\n\nHello\n", to: "w.txt")
        let badChannel = try recoup.write("template: reminder\nchannel: fax\n\nHello\n", to: "f.txt")
        let badLanguage = try recoup.write("template: reminder\nchannel: sms\nlanguage: fr\n\nHello\n", to: "l.txt")
        let runs: [([String], String)] = [
            (["template", "set", noHeader], "line 1"),
            (["template", "set", unknownName], "there is no message template \"welcome\""),
            (["template", "set", badChannel], "\"fax\""),
            (["template", "set", badLanguage], "\"fr\""),
            (["template", "set", "/nonexistent/file.txt"], "no such file"),
            (["template", "show", "reminder", "--channel", "voicemail"], "has no voicemail version"),
            (["template", "list", "--client", "nobody"], "there is no client \"nobody\""),
            (["template", "preview", "--client", "alpha", "--debt", "NOPE"], "has no debt \"NOPE\""),
        ]
        for (arguments, words) in runs {
            let result = try await recoup.run(arguments)
            #expect(result.status == 2, "\(arguments)")
            #expect(result.standardError.contains(words), "\(arguments): \(result.standardError)")
            #expect(result.standardError.split(separator: "\n").count == 1, "\(arguments): \(result.standardError)")
            #expect(!result.standardError.contains("Fatal"), "\(arguments)")
        }
    }

    @Test("preview renders a debt's exact amount as the run would, also for a file not yet saved")
    func preview() async throws {
        let recoup = try await Self.seeded()
        let result = try await recoup.run([
            "template", "preview", "--client", "alpha", "--debt", "D1", "--as-of", "2026-07-16",
        ])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.hasPrefix("Subject: About your account with Alpha Dental\n\nDear Pat Doe,"))
        #expect(result.standardOutput.contains("$1,250.00"))
        #expect(result.standardOutput.contains("(617) 555-0199"))
        #expect(!result.standardOutput.contains("-- the message lint"), "a built-in template has no findings")

        let file = try recoup.write(
            "template: reminder\nchannel: sms\n\n{{writerName}}: {{debtorName}} owes {{total}}. We will sue.\n",
            to: "draft.txt")
        let draft = try await recoup.run([
            "template", "preview", "--client", "alpha", "--debt", "D1", "--file", file, "--format", "json",
        ])
        #expect(draft.status == 0, "\(draft.standardError)")
        let answer = try #require(try Self.json(draft.standardOutput) as? [String: Any])
        #expect(answer["body"] as? String == "Alpha Dental: Pat Doe owes $1,250.00. We will sue.")
        let lint = try #require(answer["lint"] as? [String: Any])
        #expect(lint["ok"] as? Bool == false)
        let rules = (lint["findings"] as? [[String: Any]] ?? []).compactMap { $0["rule"] as? String }
        #expect(rules.contains("threat-lawsuit"))
        #expect(rules.contains("missing-opt-out"))
    }

    @Test("the run writes with the client's own wording, in each debtor's language")
    func runUsesTemplatesAndLanguage() async throws {
        let recoup = try await Self.seeded()
        let shown = try await recoup.run(["template", "show", "reminder", "--channel", "email"]).standardOutput
        let edited = shown.replacingOccurrences(
            of: "Dear {{debtorName}},", with: "Dear {{debtorName}}, from Alpha's billing desk:")
        let saved = try await recoup.run([
            "template", "set", try recoup.write(edited, to: "r.txt"), "--client", "alpha",
        ])
        #expect(saved.status == 0, "\(saved.standardError)")
        let strategy = try recoup.write(
            "name: e\ntracks:\n  - steps:\n      - {id: r, day: 7, action: email, template: reminder}\n", to: "e.yaml")
        #expect(try await recoup.run(["strategy", "activate", strategy]).status == 0)
        let run = try await recoup.run(["run", "--as-of", "2026-07-16"])
        #expect(run.status == 0, "\(run.standardError)")

        let database = try await RecoupDatabase.open(
            .sqliteFile(path: recoup.directory.appendingPathComponent("recoup.sqlite").path))
        var bodies: [String: (subject: String?, body: String)] = [:]
        do {
            for row in try await database.sql.raw(
                "SELECT recipient, subject, body FROM outbox_messages ORDER BY recipient"
            ).all() {
                bodies[try row.decode(column: "recipient", as: String.self)] = (
                    try row.decode(column: "subject", as: String?.self), try row.decode(column: "body", as: String.self)
                )
            }
        } catch {
            await database.close()
            throw error
        }
        await database.close()
        let pat = try #require(bodies["pat@example.com"])
        #expect(pat.body.hasPrefix("Dear Pat Doe, from Alpha's billing desk:"))
        #expect(pat.body.contains("$1,250.00"))
        let ana = try #require(bodies["ana@example.com"])
        #expect(ana.body.contains("Ana García"))
        #expect(ana.body.contains("$300.00"))
        #expect(!ana.body.contains("billing desk"), "the client's own wording is English only")
        #expect(ana.body.contains("STOP"))
        #expect(ana.body.contains("de julio de 2026"), "\(ana.body)")
    }
}
