import Foundation
import OpenAPIRuntime
import RecoupAPI
import RecoupCore
import RecoupStore
import Vapor

// The agency's side (docs/agency.md, "API"): contracts, placed accounts, remittance statements and the trust check.
// Each operation reads the user's scope first, so another client's data answers 404 exactly as missing data does, and
// then checks the role (403), as the pages do (AgencyRoles).
extension RecoupAPIHandlers {
    // MARK: Contracts

    func getAgencyContract(
        _ input: Operations.GetAgencyContract.Input
    ) async throws -> Operations.GetAgencyContract.Output {
        let request = try APIContext.current()
        let client = try APIInput.client(input.path.client, request)
        try request.requireRole(.admin, .manager, .client)
        guard let stored = try await AgencyStore.contract(clientRef: client, on: request.db) else {
            throw UserFacingError.notFound("\(client) has no agency contract")
        }
        return .ok(.init(body: .json(.init(stored))))
    }

    /// The body is read from its raw bytes by `AgencyJSON.contract`, the reader `recoup agency contract` uses.
    func saveAgencyContract(
        _ input: Operations.SaveAgencyContract.Input
    ) async throws
        -> Operations.SaveAgencyContract.Output
    {
        let request = try APIContext.current()
        let client = try APIInput.client(input.path.client, request)
        try request.requireRole(.admin)
        let contract = try AgencyRoles.contract(from: try APIContext.rawBody())
        let settings = request.application.settings
        let result = try await AgencyStore.save(
            contract, clientRef: client, by: request.recoupUser?.email, now: settings.clock(), on: request.db)
        return .ok(.init(body: .json(.init(result.contract, saved: result.saved))))
    }

    // MARK: Placed accounts

    func listAgencyPlacements(
        _ input: Operations.ListAgencyPlacements.Input
    ) async throws
        -> Operations.ListAgencyPlacements.Output
    {
        let request = try APIContext.current()
        let client = try APIInput.nonEmpty(input.query.client).map { try APIInput.client($0, request) }
        try request.requireRole(.admin, .manager, .collector, .client)
        var cursor: PlacementCursor?
        if let text = APIInput.nonEmpty(input.query.after) {
            guard let read = PlacementCursor(text: text) else {
                throw UserFacingError.badRequest("after is \"\(text)\"; it is placedOn.id of a page's last account")
            }
            cursor = read
        }
        let placements = try await PlacementIntake.placements(
            clientRef: client, scope: request.scope, openOnly: input.query.open ?? false,
            reference: APIInput.nonEmpty(input.query.ref), after: cursor, limit: input.query.limit ?? 1_000,
            on: request.db)
        return .ok(.init(body: .json(placements.map(Components.Schemas.AgencyPlacement.init))))
    }

    func recallAgencyPlacement(
        _ input: Operations.RecallAgencyPlacement.Input
    ) async throws
        -> Operations.RecallAgencyPlacement.Output
    {
        let request = try APIContext.current()
        let client = try APIInput.client(input.path.client, request)
        try request.requireRole(.admin, .manager, .client)
        guard case .json(let body) = input.body else { throw APIInput.missingBody }
        let reason = try APIInput.required(body.reason, "reason")
        let placement = try await AgencyRoles.close(
            request, client: client, debt: input.path.debt, reason: .recalled, note: reason,
            on: try body.on.map { try APIInput.date($0, field: "on") })
        return .ok(.init(body: .json(.init(placement))))
    }

    func closeAgencyPlacement(
        _ input: Operations.CloseAgencyPlacement.Input
    ) async throws
        -> Operations.CloseAgencyPlacement.Output
    {
        let request = try APIContext.current()
        let client = try APIInput.client(input.path.client, request)
        try request.requireRole(.admin, .manager)
        guard case .json(let body) = input.body else { throw APIInput.missingBody }
        guard let reason = PlacementCloseReason(rawValue: body.reasonCode.rawValue) else {
            throw UserFacingError.badRequest("reasonCode is \"\(body.reasonCode.rawValue)\", which is not allowed")
        }
        let placement = try await AgencyRoles.close(
            request, client: client, debt: input.path.debt, reason: reason, note: body.note,
            on: try body.on.map { try APIInput.date($0, field: "on") })
        return .ok(.init(body: .json(.init(placement))))
    }

    // MARK: Remittance statements

    func listRemittances(_ input: Operations.ListRemittances.Input) async throws -> Operations.ListRemittances.Output {
        let request = try APIContext.current()
        let client = try APIInput.nonEmpty(input.query.client).map { try APIInput.client($0, request) }
        try request.requireRole(.admin, .manager, .client)
        let statements = try await TrustStore.statements(clientRef: client, scope: request.scope, on: request.db)
        return .ok(.init(body: .json(statements.map { .init($0) })))
    }

