import FluentKit
import Foundation
import RecoupCore
import RecoupStore
import Vapor

/// The template pages (docs/web.md, "Template page"): `GET /templates` lists every message template (name, channel,
/// language) and whose wording is in force for the installation or a chosen client (`?client=REF`);
/// `GET /templates/:name/:channel/:language` edits one, with the variables a template may name, and a preview for one
/// of the client's debts that the page's script (`/templates/editor.js`) renders as the text changes by posting the
/// form to `POST /templates/preview`, which answers the preview's HTML alone. Without the script, the form's Preview
/// button shows the page again with the preview. **Save** checks the wording (`TemplateStore.save`) and redirects
/// back with the version saved (post/redirect/get); a refusal shows the page again (422) with what was typed and the
/// findings. **Reset** puts back the wording that stood before the client's (or the installation's) own. An email's
/// editor has a box for a PDF statement of the debts to go with it (`TemplateSource.attachStatement`), posted with
/// Save and with the preview; the other channels have none.
///
/// Templates are admin and manager work: anyone else gets 403. The forms carry the session's CSRF token.
struct TemplatePageController: RouteCollection {
    /// The roles that may see and change templates on these pages.
    static let editors: [Role] = [.admin, .manager]

    /// The largest form the editor posts: a template is at most 64 KB, sent form-encoded.
    static let largestForm: ByteCount = "512kb"

    func boot(routes: any RoutesBuilder) throws {
        routes.get("templates", use: list)
        routes.get("templates", "editor.js", use: script)
        routes.get("templates", "editor.css", use: stylesheet)
        routes.get("templates", ":name", ":channel", ":language", use: edit)
        routes.on(.POST, "templates", "preview", body: .collect(maxSize: Self.largestForm), use: previewFragment)
        routes.on(
            .POST, "templates", ":name", ":channel", ":language", body: .collect(maxSize: Self.largestForm), use: save)
        routes.on(
            .POST, "templates", ":name", ":channel", ":language", "reset", body: .collect(maxSize: Self.largestForm),
            use: reset)
    }

    // MARK: The list

    struct Row: Encodable {
        var name: String
        var channel: String
        var language: String
        var origin: String
        var originClass: String
        var version: Int
        var saved: String?
        var savedISO: String?
        var link: String
        /// True when the email in force goes with a PDF statement of the debts.
        var attachStatement: Bool
    }

    struct ListContext: Encodable {
        var title = "Templates"
        var rows: [Row]
        var clients: [DebtPagesController.Choice]
        var client: String
        var scopeName: String
        var caption: String
    }

    @Sendable
    func list(request: Request) async throws -> View {
        try request.requireRole(.admin, .manager)
        let client = Self.client(request)
        let templates = try await TemplateStore.list(clientRef: client, on: request.db)
        let times = Self.times(request)
        let scopeName = try await Self.scopeName(client, request)
        let rows = templates.map { shown in
            Row(
                name: shown.key.name, channel: Self.channelName(shown.key.channel), language: shown.key.language.name,
                origin: Self.originName(shown), originClass: "origin-" + shown.origin.rawValue, version: shown.version,
                saved: shown.savedAt.map { times.instant($0) + (shown.savedBy.map { " by " + $0 } ?? "") },
                savedISO: shown.savedAt.map(ISO8601Instant.format),
                link: Self.editorPath(shown.key, client: client), attachStatement: shown.source.attachStatement)
        }
        let context = ListContext(
            rows: rows, clients: try await Self.clientChoices(request, selected: client ?? ""),
            client: client ?? "", scopeName: scopeName,
            caption: "The wording in force for \(scopeName): the client's own, else the installation's, else built in.")
        return try await request.view.render("templates", context)
    }

    // MARK: The editor

    struct Variable: Encodable {
        var tag: String
        var meaning: String
    }

    struct FindingRow: Encodable {
        var severity: String
        var rule: String
        var message: String
        var excerpt: String?
    }

    /// The preview panel: the rendered message and the findings, or why it could not be rendered.
    struct PreviewContext: Encodable {
        var subject: String?
        var body: String?
        /// True when the email as rendered would go with the PDF statement.
        var attachStatement = false
        var ok: Bool
        var verdict: String
        var findings: [FindingRow]
        var problem: String?
    }

