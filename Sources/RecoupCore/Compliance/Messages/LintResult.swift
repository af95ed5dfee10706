/// How serious a finding is. Any `error` makes the message unfit to send (`LintResult.ok == false`); a `warning`
/// asks the collector to look again but does not block.
public enum LintSeverity: String, Codable, Sendable {
    case error, warning
}

/// One problem found in a message.
public struct LintFinding: Hashable, Sendable {
    /// The stable rule id, e.g. `threat-arrest` (see `MessageLint` for the table).
    public var rule: String
    /// Whether the finding blocks the message.
    public var severity: LintSeverity
    /// The offending words exactly as they appear in the message; nil for a missing element.
    public var excerpt: String?
    /// One plain sentence a collector understands, citing the rule's source.
    public var message: String

    /// Makes a finding.
    public init(rule: String, severity: LintSeverity, excerpt: String?, message: String) {
        self.rule = rule
        self.severity = severity
        self.excerpt = excerpt
        self.message = message
    }
}

/// The outcome of checking one message.
public struct LintResult: Hashable, Sendable {
    /// True when no finding is an `error`.
    public var ok: Bool
    /// For voicemail, whether the message is a limited-content message (12 CFR 1006.2(j)); nil for other channels.
    public var limitedContent: Bool?
    /// The findings, ordered by where they occur in the text (missing elements, which have no place, last), then by
    /// rule id.
    public var findings: [LintFinding]

    /// Makes a result; `ok` follows from the findings.
    public init(limitedContent: Bool?, findings: [LintFinding]) {
        self.ok = !findings.contains { $0.severity == .error }
        self.limitedContent = limitedContent
        self.findings = findings
    }
}