    func getRemittance(_ input: Operations.GetRemittance.Input) async throws -> Operations.GetRemittance.Output {
        let request = try APIContext.current()
        let statement = try await AgencyRoles.statement(request, id: input.path.id)
        return .ok(.init(body: .json(.init(statement))))
    }

    func listRemittanceLines(
        _ input: Operations.ListRemittanceLines.Input
    ) async throws
        -> Operations.ListRemittanceLines.Output
    {
        let request = try APIContext.current()
        let statement = try await AgencyRoles.statement(request, id: input.path.id)
        let lines = try await TrustStore.lines(statementID: statement.id, scope: request.scope, on: request.db)
        return .ok(.init(body: .json(lines.map { .init($0, currency: statement.currency) })))
    }

    func closeRemittance(_ input: Operations.CloseRemittance.Input) async throws -> Operations.CloseRemittance.Output {
        let request = try APIContext.current()
        guard case .json(let body) = input.body else { throw APIInput.missingBody }
        let client = try APIInput.client(body.client, request)
        try request.requireRole(.admin, .manager)
        let through = try APIInput.date(body.through, field: "through")
        let currency = try APIInput.nonEmpty(body.currency).map { try Currency(code: $0) }
        let settings = request.application.settings
        let result = try await TrustStore.close(
            clientRef: client, through: through, currency: currency, by: request.recoupUser?.email,
            now: settings.clock(), on: request.db)
        let statement = Components.Schemas.RemittanceStatement(result.statement, created: result.created)
        return result.created ? .created(.init(body: .json(statement))) : .ok(.init(body: .json(statement)))
    }

    // MARK: Trust

    func checkTrust(_ input: Operations.CheckTrust.Input) async throws -> Operations.CheckTrust.Output {
        let request = try APIContext.current()
        let client = try APIInput.nonEmpty(input.query.client).map { try APIInput.client($0, request) }
        try request.requireRole(.admin, .manager)
        let checks = try await TrustStore.check(clientRef: client, on: request.db)
        return .ok(.init(body: .json(checks.map(Components.Schemas.TrustCheck.init))))
    }
}

/// What the agency's pages and API share: who may do what, and the use cases with the user's scope applied.
enum AgencyRoles {
    /// A contract document from a page or the API; a document that is not JSON is 400, a contract that cannot be used
    /// is 422 `contract_refused` with the reader's sentence.
    static func contract(from data: Data) throws -> AgencyContract {
        do { _ = try JSONValue.parse(data) } catch {
            throw UserFacingError.badRequest("the contract is not JSON: \(error)")
        }
        do { return try AgencyJSON.contract(from: data) } catch {
            throw UserFacingError(
                status: .unprocessableEntity, code: "contract_refused",
                message: UserErrorText.sentence(for: error) ?? "\(error)")
        }
    }

    /// One statement in the user's scope; another client's is 404 as a missing one. Collectors get 403.
    static func statement(_ request: Request, id: Int64) async throws -> RemittanceStatement {
        guard id > 0, let statement = try await TrustStore.statement(id: id, scope: request.scope, on: request.db)
        else { throw UserFacingError.notFound("there is no statement \(id)") }
        try request.requireRole(.admin, .manager, .client)
        return statement
    }

    /// Closes (or recalls) a placed account of a client in the user's scope, on `day` (default today).
    static func close(
        _ request: Request, client: String, debt: String, reason: PlacementCloseReason, note: String?,
        on day: LocalDate?
    ) async throws -> AgencyPlacement {
        try request.requireClient(client)
        let settings = request.application.settings
        return try await PlacementIntake.close(
            clientRef: client, debtRef: debt, reason: reason, note: note, on: day ?? settings.today,
            by: request.recoupUser?.email, now: settings.clock(), on: request.db)
    }

    /// The receiver of a payment a user posts: a client user reports direct payments only (`client`; 403 for
    /// `agency`), and may not reverse or refund a payment on an account placed with the agency. Staff post what they
    /// name, `agency` by default.
    static func receiver(
        _ request: Request, named: String?, clientRef: String, debtRef: String?, isPayment: Bool
    ) async throws -> PaymentReceiver {
        var receiver = PaymentReceiver.agency
        if let named {
            guard let parsed = PaymentReceiver(rawValue: named) else {
                throw UserFacingError.badRequest("receivedBy is \"\(named)\"; use agency or client")
            }
            receiver = parsed
        }
        guard request.recoupUser?.role == .client else { return receiver }
        if named == PaymentReceiver.agency.rawValue {
            throw UserFacingError(
                status: .forbidden, code: "forbidden",
                message: "a client user reports only payments the client received (receivedBy client)")
        }
        var isPlaced = false
        if let debtRef {
            isPlaced = try await PlacementIntake.isOpen(clientRef: clientRef, debtRef: debtRef, on: request.db)
        }
        if !isPayment, isPlaced {
            throw UserFacingError(
                status: .forbidden, code: "forbidden",
                message: "\(debtRef ?? "the debt") is placed with the agency: ask the agency to reverse or refund it")
        }
        // A client user's payment on a placed account is a direct payment; on its own debts it stays as before.
        return named == nil && !isPlaced ? .agency : .client
    }
}

