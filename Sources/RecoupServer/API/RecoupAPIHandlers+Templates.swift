import Foundation
import RecoupAPI
import RecoupCore
import RecoupStore
import Vapor

// Message templates per client, channel and language (docs/messages.md, "Templates").
extension RecoupAPIHandlers {
    /// Admins and managers read any client's templates or the installation's; a client user its own client's only.
    func listTemplates(_ input: Operations.ListTemplates.Input) async throws -> Operations.ListTemplates.Output {
        let request = try APIContext.current()
        let client = try TemplateAPI.client(APIInput.nonEmpty(input.query.client), request, changing: false)
        let templates = try await TemplateStore.list(clientRef: client, on: request.db)
        return .ok(.init(body: .json(templates.map(Components.Schemas.TemplateSummary.init))))
    }

    func getTemplate(_ input: Operations.GetTemplate.Input) async throws -> Operations.GetTemplate.Output {
        let request = try APIContext.current()
        let client = try TemplateAPI.client(APIInput.nonEmpty(input.query.client), request, changing: false)
        let key = try TemplateAPI.key(input.path.name, input.path.channel, input.path.language)
        let shown = try await TemplateStore.show(key, clientRef: client, on: request.db)
        return .ok(.init(body: .json(.init(shown))))
    }

    /// Saves through `TemplateStore.save`, the check `recoup template set` goes through; a refusal is 422 with every
    /// finding and nothing saved.
    func saveTemplate(_ input: Operations.SaveTemplate.Input) async throws -> Operations.SaveTemplate.Output {
        let request = try APIContext.current()
        let client = try TemplateAPI.client(APIInput.nonEmpty(input.query.client), request, changing: true)
        let key = try TemplateAPI.key(input.path.name, input.path.channel, input.path.language)
        guard case .json(let body) = input.body else { throw APIInput.missingBody }
        let source = TemplateSource(
            subject: body.subject?.value, body: body.body, attachStatement: body.attachStatement ?? false)
        do {
            let saved = try await TemplateStore.save(
                key, source: source, clientRef: client, by: request.recoupUser?.email,
                now: request.application.settings.clock(), on: request.db)
            return .ok(.init(body: .json(.init(saved))))
        } catch let refused as TemplateRefused {
            return .unprocessableContent(
                .init(
                    body: .json(
                        .init(
                            value1: .init(error: .init(code: "template_refused", message: refused.description)),
                            value2: .init(findings: refused.findings.map(Components.Schemas.LintFinding.init))))))
        }
    }

    /// Renders wording (sent, or the wording in force) for one of the client's debts; saves nothing.
    func previewTemplate(_ input: Operations.PreviewTemplate.Input) async throws -> Operations.PreviewTemplate.Output {
        let request = try APIContext.current()
        guard case .json(let body) = input.body else { throw APIInput.missingBody }
        let client = try APIInput.client(body.client, request)
        try TemplateAPI.requireReader(request)
        guard
            let key = TemplatePreviewing.key(
                name: body.template, channel: body.channel.rawValue, language: body.language?.rawValue ?? "en")
        else {
            throw UserFacingError.badRequest(
                TemplateAPI.lowercased(
                    TemplatePreviewing.missing(
                        name: body.template, channel: body.channel.rawValue, language: body.language?.rawValue ?? "en"))
            )
        }
        let debt = try APIInput.required(body.debt, "debt")
        let asOf = try body.asOf.map { try APIInput.date($0, field: "asOf") } ?? request.application.settings.today
        let source = body.body?.value.map {
            TemplateSource(subject: body.subject?.value, body: $0, attachStatement: body.attachStatement ?? false)
        }
        let previewed = try await TemplatePreviewing.preview(
            key, source: source, clientRef: client, debtRef: debt, asOf: asOf,
            publicURL: request.application.settings.publicURL?.description, on: request.db)
        return .ok(
            .init(
                body: .json(
                    .init(
                        subject: Nullable(previewed.subject), body: previewed.body,
                        attachStatement: previewed.attachStatement, lint: .init(previewed.lint)))))
    }
}

/// The template routes' checks: who may, whose templates, which template.
enum TemplateAPI {
    /// The client whose templates a request reads or changes: the one named (another client's answers 404, as a
    /// missing one), a client user's own when none is, or the installation's (nil). Then the role: admins and
    /// managers read and change; a client user reads its own; anyone else gets 403.
    static func client(_ named: String?, _ request: Request, changing: Bool) throws -> String? {
        if let named { try request.requireClient(named) }
        if changing {
            try request.requireRole(.admin, .manager)
        } else {
            try requireReader(request)
        }
        if case .client(_, let own) = request.scope { return own }
        return named
    }

    static func requireReader(_ request: Request) throws {
        try request.requireRole(.admin, .manager, .client)
    }

    /// The template the path names; 404 when there is none by that name, channel or language.
    static func key(_ name: String, _ channel: String, _ language: String) throws -> TemplateKey {
        guard let key = TemplatePreviewing.key(name: name, channel: channel, language: language) else {
            throw UserFacingError.notFound(
                lowercased(TemplatePreviewing.missing(name: name, channel: channel, language: language)))
        }
        return key
    }

    /// The API's sentences start in lower case and end without a full stop.
    static func lowercased(_ sentence: String) -> String {
        var text = sentence.prefix(1).lowercased() + sentence.dropFirst()
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }
}