    struct EditorContext: Encodable {
        var title: String
        var name: String
        var channel: String
        var channelName: String
        var language: String
        var languageName: String
        var client: String
        var scopeName: String
        var listLink: String
        var action: String
        var resetAction: String
        var origin: String
        var version: Int
        var saved: String?
        var hasSubject: Bool
        var subject: String
        var body: String
        /// True for an email: the box for the PDF statement is shown.
        var canAttach: Bool
        /// The box's state: the wording in force's, or as posted.
        var attachStatement: Bool
        var variables: [Variable]
        /// For the installation's wording: the client whose debt the preview is for.
        var previewClients: [DebtPagesController.Choice]
        var previewClient: String
        var debt: String
        var preview: PreviewContext?
        var flash: Flash?
        var refusal: String?
        var refusalFindings: [FindingRow]
        var canReset: Bool
        var resetTo: String
    }

    /// The editor's form as posted (every field optional, read leniently).
    struct EditorForm: PageForm {
        var subject: String?
        var body: String?
        /// The statement box: present ("yes") when ticked, absent when not.
        var attachStatement: String?
        var client: String?
        var previewClient: String?
        var debt: String?
        /// "preview" for the Preview button; anything else saves.
        var intent: String?
        var confirm: String?
        /// The preview fragment's template, when posted to `/templates/preview`.
        var name: String?
        var channel: String?
        var language: String?
    }

    @Sendable
    func edit(request: Request) async throws -> Response {
        try request.requireRole(.admin, .manager)
        let key = try Self.key(request)
        let client = Self.client(request)
        return try await Flash.showingOnce(request) { flash in
            let shown = try await TemplateStore.show(key, clientRef: client, on: request.db)
            var context = try await Self.editor(request, key: key, client: client, shown: shown, flash: flash)
            let debt = Self.nonEmpty(request.query[String.self, at: "debt"])
            if let debt { context.debt = debt }
            if !context.previewClient.isEmpty, !context.debt.isEmpty {
                context.preview = try await Self.preview(
                    request, key: key, source: nil, clientRef: context.previewClient, debtRef: context.debt)
            }
            return try await request.view.render("template-edit", context).encodeResponse(for: request)
        }
    }

    /// Saves the wording (or, with the Preview button, shows the page again with the preview): a 303 back to the
    /// editor saying which version stands; a refusal is the page again (422) with the text as typed and the findings.
    @Sendable
    func save(request: Request) async throws -> Response {
        try request.requireRole(.admin, .manager)
        let key = try Self.key(request)
        let form = request.form(EditorForm.self)
        let client = Self.nonEmpty(form.client)
        let source = Self.source(form, key: key)
        let shown = try await TemplateStore.show(key, clientRef: client, on: request.db)
        var context = try await Self.editor(request, key: key, client: client, shown: shown, flash: nil)
        context.subject = form.subject ?? ""
        context.body = form.body ?? ""
        context.attachStatement = source.attachStatement
        context.previewClient = Self.nonEmpty(form.previewClient) ?? client ?? context.previewClient
        context.debt = form.debt?.trimmingCharacters(in: .whitespaces) ?? context.debt
        if form.intent == "preview" {
            context.preview = try await Self.preview(
                request, key: key, source: source, clientRef: context.previewClient, debtRef: context.debt)
            return try await request.view.render("template-edit", context).encodeResponse(for: request)
        }
        let user = try request.requireUser()
        do {
            let saved = try await TemplateStore.save(
                key, source: source, clientRef: client, by: user.email, now: request.application.settings.clock(),
                on: request.db)
            let text =
                saved.version == shown.version && saved.origin == shown.origin
                ? "Nothing changed: the wording was already as sent (version \(saved.version))."
                : "Saved as version \(saved.version)."
            return Self.redirect(
                request, key: key, client: client, debt: context.debt, with: Flash(kind: .notice, text: text))
        } catch let refused as TemplateRefused {
            context.refusal =
                Self.sentence(refused.description) + " Nothing was saved; your text is below as you typed it."
            context.refusalFindings = refused.findings.map(Self.row)
            context.preview = try await Self.preview(
                request, key: key, source: source, clientRef: context.previewClient, debtRef: context.debt)
            return try await request.view.render("template-edit", context).encodeResponse(
                status: .unprocessableEntity, for: request)
        }
    }

