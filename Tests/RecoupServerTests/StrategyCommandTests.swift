import Foundation
import RecoupCore
import RecoupStore
import RecoupTestSupport
import Testing

@Suite("recoup strategy")
struct StrategyCommandTests {
    static let house = """
        name: house
        tracks:
          - when: {segments: [hardship]}
            steps:
              - {id: offer, day: 3, action: offer_plan, template: plan-offer}
          - steps:
              - {id: before-due, day: -3, action: email, template: reminder-before-due}
              - {id: call-1, day: 14, action: call}
        """

    @Test("validate prints what the file holds; a bad file is every problem, one line each, and exit 2")
    func validate() async throws {
        let recoup = try RecoupBinary()
        let good = try recoup.write(Self.house, to: "house.yaml")
        let checked = try await recoup.run(["strategy", "validate", good])
        #expect(checked.status == 0, "\(checked.standardError)")
        #expect(checked.standardOutput == #"{"valid":true,"name":"house","tracks":2,"steps":3}"# + "\n")
        // The built-in default, written to a file, validates too.
        let builtIn = try recoup.write(DefaultStrategy.source, to: "default.yaml")
        let defaultChecked = try await recoup.run(["strategy", "validate", builtIn])
        #expect(defaultChecked.standardOutput == #"{"valid":true,"name":"standard","tracks":7,"steps":39}"# + "\n")

        // Three mistakes: all three, in the file's order, with their lines and columns.
        let bad = try recoup.write(
            Self.house.replacingOccurrences(of: "hardship]", with: "hardshp]")
                .replacingOccurrences(of: "day: 14", with: "day: fourteen")
                .replacingOccurrences(of: "template: reminder-before-due", with: "tempalte: reminder-before-due"),
            to: "bad.yaml")
        let refused = try await recoup.run(["strategy", "validate", bad])
        #expect(refused.status == 2)
        #expect(refused.standardOutput == "")
        #expect(
            refused.standardError == """
                recoup: line 3, column 23: segments "hardshp" is not one of hardship, avoider, new, disputed and unreachable; did you mean "hardship"?
                recoup: line 7, column 50: unknown key "tempalte" in a step; did you mean "template"?
                recoup: line 8, column 27: day is "fourteen"; it must be a whole number (a day)

                """)
        // A YAML syntax error, a file that is not there.
        let broken = try recoup.write("name: x\ntracks: [\n", to: "broken.yaml")
        let syntax = try await recoup.run(["strategy", "validate", broken])
        #expect(syntax.status == 2)
        #expect(syntax.standardError.hasPrefix("recoup: line 3, column 1: this is not valid YAML: "))
        #expect(syntax.standardError.split(separator: "\n").count == 1)
        let missing = try await recoup.run(["strategy", "validate", "nowhere.yaml"])
        #expect(missing.status == 2)
        #expect(
            missing.standardError == "recoup: cannot read the strategy file nowhere.yaml: there is no such file\n")
    }

    @Test("activate stores versions; list and show read them; the built-in default before any")
    func activateListShow() async throws {
        // Setup: a client made by an import; nothing activated.
        let recoup = try RecoupBinary()
        let invoices = try recoup.write(ArrangementCommandTests.openInvoices, to: "open.csv")
        #expect(try await recoup.run(["import", "--format", "ibm-ar", "--client", "acme", invoices]).status == 0)
        let shownDefault = try await recoup.run(["strategy", "show"])
        #expect(shownDefault.status == 0)
        #expect(shownDefault.standardOutput == DefaultStrategy.source)
        let empty = try await recoup.run(["strategy", "list"])
        #expect(
            empty.standardOutput
                == #"[{"id":null,"version":0,"name":"standard","client":null,"active":true,"builtIn":true,"tracks":7,"steps":39,"activatedAt":null,"activatedBy":null}]"#
                + "\n")

        // Act: the default twice, then acme's own.
        let file = try recoup.write(Self.house, to: "house.yaml")
        let first = try await recoup.run(["strategy", "activate", file])
        #expect(first.status == 0, "\(first.standardError)")
        #expect(
            first.standardOutput.hasPrefix(
                #"{"id":1,"version":1,"name":"house","client":null,"active":true,"builtIn":false,"tracks":2,"steps":3,"activatedAt":""#
            ))
        #expect(first.standardOutput.hasSuffix(#"Z","activatedBy":null}"# + "\n"))
        let changed = try recoup.write(Self.house.replacingOccurrences(of: "day: 14", with: "day: 12"), to: "v2.yaml")
        #expect(try await recoup.run(["strategy", "activate", changed]).standardOutput.contains(#""version":2"#))
        let own = try await recoup.run(["strategy", "activate", file, "--client", "acme"])
        #expect(own.standardOutput.contains(#""version":1,"name":"house","client":"acme","active":true"#))

        // Verify: show picks what is in force, or the version asked for.
        #expect(
            try await recoup.run(["strategy", "show"]).standardOutput
                == Self.house.replacingOccurrences(of: "day: 14", with: "day: 12") + "\n")
        #expect(try await recoup.run(["strategy", "show", "--version", "2"]).standardOutput.contains("day: 12"))
        #expect(try await recoup.run(["strategy", "show", "--version", "1"]).standardOutput.contains("day: 14"))
        #expect(try await recoup.run(["strategy", "show", "--version", "0"]).standardOutput == DefaultStrategy.source)
        #expect(
            try await recoup.run(["strategy", "show", "house", "--client", "acme"]).standardOutput.contains("day: 14"))
        let list = try await recoup.run(["strategy", "list"])
        #expect(list.status == 0)
        let versions = try #require(
            try JSONSerialization.jsonObject(with: Data(list.standardOutput.utf8)) as? [[String: Any]])
        #expect(versions.map { $0["version"] as? Int } == [1, 2, 1, 0])
        #expect(versions.map { $0["client"] as? String } == ["acme", nil, nil, nil])
        #expect(versions.map { $0["active"] as? Bool } == [true, true, false, false])
        let table = try await recoup.run(["strategy", "list", "--format", "table"])
        let lines = table.standardOutput.split(separator: "\n")
        #expect(lines.count == 5)
        #expect(lines.first?.hasPrefix("version  client     name      active  tracks  steps  activated") == true)
        #expect(lines.last?.hasPrefix("0        (default)  standard  no      7       39     built in") == true)

        // Refusals: a bad file stores nothing; unknown client, version and format are one sentence each.
        let bad = try recoup.write("name: x\ntracks: []\n", to: "bad.yaml")
        let refused = try await recoup.run(["strategy", "activate", bad])
        #expect(refused.status == 2)
        #expect(refused.standardError == "recoup: line 2, column 9: tracks is empty: give at least one track\n")
        let unknown = try await recoup.run(["strategy", "activate", file, "--client", "nobody"])
        #expect(unknown.status == 2)
        #expect(unknown.standardError == "recoup: there is no client \"nobody\"\n")
        let noVersion = try await recoup.run(["strategy", "show", "--version", "9"])
        #expect(noVersion.status == 2)
        #expect(noVersion.standardError == "recoup: there is no version 9 of the default strategy\n")
        let format = try await recoup.run(["strategy", "list", "--format", "csv"])
        #expect(format.status == 2)
        #expect(format.standardError == "recoup: --format is \"csv\"; use json or table\n")
        #expect(try await recoup.run(["strategy", "list"]).standardOutput == list.standardOutput)
    }
}
