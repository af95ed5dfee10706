import ArgumentParser
import Foundation
import RecoupCore
import RecoupStore

/// `recoup demo [--accounts N] [--seed S] [--format ibm-ar] [--output FILE]`.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Load a realistic demo portfolio, or write a generated file in the IBM layout.",
        discussion: """
            Without --format, adds a deterministic demo portfolio (several clients, consumer and commercial debtors \
            across US time zones, partial payments, a few disputes) to the database; loading it twice adds nothing. \
            With --format ibm-ar, writes that many generated invoices as CSV (for benchmarks) and touches no database.
            """)

    enum FileFormat: String, ExpressibleByArgument, CaseIterable {
        case ibmAR = "ibm-ar"
    }

    @Option(name: .long, help: "How many debts (or invoices) to generate.")
    var accounts: Int = 400

    @Option(name: .long, help: "Seed: the same seed gives the same data.")
    var seed: UInt64 = 2026

    @Option(name: .long, help: .date("The date the demo is built around, YYYY-MM-DD (default: today, UTC)."))
    var today: LocalDate?

    @Option(name: .long, help: "Write a generated file in this layout instead of loading the database.")
    var format: FileFormat?

    @Option(name: .long, help: "With --format: the file to write (default: standard output).")
    var output: String?

    @OptionGroup var databaseOptions: DatabaseOptions

    func validate() throws {
        guard accounts >= 0 else { throw ValidationError("--accounts cannot be negative") }
    }

    func run() async throws {
        let todayDate = today ?? LocalDate(Date(), in: TimeZone(identifier: "UTC")!)
        if format == .ibmAR {
            try writeIBMFile(today: todayDate)
            return
        }
        let loaded = try await withDatabase(databaseOptions) { database in
            try await DemoLoader.load(accounts: accounts, seed: seed, today: todayDate, on: database.db, now: Date())
        }
        print("Loaded the demo portfolio: \(loaded.imported) new debts across \(loaded.clients) clients.")
    }

    private func writeIBMFile(today: LocalDate) throws {
        let handle: FileHandle
        if let output {
            guard FileManager.default.createFile(atPath: output, contents: nil) else {
                throw InputError("cannot write \(output): check the folder exists and is writable")
            }
            handle = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        } else {
            handle = FileHandle.standardOutput
        }
        var generator = IBMSampleGenerator(
            seed: seed, customers: max(100, accounts / 20), firstInvoiceDay: today.adding(days: -760))
        var buffer = IBMSampleGenerator.headerLine
        for number in 1...max(1, accounts) where accounts > 0 {
            buffer += generator.line(number: number)
            if buffer.utf8.count > 1 << 20 {
                handle.write(Data(buffer.utf8))
                buffer = ""
            }
        }
        handle.write(Data(buffer.utf8))
        if output != nil { try handle.close() }
    }
}
