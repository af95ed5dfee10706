import FluentKit
import Foundation
import RecoupCore
import SQLKit

/// A template as it stands for a client or for the installation: its wording and where the wording comes from.
public struct TemplateShown: Sendable, Equatable {
    /// Where the wording in force comes from.
    public enum Origin: String, Sendable {
        /// Shipped with Recoup.
        case builtIn = "built-in"
        /// Saved for every client without its own.
        case installation
        /// Saved by the client.
        case client
    }

    public var key: TemplateKey
    public var origin: Origin
    /// The client the wording belongs to (`origin == .client`).
    public var clientRef: String?
    public var source: TemplateSource
    /// The saved version in force (0 for the built-in wording).
    public var version: Int
    public var savedAt: Date?
    public var savedBy: String?

    public init(
        key: TemplateKey, origin: Origin, clientRef: String?, source: TemplateSource, version: Int, savedAt: Date?,
        savedBy: String?
    ) {
        self.key = key
        self.origin = origin
        self.clientRef = clientRef
        self.source = source
        self.version = version
        self.savedAt = savedAt
        self.savedBy = savedBy
    }
}

/// A template the message lint (or the template check) refused: nothing was saved.
public struct TemplateRefused: Error, Sendable, Equatable, CustomStringConvertible {
    public var key: TemplateKey
    public var findings: [LintFinding]

    public init(key: TemplateKey, findings: [LintFinding]) {
        self.key = key
        self.findings = findings
    }

    public var errors: [LintFinding] { findings.filter { $0.severity == .error } }

    public var description: String {
        let first = errors.first.map { " The first: \($0.rule): \($0.message)" } ?? ""
        let count = errors.count
        return
            "the \(key.channel.rawValue) template \(key.name) (\(key.language.rawValue)) was not saved: the check found "
            + "\(count) \(count == 1 ? "problem" : "problems").\(first)"
    }
}

/// Templates per client, channel and language (docs/messages.md, "Templates"): each save is checked
/// (`TemplateCheck`) and stored as the next version of its scope — a client's own, or the installation's, which every
/// client without its own uses — and the run, the preview and the template page read the highest version, else the
/// built-in wording.
public enum TemplateStore {
    /// Every template (each built-in name, channel and language) as it stands for `clientRef` (the client's own,
    /// else the installation's, else built in) or, without a client, for the installation.
    public static func list(clientRef: String?, on database: any Database) async throws -> [TemplateShown] {
        let sql = database as! any SQLDatabase
        let scope = try await ClientQueries.scopeID(clientRef: clientRef, sql: sql)
        let saved = try await latest(scopes: scope == 0 ? [0] : [0, scope], sql: sql)
        return Self.keys.map { key in shown(key, scope: scope, clientRef: clientRef, saved: saved) }
    }

    /// One template as it stands for `clientRef` (or the installation).
    public static func show(
        _ key: TemplateKey, clientRef: String?, on database: any Database
    ) async throws -> TemplateShown {
        try checkKey(key)
        let sql = database as! any SQLDatabase
        let scope = try await ClientQueries.scopeID(clientRef: clientRef, sql: sql)
        let saved = try await latest(scopes: scope == 0 ? [0] : [0, scope], sql: sql, key: key)
        return shown(key, scope: scope, clientRef: clientRef, saved: saved)
    }

    /// Checks `source` as the template `key` of `clientRef` (or the installation) and, when the check finds no error,
    /// stores it as the next version; `TemplateRefused` with the findings otherwise. Saving wording identical to
    /// what stands stores nothing.
    public static func save(
        _ key: TemplateKey, source: TemplateSource, clientRef: String?, by: String?, now: Date,
        on database: any Database
    ) async throws -> TemplateShown {
        try checkKey(key)
        let sql = database as! any SQLDatabase
        let scope = try await ClientQueries.scopeID(clientRef: clientRef, sql: sql)
        let samples = try await samples(clientRef: clientRef, now: now, sql: sql)
        let findings = TemplateCheck.check(source, key: key, samples: samples)
        guard !findings.contains(where: { $0.severity == .error }) else {
            throw TemplateRefused(key: key, findings: findings)
        }
        let current = try await show(key, clientRef: clientRef, on: database)
        let ownScope: TemplateShown.Origin = scope == 0 ? .installation : .client
        if current.source == source, current.origin == ownScope || current.origin == .builtIn { return current }
        try await insert(key, source: source, scope: scope, by: by, now: now, on: database)
        return try await show(key, clientRef: clientRef, on: database)
    }

