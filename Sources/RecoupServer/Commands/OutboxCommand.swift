import ArgumentParser
import Foundation
import RecoupAPI
import RecoupCore
import RecoupMail
import RecoupStore

/// `recoup outbox list`: the messages the daily run queued (docs/strategies.md, "Messages and the outbox").
struct OutboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outbox",
        abstract: "Show the messages waiting to be sent (and those sent, deferred or failed), or send them.",
        subcommands: [OutboxListCommand.self, OutboxSendCommand.self])
}

/// `recoup outbox send [--limit N]`: delivers the messages that are due (docs/messages.md, "Delivery").
struct OutboxSendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send",
        abstract: "Deliver the messages that are due, checking each again with the compliance engine first.",
        discussion: """
            Prints {"sent": n, "deferred": n, "failed": n, "cancelled": n, "waiting": {"email": n, ...}}: waiting \
            counts the due messages of channels without a service configured, left queued. Letters go to \
            RECOUP_LETTERS_DIR (default: letters/ beside the SQLite database file), a folder a batch. Email goes \
            through RECOUP_SMTP_URL (smtp://[user:password@]host:port, smtps:// for implicit TLS, \
            ?starttls=required) from RECOUP_MAIL_FROM; its opt-out links point at RECOUP_PUBLIC_URL.
            """)

    @Option(name: .long, help: "At most this many messages (1–10000, default 1000).")
    var limit: String?

    @OptionGroup var databaseOptions: DatabaseOptions

    func run() async throws {
        var count = 1_000
        if let limit {
            guard let number = Int(limit), (1...OutboxDelivery.largestBatch).contains(number) else {
                throw InputError("--limit is \"\(limit)\"; use a whole number from 1 to \(OutboxDelivery.largestBatch)")
            }
            count = number
        }
        let store = try databaseOptions.configuration()
        let environment = ProcessInfo.processInfo.environment
        let transports = try MessageServices.configured(environment: environment, store: store)
        let by = environment["USER"].map { "cli:\($0)" } ?? "cli"
        let summary = try await withDatabase(databaseOptions) { database in
            try await OutboxDelivery.send(transports: transports, limit: count, now: Date(), by: by, on: database.db)
        }
        try CommandOutput.print(DeliverySummaryOutput(summary))
    }
}

/// The delivery services the environment configures, read once: letters always (to `RECOUP_LETTERS_DIR`), email
/// when `RECOUP_SMTP_URL` is set, texts when `RECOUP_SMS_URL` is. A bad value is one sentence (exit status 2).
enum MessageServices {
    static func configured(
        environment: [String: String], store: StoreConfiguration, publicURL: PublicBaseURL? = nil
    ) throws -> [any MessageTransport] {
        var transports: [any MessageTransport] = [
            LetterTransport(
                directory: OutputDirectory.resolve(variable: "RECOUP_LETTERS_DIR", name: "letters", store: store))
        ]
        do {
            if let smtp = try SMTPConfiguration.fromEnvironment(environment) {
                let base = try publicURL ?? PublicBaseURL.resolve(option: nil, environment: environment)
                transports.append(
                    EmailTransport(client: SMTPClient(configuration: smtp), publicURL: base?.description))
            }
            if let sms = try SMSConfiguration.fromEnvironment(environment) {
                transports.append(SMSTransport(configuration: sms))
            }
        } catch let error as SMTPConfigurationError {
            throw InputError(error.description)
        } catch let error as SMSConfigurationError {
            throw InputError(error.description)
        }
        return transports
    }
}

/// What `recoup outbox send` prints.
struct DeliverySummaryOutput: Encodable {
    var sent: Int
    var deferred: Int
    var failed: Int
    var cancelled: Int
    var waiting: [String: Int]

    init(_ summary: DeliverySummary) {
        sent = summary.sent
        deferred = summary.deferred
        failed = summary.failed
        cancelled = summary.cancelled
        waiting = Dictionary(uniqueKeysWithValues: summary.waiting.map { ($0.key.rawValue, $0.value) })
    }
}

/// `recoup outbox list [--status S] [--client REF] [--limit N] [--after ID] [--format json|table]`.
struct OutboxListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the outbox's messages in the order they were queued, with the debts each is about.",
        discussion: """
            JSON (the default) is GET /api/v1/outbox's answer: {"messages": [...], "next": "ID"|null}; give --after \
            with the next value for the following page.
            """)

    @Option(
        name: .long,
        help: "Only messages with this status: queued, sending, sent, deferred, failed, bounced or cancelled.")
    var status: String?

    @Option(name: .long, help: ArgumentHelp("Only this client's messages (its reference).", valueName: "client"))
    var client: String?

    @Option(name: .long, help: "At most this many messages (1–500, default 50).")
    var limit: String?

    @Option(name: .long, help: "Only messages after this one (the next value of the previous page).")
    var after: String?

    @Option(name: .long, help: "json (default) or table.")
    var format = "json"

    @OptionGroup var databaseOptions: DatabaseOptions

    func run() async throws {
        guard format == "json" || format == "table" else {
            throw InputError("--format is \"\(format)\"; use json or table")
        }
        let query = try OutboxQuery(status: status, client: client, limit: limit, after: after)
        let page = try await withDatabase(databaseOptions) { database in
            let scope = try await query.scope(within: .all, on: database.db)
            return try await OutboxStore.list(
                status: query.status, scope: scope, limit: query.limit, after: query.after, on: database.db)
        }
        if format == "json" {
            try CommandOutput.print(Components.Schemas.OutboxList(page))
        } else {
            print(Self.table(page), terminator: "")
        }
    }

    /// One line a message: id, send after (UTC), channel, status, client, debtor, debts, template, recipient and
    /// subject; then the next page's `--after` when there is one.
    static func table(_ page: OutboxPage) -> String {
        guard !page.messages.isEmpty else { return "No messages.\n" }
        let header = [
            "id", "send after", "channel", "status", "client", "debtor", "debts", "template", "to", "subject",
        ]
        let rows = page.messages.map { message in
            [
                String(message.id), ISO8601Instant.format(message.sendAfter), message.channel.rawValue,
                message.status.rawValue, message.clientRef, "\(message.debtorName) (\(message.debtorRef))",
                message.debtRefs.joined(separator: ", "), message.template, message.recipient ?? "-",
                message.subject ?? "-",
            ].map { $0.replacingOccurrences(of: "\n", with: " ") }
        }
        var text = CommandTable.text(header: header, rows: rows)
        if let next = page.next { text += "More: --after \(next)\n" }
        return text
    }
}