    /// Puts back the wording that stood before the client's (or the installation's) own, once confirmed.
    @Sendable
    func reset(request: Request) async throws -> Response {
        try request.requireRole(.admin, .manager)
        let key = try Self.key(request)
        let form = request.form(EditorForm.self)
        let client = Self.nonEmpty(form.client)
        let debt = form.debt ?? ""
        guard form.confirm == "yes" else {
            return Self.redirect(
                request, key: key, client: client, debt: debt,
                with: Flash(kind: .refusal, text: "Not reset: tick the box that says to put the earlier wording back."))
        }
        let before = try await TemplateStore.show(key, clientRef: client, on: request.db)
        let after = try await TemplateStore.reset(
            key, clientRef: client, by: try request.requireUser().email, now: request.application.settings.clock(),
            on: request.db)
        let text =
            before.origin == after.origin && before.version == after.version
            ? "Nothing to reset: \(Self.originSentence(after)) stands already."
            : "Reset: \(Self.originSentence(after)) stands again."
        return Self.redirect(request, key: key, client: client, debt: debt, with: Flash(kind: .notice, text: text))
    }

    /// The preview panel alone, for the editor's script: the form as typed, rendered for the debt.
    @Sendable
    func previewFragment(request: Request) async throws -> View {
        try request.requireRole(.admin, .manager)
        let form = request.form(EditorForm.self)
        let key = try Self.key(name: form.name ?? "", channel: form.channel ?? "", language: form.language ?? "")
        let clientRef = Self.nonEmpty(form.previewClient) ?? Self.nonEmpty(form.client) ?? ""
        let preview = try await Self.preview(
            request, key: key, source: Self.source(form, key: key), clientRef: clientRef,
            debtRef: form.debt?.trimmingCharacters(in: .whitespaces) ?? "")
        return try await request.view.render("template-preview", ["preview": preview])
    }

    // MARK: The script and the stylesheet

    @Sendable
    func script(request: Request) async throws -> Response {
        Self.asset(TemplateEditorAssets.script, type: HTTPMediaType(type: "text", subType: "javascript"))
    }

    @Sendable
    func stylesheet(request: Request) async throws -> Response {
        Self.asset(TemplateEditorAssets.stylesheet, type: .css)
    }

    static func asset(_ text: String, type: HTTPMediaType) -> Response {
        let response = Response(status: .ok, body: .init(string: text))
        response.headers.contentType = type
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, max-age=300")
        return response
    }

    // MARK: Building the pages

    static func editor(
        _ request: Request, key: TemplateKey, client: String?, shown: TemplateShown, flash: Flash?
    ) async throws -> EditorContext {
        let scopeName = try await scopeName(client, request)
        let times = times(request)
        var previewClients: [DebtPagesController.Choice] = []
        var previewClient = client ?? ""
        if client == nil {
            let all = try await ClientProfileStore.all(on: request.db)
                .sorted { $0.displayName.localizedStandardCompare($1.displayName) == .orderedAscending }
            previewClient = all.first?.ref ?? ""
            previewClients = all.map { .init(value: $0.ref, label: $0.displayName, selected: $0.ref == previewClient) }
        }
        let own: TemplateShown.Origin = client == nil ? .installation : .client
        var resetTo = "the built-in wording"
        if client != nil, shown.origin == .client,
            try await TemplateStore.show(key, clientRef: nil, on: request.db).origin == .installation
        {
            resetTo = "the installation's wording"
        }
        return EditorContext(
            title: "\(key.name) · \(channelName(key.channel)) · \(key.language.name)", name: key.name,
            channel: key.channel.rawValue, channelName: channelName(key.channel), language: key.language.rawValue,
            languageName: key.language.name, client: client ?? "", scopeName: scopeName,
            listLink: client.map { "/templates?" + query([("client", $0)]) } ?? "/templates",
            action: path(key), resetAction: path(key) + "/reset", origin: originSentence(shown),
            version: shown.version,
            saved: shown.savedAt.map { times.instant($0) + (shown.savedBy.map { " by " + $0 } ?? "") },
            hasSubject: key.channel.hasSubject, subject: shown.source.subject ?? "", body: shown.source.body,
            canAttach: key.channel == .email, attachStatement: shown.source.attachStatement,
            variables: TemplateCheck.variables.map { Variable(tag: "{{\($0.name)}}", meaning: $0.meaning) },
            previewClients: previewClients, previewClient: previewClient,
            debt: previewClient.isEmpty ? "" : try await firstOpenDebt(previewClient, request) ?? "",
            preview: nil, flash: flash, refusal: nil, refusalFindings: [], canReset: shown.origin == own,
            resetTo: resetTo)
    }