    /// Puts the wording a client (or the installation) had before its own back: stores a version that says "none of
    /// our own" for the scope, so the installation's or the built-in wording stands again.
    public static func reset(
        _ key: TemplateKey, clientRef: String?, by: String?, now: Date, on database: any Database
    ) async throws -> TemplateShown {
        try checkKey(key)
        let sql = database as! any SQLDatabase
        let scope = try await ClientQueries.scopeID(clientRef: clientRef, sql: sql)
        let own = try await latest(scopes: [scope], sql: sql, key: key)
        if own[Scoped(scope: scope, key: key)] != nil {
            try await insert(key, source: nil, scope: scope, by: by, now: now, on: database)
        }
        return try await show(key, clientRef: clientRef, on: database)
    }

    /// The templates every message is rendered with: the built-in ones, replaced by the saved versions in force.
    public static func book(on database: any Database) async throws -> TemplateBook {
        try await book(sql: database as! any SQLDatabase)
    }

    static func book(sql: any SQLDatabase) async throws -> TemplateBook {
        let saved = try await latest(scopes: nil, sql: sql)
        return TemplateBook(
            saved.map { scoped, row in
                SavedTemplate(
                    clientID: scoped.scope == 0 ? nil : scoped.scope, clientRef: nil, key: scoped.key,
                    source: row.source, version: row.version, savedAt: row.savedAt, savedBy: row.savedBy)
            })
    }

    /// Renders the template `key` (or `source`, wording not yet saved) for the debt `debtRef` of `clientRef` as of
    /// `asOf`, as the run would write it: about that debt, in the client's name and terms, with a preview portal
    /// link when `publicURL` is known. A validation notice is rendered as if sent on `asOf`.
    public static func preview(
        _ key: TemplateKey, source: TemplateSource? = nil, clientRef: String, debtRef: String, asOf: LocalDate,
        publicURL: String?, on database: any Database
    ) async throws -> RenderedMessage {
        try checkKey(key)
        let sql = database as! any SQLDatabase
        let context = try await MessageContexts.context(
            clientRef: clientRef, debtRefs: [debtRef], asOf: asOf, validationNotice: key.name == "validation-notice",
            planOffer: key.name == "plan-offer", portalLink: publicURL.map { $0 + "/portal/preview" }, sql: sql)
        let clientID = try await ClientQueries.scopeID(clientRef: clientRef, sql: sql)
        do {
            if let source {
                let compiled: CompiledTemplate
                do { compiled = try CompiledTemplate(source) } catch {
                    throw StoreError.invalid("the template does not read as a Mustache template: \(error)")
                }
                return try MessageTemplates.render(
                    compiled, name: key.name, channel: key.channel, language: key.language, context: context)
            }
            return try MessageTemplates.render(
                key.name, channel: key.channel, language: key.language, context: context,
                book: try await book(on: database), client: clientID)
        } catch let error as MessageTemplateError {
            throw StoreError.invalid(error.description)
        }
    }

    /// Every template there is: each built-in name on each of its channels, in each language.
    public static let keys: [TemplateKey] = MessageTemplates.builtInNames.sorted().flatMap { name in
        MessageTemplates.channels(of: name).flatMap { channel in
            MessageLanguage.allCases.map { TemplateKey(name: name, channel: channel, language: $0) }
        }
    }

    // MARK: Rows

    struct Scoped: Hashable {
        var scope: Int64
        var key: TemplateKey
    }

    struct Row {
        var source: TemplateSource
        var version: Int
        var savedAt: Date
        var savedBy: String?
    }

    private static func checkKey(_ key: TemplateKey) throws {
        guard MessageTemplates.builtInNames.contains(key.name) else {
            throw StoreError.invalid(MessageTemplateError.unknownTemplate(key.name).description)
        }
        guard MessageTemplates.channels(of: key.name).contains(key.channel) else {
            throw StoreError.invalid(
                MessageTemplateError.unsupportedChannel(template: key.name, channel: key.channel).description)
        }
    }

    private static func shown(
        _ key: TemplateKey, scope: Int64, clientRef: String?, saved: [Scoped: Row]
    ) -> TemplateShown {
        if scope != 0, let own = saved[Scoped(scope: scope, key: key)] {
            return TemplateShown(
                key: key, origin: .client, clientRef: clientRef, source: own.source, version: own.version,
                savedAt: own.savedAt, savedBy: own.savedBy)
        }
        if let installation = saved[Scoped(scope: 0, key: key)] {
            return TemplateShown(
                key: key, origin: .installation, clientRef: nil, source: installation.source,
                version: installation.version, savedAt: installation.savedAt, savedBy: installation.savedBy)
        }
        return TemplateShown(
            key: key, origin: .builtIn, clientRef: nil,
            source: MessageTemplates.source(key.name, channel: key.channel, language: key.language)
                ?? TemplateSource(body: ""), version: 0, savedAt: nil, savedBy: nil)
    }

