import Foundation
import RecoupCore
import RecoupTestSupport
import Testing

/// Runs the real `recoup` binary, as a user would.
struct RecoupBinary {
    struct Result: Sendable {
        var status: Int32
        var standardOutput: String
        var standardError: String
    }

    /// The built executable beside the test bundle; built on demand when `swift test` did not build it.
    static let path: String = {
        let directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        var candidates = [directory.appendingPathComponent("recoup").path]
        candidates.append(
            directory.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("recoup").path)
        candidates.append(TestFiles.packageRoot.appendingPathComponent(".build/debug/recoup").path)
        if let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) { return found }
        let build = Process()
        build.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        build.arguments = ["swift", "build", "--product", "recoup"]
        build.currentDirectoryURL = TestFiles.packageRoot
        try? build.run()
        build.waitUntilExit()
        return TestFiles.packageRoot.appendingPathComponent(".build/debug/recoup").path
    }()

    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("recoup-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    /// Runs `recoup ARGUMENTS` in this test's own directory (so its recoup.sqlite is private).
    func run(_ arguments: [String], environment: [String: String] = [:], input: String? = nil) async throws -> Result {
        let directory = directory
        return try await offThePool {
            try Self.runBlocking(arguments, in: directory, environment: environment, input: input)
        }
    }

    private static func runBlocking(
        _ arguments: [String], in directory: URL, environment: [String: String], input: String?
    ) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var variables = ProcessInfo.processInfo.environment
        variables.removeValue(forKey: "DATABASE_URL")
        for (key, value) in environment { variables[key] = value }
        process.environment = variables
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        let standardInput = Pipe()
        process.standardInput = standardInput
        try process.run()
        if let input { standardInput.fileHandleForWriting.write(Data(input.utf8)) }
        try standardInput.fileHandleForWriting.close()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, standardOutput: String(decoding: outputData, as: UTF8.self),
            standardError: String(decoding: errorData, as: UTF8.self))
    }

    func write(_ text: String, to name: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }
}

@Suite("The recoup command line")
struct CommandLineTests {
    static let contractAging =
        #"{"asOf":"2013-12-02","currency":"USD","buckets":[{"bucket":"current","count":76,"amount":"4422.79"},{"bucket":"1-30","count":7,"amount":"507.31"},{"bucket":"31-60","count":0,"amount":"0.00"},{"bucket":"61-90","count":0,"amount":"0.00"},{"bucket":"91+","count":0,"amount":"0.00"}],"total":{"count":83,"amount":"4930.10"}}"#

    @Test("import twice, then the aging report of the contract")
    func importAndAging() async throws {
        let recoup = try RecoupBinary()
        let first = try await recoup.run(["import", "--format", "ibm-ar", TestFiles.ibmSample])
        #expect(first.status == 0)
        #expect(
            first.standardOutput
                == #"{"imported":2466,"unchanged":0,"updated":0,"rejected":0,"errors":[],"warnings":[]}"# + "\n")
        #expect(first.standardError == "")
        let second = try await recoup.run(["import", "--format", "ibm-ar", TestFiles.ibmSample])
        #expect(
            second.standardOutput
                == #"{"imported":0,"unchanged":2466,"updated":0,"rejected":0,"errors":[],"warnings":[]}"# + "\n")
        let aging = try await recoup.run(["report", "aging", "--as-of", "2013-12-02", "--format", "json"])
        #expect(aging.status == 0)
        #expect(aging.standardOutput == Self.contractAging + "\n")
        let table = try await recoup.run(["report", "aging", "--as-of", "2013-12-02", "--format", "table"])
        #expect(table.standardOutput.contains("total       83       4930.10"))
        let csv = try await recoup.run(["report", "aging", "--as-of", "2013-12-02", "--format", "csv"])
        #expect(csv.standardOutput.split(separator: "\n").last == "total,83,4930.10,USD")
        #expect(FileManager.default.fileExists(atPath: recoup.directory.appendingPathComponent("recoup.sqlite").path))
    }

