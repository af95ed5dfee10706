import Foundation
import RecoupCore
import RecoupStore
import RecoupTestSupport
import Testing
import Vapor
import VaporTesting

@testable import RecoupServer

/// The debts list's search honours the sort and direction chosen (issue 13), says so in its caption, keeps them in
/// its page links, and shows the sort controls as they are.
@Suite("Searching the debts list in a sort")
struct SearchSortPageTests {
    /// The balance cells of a list page, in cents.
    static func balances(_ html: String) -> [Int64] {
        html.components(separatedBy: #"<td class="num balance" data-label="Balance">"#).dropFirst().map { cell in
            Int64(cell.prefix { $0 != "<" }.filter(\.isNumber)) ?? -1
        }
    }

    /// The debt ids of a list page, in order.
    static func ids(_ html: String) -> [Int64] {
        html.components(separatedBy: #"class="debt-link" href="/debts/"#).dropFirst().map { cell in
            Int64(cell.prefix { $0 != "\"" }) ?? -1
        }
    }

    /// The references of a list page, in order.
    static func refs(_ html: String) -> [String] {
        html.components(separatedBy: #"class="debt-link" href="/debts/"#).dropFirst().map { cell in
            String(cell.drop { $0 != ">" }.dropFirst().prefix { $0 != "<" })
        }
    }

    @Test(
        "a search sorted by balance, highest first, lists its matches so across pages; without a sort, by reference",
        arguments: TestStore.available)
    func searchInSort(store: TestStore) async throws {
        try await withApp(store) { app in
            try await PagesTests.demo(app)
            // Act: search the Harbor Dental references by balance, highest first, 20 a page.
            var (status, html) = try await DebtListPageTests.html(
                app, "/debts?q=HD-1000&sort=balance&dir=desc&limit=20")
            // Verify: the first page is in that order and says so; the controls show it.
            #expect(status == .ok)
            let first = Self.balances(html)
            #expect(first.count == 20)
            #expect(first == first.sorted(by: >), "\(first)")
            #expect(Self.refs(html).allSatisfy { $0.hasPrefix("HD-1000") })
            #expect(html.contains("<caption>Debts matching “HD-1000”, by balance, highest first</caption>"))
            #expect(html.contains(#"<option value="balance" selected>Balance</option>"#))
            #expect(html.contains(#"<option value="desc" selected>Highest first</option>"#))
            #expect(!html.contains("in reference order"))
            // The next page keeps the search, the sort and the direction, and carries on from the first.
            let next = try #require(DebtListPageTests.link("next", in: html))
            #expect(next.contains("q=HD-1000") && next.contains("sort=balance") && next.contains("dir=desc"))
            (status, html) = try await DebtListPageTests.html(app, next)
            let second = Self.balances(html)
            #expect(!second.isEmpty && second == second.sorted(by: >))
            #expect((second.first ?? 0) <= (first.last ?? 0), "\(first.last ?? 0) then \(second)")
            let back = try #require(DebtListPageTests.link("prev", in: html))
            #expect(back.contains("sort=balance") && back.contains("dir=desc"))
            (status, html) = try await DebtListPageTests.html(app, back)
            #expect(Self.balances(html) == first)

            // Smallest first: the same matches the other way round.
            (status, html) = try await DebtListPageTests.html(app, "/debts?q=HD-1000&sort=balance&limit=500")
            let ascending = Self.balances(html)
            #expect(ascending == ascending.sorted())
            (status, html) = try await DebtListPageTests.html(app, "/debts?q=HD-1000&sort=balance&dir=desc&limit=500")
            #expect(Self.balances(html) == ascending.reversed())

            // Without a chosen sort a search is in reference order, and the controls say Reference.
            (status, html) = try await DebtListPageTests.html(app, "/debts?q=HD-1000&limit=20")
            #expect(html.contains("<caption>Debts matching “HD-1000”, in reference order</caption>"))
            #expect(html.contains(#"<option value="ref" selected>Reference</option>"#))
            let refs = Self.refs(html)
            #expect(refs == refs.sorted { $0.lowercased() < $1.lowercased() })
            #expect(DebtListPageTests.link("next", in: html)?.contains("sort=ref") == true)
            // A search in the order debts were added (what the form sends by default) is in that order.
            (status, html) = try await DebtListPageTests.html(app, "/debts?q=HD-1000&sort=added&dir=desc&limit=500")
            #expect(html.contains("<caption>Debts matching “HD-1000”, by date added, highest first</caption>"))
            let ids = Self.ids(html)
            #expect(ids.count > 20 && ids == ids.sorted(by: >))
            let all = try await DebtListPageTests.html(app, "/debts?q=HD-1000&limit=500").1
            #expect(Set(Self.refs(html)) == Set(Self.refs(all)))
            // The list without a search sorts by reference too.
            (status, html) = try await DebtListPageTests.html(app, "/debts?sort=ref&dir=desc&limit=10")
            #expect(html.contains("<caption>Debts in reverse reference order</caption>"))
            let reverse = Self.refs(html)
            #expect(reverse.count == 10 && reverse == reverse.sorted { $0.lowercased() > $1.lowercased() })
        }
    }
}
