// Micro-benchmarks of RecoupCore's import hot paths. Run from Benchmarks/: `swift package benchmark`.
//
// Every benchmark works over the same fixed input: 10,000 invoices in the IBM accounts-receivable layout from
// `IBMSampleGenerator` with a fixed seed, built once (outside every measured region) the first time a benchmark
// touches it. One measured iteration processes all 10,000 rows, so `wallClock` is the time per 10,000 rows and
// `throughput` counts passes of 10,000 rows per second; the custom `rowsPerSecond` metric reports rows per
// second directly (measured single-threaded, so it is also rows per second per core).

import Benchmark
import RecoupCore

/// The number of rows (lines, amounts, dates or records) each measured iteration processes.
let rowCount = 10_000

/// The fixed inputs, built once.
struct Fixture: Sendable {
    /// The whole CSV file (header line plus `rowCount` data lines) as UTF-8 bytes, as read from disk.
    let csvBytes: [UInt8]
    /// The header's fields.
    let header: [String]
    /// The data rows, already split into fields by the CSV parser.
    let rows: [CSVRecord]
    /// Every row's InvoiceAmount text (such as `"1234.56"`).
    let amounts: [String]
    /// Every row's InvoiceDate text (US `M/D/YYYY`, such as `"3/7/2025"`).
    let usDates: [String]
    /// Every row validated into a debt record (about 96% of them with a settlement payment).
    let records: [DebtRecord]

    init() {
        var generator = IBMSampleGenerator(
            seed: 20_240_101, customers: 1_000, firstInvoiceDay: try! LocalDate(iso: "2024-01-01"))
        var text = IBMSampleGenerator.headerLine
        for number in 1...rowCount {
            text += generator.line(number: number)
        }
        csvBytes = Array(text.utf8)

        var all: [CSVRecord] = []
        var parser = CSVParser()
        try! csvBytes.withUnsafeBytes { bytes in
            try parser.feed(bytes) { all.append($0) }
        }
        try! parser.finish { all.append($0) }
        precondition(all.count == rowCount + 1, "expected a header and \(rowCount) rows, parsed \(all.count) records")
        header = all[0].fields
        rows = Array(all.dropFirst())
        amounts = rows.map { $0.fields[6] }
        usDates = rows.map { $0.fields[4] }

        let layout = try! IBMAccountsReceivableLayout(header: header, defaultCurrency: .usd)
        records = rows.map { try! layout.record(fields: $0.fields, line: $0.line) }
    }
}

/// Built on first use (global constants are initialized lazily and exactly once).
let fixture = Fixture()

/// Rows processed per second in one measured iteration (`prefersLarger`; not scaled by the scaling factor).
let rowsPerSecond = BenchmarkMetric.custom("rowsPerSecond", polarity: .prefersLarger, useScalingFactor: false)

