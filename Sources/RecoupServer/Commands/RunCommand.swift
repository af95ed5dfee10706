import ArgumentParser
import Foundation
import RecoupCore
import RecoupStore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `recoup run --as-of DATE [--dry-run] [--client REF] [--format json|table]` and `recoup run list`: the daily strategy
/// run (docs/strategies.md, "The daily run"). The run itself is the default subcommand, so `recoup run --as-of …`
/// reads as the contract writes it.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "The daily run: for every open debt, the step its strategy has due, checked and recorded once.",
        subcommands: [RunDayCommand.self, RunListCommand.self], defaultSubcommand: RunDayCommand.self)
}

/// `recoup run [day] --as-of DATE …`: one day's run.
struct RunDayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "day",
        abstract: "Run the strategies for one date (the default: `recoup run --as-of DATE`).",
        discussion: """
            Decides for every debt open at the end of --as-of the step due on its track, checks it with the \
            compliance engine at the moment it is planned for, and records it: messages go to the outbox, calls to the \
            collectors' queue. Running the same date again creates nothing; --dry-run records nothing and lists what \
            the run would do. `recoup run list` shows the runs recorded.
            """)

    @Option(name: .customLong("as-of"), help: .date("The business date to run for, YYYY-MM-DD."))
    var asOf: LocalDate

    @Flag(name: .customLong("dry-run"), help: "Decide and list, record nothing.")
    var dryRun = false

    @Option(name: .customLong("client"), help: ArgumentHelp("Only this client's debts.", valueName: "client"))
    var client: String?

    @Option(name: .long, help: "json (default) or table.")
    var format: RunOutputFormat = .json

    @Option(name: .long, help: "IANA zone of the business calendar, for debtors whose zone is unknown (default UTC).")
    var timeZone = "UTC"

    @Option(
        name: .customLong("public-url"),
        help: "Where debtors reach the portal, for the links in messages. Default: RECOUP_PUBLIC_URL; none without it.")
    var publicURL: String?

    @OptionGroup var databaseOptions: DatabaseOptions

    func run() async throws {
        let zone = try TimeZone.named(timeZone)
        let base = try PublicBaseURL.resolve(option: publicURL, environment: ProcessInfo.processInfo.environment)
        let output = RunOutput(format: format, dryRun: dryRun)
        let progress = ProgressBar(enabled: isatty(STDERR_FILENO) == 1)
        let summary = try await withDatabase(databaseOptions) { database in
            let strategies = try await StrategyStore.allActive(on: database.db)
            var request = RunRequest(asOf: asOf, strategies: strategies, zone: zone)
            request.dryRun = dryRun
            request.clientRef = client
            request.publicURL = base?.description
            request.startedBy = ProcessInfo.processInfo.environment["USER"].map { "cli:\($0)" } ?? "cli"
            output.begin(asOf: asOf)
            return try await RunStore.run(
                request, on: database.db, now: Date(), progress: { done, total in progress.show(done, of: total) },
                report: { chunk in output.write(chunk) })
        }
        progress.finish()
        if let agencies = summary.counts["placed"], !summary.dryRun {
            // Each agency's placement file for the day, in Recoup's import layout (one per client).
            let directory = PlacementsDirectory.resolve(store: try databaseOptions.configuration())
            try await withDatabase(databaseOptions) { database in
                for agency in agencies.keys.sorted() {
                    _ = try await PlacementFile.writeFiles(
                        agency: agency, placedOn: asOf, directory: directory, on: database.db)
                }
            }
        }
        output.end(summary)
    }
}

enum RunOutputFormat: String, ExpressibleByArgument, CaseIterable {
    case json, table
}

/// Prints a run as it goes: JSON streams each chunk's actions (a large run is never held whole), the blocked actions
/// and the counts follow at the end; a table prints the counts and the first actions.
final class RunOutput: @unchecked Sendable {
    let format: RunOutputFormat
    let dryRun: Bool
    private let lock = NSLock()
    private var firstAction = true
    private var blocked: [RunBlockedAction] = []
    private var shown: [RunAction] = []
    private var more = 0
    /// How many actions and blocked actions a table shows.
    static let tableRows = 40

