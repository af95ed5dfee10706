import Foundation
import RecoupCore
import Testing

@testable import RecoupServer

@Suite("Shared command-line options: dates, and the database by flag, environment, default")
struct CommandOptionTests {
    /// A date that does not read refuses the command before it opens any database: exit 2 and one sentence that
    /// names the option, the value and why.
    static let badDates: [(arguments: [String], sentence: String)] = [
        (
            [
                "payment", "post", "--client", "acme", "--debt", "D1", "--amount", "1.00", "--on", "2026-02-30",
                "--key", "k",
            ],
            "--on 2026-02-30 is not a real date: February 2026 has 28 days"
        ),
        (
            [
                "payment", "reverse", "--client", "acme", "--debt", "D1", "--payment-key", "p", "--on", "1/3/2026",
                "--key", "k",
            ],
            #"--on "1/3/2026" is not a date in the form YYYY-MM-DD"#
        ),
        (
            ["accrual", "fee", "--client", "acme", "--debt", "D1", "--step", "s", "--on", "2026-13-01"],
            "--on 2026-13-01 is not a real date: there is no month 13"
        ),
        (
            ["arrangement", "cancel", "ARR-000001", "--client", "acme", "--reason", "r", "--on", "tomorrow"],
            #"--on "tomorrow" is not a date in the form YYYY-MM-DD"#
        ),
        (["report", "aging", "--as-of", "12/02/2013"], #"--as-of "12/02/2013" is not a date in the form YYYY-MM-DD"#),
        (
            ["report", "aging", "--as-of", "2013-02-29"],
            "--as-of 2013-02-29 is not a real date: February 2013 has 28 days"
        ),
        (
            ["arrangement", "evaluate", "--client", "acme", "--as-of", "2027-2-28"],
            #"--as-of "2027-2-28" is not a date in the form YYYY-MM-DD"#
        ),
        (["promise", "list", "--client", "acme", "--as-of", ""], #"--as-of "" is not a date in the form YYYY-MM-DD"#),
        (
            ["segment", "refresh", "--as-of", "2026-04-31"],
            "--as-of 2026-04-31 is not a real date: April 2026 has 30 days"
        ),
        (
            [
                "accrual", "pause", "--client", "acme", "--debt", "D1", "--from", "2026-01-01", "--until", "soon",
                "--reason", "r",
            ],
            #"--until "soon" is not a date in the form YYYY-MM-DD"#
        ),
        (["demo", "--today", "2026-00-10"], "--today 2026-00-10 is not a real date: there is no month 0"),
    ]

    @Test("a bad --on, --as-of or other date exits 2 with one sentence", arguments: badDates)
    func badDate(arguments: [String], sentence: String) async throws {
        let recoup = try RecoupBinary()
        let result = try await recoup.run(arguments)
        #expect(result.status == 2)
        #expect(result.standardError == "recoup: \(sentence)\n")
        #expect(result.standardOutput == "")
        // Refused while reading the arguments: no database was created.
        #expect(!FileManager.default.fileExists(atPath: recoup.directory.appendingPathComponent("recoup.sqlite").path))
    }

    @Test("date options show their form, and a missing one is named with it")
    func dateHelp() async throws {
        let recoup = try RecoupBinary()
        let help = try await recoup.run(["report", "aging", "--help"])
        #expect(help.status == 0)
        #expect(help.standardOutput.contains("--as-of <YYYY-MM-DD>"))
        let missing = try await recoup.run(["arrangement", "show", "ARR-000001", "--client", "acme"])
        #expect(missing.status == 2)
        #expect(
            missing.standardError == "recoup: Missing expected argument '--as-of <YYYY-MM-DD>' (see recoup --help)\n")
    }

    @Test("only ArgumentParser's refusal of a date option's value becomes a date sentence")
    func dateSentence() throws {
        #expect(
            RecoupCommand.dateSentence(parserMessage: "The value '2026-02-30' is invalid for '--on <YYYY-MM-DD>'")
                == "--on 2026-02-30 is not a real date: February 2026 has 28 days")
        #expect(
            RecoupCommand.dateSentence(parserMessage: "The value 'it's' is invalid for '--as-of <YYYY-MM-DD>'")
                == #"--as-of "it's" is not a date in the form YYYY-MM-DD"#)
        #expect(RecoupCommand.dateSentence(parserMessage: "The value 'xls' is invalid for '--format <format>'") == nil)
        #expect(RecoupCommand.dateSentence(parserMessage: "Missing expected argument '--as-of <YYYY-MM-DD>'") == nil)
        #expect(LocalDate(argument: "2026-02-28") == (try LocalDate(iso: "2026-02-28")))
        #expect(LocalDate(argument: "2026-02-29") == nil)
    }

    /// A PostgreSQL URL nothing listens at: using it fails.
    static let unreachablePostgres = "postgres://recoup:secret@127.0.0.1:1/recoup"

    @Test("--database wins over DATABASE_URL; without the flag the variable is used")
    func databaseFlagWins() async throws {
        let recoup = try RecoupBinary()
        let file = recoup.directory.appendingPathComponent("x.sqlite").path
        let header = IBMAccountsReceivableLayout.header.joined(separator: ",")
        let invoices = try recoup.write(
            header + "\n391,0379-NEVHP,4/6/2013,0000611365,1/2/2013,2/1/2013,55.94,No,,Paper,,\n", to: "one.csv")

        let imported = try await recoup.run(
            ["import", "--format", "ibm-ar", invoices, "--database", file],
            environment: ["DATABASE_URL": Self.unreachablePostgres])
        #expect(imported.status == 0, "\(imported.standardError)")
        #expect(imported.standardOutput.hasPrefix(#"{"imported":1,"#))
        #expect(FileManager.default.fileExists(atPath: file))
        let aging = try await recoup.run(
            ["report", "aging", "--as-of", "2013-03-01", "--format", "csv", "--database", file],
            environment: ["DATABASE_URL": "not a URL at all"])
        #expect(aging.status == 0, "\(aging.standardError)")
        #expect(aging.standardOutput.contains("total,1,55.94,USD"))

        // Without the flag the variable decides: the unreachable server fails the command, the default file is
        // not created.
        let fromVariable = try await recoup.run(["migrate"], environment: ["DATABASE_URL": Self.unreachablePostgres])
        #expect(fromVariable.status == 1)
        #expect(fromVariable.standardError.contains("cannot open PostgreSQL postgres://recoup:***@127.0.0.1:1/recoup"))
        #expect(!FileManager.default.fileExists(atPath: recoup.directory.appendingPathComponent("recoup.sqlite").path))
    }
}