/// Records `rowsPerSecond` for `rows` rows processed in `elapsed`.
func recordRowsPerSecond(_ benchmark: Benchmark, rows: Int, elapsed: Duration) {
    let (seconds, attoseconds) = elapsed.components
    let nanoseconds = Double(seconds) * 1e9 + Double(attoseconds) / 1e9
    guard nanoseconds > 0 else { return }
    benchmark.measurement(rowsPerSecond, Int((Double(rows) * 1e9 / nanoseconds).rounded()))
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal, .peakMemoryResident, rowsPerSecond],
        warmupIterations: 3,
        scalingFactor: .one,
        maxDuration: .seconds(2),
        maxIterations: 1_000
    )
    let clock = ContinuousClock()

    // (1) The streaming CSV parser over a whole 10,000-line file held in memory, fed as one chunk.
    Benchmark("CSV parse: 10,000 IBM-layout lines") { benchmark in
        let input = fixture.csvBytes
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            let start = clock.now
            var parser = CSVParser()
            var records = 0
            input.withUnsafeBytes { bytes in
                try! parser.feed(bytes) { record in
                    records += 1
                    blackHole(record)
                }
            }
            try! parser.finish { record in
                records += 1
                blackHole(record)
            }
            precondition(records == rowCount + 1)
            recordRowsPerSecond(benchmark, rows: rowCount, elapsed: clock.now - start)
        }
    }

    // (2) Row validation: IBMAccountsReceivableLayout.record(fields:line:) on 10,000 pre-split rows.
    Benchmark("IBM row validation: 10,000 rows") { benchmark in
        let rows = fixture.rows
        let layout = try! IBMAccountsReceivableLayout(header: fixture.header, defaultCurrency: .usd)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            let start = clock.now
            for row in rows {
                blackHole(try! layout.record(fields: row.fields, line: row.line))
            }
            recordRowsPerSecond(benchmark, rows: rows.count, elapsed: clock.now - start)
        }
    }

    // (3) Money.parseMinorUnits on 10,000 invoice amounts ("10.00" ... "1500.00").
    Benchmark("Money.parseMinorUnits: 10,000 amounts") { benchmark in
        let amounts = fixture.amounts
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            let start = clock.now
            for amount in amounts {
                blackHole(try! Money.parseMinorUnits(amount, currency: .usd))
            }
            recordRowsPerSecond(benchmark, rows: amounts.count, elapsed: clock.now - start)
        }
    }

    // (4) LocalDate(us:) on 10,000 US dates ("M/D/YYYY").
    Benchmark("LocalDate(us:): 10,000 dates") { benchmark in
        let dates = fixture.usDates
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            let start = clock.now
            for date in dates {
                blackHole(try! LocalDate(us: date))
            }
            recordRowsPerSecond(benchmark, rows: dates.count, elapsed: clock.now - start)
        }
    }

    // (6) Plan proposals: 1,000 varied requests (balances 50.00–20,000.00, weekly/biweekly/monthly, offers
    // that are accepted or countered, with settlement and extension options), proposal plus its JSON answer.
    Benchmark("Plan propose + JSON: 1,000 requests") { benchmark in
        var requests: [PlanRequest] = []
        var seed: UInt64 = 7
        func next(_ bound: Int64) -> Int64 {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int64((seed >> 33) % UInt64(bound))
        }
        let today = try! LocalDate(iso: "2026-12-01")
        for _ in 0..<1_000 {
            requests.append(
                PlanRequest(
                    balance: 5_000 + next(1_995_000), currency: .usd, today: today,
                    offer: PlanOffer(
                        amount: 1_000 + next(20_000), frequency: PaymentFrequency.allCases[Int(next(3))],
                        firstDue: today.adding(days: Int(next(60)))),
                    terms: PlanTerms(
                        minInstallment: 2_500, maxInstallments: 24, settlementPercent: 70, maxExtensionDays: 30)))
        }
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            let start = clock.now
            for request in requests {
                blackHole(PlanCalculator.propose(request).jsonText(currency: request.currency))
            }
            recordRowsPerSecond(benchmark, rows: requests.count, elapsed: clock.now - start)
        }
        benchmark.stopMeasurement()
        // The same proposals without writing JSON, reported once for docs/performance.md.
        let start = clock.now
        for _ in 0..<20 {
            for request in requests { blackHole(PlanCalculator.propose(request)) }
        }
        let elapsed = clock.now - start
        print("plan propose without JSON: \(elapsed / (20 * requests.count)) per proposal")
    }

    // (5) DebtRecord.ledgerEntries() on 10,000 validated records (a charge, and usually a payment, each).
    Benchmark("DebtRecord.ledgerEntries: 10,000 records") { benchmark in
        let records = fixture.records
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            let start = clock.now
            for record in records {
                blackHole(record.ledgerEntries())
            }
            recordRowsPerSecond(benchmark, rows: records.count, elapsed: clock.now - start)
        }
    }
}