    init(format: RunOutputFormat, dryRun: Bool) {
        self.format = format
        self.dryRun = dryRun
    }

    func begin(asOf: LocalDate) {
        guard format == .json else { return }
        emit("{\"asOf\":\(OrderedJSON.string(asOf.isoString).text),\"dryRun\":\(dryRun),\"actions\":[")
    }

    func write(_ chunk: RunChunk) {
        lock.lock()
        defer { lock.unlock() }
        blocked += chunk.blocked
        switch format {
        case .json:
            var text = ""
            for action in chunk.actions {
                text += firstAction ? "\n" : ",\n"
                firstAction = false
                text += Self.json(action).text
            }
            if !text.isEmpty { emit(text) }
        case .table:
            let room = max(0, Self.tableRows - shown.count)
            shown += chunk.actions.prefix(room)
            more += max(0, chunk.actions.count - room)
        }
    }

    func end(_ summary: RunSummary) {
        lock.lock()
        defer { lock.unlock() }
        switch format {
        case .json:
            var text = "],\n\"blocked\":["
            for (index, item) in blocked.enumerated() {
                text += (index == 0 ? "\n" : ",\n") + Self.json(item).text
            }
            let counts = OrderedJSON.object(
                summary.counts.sorted { $0.key < $1.key }.map { dimension, values in
                    (dimension, .object(values.sorted { $0.key < $1.key }.map { ($0.key, .integer(Int64($0.value))) }))
                })
            text += "],\n\"runId\":\(summary.runID.map { OrderedJSON.string(String($0)).text } ?? "null")"
            text += ",\"created\":\(summary.created),\"alreadyDone\":\(summary.alreadyDone)"
            text +=
                ",\"processed\":\(summary.processed),\"skipped\":\(summary.skipped),\"blocked_count\":\(summary.blocked)"
            text += ",\"paused\":\(summary.paused),\"messages\":\(summary.messages),\"counts\":\(counts.text)}\n"
            emit(text.replacingOccurrences(of: "\"blocked_count\"", with: "\"blockedCount\""))
        case .table:
            var lines: [String] = []
            let title =
                dryRun
                ? "Dry run for \(summary.asOf.isoString) (nothing recorded)"
                : "Run \(summary.runID.map(String.init) ?? "") for \(summary.asOf.isoString)"
            lines.append(title)
            lines.append(
                "open debts \(summary.processed) · created \(summary.created) · already done \(summary.alreadyDone) · "
                    + "skipped \(summary.skipped) · blocked \(summary.blocked) · waiting \(summary.paused) · messages \(summary.messages)"
            )
            for (dimension, values) in summary.counts.sorted(by: { $0.key < $1.key }) {
                lines.append(
                    "\(dimension): "
                        + values.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }
                        .map { "\($0.key) \($0.value)" }.joined(separator: ", "))
            }
            if !shown.isEmpty {
                lines.append("")
                lines.append(
                    CommandTable.text(
                        header: ["debt", "client", "step", "action", "segment", "reason"],
                        rows: shown.map {
                            [$0.debtRef, $0.clientRef, $0.step, $0.action.rawValue, $0.segment.rawValue, $0.reason]
                        }))
                if more > 0 { lines.append("… and \(more) more actions (--format json lists them all)") }
            }
            if !blocked.isEmpty {
                lines.append("")
                lines.append("Blocked (tried again on a later run):")
                lines.append(
                    CommandTable.text(
                        header: ["debt", "client", "step", "action", "rules", "reason"],
                        rows: blocked.prefix(Self.tableRows).map {
                            [
                                $0.debtRef, $0.clientRef, $0.step, $0.action.rawValue, $0.rules.joined(separator: ","),
                                $0.reason,
                            ]
                        }))
                if blocked.count > Self.tableRows {
                    lines.append("… and \(blocked.count - Self.tableRows) more blocked (--format json lists them all)")
                }
            }
            emit(lines.joined(separator: "\n") + "\n")
        }
    }

    private func emit(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    static func json(_ action: RunAction) -> OrderedJSON {
        var members: [(String, OrderedJSON)] = [
            ("debtId", .string(String(action.debtID))), ("debtRef", .string(action.debtRef)),
            ("client", .string(action.clientRef)), ("debtor", .string(action.debtorRef)),
            ("action", .string(action.action.rawValue)), ("step", .string(action.step)),
        ]
        if action.occurrence > 0 { members.append(("occurrence", .integer(Int64(action.occurrence)))) }
        members += [
            ("scheduledOn", .string(action.scheduledOn.isoString)), ("segment", .string(action.segment.rawValue)),
            ("reason", .string(action.reason)), ("reachable", .bool(action.reachable)),
            ("messageId", action.messageID.map { .string($0) } ?? .null),
            ("plannedAt", action.plannedAt.map { .string(ISO8601Instant.format($0)) } ?? .null),
        ]
        return .object(members)
    }

    static func json(_ item: RunBlockedAction) -> OrderedJSON {
        .object([
            ("debtId", .string(String(item.debtID))), ("debtRef", .string(item.debtRef)),
            ("client", .string(item.clientRef)), ("action", .string(item.action.rawValue)),
            ("step", .string(item.step)), ("rules", .array(item.rules.map { .string($0) })),
            ("reason", .string(item.reason)),
        ])
    }
}

