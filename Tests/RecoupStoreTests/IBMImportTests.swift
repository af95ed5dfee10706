import Foundation
import RecoupCore
import RecoupStore
import RecoupTestSupport
import Testing

@Suite("Importing the IBM accounts-receivable sample")
struct IBMImportTests {
    @Test("imports every invoice once; a second import changes nothing", arguments: TestStore.available)
    func importIsIdempotent(store: TestStore) async throws {
        try await withStore(store) { database in
            // act
            let first = try await Importer.run(
                ImportRequest(path: TestFiles.ibmSample, format: .ibmAR), on: database.db, now: testNow)
            let second = try await Importer.run(
                ImportRequest(path: TestFiles.ibmSample, format: .ibmAR), on: database.db, now: testNow)
            // verify
            #expect(first.imported == 2466)
            #expect(first.rejected == 0)
            #expect(second.imported == 0)
            #expect(second.unchanged == 2466)
            #expect(second.updated == 0)
            let counts = try await database.sql.raw(
                "SELECT (SELECT COUNT(*) FROM debts) AS debts, (SELECT COUNT(*) FROM debtors) AS debtors, (SELECT COUNT(*) FROM ledger_entries) AS entries"
            ).first()
            #expect(try counts?.decode(column: "debts", as: Int.self) == 2466)
            #expect(try counts?.decode(column: "debtors", as: Int.self) == 100)
            #expect(try counts?.decode(column: "entries", as: Int.self) == 2466 * 2)
            let ref = try await database.sql.raw("SELECT ref FROM debts WHERE ref = '0000611365'").first()
            #expect(try ref?.decode(column: "ref", as: String.self) == "0000611365")
        }
    }

    @Test("the aging report at 2013-12-02 matches the contract's figures", arguments: TestStore.available)
    func agingMatchesContract(store: TestStore) async throws {
        try await withStore(store) { database in
            _ = try await Importer.run(
                ImportRequest(path: TestFiles.ibmSample, format: .ibmAR), on: database.db, now: testNow)
            let report = try await AgingQuery.report(asOf: try LocalDate(iso: "2013-12-02"), on: database.sql)
            let figures = report.buckets.map { "\($0.bucket.rawValue):\($0.count):\($0.amount)" }
            #expect(figures == ["current:76:442279", "1-30:7:50731", "31-60:0:0", "61-90:0:0", "91+:0:0"])
            #expect(report.total.count == 83)
            #expect(report.total.amount == 493010)
            #expect(report.currency == .usd)
        }
    }

    @Test("aging at every month end of 2012 and 2013 equals an independent computation", arguments: TestStore.available)
    func agingAtMonthEnds(store: TestStore) async throws {
        let invoices = try IndependentInvoices.load(TestFiles.ibmSample)
        try await withStore(store) { database in
            _ = try await Importer.run(
                ImportRequest(path: TestFiles.ibmSample, format: .ibmAR), on: database.db, now: testNow)
            var checked = 0
            for year in [2012, 2013] {
                for month in 1...12 {
                    let asOf = try LocalDate(year: year, month: month, day: 1).endOfMonth
                    let expected = invoices.aging(asOf: asOf.isoString)
                    let report = try await AgingQuery.report(asOf: asOf, on: database.sql)
                    let actual = report.buckets.map { [$0.count, Int($0.amount)] }
                    #expect(actual == expected, "as of \(asOf)")
                    checked += expected.reduce(0) { $0 + $1[0] }
                }
            }
            #expect(checked > 0)
        }
    }

    @Test("a client filter and an unknown client", arguments: TestStore.available)
    func clientFilter(store: TestStore) async throws {
        try await withStore(store) { database in
            _ = try await Importer.run(
                ImportRequest(path: TestFiles.ibmSample, format: .ibmAR, clientRef: "ibm"), on: database.db,
                now: testNow)
            let other = try TestFiles.temporary(
                IBMAccountsReceivableLayout.header.joined(separator: ",")
                    + "\n391,0379-NEVHP,4/6/2013,X1,11/1/2013,11/20/2013,100.00,No,,Paper,,\n")
            _ = try await Importer.run(
                ImportRequest(path: other, format: .ibmAR, clientRef: "other"), on: database.db, now: testNow)
            let asOf = try LocalDate(iso: "2013-12-02")
            let ibm = try await AgingQuery.report(asOf: asOf, clientRef: "ibm", on: database.sql)
            let otherReport = try await AgingQuery.report(asOf: asOf, clientRef: "other", on: database.sql)
            let all = try await AgingQuery.report(asOf: asOf, on: database.sql)
            #expect(ibm.total.count == 83)
            #expect(otherReport.total.count == 1)
            #expect(otherReport.buckets[1].amount == 10000)
            #expect(all.total.count == 84)
            await #expect(throws: StoreError.unknownClient("nobody")) {
                try await AgingQuery.report(asOf: asOf, clientRef: "nobody", on: database.sql)
            }
        }
    }
}

/// A deliberately separate reading of the IBM file (Foundation's formatter, Decimal amounts) to check the
/// SQL aging report against.
struct IndependentInvoices {
    struct Invoice {
        var invoiceDate: String  // yyyy-MM-dd
        var dueDate: String
        var settledDate: String?
        var cents: Int
    }
    var invoices: [Invoice]

    static func load(_ path: String) throws -> IndependentInvoices {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let input = DateFormatter()
        input.locale = Locale(identifier: "en_US_POSIX")
        input.timeZone = TimeZone(identifier: "UTC")
        input.dateFormat = "M/d/yyyy"
        let output = DateFormatter()
        output.locale = Locale(identifier: "en_US_POSIX")
        output.timeZone = TimeZone(identifier: "UTC")
        output.dateFormat = "yyyy-MM-dd"
        func iso(_ us: String) -> String { output.string(from: input.date(from: us)!) }
        var invoices: [Invoice] = []
        for line in text.split(whereSeparator: \.isNewline).dropFirst() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            let amount = Decimal(string: fields[6])! * 100
            invoices.append(
                Invoice(
                    invoiceDate: iso(fields[4]), dueDate: iso(fields[5]),
                    settledDate: fields[8].isEmpty ? nil : iso(fields[8]),
                    cents: NSDecimalNumber(decimal: amount).intValue))
        }
        return IndependentInvoices(invoices: invoices)
    }

    /// [[count, cents]] for current, 1-30, 31-60, 61-90, 91+.
    func aging(asOf: String) -> [[Int]] {
        let output = DateFormatter()
        output.locale = Locale(identifier: "en_US_POSIX")
        output.timeZone = TimeZone(identifier: "UTC")
        output.dateFormat = "yyyy-MM-dd"
        let asOfDate = output.date(from: asOf)!
        var result = Array(repeating: [0, 0], count: 5)
        for invoice in invoices where invoice.invoiceDate <= asOf {
            if let settled = invoice.settledDate, settled <= asOf { continue }
            let due = output.date(from: invoice.dueDate)!
            let days = Int((asOfDate.timeIntervalSince(due) / 86_400).rounded())
            let index = days <= 0 ? 0 : days <= 30 ? 1 : days <= 60 ? 2 : days <= 90 ? 3 : 4
            result[index][0] += 1
            result[index][1] += invoice.cents
        }
        return result
    }
}
