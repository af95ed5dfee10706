import ArgumentParser
import Foundation
import RecoupAPI
import RecoupCore
import RecoupStore

/// `recoup arrangement create|accept|show|agreement|cancel|evaluate`.
struct ArrangementCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "arrangement",
        abstract: "Payment arrangements agreed in writing: create, accept, show, cancel, evaluate.",
        subcommands: [
            ArrangementCreateCommand.self, ArrangementAcceptCommand.self, ArrangementShowCommand.self,
            ArrangementAgreementCommand.self, ArrangementCancelCommand.self, ArrangementEvaluateCommand.self,
        ])
}

struct ArrangementCreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Propose an arrangement from the debtor's offer and the option they chose; writes the agreement.")

    @OptionGroup var client: ClientOption

    @ArgumentParser.Option(name: .long, help: "A debt in the arrangement (repeat for several debts of one debtor).")
    var debt: [String]

    @ArgumentParser.Option(name: .long, help: .date("The day the arrangement is written, YYYY-MM-DD."))
    var today: LocalDate

    @ArgumentParser.Option(name: .long, help: "What the debtor offers to pay per installment (100.00).")
    var amount: String

    @ArgumentParser.Option(name: .long, help: "weekly, biweekly or monthly.")
    var frequency: String = "monthly"

    @ArgumentParser.Option(name: .customLong("first-due"), help: .date("The first installment's due date, YYYY-MM-DD."))
    var firstDue: LocalDate

    @ArgumentParser.Option(name: .long, help: "The option chosen: installments, extension or settlement.")
    var option: String = "installments"

    @OptionGroup var databaseOptions: DatabaseOptions

    func run() async throws {
        guard let frequency = PaymentFrequency(rawValue: frequency) else {
            throw InputError("--frequency is \"\(self.frequency)\"; use weekly, biweekly or monthly")
        }
        guard let option = PlanOption.Kind(rawValue: option) else {
            throw InputError("--option is \"\(self.option)\"; use installments, extension or settlement")
        }
        let view = try await withDatabase(databaseOptions) { database in
            try await ArrangementStore.create(
                CreateArrangementRequest(
                    clientRef: client.ref, debtRefs: debt, today: today, amount: .text(amount, field: "--amount"),
                    frequency: frequency, firstDue: firstDue, option: option),
                on: database.db, now: Date())
        }
        try CommandOutput.print(Components.Schemas.Arrangement(view))
    }
}

struct ArrangementAcceptCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accept",
        abstract:
            "Record the debtor's acceptance (portal click, recorded call or signed letter): the arrangement becomes active."
    )

    @Argument(help: "The arrangement's reference (ARR-000001).")
    var ref: String

    @OptionGroup var client: ClientOption

    @ArgumentParser.Option(name: .long, help: "Who accepted (the debtor's or signer's name).")
    var by: String

    @ArgumentParser.Option(name: .long, help: "When, as an ISO 8601 instant (2026-12-01T15:04:05Z).")
    var at: String

    @ArgumentParser.Option(name: .long, help: "portal_click, recorded_call or signed_letter.")
    var method: String

    @ArgumentParser.Option(name: .long, help: "portal_click: the IP address.")
    var ip: String?

    @ArgumentParser.Option(name: .customLong("user-agent"), help: "portal_click: the browser's user agent.")
    var userAgent: String?

    @ArgumentParser.Option(name: .long, help: "recorded_call: the collector on the call.")
    var collector: String?

    @ArgumentParser.Option(name: .long, help: "recorded_call: the recording's reference.")
    var recording: String?

    @ArgumentParser.Option(name: .long, help: "signed_letter: the scanned letter's reference.")
    var document: String?

    @OptionGroup var databaseOptions: DatabaseOptions

    func run() async throws {
        let acceptance = try AcceptanceInput.read(
            by: by, at: at, method: method, ip: ip, userAgent: userAgent, collector: collector, recording: recording,
            document: document)
        let view = try await withDatabase(databaseOptions) { database in
            try await ArrangementStore.accept(
                clientRef: client.ref, ref: ref, acceptance: acceptance, on: database.db, now: Date())
        }
        try CommandOutput.print(Components.Schemas.Arrangement(view))
    }
}

struct ArrangementShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show an arrangement with each installment matched to the payments up to a date."
    )

    @Argument(help: "The arrangement's reference.")
    var ref: String

    @OptionGroup var client: ClientOption

    @OptionGroup var asOf: AsOfOption

    @OptionGroup var databaseOptions: DatabaseOptions

    func run() async throws {
        let date = asOf.date
        let view = try await withDatabase(databaseOptions) { database in
            try await ArrangementStore.show(clientRef: client.ref, ref: ref, asOf: date, on: database.db)
        }
        try CommandOutput.print(Components.Schemas.Arrangement(view))
    }
}

struct ArrangementAgreementCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agreement", abstract: "Print the written agreement (text, or HTML with --html).")

    @Argument(help: "The arrangement's reference.")
    var ref: String

    @OptionGroup var client: ClientOption

    @Flag(name: .long, help: "Print the HTML page instead of the text.")
    var html = false

    @OptionGroup var databaseOptions: DatabaseOptions

    func run() async throws {
        let agreement = try await withDatabase(databaseOptions) { database in
            try await ArrangementStore.agreement(clientRef: client.ref, ref: ref, on: database.db)
        }
        print(html ? agreement.html : agreement.text, terminator: "")
    }
}

