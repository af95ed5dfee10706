import Foundation
import OpenAPIRuntime
import RecoupAPI
import RecoupCore
import RecoupStore
import Vapor

/// Recoup's HTTP API: one method per operation of Sources/RecoupAPI/openapi.yaml. Each reads the generated input,
/// calls one function of RecoupStore or Core, and returns the generated output; errors are thrown and answered by
/// `JSONErrorMiddleware`. The signed-in user, the database and the settings come from `APIContext`.
struct RecoupAPIHandlers: APIProtocol {
    /// The OpenAPI document, read and converted once at start-up.
    let document: APIDocument
    /// The JSON document as a value for the generated `getOpenAPI` answer.
    let documentObject: OpenAPIObjectContainer

    init(document: APIDocument) throws {
        self.document = document
        self.documentObject = try JSONDecoder().decode(OpenAPIObjectContainer.self, from: document.json)
    }

    // MARK: System

    func getHealth(_ input: Operations.GetHealth.Input) async throws -> Operations.GetHealth.Output {
        .ok(.init(body: .json(.init(status: .ok))))
    }

    func getOpenAPI(_ input: Operations.GetOpenAPI.Input) async throws -> Operations.GetOpenAPI.Output {
        .ok(.init(body: .json(documentObject)))
    }

    func getOpenAPIYAML(_ input: Operations.GetOpenAPIYAML.Input) async throws -> Operations.GetOpenAPIYAML.Output {
        .ok(.init(body: .yaml(HTTPBody(document.yaml))))
    }

    // MARK: Compliance

    func lintMessage(_ input: Operations.LintMessage.Input) async throws -> Operations.LintMessage.Output {
        guard case .json(let body) = input.body, let channel = MessageChannel(rawValue: body.channel.rawValue) else {
            throw UserFacingError.badRequest("channel is not one of voicemail, sms, email, letter")
        }
        let language = body.language.flatMap { MessageLanguage(rawValue: $0.rawValue) } ?? .en
        return .ok(.init(body: .json(.init(MessageLint.check(body.text, channel: channel, language: language)))))
    }

    func getValidationPeriod(
        _ input: Operations.GetValidationPeriod.Input
    ) async throws
        -> Operations.GetValidationPeriod.Output
    {
        let sent = try APIInput.date(input.query.sent, field: "sent")
        return .ok(.init(body: .json(.init(try ValidationPeriod(sent: sent)))))
    }

    /// The body is read by Core's `ComplianceRequest(json:)`, the reader `recoup compliance check` uses too; the
    /// generated code has only checked that it is a JSON object (docs/performance.md says why).
    func checkCompliance(_ input: Operations.CheckCompliance.Input) async throws -> Operations.CheckCompliance.Output {
        let request = try ComplianceRequest(json: try APIContext.rawBody())
        return .ok(.init(body: .json(.init(ComplianceEngine.decide(request, policy: request.policy ?? .standard)))))
    }

    // MARK: Plans

    func proposePlan(_ input: Operations.ProposePlan.Input) async throws -> Operations.ProposePlan.Output {
        guard case .json(let body) = input.body else { throw APIInput.missingBody }
        let plan = try PlanRequest(body)
        return .ok(.init(body: .json(.init(PlanCalculator.propose(plan), currency: plan.currency))))
    }

    // MARK: Client terms

    func getClientTerms(_ input: Operations.GetClientTerms.Input) async throws -> Operations.GetClientTerms.Output {
        let request = try APIContext.current()
        try request.requireClient(input.path.client)
        let terms = try await AccrualStore.terms(clientRef: input.path.client, on: request.db).terms
        return .ok(.init(body: .json(.init(terms))))
    }

    /// The body is checked against the document, then by Core's terms checks (the ones a terms file goes through).
    func setClientTerms(_ input: Operations.SetClientTerms.Input) async throws -> Operations.SetClientTerms.Output {
        let request = try APIContext.current()
        try request.requireClient(input.path.client)
        try request.requireRole(.admin, .manager)
        guard case .json(let body) = input.body else { throw APIInput.missingBody }
        let terms = try await AccrualStore.setTerms(
            clientRef: input.path.client, terms: try ClientTerms(body), on: request.db)
        return .ok(.init(body: .json(.init(terms))))
    }

    // MARK: Reports

    func getAgingReport(_ input: Operations.GetAgingReport.Input) async throws -> Operations.GetAgingReport.Output {
        let request = try APIContext.current()
        var query = AgingParameters(
            asOf: try input.query.asOf.map { try APIInput.date($0, field: "asOf") }
                ?? request.application.settings.today,
            clientRef: APIInput.nonEmpty(input.query.client),
            currency: try APIInput.nonEmpty(input.query.currency).map { try Currency(code: $0) })
        try query.limit(to: request.scope)
        let report = try await AgingQuery.report(
            asOf: query.asOf, clientRef: query.clientRef, currency: query.currency, on: request.db)
        return .ok(.init(body: .json(.init(report))))
    }
}

/// Small readers shared by the handlers: the checks the document cannot state, with the same sentences as before.
enum APIInput {
    static let missingBody = UserFacingError.badRequest("the request body is empty; send the request as JSON")

    /// A query value, or nil when it is absent or empty (an empty value has always meant "not given").
    static func nonEmpty(_ value: String?) -> String? {
        guard let value, !value.isEmpty else { return nil }
        return value
    }

    /// A required text member that must not be empty.
    static func required(_ text: String, _ field: String) throws -> String {
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw UserFacingError.badRequest("\(field) is empty")
        }
        return text
    }

    /// A client reference the signed-in user may see (another client's answers as a missing one, 404).
    static func client(_ ref: String, _ request: Request) throws -> String {
        guard !ref.isEmpty else { throw UserFacingError.badRequest("client is missing") }
        try request.requireClient(ref)
        return ref
    }

    /// An amount as sent, read later in the currency of what it pays; missing is a 400 naming the member.
    static func amount(_ value: DecimalText?, _ field: String) throws -> EnteredAmount {
        guard let value else { throw UserFacingError.badRequest("\(field) is missing") }
        return .text(value.text, field: field)
    }

    /// A `YYYY-MM-DD` date; the error names the field.
    static func date(_ text: String, field: String) throws -> LocalDate {
        do {
            return try LocalDate(iso: text)
        } catch {
            throw UserFacingError.badRequest("\(field): \(error.description)", code: "invalid_date")
        }
    }
}
