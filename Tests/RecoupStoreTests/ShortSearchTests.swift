import Foundation
import RecoupCore
import RecoupTestSupport
import SQLKit
import Testing

@testable import RecoupStore

/// One- and two-letter searches: every page right, in reference order, and the debtor test a probe of the index by
/// debtor rather than a gathering of every matching debtor (which made `q=c` slow over a million debts).
@Suite("Short searches")
struct ShortSearchTests {
    static let header = "debt_ref,debtor_ref,debtor_kind,debtor_name,charged_on,due_on,principal,phones"
    static let names = ["Carla Xu", "Bo Chen", "Ana Lopez", "Chris Ng", "Dmitri Ivanov", "Zoë Camps", "Ed Orr"]

    /// 140 debts of 35 debtors; references that begin with a letter (some with "c") or a digit.
    static let rows: [(ref: String, name: String, phone: String)] = (0..<140).map { index in
        let debtor = index / 4
        let ref = ["C-\(index)", "inv-\(index)", "\(9000 + index)", "ch\(index)"][index % 4]
        let phone = String(format: "+1617555%04d", 3000 + debtor)
        return (ref, names[debtor % names.count] + " \(debtor)", phone)
    }

    static func importRows(into database: RecoupDatabase) async throws {
        var lines = [header]
        for (index, row) in rows.enumerated() {
            lines.append(
                "\(row.ref),P-\(index / 4),consumer,\(row.name),2026-01-05,2026-02-04,10.00,\(row.phone):mobile")
        }
        let path = try TestFiles.temporary(lines.joined(separator: "\n") + "\n")
        let summary = try await Importer.run(ImportRequest(path: path, format: .recoup), on: database.db, now: testNow)
        #expect(summary.imported == rows.count)
    }

    /// What a search must find, worked out here from the rows: a reference beginning with the text, or a debtor with
    /// a term beginning with every word; in order of lower-cased reference (bytes).
    static func expected(_ text: String) -> [String] {
        let query = SearchTerms.Query(text)
        let matching = rows.filter { row in
            let terms = SearchTerms.terms(name: row.name, phones: [row.phone])
            return row.ref.lowercased().hasPrefix(query.referencePrefix)
                || (!query.prefixes.isEmpty
                    && query.prefixes.allSatisfy { prefix in terms.contains { $0.hasPrefix(prefix) } })
        }
        return matching.map(\.ref).sorted {
            Array($0.lowercased().utf8).lexicographicallyPrecedes($1.lowercased().utf8)
        }
    }

    /// Every page of a search, 20 at a time, following the cursor.
    static func allPages(
        _ text: String, broadSearchDebts: Int, probedSearchDebtors: Int, _ database: RecoupDatabase
    ) async throws -> [String] {
        var filter = DebtFilter(today: try LocalDate(year: 2026, month: 11, day: 29))
        filter.search = text
        filter.limit = 20
        filter.broadSearchDebts = broadSearchDebts
        filter.probedSearchDebtors = probedSearchDebtors
        var refs: [String] = []
        while true {
            let page = try await DebtQueries.list(filter, scope: .all, on: database.db)
            refs += page.items.map(\.ref)
            guard let next = page.next else { return refs }
            filter.after = next
        }
    }

    @Test(
        "one- and two-letter searches find every match, page by page in reference order, walked or listed",
        arguments: TestStore.available)
    func pages(store: TestStore) async throws {
        try await withStore(store) { database in
            try await Self.importRows(into: database)
            for text in ["c", "C", "ch", "z", "zo", "x", "1", "9", "61", "e", "ed o", "c b"] {
                let expected = Self.expected(text)
                // The matches read as a list; one walk along the reference index testing each debt against the
                // matching debtors gathered first; the same walk probing each debt's debtor in the index.
                for (broad, probed) in [(100_000, 100_000), (1, 100_000), (1, 1)] {
                    let found = try await Self.allPages(
                        text, broadSearchDebts: broad, probedSearchDebtors: probed, database)
                    #expect(found == expected, "\(text), \(broad), \(probed)")
                }
            }
            #expect(Self.expected("c").count > 70)
            #expect(Self.expected("x").count == 20)
        }
    }

    @Test(
        "the walk probes each debtor through the index by debtor; it does not gather every matching debtor first",
        arguments: TestStore.available)
    func plan(store: TestStore) async throws {
        try await withStore(store) { database in
            try await Self.importRows(into: database)
            let matches = SearchIndex.debtorMatches(["c"], debtorColumn: "d.debtor_id")
            let walk: SQLQueryString = """
                SELECT d.id FROM debts d WHERE lower(d.ref) >= 'c' AND lower(d.ref) < 'd' OR \(matches) \
                ORDER BY lower(d.ref), d.id LIMIT 21
                """
            switch store {
            case .sqlite:
                let plan = try await database.sql.raw("EXPLAIN QUERY PLAN \(walk)").all().map {
                    try $0.decode(column: "detail", as: String.self)
                }
                #expect(plan.contains { $0.contains("USING COVERING INDEX search_terms_by_debtor (debtor_id=?") })
                #expect(!plan.contains { $0.contains("LIST SUBQUERY") }, "\(plan)")
                #expect(plan.first?.contains("debts_ref_search") == true, "\(plan)")
            case .postgres:
                let plan = try await database.sql.raw("EXPLAIN \(walk)").all().map {
                    try $0.decode(column: "QUERY PLAN", as: String.self)
                }
                #expect(!plan.contains { $0.contains("hashed SubPlan") }, "\(plan)")
                #expect(plan.contains { $0.contains("SubPlan") }, "\(plan)")
            }
        }
    }
}