struct ArrangementCancelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel", abstract: "Cancel a proposed or active arrangement, saying why.")

    @Argument(help: "The arrangement's reference.")
    var ref: String

    @OptionGroup var client: ClientOption

    @ArgumentParser.Option(name: .long, help: "Why it is cancelled.")
    var reason: String

    @OptionGroup var on: OnDateOption

    @OptionGroup var databaseOptions: DatabaseOptions

    func run() async throws {
        let date = on.date
        let view = try await withDatabase(databaseOptions) { database in
            try await ArrangementStore.cancel(
                clientRef: client.ref, ref: ref, reason: reason, on: date, database: database.db, now: Date())
        }
        try CommandOutput.print(Components.Schemas.Arrangement(view))
    }
}

struct ArrangementEvaluateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Move every active arrangement of a client on to a date: completed, or broken after the grace days.")

    @OptionGroup var client: ClientOption

    @OptionGroup var asOf: AsOfOption

    @OptionGroup var databaseOptions: DatabaseOptions

    func run() async throws {
        let date = asOf.date
        let changes = try await withDatabase(databaseOptions) { database in
            try await ArrangementStore.evaluate(clientRef: client.ref, asOf: date, on: database.db, now: Date())
        }
        print(
            OrderedJSON.object([
                ("client", .string(client.ref)), ("asOf", .string(date.isoString)),
                (
                    "changed",
                    .array(
                        changes.map { change in
                            .object([
                                ("ref", .string(change.ref)), ("state", .string(change.state.rawValue)),
                                ("on", change.on.map { .string($0.isoString) } ?? .null),
                                ("reason", change.reason.map { .string($0) } ?? .null),
                            ])
                        })
                ),
            ]).text)
    }
}

/// An acceptance as a command or a request gives it.
enum AcceptanceInput {
    /// An acceptance from its parts; says which evidence is missing for the method.
    static func read(
        by: String, at: String, method: String, ip: String?, userAgent: String?, collector: String?, recording: String?,
        document: String?
    ) throws -> Acceptance {
        guard let instant = ISO8601Instant.parse(at) else {
            throw InputError("at is \"\(at)\"; give an ISO 8601 instant such as 2026-12-01T15:04:05Z")
        }
        // Each method's evidence, named as the request names it.
        func required(_ value: String?, _ member: String, _ what: String) throws -> String {
            guard let value, !value.trimmedSpaces.isEmpty else {
                throw InputError("\(member) is missing: an acceptance by \(method) must record \(what)")
            }
            return value
        }
        let evidence: AcceptanceMethod
        switch AcceptanceMethod.Kind(rawValue: method) {
        case .portalClick:
            evidence = .portalClick(
                ip: try required(ip, "ip", "the IP address"),
                userAgent: try required(userAgent, "userAgent", "the browser"))
        case .recordedCall:
            evidence = .recordedCall(
                collector: try required(collector, "collector", "who took the call"),
                recording: try required(recording, "recording", "the call recording's reference"))
        case .signedLetter:
            evidence = .signedLetter(document: try required(document, "document", "the signed letter's reference"))
        case nil: throw InputError("method is \"\(method)\"; use portal_click, recorded_call or signed_letter")
        }
        do { return try Acceptance(by: by, at: instant, method: evidence) } catch { throw InputError("\(error)") }
    }
}

/// `recoup promise add|list`.
struct PromiseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "promise", abstract: "Promises to pay: record one, or list them kept, partially kept or broken.",
        subcommands: [PromiseAddCommand.self, PromiseListCommand.self])
}

struct PromiseAddCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Record a promise to pay an amount by a date.")

    @OptionGroup var client: ClientOption

    @OptionGroup var debt: DebtOption

    @ArgumentParser.Option(name: .long, help: "The amount promised (50.00).")
    var amount: String

    @ArgumentParser.Option(name: .long, help: .date("The date it is promised by, YYYY-MM-DD."))
    var due: LocalDate

    @ArgumentParser.Option(name: .customLong("made-on"), help: .date("The day the promise was made, YYYY-MM-DD."))
    var madeOn: LocalDate

    @ArgumentParser.Option(name: .long, help: "call or portal.")
    var via: String = "call"

    @ArgumentParser.Option(name: .long, help: "A note.")
    var note: String?

    @OptionGroup var databaseOptions: DatabaseOptions

    func run() async throws {
        guard let channel = PromiseToPay.Channel(rawValue: via) else {
            throw InputError("--via is \"\(via)\"; use call or portal")
        }
        let view = try await withDatabase(databaseOptions) { database in
            try await PromiseStore.add(
                clientRef: client.ref, debtRef: debt.ref, amount: .text(amount, field: "--amount"), due: due,
                madeOn: madeOn,
                via: channel, note: note, on: database.db, now: Date())
        }
        try CommandOutput.print(Components.Schemas.Promise(view, asOf: madeOn))
    }
}

struct PromiseListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List promises, each pending, kept, partially kept or broken on a date.")

    @OptionGroup var client: ClientOption

    @ArgumentParser.Option(name: .long, help: "Only this debt's promises.")
    var debt: String?

    @OptionGroup var asOf: AsOfOption

    @OptionGroup var databaseOptions: DatabaseOptions

    func run() async throws {
        let date = asOf.date
        let views = try await withDatabase(databaseOptions) { database in
            try await PromiseStore.list(clientRef: client.ref, debtRef: debt, asOf: date, on: database.db)
        }
        try CommandOutput.print(views.map { Components.Schemas.Promise($0, asOf: date) })
    }
}
