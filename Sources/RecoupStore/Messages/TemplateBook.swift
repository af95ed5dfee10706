import Foundation
import RecoupCore

/// A template saved by a client or for the whole installation (`recoup template set`): its wording replaces the
/// built-in one for that name, channel and language.
public struct SavedTemplate: Sendable, Equatable {
    /// The client whose template it is; nil for every client's.
    public var clientID: Int64?
    public var clientRef: String?
    public var key: TemplateKey
    public var source: TemplateSource
    /// 1 for the first saved, counting up with each save of the same template.
    public var version: Int
    public var savedAt: Date
    public var savedBy: String?

    public init(
        clientID: Int64?, clientRef: String?, key: TemplateKey, source: TemplateSource, version: Int, savedAt: Date,
        savedBy: String?
    ) {
        self.clientID = clientID
        self.clientRef = clientRef
        self.key = key
        self.source = source
        self.version = version
        self.savedAt = savedAt
        self.savedBy = savedBy
    }
}

/// The templates a run renders with: the built-in ones, replaced where a client or the installation saved its own.
/// Built once per run (every saved template parsed once) and shared by the run's workers.
public struct TemplateBook: Sendable {
    struct Scoped: Hashable {
        var client: Int64?
        var key: TemplateKey
    }

    private var saved: [Scoped: CompiledTemplate] = [:]

    /// The built-in templates only.
    public static let builtIn = TemplateBook()

    public init() {}

    /// The built-in templates with `templates` (the latest version of each saved template) in their place. A saved
    /// template that no longer parses (it was checked when saved) is left out, so the built-in one stands.
    public init(_ templates: [SavedTemplate]) {
        for template in templates {
            guard let compiled = try? CompiledTemplate(template.source) else { continue }
            saved[Scoped(client: template.clientID, key: template.key)] = compiled
        }
    }

    /// The wording for a message to `client`'s debtor: the client's own, else the installation's, else built in.
    func compiled(
        _ name: String, channel: TemplateChannel, language: MessageLanguage, client: Int64?
    ) -> CompiledTemplate? {
        let key = TemplateKey(name: name, channel: channel, language: language)
        if let client, let own = saved[Scoped(client: client, key: key)] { return own }
        if let installation = saved[Scoped(client: nil, key: key)] { return installation }
        return Self.builtInCompiled[key]
    }

    /// True when the wording in force for `client`'s debtor asks for a PDF statement (an email's template).
    public func attachesStatement(
        _ name: String, channel: MessageChannel, language: MessageLanguage, client: Int64?
    ) -> Bool {
        channel == .email
            && compiled(name, channel: .email, language: language, client: client)?.attachStatement == true
    }

    /// Every built-in template, parsed once.
    static let builtInCompiled: [TemplateKey: CompiledTemplate] = MessageTemplates.builtInSources.mapValues {
        source in
        do {
            return try CompiledTemplate(source)
        } catch {
            preconditionFailure("MessageTemplates: a built-in template does not parse: \(error)")
        }
    }
}