    /// The highest version of each template in `scopes` (every scope when nil), leaving out the versions that put the
    /// built-in wording back.
    private static func latest(
        scopes: [Int64]?, sql: any SQLDatabase, key: TemplateKey? = nil
    ) async throws -> [Scoped: Row] {
        var query = SQLQueryString(
            """
            SELECT t.scope_client_id, t.name, t.channel, t.language, t.version, t.subject, t.body, \
            t.attach_statement, t.saved_at, t.saved_by FROM message_templates t WHERE t.version = (SELECT MAX(u.version) FROM message_templates u \
            WHERE u.scope_client_id = t.scope_client_id AND u.name = t.name AND u.channel = t.channel \
            AND u.language = t.language)
            """)
        if let scopes {
            query.appendInterpolation(unsafeRaw: " AND t.scope_client_id IN (")
            for (index, scope) in scopes.enumerated() {
                if index > 0 { query.appendInterpolation(unsafeRaw: ", ") }
                query.appendInterpolation(bind: scope)
            }
            query.appendInterpolation(unsafeRaw: ")")
        }
        if let key {
            query.appendInterpolation(unsafeRaw: " AND t.name = ")
            query.appendInterpolation(bind: key.name)
            query.appendInterpolation(unsafeRaw: " AND t.channel = ")
            query.appendInterpolation(bind: key.channel.rawValue)
            query.appendInterpolation(unsafeRaw: " AND t.language = ")
            query.appendInterpolation(bind: key.language.rawValue)
        }
        var result: [Scoped: Row] = [:]
        for row in try await sql.raw(query).all() {
            guard let body = try row.decode(column: "body", as: String?.self),
                let channel = TemplateChannel(rawValue: try row.decode(column: "channel", as: String.self)),
                let language = MessageLanguage(rawValue: try row.decode(column: "language", as: String.self))
            else { continue }
            let key = TemplateKey(
                name: try row.decode(column: "name", as: String.self), channel: channel, language: language)
            result[Scoped(scope: try row.decode(column: "scope_client_id", as: Int64.self), key: key)] = Row(
                source: TemplateSource(
                    subject: try row.decode(column: "subject", as: String?.self), body: body,
                    attachStatement: try row.decode(column: "attach_statement", as: Bool.self)),
                version: try row.decode(column: "version", as: Int.self),
                savedAt: try row.decode(column: "saved_at", as: Date.self),
                savedBy: try row.decode(column: "saved_by", as: String?.self))
        }
        return result
    }

    private static func insert(
        _ key: TemplateKey, source: TemplateSource?, scope: Int64, by: String?, now: Date, on database: any Database
    ) async throws {
        try await PaymentStore.serializedTransaction(database) { sql in
            if SQLFlavor(sql) == .postgres {
                // Two saves at once would both read the same highest version; one waits for the other.
                try await sql.raw("LOCK TABLE message_templates IN SHARE ROW EXCLUSIVE MODE").run()
            }
            let highest = try await sql.raw(
                """
                SELECT MAX(version) AS version FROM message_templates WHERE scope_client_id = \(bind: scope) \
                AND name = \(bind: key.name) AND channel = \(bind: key.channel.rawValue) \
                AND language = \(bind: key.language.rawValue)
                """
            ).first()?.decode(column: "version", as: Int?.self)
            try await sql.raw(
                """
                INSERT INTO message_templates (scope_client_id, name, channel, language, version, subject, body, \
                attach_statement, saved_at, saved_by) VALUES (\(bind: scope), \(bind: key.name), \
                \(bind: key.channel.rawValue), \(bind: key.language.rawValue), \(bind: (highest ?? 0) + 1), \
                \(bind: source?.subject), \(bind: source?.body), \(bind: source?.attachStatement ?? false), \
                \(bind: now), \(bind: by))
                """
            ).run()
        }
    }

    /// The sample debtors a template is checked with: in the client's name, terms and profile; for the installation's
    /// templates, as an agency and as a creditor writing for itself, with a full profile.
    private static func samples(clientRef: String?, now: Date, sql: any SQLDatabase) async throws -> [MessageContext] {
        let asOf = LocalDate(now, in: TimeZone(identifier: "UTC")!)
        guard let clientRef else {
            let profile = ClientProfile(
                name: "Harbor Dental Group", phone: "+16175550142", email: "billing@harbordental.example",
                address: "200 Atlantic Ave\nBoston, MA 02110", paymentLink: "https://pay.harbordental.example")
            return TemplateCheck.samples(creditor: "Harbor Dental Group", writer: nil, profile: profile, asOf: asOf)
        }
        let terms = try await AccrualStore.terms(clientRef: clientRef, sql: sql)
        let stored = try await ClientProfileStore.profile(clientRef: clientRef, sql: sql)
        let creditor = stored.displayName
        return TemplateCheck.samples(
            creditor: creditor, writer: terms.terms.collectorName ?? creditor, profile: stored.profile,
            currency: terms.terms.currency, asOf: asOf)
    }
}