    /// Renders the wording for the debt, for the preview panel; a debt or client that is not there, or wording that
    /// does not parse, is said in the panel rather than as an error page.
    static func preview(
        _ request: Request, key: TemplateKey, source: TemplateSource?, clientRef: String, debtRef: String
    ) async throws -> PreviewContext {
        guard !clientRef.isEmpty, !debtRef.isEmpty else {
            return PreviewContext(
                ok: false, verdict: "", findings: [],
                problem: "Give the reference of one of the client's debts to see the message as it would be sent.")
        }
        try request.requireClient(clientRef)
        do {
            let previewed = try await TemplatePreviewing.preview(
                key, source: source, clientRef: clientRef, debtRef: debtRef, asOf: request.application.settings.today,
                publicURL: publicURL(request), on: request.db)
            let errors = previewed.lint.findings.filter { $0.severity == .error }.count
            let warnings = previewed.lint.findings.count - errors
            let verdict =
                previewed.lint.ok
                ? (warnings == 0
                    ? "The message lint finds nothing wrong."
                    : "The message lint finds no error; look at the \(warnings == 1 ? "warning" : "\(warnings) warnings").")
                : "This wording would not be saved: the check finds \(errors == 1 ? "an error" : "\(errors) errors")."
            return PreviewContext(
                subject: previewed.subject, body: previewed.body, attachStatement: previewed.attachStatement,
                ok: previewed.lint.ok,
                verdict: verdict, findings: previewed.lint.findings.map(row), problem: nil)
        } catch let error as StoreError {
            if case .cannotConnect = error { throw error }
            return PreviewContext(ok: false, verdict: "", findings: [], problem: sentence(error.description))
        }
    }

    static func publicURL(_ request: Request) -> String {
        request.application.settings.publicURL?.description ?? PublicBaseURL.forLinks(request).description
    }

    static func firstOpenDebt(_ clientRef: String, _ request: Request) async throws -> String? {
        var filter = DebtFilter(today: request.application.settings.today)
        filter.clientRef = clientRef
        filter.status = "open"
        filter.limit = 1
        return try await DebtQueries.list(filter, scope: request.scope, on: request.db).items.first?.ref
    }

    // MARK: Helpers

    /// The template the path names; the 404 page for a name, channel or language there is no template for.
    static func key(_ request: Request) throws -> TemplateKey {
        try key(
            name: request.parameters.get("name") ?? "", channel: request.parameters.get("channel") ?? "",
            language: request.parameters.get("language") ?? "")
    }

    static func key(name: String, channel: String, language: String) throws -> TemplateKey {
        guard let key = TemplatePreviewing.key(name: name, channel: channel, language: language) else {
            throw Abort(.notFound, reason: TemplatePreviewing.missing(name: name, channel: channel, language: language))
        }
        return key
    }

    static func client(_ request: Request) -> String? {
        nonEmpty(request.query[String.self, at: "client"])
    }

    static func nonEmpty(_ text: String?) -> String? {
        guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        return text
    }

    /// The wording as typed: a subject only for an email (an empty one is kept, so the check says it is missing),
    /// and the statement box, which only an email's editor has (unticked, it is not posted at all).
    static func source(_ form: EditorForm, key: TemplateKey) -> TemplateSource {
        TemplateSource(
            subject: key.channel.hasSubject ? (form.subject ?? "") : nil,
            body: (form.body ?? "").replacingOccurrences(of: "\r\n", with: "\n"),
            attachStatement: key.channel == .email && ticked(form.attachStatement))
    }

    /// True for a ticked checkbox as a form posts it.
    static func ticked(_ value: String?) -> Bool {
        ["yes", "on", "true", "1"].contains(value?.trimmingCharacters(in: .whitespaces).lowercased() ?? "")
    }

    /// `/templates/NAME/CHANNEL/LANGUAGE`.
    static func path(_ key: TemplateKey) -> String {
        "/templates/\(key.name)/\(key.channel.rawValue)/\(key.language.rawValue)"
    }

    static func editorPath(_ key: TemplateKey, client: String?) -> String {
        path(key) + (client.map { "?" + query([("client", $0)]) } ?? "")
    }