/// A progress bar on standard error, drawn only when it is a terminal.
final class ProgressBar: @unchecked Sendable {
    let enabled: Bool
    private let lock = NSLock()
    private var drawn = false

    init(enabled: Bool) { self.enabled = enabled }

    func show(_ done: Int, of total: Int) {
        guard enabled, total > 0 else { return }
        lock.lock()
        defer { lock.unlock() }
        let fraction = min(1, Double(done) / Double(total))
        let width = 30
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "=", count: filled) + String(repeating: " ", count: width - filled)
        FileHandle.standardError.write(Data("\r[\(bar)] \(Int(fraction * 100))% \(done) of about \(total) debts".utf8))
        drawn = true
    }

    func finish() {
        guard enabled, drawn else { return }
        FileHandle.standardError.write(Data("\n".utf8))
    }
}

/// `recoup run list [--limit N] [--format json|table]`: the runs recorded, latest first.
struct RunListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "The runs recorded, latest first, with their counts.")

    @Option(name: .long, help: "At most this many runs (1–500, default 20).")
    var limit = 20

    @Option(name: .long, help: "json (default) or table.")
    var format: RunOutputFormat = .json

    @OptionGroup var databaseOptions: DatabaseOptions

    func validate() throws {
        guard (1...500).contains(limit) else { throw ValidationError("--limit must be 1 to 500") }
    }

    func run() async throws {
        let runs = try await withDatabase(databaseOptions) { database in
            try await RunStore.runs(scope: .all, limit: limit, on: database.db)
        }
        switch format {
        case .json:
            print(OrderedJSON.object([("runs", .array(runs.map(Self.json)))]).text)
        case .table:
            print(
                CommandTable.text(
                    header: [
                        "run", "as of", "client", "started", "open debts", "created", "blocked", "waiting", "messages",
                    ],
                    rows: runs.map {
                        [
                            String($0.id), $0.asOf.isoString, $0.clientRef ?? "all",
                            ISO8601Instant.format($0.startedAt),
                            String($0.summary.processed), String($0.summary.created), String($0.summary.blocked),
                            String($0.summary.paused), String($0.summary.messages),
                        ]
                    }))
        }
    }

    static func json(_ run: StoredRun) -> OrderedJSON {
        let counts = OrderedJSON.object(
            run.summary.counts.sorted { $0.key < $1.key }.map { dimension, values in
                (dimension, .object(values.sorted { $0.key < $1.key }.map { ($0.key, .integer(Int64($0.value))) }))
            })
        return .object([
            ("runId", .string(String(run.id))), ("asOf", .string(run.asOf.isoString)),
            ("client", run.clientRef.map { .string($0) } ?? .null),
            ("startedAt", .string(ISO8601Instant.format(run.startedAt))),
            ("finishedAt", run.finishedAt.map { .string(ISO8601Instant.format($0)) } ?? .null),
            ("startedBy", run.startedBy.map { .string($0) } ?? .null),
            ("processed", .integer(Int64(run.summary.processed))), ("created", .integer(Int64(run.summary.created))),
            ("alreadyDone", .integer(Int64(run.summary.alreadyDone))),
            ("skipped", .integer(Int64(run.summary.skipped))), ("blocked", .integer(Int64(run.summary.blocked))),
            ("paused", .integer(Int64(run.summary.paused))), ("messages", .integer(Int64(run.summary.messages))),
            ("counts", counts),
        ])
    }
}

