import Foundation
import RecoupCore
import RecoupStore
import RecoupTestSupport
import SQLKit
import Testing

@Suite("Phones on import: US numbers as people write them, and a phone that cannot be read")
struct ImportPhoneTests {
    static let header = (RecoupLayout.requiredColumns + ["phones"]).joined(separator: ",")

    @Test(
        "written numbers are stored as E.164; an unreadable one is left out with a warning and the debt is imported",
        arguments: TestStore.available)
    func phones(store: TestStore) async throws {
        let file = try TestFiles.temporary(
            """
            \(Self.header)
            D-1,P-1,consumer,Pat Doe,2026-01-15,2026-02-14,100.00,(212) 555-0123:mobile;212.555.0124:home
            D-2,P-2,consumer,Sam Roe,2026-01-15,2026-02-14,200.00,555-0199:mobile;+1 212 555 0125:work

            """)
        try await withStore(store) { database in
            let summary = try await Importer.run(
                ImportRequest(path: file, format: .recoup), on: database.db, now: testNow)
            #expect(summary.imported == 2)
            #expect(summary.rejected == 0)
            #expect(summary.errors.isEmpty)
            #expect(summary.warnings.count == 1)
            #expect(summary.warnings.first?.line == 3)
            #expect(summary.warnings.first?.field == "phones")
            #expect(
                summary.warnings.first?.message.hasPrefix(
                    "\"555-0199\" is not a phone number: a US number has 10 digits") == true)
            #expect(summary.warnings.first?.message.hasSuffix("the debt was imported without this phone") == true)
            let phones = try await database.sql.raw(
                """
                SELECT d.ref, c.value, c.type FROM contact_points c JOIN debtors d ON d.id = c.debtor_id \
                WHERE c.kind = 'phone' ORDER BY c.value
                """
            ).all().map {
                [
                    try $0.decode(column: "ref", as: String.self), try $0.decode(column: "value", as: String.self),
                    try $0.decode(column: "type", as: String.self),
                ]
            }
            #expect(
                phones == [
                    ["P-1", "+12125550123", "mobile"], ["P-1", "+12125550124", "home"],
                    ["P-2", "+12125550125", "work"],
                ])
            // Importing the same file again changes nothing and warns again about the same phone.
            let again = try await Importer.run(
                ImportRequest(path: file, format: .recoup), on: database.db, now: testNow)
            #expect(again.imported == 0 && again.unchanged == 2 && again.rejected == 0)
            #expect(again.warnings.map(\.line) == [3])
        }
    }
}