    static func query(_ items: [(String, String)]) -> String {
        var components = URLComponents()
        components.queryItems = items.filter { !$0.1.isEmpty }.map { URLQueryItem(name: $0.0, value: $0.1) }
        return components.percentEncodedQuery ?? ""
    }

    /// A 303 back to the editor (with the client and the preview's debt in the query) carrying `flash`.
    static func redirect(
        _ request: Request, key: TemplateKey, client: String?, debt: String, with flash: Flash
    ) -> Response {
        let response = Flash.redirect(request, to: path(key), with: flash)
        let query = query([("client", client ?? ""), ("debt", debt)])
        if !query.isEmpty { response.headers.replaceOrAdd(name: .location, value: path(key) + "?" + query) }
        return response
    }

    static func clientChoices(_ request: Request, selected: String) async throws -> [DebtPagesController.Choice] {
        var choices = try await DebtPagesController.clientChoices(request, selected: selected)
        if let first = choices.first, first.value.isEmpty {
            choices[0] = .init(
                value: "", label: "The installation (every client without its own)", selected: first.selected)
        }
        return choices
    }

    static func scopeName(_ client: String?, _ request: Request) async throws -> String {
        guard let client else { return "the installation" }
        try request.requireClient(client)
        return try await ClientProfileStore.profile(clientRef: client, on: request.db).displayName
    }

    static func times(_ request: Request) -> TimeDisplay {
        let zone = request.application.settings.businessTimeZone
        return TimeDisplay(debtorZone: zone, userZone: zone)
    }

    static func channelName(_ channel: TemplateChannel) -> String {
        switch channel {
        case .email: "Email"
        case .sms: "Text message"
        case .letter: "Letter"
        case .voicemail: "Voicemail"
        case .call: "Call script"
        }
    }

    static func originName(_ shown: TemplateShown) -> String {
        switch shown.origin {
        case .builtIn: "Built-in"
        case .installation: "Installation"
        case .client: "Client"
        }
    }

    /// "the built-in wording", "the installation's version 3", "the client's version 2".
    static func originSentence(_ shown: TemplateShown) -> String {
        switch shown.origin {
        case .builtIn: "the built-in wording"
        case .installation: "the installation's version \(shown.version)"
        case .client: "the client's own version \(shown.version)"
        }
    }

    static func row(_ finding: LintFinding) -> FindingRow {
        FindingRow(
            severity: finding.severity.rawValue, rule: finding.rule, message: finding.message, excerpt: finding.excerpt)
    }

    /// A sentence as pages write it: a capital first, a full stop last.
    static func sentence(_ text: String) -> String {
        let capitalized = text.prefix(1).uppercased() + text.dropFirst()
        return capitalized.hasSuffix(".") ? capitalized : capitalized + "."
    }
}

/// What the template page and the API share: reading a template's name, channel and language, and previewing
/// wording with the template's own checks before the message lint's.
enum TemplatePreviewing {
    /// A template rendered for one debt, and the findings on it.
    struct Previewed {
        /// An email's subject as rendered.
        var subject: String?
        /// The text as rendered; empty when the wording could not be rendered.
        var body: String
        /// True when the email would go with the PDF statement of its debts.
        var attachStatement: Bool
        /// The template's own checks on wording not yet saved (a subject only for an email, known variables, Mustache
        /// that parses), then the message lint's findings on what was rendered.
        var lint: LintResult
    }

    /// The template `name` on `channel` in `language` (a language code, `en` or `es`); nil when there is none.
    static func key(name: String, channel: String, language: String) -> TemplateKey? {
        guard MessageTemplates.builtInNames.contains(name), let channel = TemplateChannel(rawValue: channel),
            MessageTemplates.channels(of: name).contains(channel), let language = MessageLanguage(rawValue: language)
        else { return nil }
        return TemplateKey(name: name, channel: channel, language: language)
    }

    /// Why there is no such template, in one sentence.
    static func missing(name: String, channel: String, language: String) -> String {
        guard MessageTemplates.builtInNames.contains(name) else {
            return "There is no message template \"\(name)\"; the templates are "
                + MessageTemplates.builtInNames.sorted().joined(separator: ", ") + "."
        }
        guard let read = TemplateChannel(rawValue: channel), MessageTemplates.channels(of: name).contains(read) else {
            return "The template \"\(name)\" has no \"\(channel)\" version; it is written for "
                + MessageTemplates.channels(of: name).map(\.rawValue).joined(separator: ", ") + "."
        }
        return "There is no language \"\(language)\" for templates; use en or es."
    }

