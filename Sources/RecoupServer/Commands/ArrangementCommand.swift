import ArgumentParser
import Foundation
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
        print(ArrangementJSON.view(view).text)
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
        let acceptance = try ArrangementJSON.acceptance(
            by: by, at: at, method: method, ip: ip, userAgent: userAgent, collector: collector, recording: recording,
            document: document)
        let view = try await withDatabase(databaseOptions) { database in
            try await ArrangementStore.accept(
                clientRef: client.ref, ref: ref, acceptance: acceptance, on: database.db, now: Date())
        }
        print(ArrangementJSON.view(view).text)
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
        print(ArrangementJSON.view(view).text)
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
        print(ArrangementJSON.view(view).text)
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

/// The JSON shapes of arrangements and promises, shared by the command line and the API.
enum ArrangementJSON {
    static func view(_ view: ArrangementView) -> OrderedJSON {
        let arrangement = view.arrangement
        let money = { (units: Int64) in
            OrderedJSON.string(Money.decimalString(minorUnits: units, currency: arrangement.currency))
        }
        var acceptance = OrderedJSON.null
        if let accepted = arrangement.acceptance {
            var members: [(String, OrderedJSON)] = [
                ("by", .string(accepted.by)), ("at", .string(ISO8601Instant.format(accepted.at))),
                ("method", .string(accepted.method.name)),
            ]
            switch accepted.method {
            case .portalClick(let ip, let userAgent):
                members += [("ip", .string(ip)), ("userAgent", .string(userAgent))]
            case .recordedCall(let collector, let recording):
                members += [("collector", .string(collector)), ("recording", .string(recording))]
            case .signedLetter(let document): members += [("document", .string(document))]
            }
            acceptance = .object(members)
        }
        return .object([
            ("ref", .string(view.ref)), ("client", .string(view.clientRef)), ("debtor", .string(view.debtorRef)),
            ("state", .string(arrangement.state.rawValue)), ("kind", .string(arrangement.kind.rawValue)),
            ("currency", .string(arrangement.currency.code)), ("total", money(arrangement.total)),
            ("graceDays", .integer(Int64(arrangement.graceDays))), ("createdOn", .string(view.createdOn.isoString)),
            (
                "debts",
                .array(arrangement.debts.map { .object([("debt", .string($0.ref)), ("amount", money($0.amount))]) })
            ),
            ("asOf", .string(view.asOf.isoString)),
            (
                "installments",
                .array(
                    view.match.installments.map { status in
                        .object([
                            ("number", .integer(Int64(status.number))), ("due", .string(status.due.isoString)),
                            ("amount", money(status.amount)), ("paid", money(status.paid)),
                            ("paidOn", status.paidOn.map { .string($0.isoString) } ?? .null),
                            ("standing", .string(status.standing.rawValue)),
                        ])
                    })
            ),
            ("excess", money(view.match.excess)), ("acceptance", acceptance),
            ("stateReason", arrangement.stateReason.map { .string($0) } ?? .null),
            ("stateChangedOn", arrangement.stateChangedOn.map { .string($0.isoString) } ?? .null),
            ("agreementSha256", .string(view.agreementSHA256)),
        ])
    }

    static func promise(_ view: PromiseView, asOf: LocalDate) -> OrderedJSON {
        let money = { (units: Int64) in
            OrderedJSON.string(Money.decimalString(minorUnits: units, currency: view.currency))
        }
        return .object([
            ("id", .integer(view.id)), ("debt", .string(view.debtRef)), ("amount", money(view.promise.amount)),
            ("currency", .string(view.currency.code)), ("due", .string(view.promise.due.isoString)),
            ("madeOn", .string(view.promise.madeOn.isoString)), ("via", .string(view.promise.via.rawValue)),
            ("note", view.note.map { .string($0) } ?? .null), ("asOf", .string(asOf.isoString)),
            ("outcome", .string(view.outcome.name)), ("paid", money(view.outcome.paid)),
        ])
    }

    /// An acceptance from its parts; says which evidence is missing for the method.
    static func acceptance(
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
        print(ArrangementJSON.promise(view, asOf: madeOn).text)
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
        print(OrderedJSON.array(views.map { ArrangementJSON.promise($0, asOf: date) }).text)
    }
}
