import ArgumentParser
import Foundation
import RecoupAPI
import RecoupCore
import RecoupStore

/// `recoup queue [list] [--collector EMAIL] [--client REF] [--limit N] [--format json|table]` and `recoup queue tasks`:
/// the collectors' work queue (docs/strategies.md, "The work queue").
struct QueueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue", abstract: "The debtors a collector may call now, in priority order, and the open tasks.",
        subcommands: [QueueListCommand.self, QueueTasksCommand.self], defaultSubcommand: QueueListCommand.self)
}

/// `recoup queue [list]`: what `GET /api/v1/queue` answers, for one collector or for anyone.
struct QueueListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "The debtors a collector may call now, in priority order (the default subcommand).",
        discussion: """
            Lists the debtors the compliance rules allow a call to at this instant in their own zones, one per \
            debtor: a promise due today first, then a broken promise or arrangement not yet followed up, then a \
            call step of the strategy; within each, the larger balance, then the older due date. Each says why, what \
            to say, and the number to call at what local time. A debtor another collector has claimed is left out; \
            with --collector, that collector's own claims are listed with their end. JSON is the API's answer.
            """)

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case json, table
    }

    @Option(name: .long, help: "The collector (their email): their claims are listed, others' left out.")
    var collector: String?

    @Option(name: .long, help: "Only this client's debtors.")
    var client: String?

    @Option(name: .long, help: "At most this many debtors, 1 to \(WorkQueue.maxLimit).")
    var limit: Int = WorkQueue.defaultLimit

    @Option(name: .long, help: "Output: json or table.")
    var format: OutputFormat = .json

    @Option(name: .long, help: "The queue as it stands at this instant (ISO 8601; default now).")
    var at: String?

    @Option(name: .long, help: "IANA zone of the business calendar, which decides today's date (default UTC).")
    var timeZone = "UTC"

    @OptionGroup var databaseOptions: DatabaseOptions

    func run() async throws {
        let zone = try TimeZone.named(timeZone)
        let now = try QueueListCommand.instant(at) ?? Date()
        guard (1...WorkQueue.maxLimit).contains(limit) else {
            throw InputError("--limit is \(limit); use 1 to \(WorkQueue.maxLimit)")
        }
        let list = try await withDatabase(databaseOptions) { database in
            let scope = try await QueueListCommand.scope(client, database)
            let started = ContinuousClock.now
            let list = try await WorkQueue.items(
                collector: collector, scope: scope, now: now, zone: zone, limit: limit, on: database.db)
            let elapsed = ContinuousClock.now - started
            commandLogger.info(
                "work queue read",
                metadata: [
                    "ms": "\(Double(elapsed.components.seconds) * 1e3 + Double(elapsed.components.attoseconds) / 1e15)",
                    "items": "\(list.items.count)", "examined": "\(list.examined)",
                ])
            return list
        }
        switch format {
        case .json: try CommandOutput.print(Components.Schemas.QueueList(list, now: now))
        case .table: print(Self.table(list, now: now), terminator: "")
        }
    }

    /// `--client REF` as a scope; every client without it.
    static func scope(_ client: String?, _ database: RecoupDatabase) async throws -> ClientScope {
        guard let client else { return .all }
        return try await ClientDirectory.scope(clientRef: client, on: database.db)
    }

    /// An ISO 8601 instant given on the command line, or nil when none was.
    static func instant(_ text: String?) throws -> Date? {
        guard let text else { return nil }
        guard let instant = ISO8601Instant.parse(text) else {
            throw InputError("--at \"\(text)\" is not an instant; give one such as 2026-12-01T15:00:00Z")
        }
        return instant
    }

    /// One line per debtor, for people: rank, why, who, the number and their time, what they owe; the sentence under.
    static func table(_ list: QueueList, now: Date) -> String {
        guard !list.items.isEmpty else {
            return "Nobody may be called now (\(list.examined) debtors weighed on \(list.today.isoString)).\n"
        }
        let header = ["#", "reason", "debtor", "phone", "their time", "debt", "owes"]
        let rows = list.items.enumerated().map { index, item in
            [
                "\(index + 1)", item.reason.rawValue.replacingOccurrences(of: "_", with: " "),
                "\(item.debtorName) (\(item.clientRef))", item.phone.number,
                String(QueueScope.localTime(now, in: item.zone).dropFirst(11).prefix(5)) + " "
                    + item.zone.identifier,
                item.debt.ref + (item.otherDebts.isEmpty ? "" : " +\(item.otherDebts.count)"),
                Money.displayString(minorUnits: item.debt.balance, currency: item.debt.currency),
            ]
        }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        func line(_ row: [String]) -> String {
            row.indices.map { row[$0].padding(toLength: widths[$0], withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces) + "\n"
        }
        var text = line(header)
        for (row, item) in zip(rows, list.items) {
            text += line(row) + "   " + item.sentence + (item.claimedUntil == nil ? "" : " (claimed by you)") + "\n"
        }
        if !list.isComplete {
            text += "Stopped after weighing \(list.examined) debtors: more may be callable further down.\n"
        }
        return text
    }
}

/// `recoup queue tasks [--client REF] [--limit N] [--format json|table]`: the open tasks that are not calls.
struct QueueTasksCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tasks",
        abstract: "The open tasks that are not calls: contact details to ask for, skip traces, legal reviews.")

    @Option(name: .long, help: "Only this client's tasks.")
    var client: String?

    @Option(name: .long, help: "At most this many, 1 to 500.")
    var limit: Int = 100

    @Option(name: .long, help: "Output: json or table.")
    var format: QueueListCommand.OutputFormat = .json

    @OptionGroup var databaseOptions: DatabaseOptions

    func run() async throws {
        let tasks = try await withDatabase(databaseOptions) { database in
            let scope = try await QueueListCommand.scope(client, database)
            return try await WorkQueue.tasks(scope: scope, limit: limit, on: database.db)
        }
        switch format {
        case .json:
            try CommandOutput.print(
                Components.Schemas.QueueTaskList(items: tasks.map(Components.Schemas.QueueTask.init)))
        case .table:
            guard !tasks.isEmpty else {
                print("No open tasks.")
                return
            }
            for task in tasks {
                print(
                    "\(task.dueOn.isoString)  \(task.kind.replacingOccurrences(of: "_", with: " "))  "
                        + "\(task.debtorName) (\(task.clientRef)), \(task.debtRef): \(task.reason)")
            }
        }
    }
}