    @Test("bad rows are reported by line; bad input exits 2 with one sentence and loses nothing")
    func badInput() async throws {
        let recoup = try RecoupBinary()
        let header = IBMAccountsReceivableLayout.header.joined(separator: ",")
        let mixed = try recoup.write(
            """
            \(header)
            391,0379-NEVHP,4/6/2013,0000611365,1/2/2013,2/1/2013,55.94,No,1/15/2013,Paper,13,0
            406,8976-AMJEO,3/3/2012,0007900770,1/26/2013,2/25/2013,-61.74,Yes,3/3/2013,Electronic,36,6
            391,2820-XGXSB,1/26/2012,0009231909,2/30/2013,8/2/2013,65.88,No,7/8/2013,Electronic,5,0

            """, to: "mixed.csv")
        let result = try await recoup.run(["import", "--format", "ibm-ar", mixed])
        #expect(result.status == 3)
        #expect(
            result.standardError
                == "recoup: 2 of 3 rows were rejected; the others were imported (see \"errors\" in the summary)\n")
        let summary = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any]
        #expect(summary?["imported"] as? Int == 1)
        #expect(summary?["rejected"] as? Int == 2)
        let lines = (summary?["errors"] as? [[String: Any]])?.compactMap { $0["line"] as? Int }
        #expect(lines == [3, 4])

        let wrongHeader = try recoup.write(header.replacingOccurrences(of: "DueDate", with: "Due") + "\n", to: "h.csv")
        let refused = try await recoup.run(["import", "--format", "ibm-ar", wrongHeader])
        #expect(refused.status == 2)
        #expect(refused.standardError.split(separator: "\n").count == 1)
        #expect(refused.standardError.contains("column 6 should be \"DueDate\", found \"Due\""))

        for arguments in [
            ["import", "--format", "xml", mixed], ["report", "aging", "--as-of", "2013-02-30"],
            ["report", "aging", "--as-of", "12/02/2013"], ["import", "--format", "ibm-ar", "missing.csv"],
            ["import", "--format", "ibm-ar", mixed, "--currency", "ABC"],
            ["report", "aging", "--time-zone", "Mars/Olympus_Mons"],
            ["report", "aging", "--as-of", "2013-12-02", "--format", "xls"],
        ] {
            let bad = try await recoup.run(arguments)
            #expect(bad.status == 2, "\(arguments)")
            #expect(bad.standardError.hasPrefix("recoup: "), "\(arguments)")
            #expect(!bad.standardError.contains("Fatal error"), "\(arguments)")
        }
        let malformedURL = try await recoup.run(["migrate"], environment: ["DATABASE_URL": "postgres://"])
        #expect(malformedURL.status == 2)
        #expect(malformedURL.standardError.contains("DATABASE_URL"))

        // The good row imported first is still there after all of that.
        let aging = try await recoup.run(["report", "aging", "--as-of", "2013-01-10", "--format", "csv"])
        #expect(aging.standardOutput.contains("total,1,55.94,USD"))
    }

    @Test("an import that rejected a row prints its summary, keeps the good row and exits 3 (README, docs/cli.md)")
    func rejectedRowStatus() async throws {
        let recoup = try RecoupBinary()
        let header = IBMAccountsReceivableLayout.header.joined(separator: ",")
        let file = try recoup.write(
            """
            \(header)
            391,0379-NEVHP,4/6/2013,0000611365,1/2/2013,2/1/2013,55.94,No,,Paper,,
            406,8976-AMJEO,3/3/2012,0007900770,1/26/2013,2/25/2013,abc,Yes,,Electronic,,

            """, to: "one-bad.csv")
        let result = try await recoup.run(["import", "--format", "ibm-ar", file])
        #expect(result.status == 3)
        let summary = try #require(
            try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        #expect(summary["imported"] as? Int == 1)
        #expect(summary["rejected"] as? Int == 1)
        #expect((summary["errors"] as? [[String: Any]])?.first?["line"] as? Int == 3)
        #expect(
            result.standardError
                == "recoup: 1 of 2 rows was rejected; the others were imported (see \"errors\" in the summary)\n")
        let aging = try await recoup.run(["report", "aging", "--as-of", "2013-03-01", "--format", "csv"])
        #expect(aging.standardOutput.contains("total,1,55.94,USD"))
        // Every row bad: still exit 3 (rows refused one by one), not 2 (the file refused whole).
        let allBad = try recoup.write(
            "\(header)\n406,X,3/3/2012,I-9,1/26/2013,2/25/2013,abc,No,,Paper,,\n", to: "bad.csv")
        let refused = try await recoup.run(["import", "--format", "ibm-ar", allBad])
        #expect(refused.status == 3)
        #expect(refused.standardOutput.hasPrefix(#"{"imported":0,"unchanged":0,"updated":0,"rejected":1,"#))
        #expect(refused.standardError == "recoup: the one row was rejected (see \"errors\" in the summary)\n")
        // --all-or-nothing refuses the whole input: exit 2, as before.
        let whole = try await recoup.run(["import", "--format", "ibm-ar", file, "--all-or-nothing"])
        #expect(whole.status == 2)
        // A clean import still exits 0.
        let clean = try recoup.write(
            "\(header)\n391,C9,4/6/2013,I-10,1/2/2013,2/1/2013,5.00,No,,Paper,,\n", to: "ok.csv")
        #expect(try await recoup.run(["import", "--format", "ibm-ar", clean]).status == 0)
    }

    @Test("US phones as people write them are stored as E.164; an unreadable phone is a warning, the debt imported")
    func importPhones() async throws {
        let recoup = try RecoupBinary()
        let file = try recoup.write(
            """
            \((RecoupLayout.requiredColumns + ["phones"]).joined(separator: ","))
            D-1,P-1,consumer,Pat Doe,2026-01-15,2026-02-14,100.00,(212) 555-0123:mobile
            D-2,P-2,consumer,Sam Roe,2026-01-15,2026-02-14,200.00,555-0199:mobile

            """, to: "phones.csv")
        let result = try await recoup.run(["import", "--format", "recoup", "--client", "acme", file])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(
            result.standardOutput
                == #"{"imported":2,"unchanged":0,"updated":0,"rejected":0,"errors":[],"warnings":[{"line":3,"field":"phones","message":"\"555-0199\" is not a phone number: a US number has 10 digits (11 with the country code 1), this one has 7; a number of another country starts with + and its country code; the debt was imported without this phone"}]}"#
                + "\n")
        let aging = try await recoup.run(["report", "aging", "--as-of", "2026-03-01", "--format", "csv"])
        #expect(aging.standardOutput.contains("total,2,300.00,USD"))
    }

    @Test("report aging without --as-of reports on today in --time-zone (default UTC)")
    func agingToday() async throws {
        let recoup = try RecoupBinary()
        func today(_ zone: String) -> String { LocalDate(Date(), in: TimeZone(identifier: zone)!).isoString }
        let before = (today("UTC"), today("Pacific/Kiritimati"))
        let utc = try await recoup.run(["report", "aging"])
        let kiritimati = try await recoup.run(["report", "aging", "--time-zone", "Pacific/Kiritimati"])
        let after = (today("UTC"), today("Pacific/Kiritimati"))
        #expect(utc.status == 0, "\(utc.standardError)")
        #expect(kiritimati.status == 0, "\(kiritimati.standardError)")
        #expect(
            [before.0, after.0].contains { utc.standardOutput.hasPrefix(#"{"asOf":"\#($0)""#) }, "\(utc.standardOutput)"
        )
        #expect(
            [before.1, after.1].contains { kiritimati.standardOutput.hasPrefix(#"{"asOf":"\#($0)""#) },
            "\(kiritimati.standardOutput)")
        let named = try await recoup.run([
            "report", "aging", "--as-of", "2013-12-02", "--time-zone", "Pacific/Kiritimati",
        ])
        #expect(named.standardOutput.hasPrefix(#"{"asOf":"2013-12-02""#))
    }

    @Test("the demo generator writes an IBM-layout file that imports cleanly")
    func demoFile() async throws {
        let recoup = try RecoupBinary()
        let generated = try await recoup.run([
            "demo", "--format", "ibm-ar", "--accounts", "300", "--today", "2026-11-29",
        ])
        #expect(generated.status == 0)
        let lines = generated.standardOutput.split(separator: "\n")
        #expect(lines.count == 301)
        #expect(String(lines[0]) == IBMAccountsReceivableLayout.header.joined(separator: ","))
        let file = try recoup.write(generated.standardOutput, to: "generated.csv")
        let imported = try await recoup.run(["import", "--format", "ibm-ar", file])
        #expect(imported.standardOutput.hasPrefix(#"{"imported":300,"unchanged":0,"updated":0,"rejected":0"#))
        let again = try await recoup.run(["demo", "--format", "ibm-ar", "--accounts", "300", "--today", "2026-11-29"])
        #expect(again.standardOutput == generated.standardOutput)
    }

    @Test("the demo portfolio loads into the database once")
    func demoPortfolio() async throws {
        let recoup = try RecoupBinary()
        let first = try await recoup.run(["demo", "--accounts", "80", "--today", "2026-11-29"])
        #expect(first.status == 0)
        #expect(first.standardOutput.contains("80 new debts across 4 clients"))
        let second = try await recoup.run(["demo", "--accounts", "80", "--today", "2026-11-29"])
        #expect(second.standardOutput.contains("0 new debts"))
        let aging = try await recoup.run(["report", "aging", "--as-of", "2026-11-29", "--client", "harbor-dental"])
        #expect(aging.status == 0)
        #expect(aging.standardOutput.contains(#""currency":"USD""#))
    }
}