    /// Renders `source` (or, when nil, the wording in force for the client) for the debt `debtRef` of `clientRef`.
    static func preview(
        _ key: TemplateKey, source: TemplateSource?, clientRef: String, debtRef: String, asOf: LocalDate,
        publicURL: String?, on database: any Database
    ) async throws -> Previewed {
        var checks: [LintFinding] = []
        if let source {
            checks = TemplateCheck.check(source, key: key, samples: [])
            if checks.contains(where: { ["template-syntax", "template-empty"].contains($0.rule) }) {
                // Nothing to render: the text does not parse, or there is none.
                return Previewed(
                    subject: nil, body: "", attachStatement: source.attachStatement && key.channel == .email,
                    lint: LintResult(limitedContent: nil, findings: checks))
            }
        }
        let rendered = try await TemplateStore.preview(
            key, source: source, clientRef: clientRef, debtRef: debtRef, asOf: asOf, publicURL: publicURL,
            on: database)
        let seen = Set(checks)
        return Previewed(
            subject: rendered.subject, body: rendered.body, attachStatement: rendered.attachStatement,
            lint: LintResult(
                limitedContent: rendered.lint.limitedContent,
                findings: checks + rendered.lint.findings.filter { !seen.contains($0) }))
    }
}

/// The editor's script and its few styles, served beside the page (`/templates/editor.js`, `/templates/editor.css`).
enum TemplateEditorAssets {
    /// Posts the form to `/templates/preview` 400 ms after the last change and puts the answer in the preview panel;
    /// an answer that arrives after a newer request was sent is dropped.
    static let script = """
        (function () {
          var form = document.getElementById('template-form');
          var panel = document.getElementById('template-preview');
          if (!form || !panel || !window.fetch) { return; }
          var timer = null;
          var sent = 0;
          function refresh() {
            var number = ++sent;
            var data = new URLSearchParams(new FormData(form));
            data.set('name', form.dataset.name);
            data.set('channel', form.dataset.channel);
            data.set('language', form.dataset.language);
            panel.setAttribute('aria-busy', 'true');
            fetch('/templates/preview', {
              method: 'POST', credentials: 'same-origin', body: data,
              headers: {'Content-Type': 'application/x-www-form-urlencoded'}
            }).then(function (response) {
              return response.ok ? response.text() : Promise.reject(response.status);
            }).then(function (html) {
              if (number !== sent) { return; }
              panel.innerHTML = html;
              panel.removeAttribute('aria-busy');
            }).catch(function () {
              if (number === sent) { panel.removeAttribute('aria-busy'); }
            });
          }
          form.addEventListener('input', function () {
            clearTimeout(timer);
            timer = setTimeout(refresh, 400);
          });
          form.classList.add('live');
        })();

        """

    static let stylesheet = """
        main:has(> .template-editor) { max-width: 80rem; }
        .template-editor { display: grid; grid-template-columns: minmax(0, 1fr); gap: 1.5rem; }
        @media (min-width: 60rem) { .template-editor { grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); } }
        .template-editor form.stacked { max-width: none; }
        .template-editor textarea { font: 0.9rem/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; \
        min-height: 28rem; width: 100%; resize: vertical; }
        .template-editor .actions { display: flex; flex-wrap: wrap; gap: 0.5rem; }
        .template-editor .actions button[value=preview] { background: #fff; color: var(--accent); }
        #template-form.live .actions button[value=preview] { display: none; }
        #template-preview pre { overflow-wrap: anywhere; max-height: 40rem; overflow: auto; }
        #template-preview[aria-busy=true] { opacity: 0.6; }
        .variables { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 0.2rem 0.75rem; \
        font-size: 0.9rem; }
        .variables dt { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
        .variables dd { margin: 0; color: var(--muted); }
        .finding-error { color: #b42318; font-weight: 600; }
        .finding-warning { color: #8a5a00; font-weight: 600; }
        .origin-client, .origin-installation { font-weight: 600; }
        @media (max-width: 40rem) { .variables { grid-template-columns: minmax(0, 1fr); } \
        .variables dd { margin-bottom: 0.4rem; } }

        """
}
