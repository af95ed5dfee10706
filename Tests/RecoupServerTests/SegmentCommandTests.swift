import Foundation
import RecoupCore
import RecoupTestSupport
import Testing

@Suite("recoup segment")
struct SegmentCommandTests {
    @Test("refresh counts and stores every debt's segment; show explains one; bad input exits 2 with one sentence")
    func commandLine() async throws {
        let recoup = try RecoupBinary()
        let file = try recoup.write(ArrangementCommandTests.openInvoices, to: "open.csv")
        #expect(try await recoup.run(["import", "--format", "ibm-ar", "--client", "acme", file]).status == 0)
        let before = try await recoup.run(["segment", "refresh", "--as-of", "2026-11-29"])
        #expect(before.status == 0, "\(before.standardError)")
        #expect(
            before.standardOutput
                == #"{"asOf":"2026-11-29","debts":2,"segments":{"hardship":0,"avoider":0,"new":2,"disputed":0,"unreachable":0}}"#
                + "\n")
        #expect(
            try await recoup.run(
                [
                    "accrual", "pause", "--client", "acme", "--debtor", "0379-NEVHP", "--from", "2026-11-01",
                    "--reason", "hardship",
                ]).status == 0)
        let show = try await recoup.run([
            "segment", "show", "--client", "acme", "--debt", "INV-1", "--as-of", "2026-11-29",
        ])
        #expect(
            show.standardOutput
                == #"{"client":"acme","debt":"INV-1","asOf":"2026-11-29","segment":"hardship","reasons":["said they are in hardship on 2026-11-01"]}"#
                + "\n")
        #expect(
            try await recoup.run(["segment", "refresh", "--as-of", "2026-11-29"]).standardOutput.contains(
                #""hardship":2,"avoider":0,"new":0"#))

        let missing = try await recoup.run(["segment", "show", "--client", "acme", "--debt", "NOPE"])
        #expect(missing.status == 2)
        #expect(missing.standardError == "recoup: client \"acme\" has no debt \"NOPE\"\n")
        let zone = try await recoup.run(["segment", "refresh", "--time-zone", "Mars/Olympus"])
        #expect(zone.status == 2)
        #expect(zone.standardError.contains("Mars/Olympus"))
        let date = try await recoup.run(["segment", "refresh", "--as-of", "2026-02-30"])
        #expect(date.status == 2)
    }
}