/// `recoup strategy simulate FILE --as-of DATE [--client REF]`: what a strategy file would do to the portfolio on a
/// date — counts by step, action, segment and rule, and a sample — with nothing recorded.
struct StrategySimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract:
            "What a strategy file would do to the portfolio on a date: counts by step and a sample; nothing recorded.")

    @Argument(help: "The strategy file (YAML).")
    var file: String

    @Option(name: .customLong("as-of"), help: .date("The business date to simulate, YYYY-MM-DD."))
    var asOf: LocalDate

    @Option(name: .customLong("client"), help: ArgumentHelp("Only this client's debts.", valueName: "client"))
    var client: String?

    @Option(name: .long, help: "How many actions the sample shows (0–200, default 20).")
    var sample = 20

    @Option(name: .long, help: "IANA zone of the business calendar, for debtors whose zone is unknown (default UTC).")
    var timeZone = "UTC"

    @OptionGroup var databaseOptions: DatabaseOptions

    func validate() throws {
        guard (0...200).contains(sample) else { throw ValidationError("--sample must be 0 to 200") }
    }

    func run() async throws {
        let zone = try TimeZone.named(timeZone)
        let text: String
        do {
            text = try String(contentsOfFile: file, encoding: .utf8)
        } catch {
            throw StoreError.invalid("\(file) cannot be read as UTF-8 text")
        }
        let strategy: Strategy
        do {
            strategy = try StrategyDocument.parse(text)
        } catch {
            throw StoreError.invalid("\(file) is not a valid strategy:\n\(error.description)")
        }
        let collected = SampleCollector(limit: sample)
        let summary = try await withDatabase(databaseOptions) { database in
            var request = RunRequest(
                asOf: asOf, defaultStrategy: RunStrategy(strategy: strategy, id: nil, version: 0), zone: zone)
            request.dryRun = true
            request.clientRef = client
            return try await RunStore.run(
                request, on: database.db, now: Date(), report: { chunk in collected.add(chunk) })
        }
        let counts = OrderedJSON.object(
            summary.counts.sorted { $0.key < $1.key }.map { dimension, values in
                (dimension, .object(values.sorted { $0.key < $1.key }.map { ($0.key, .integer(Int64($0.value))) }))
            })
        print(
            OrderedJSON.object([
                ("strategy", .string(strategy.name)), ("asOf", .string(asOf.isoString)),
                ("openDebts", .integer(Int64(summary.processed))), ("actions", .integer(Int64(summary.created))),
                ("blocked", .integer(Int64(summary.blocked))), ("paused", .integer(Int64(summary.paused))),
                ("skipped", .integer(Int64(summary.skipped))), ("messages", .integer(Int64(summary.messages))),
                ("counts", counts), ("sample", .array(collected.sample.map(RunOutput.json))),
            ]).text)
    }
}

/// The first actions of a run, for a sample.
final class SampleCollector: @unchecked Sendable {
    let limit: Int
    private let lock = NSLock()
    private(set) var sample: [RunAction] = []

    init(limit: Int) { self.limit = limit }

    func add(_ chunk: RunChunk) {
        lock.lock()
        defer { lock.unlock() }
        sample += chunk.actions.prefix(max(0, limit - sample.count))
    }
}
