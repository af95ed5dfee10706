import Foundation
import RecoupAPI
import RecoupCore
import RecoupStore

extension Components.Schemas.TemplateSummary {
    init(_ shown: TemplateShown) {
        self.init(
            template: shown.key.name, channel: .init(rawValue: shown.key.channel.rawValue) ?? .email,
            language: .init(rawValue: shown.key.language.rawValue) ?? .en,
            origin: .init(rawValue: shown.origin.rawValue) ?? .builtIn, client: Nullable(shown.clientRef),
            version: shown.version, savedAt: Nullable(shown.savedAt.map(ISO8601Instant.format)),
            savedBy: Nullable(shown.savedBy))
    }
}

extension Components.Schemas.TemplateDetail {
    init(_ shown: TemplateShown) {
        self.init(
            template: shown.key.name, channel: .init(rawValue: shown.key.channel.rawValue) ?? .email,
            language: .init(rawValue: shown.key.language.rawValue) ?? .en,
            origin: .init(rawValue: shown.origin.rawValue) ?? .builtIn, client: Nullable(shown.clientRef),
            version: shown.version, savedAt: Nullable(shown.savedAt.map(ISO8601Instant.format)),
            savedBy: Nullable(shown.savedBy), subject: Nullable(shown.source.subject), body: shown.source.body,
            attachStatement: shown.source.attachStatement)
    }
}

extension Components.Schemas.LintFinding {
    init(_ finding: LintFinding) {
        self.init(
            rule: finding.rule, severity: .init(rawValue: finding.severity.rawValue) ?? .error,
            excerpt: Nullable(finding.excerpt), message: finding.message)
    }
}
