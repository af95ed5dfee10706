import Foundation
import RecoupCore
import RecoupTestSupport
import SQLKit
import Testing

@testable import RecoupStore

/// A search lists its matches in the sort chosen (issue 13), in either direction, page by page both ways, whichever
/// way the matches are read (as a list by id, or by a walk along the sort's index that tests each debt).
@Suite("Searches in every sort")
struct SortedSearchTests {
    static let header = "debt_ref,debtor_ref,debtor_kind,debtor_name,charged_on,due_on,principal,phones"
    static let names = ["Carla Xu", "Bo Chen", "Ana Lopez", "Chris Ng", "Dmitri Ivanov", "Zoë Camps", "Ed Orr"]
    static let today = try! LocalDate(year: 2026, month: 11, day: 29)

    struct Row {
        var ref: String
        var name: String
        var phone: String
        /// Cents; no two rows owe the same.
        var balance: Int
        /// Days after 2026-01-01; no two rows are due the same day.
        var due: Int
    }

    /// 140 debts of 35 debtors, in the order they are added; references that begin with a letter or a digit.
    static let rows: [Row] = (0..<140).map { index in
        let debtor = index / 4
        return Row(
            ref: ["C-\(index)", "inv-\(index)", "\(9000 + index)", "ch\(index)"][index % 4],
            name: names[debtor % names.count] + " \(debtor)", phone: String(format: "+1617555%04d", 3000 + debtor),
            balance: 1_000 + (index * 53) % 140 * 7, due: (index * 29) % 140)
    }

    static func importRows(into database: RecoupDatabase) async throws {
        let start = try LocalDate(iso: "2026-01-01")
        var lines = [header]
        for (index, row) in rows.enumerated() {
            let due = start.adding(days: row.due).isoString
            let amount = "\(row.balance / 100).\(String(format: "%02d", row.balance % 100))"
            lines.append(
                "\(row.ref),P-\(index / 4),consumer,\(row.name),2025-12-01,\(due),\(amount),\(row.phone):mobile")
        }
        let path = try TestFiles.temporary(lines.joined(separator: "\n") + "\n")
        let summary = try await Importer.run(ImportRequest(path: path, format: .recoup), on: database.db, now: testNow)
        #expect(summary.imported == rows.count)
    }

    /// What a search must list, worked out here: the matches (a reference beginning with the text, or a debtor with
    /// a term beginning with every word) in the sort, ties by the order they were added.
    static func expected(_ text: String, sort: DebtSort, descending: Bool) -> [String] {
        let query = SearchTerms.Query(text)
        let matching = rows.enumerated().filter { _, row in
            let terms = SearchTerms.terms(name: row.name, phones: [row.phone])
            return row.ref.lowercased().hasPrefix(query.referencePrefix)
                || (!query.prefixes.isEmpty
                    && query.prefixes.allSatisfy { prefix in terms.contains { $0.hasPrefix(prefix) } })
        }
        let ascending = matching.sorted { a, b in
            switch sort {
            case .added, .lastContact: return a.offset < b.offset  // nobody was contacted: every key is the same
            case .balance: return a.element.balance < b.element.balance
            case .daysPastDue: return a.element.due > b.element.due  // fewest days past due: the latest due date
            case .reference:
                return Array(a.element.ref.lowercased().utf8).lexicographicallyPrecedes(b.element.ref.lowercased().utf8)
            }
        }.map(\.element.ref)
        return descending ? ascending.reversed() : ascending
    }

    /// Every page of the search, 20 at a time, forward from the first page, then back from the last one.
    static func pages(
        _ text: String, sort: DebtSort, descending: Bool, broad: Int, probed: Int, _ database: RecoupDatabase
    ) async throws -> (forward: [String], backward: [String]) {
        var filter = DebtFilter(today: today)
        filter.search = text
        filter.sort = sort
        filter.descending = descending
        filter.limit = 20
        filter.broadSearchDebts = broad
        filter.probedSearchDebtors = probed
        var forward: [String] = []
        var last: DebtPage? = nil
        while true {
            let page = try await DebtQueries.list(filter, scope: .all, on: database.db)
            forward += page.items.map(\.ref)
            last = page
            guard let next = page.next else { break }
            filter.after = next
        }
        var backward = last?.items.map(\.ref) ?? []
        filter.after = nil
        var previous = last?.previous
        while let before = previous {
            filter.before = before
            let page = try await DebtQueries.list(filter, scope: .all, on: database.db)
            backward = page.items.map(\.ref) + backward
            previous = page.previous
        }
        return (forward, backward)
    }

    @Test(
        "a search lists its matches in each sort and direction, page by page both ways, listed or walked",
        arguments: TestStore.available)
    func everySort(store: TestStore) async throws {
        try await withStore(store) { database in
            try await Self.importRows(into: database)
            for text in ["c", "ch", "z", "x", "9", "61", "ed o", "c b", "i", "inv-1", "nobody"] {
                for sort in DebtSort.allCases {
                    for descending in [false, true] {
                        let expected = Self.expected(text, sort: sort, descending: descending)
                        // Read as a list; walked, the debtors gathered first; walked, each debtor probed; references
                        // many but names few ("i": inv-…, Ivanov).
                        for (broad, probed) in [(100_000, 100_000), (1, 100_000), (1, 1), (30, 100_000)] {
                            let found = try await Self.pages(
                                text, sort: sort, descending: descending, broad: broad, probed: probed, database)
                            let what = "\(text), \(sort), \(descending ? "desc" : "asc"), \(broad), \(probed)"
                            #expect(found.forward == expected, "\(what)")
                            #expect(found.backward == expected, "\(what), back")
                        }
                    }
                }
            }
            #expect(Self.expected("c", sort: .balance, descending: false).count > 70)
            #expect(Self.expected("i", sort: .balance, descending: false).count == 50)
        }
    }

    @Test("a search without a chosen sort is in reference order; a chosen one is kept")
    func defaultSort() throws {
        var filter = DebtFilter(today: Self.today)
        #expect(filter.sort == .added)
        filter.search = "smi"
        #expect(filter.sort == .reference)
        filter.search = "  "
        #expect(filter.sort == .added)
        filter.search = "smi"
        filter.sort = .added
        #expect(filter.sort == .added)
        filter.sort = .balance
        filter.search = nil
        #expect(filter.sort == .balance)
    }
}