extension Components.Schemas.AgencyContract {
    init(_ stored: StoredContract, saved: Bool? = nil) {
        let contract = stored.contract
        self.init(
            client: stored.clientRef, version: stored.version, saved: saved,
            remittance: contract.remittance == .net ? .net : .gross,
            directPaymentCommission: contract.directPaymentCommission,
            rates: contract.rates.map {
                .init(
                    upToDaysAtPlacement: $0.upToDaysAtPlacement, upToBalance: $0.upToBalance.map { DecimalText($0) },
                    percent: DecimalText($0.rate.percentText))
            },
            freeDemand: Nullable(
                contract.freeDemand.map {
                    Components.Schemas.FreeDemand(days: $0.days, percent: DecimalText($0.rate.percentText))
                }),
            schedule: contract.schedule == .weekly ? .weekly : .monthly,
            remitWithinDaysAfterMonth: contract.remitWithinDaysAfterMonth, holdDays: contract.holdDays,
            savedAt: ISO8601Instant.format(stored.savedAt), savedBy: Nullable(stored.savedBy))
    }
}

extension Components.Schemas.AgencyPlacement {
    init(_ placement: AgencyPlacement) {
        let money = APIMoney(placement.currency)
        self.init(
            id: placement.id, client: placement.clientRef, debt: placement.debtRef, debtor: placement.debtorRef,
            debtorName: placement.debtorName, placedOn: placement.placedOn.isoString,
            currency: placement.currency.code, balanceAtPlacement: money(placement.balanceAtPlacement),
            daysAtPlacement: placement.daysAtPlacement, percent: placement.rate.percentText,
            freeDemandThrough: Nullable(placement.freeThrough?.isoString), collected: money(placement.collected),
            balance: money(placement.balance), status: placement.closedOn == nil ? .open : .closed,
            closedOn: Nullable(placement.closedOn?.isoString), reasonCode: Nullable(placement.closeReason?.rawValue),
            note: Nullable(placement.closeNote))
    }
}

extension Components.Schemas.RemittanceStatement {
    init(_ statement: RemittanceStatement, created: Bool? = nil) {
        let money = APIMoney(statement.currency)
        let figures = statement.figures
        self.init(
            client: statement.clientRef, through: statement.through.isoString,
            remittance: statement.method == .net ? .net : .gross, collected: money(figures.collected),
            commission: money(figures.commission), directPayments: money(figures.directPayments),
            commissionOnDirect: money(figures.commissionOnDirect),
            reversalsAfterRemittance: money(figures.reversalsAfterRemittance),
            commissionReturned: money(figures.commissionReturned), dueToClient: money(figures.dueToClient),
            dueToAgency: money(figures.dueToAgency), id: statement.id, currency: statement.currency.code,
            lines: statement.lines, remittedFromTrust: money(figures.remitted),
            commissionTakenFromTrust: money(figures.commissionTaken), clawback: money(figures.clawback),
            closedAt: ISO8601Instant.format(statement.createdAt), created: created)
    }
}

extension Components.Schemas.RemittanceLine {
    init(_ line: RemittanceLine, currency: Currency) {
        let money = APIMoney(currency)
        let sign: Int64 = line.kind.isReversal ? -1 : 1
        self.init(
            debtor: line.debtorRef, debtorName: line.debtorName, debt: line.debtRef, on: line.on.isoString,
            kind: .init(rawValue: line.kind.rawValue) ?? .received, afterRemittance: line.afterRemittance,
            description: RemittanceDocuments.words(line), amount: money(sign * line.amount),
            percent: line.rate.percentText, commission: money(sign * line.commission))
    }
}

extension Components.Schemas.TrustCheck {
    init(_ check: TrustCheck) {
        let money = APIMoney(check.currency)
        self.init(
            client: check.clientRef, currency: check.currency.code, held: money(check.held),
            expected: money(check.expected), owedByClient: money(check.owedByClient),
            reconciles: check.difference == nil, difference: Nullable(check.difference))
    }
}
