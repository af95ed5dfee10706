import Foundation

extension Decision {
    /// The decision as the contract's JSON (docs/compliance.md): `decision`, `rules` (each with `rule`,
    /// `effect`, `citation`, `reason`) and `nextAllowedAt` (UTC, or null).
    public var jsonText: String {
        var text = "{\"decision\":\""
        text += verdict.rawValue
        text += "\",\"rules\":["
        for (index, finding) in findings.enumerated() {
            if index > 0 { text += "," }
            text += "{\"rule\":"
            appendJSONString(finding.rule.rawValue, to: &text)
            text += ",\"effect\":"
            appendJSONString(finding.effect.rawValue, to: &text)
            text += ",\"citation\":"
            appendJSONString(finding.citation, to: &text)
            text += ",\"reason\":"
            appendJSONString(finding.reason, to: &text)
            text += "}"
        }
        text += "],\"nextAllowedAt\":"
        if let next = nextAllowedAt {
            text += "\"" + ISO8601Instant.format(next) + "\""
        } else {
            text += "null"
        }
        text += "}"
        return text
    }
}

extension ValidationPeriod {
    /// `{"sent", "assumedReceived", "periodEnds"}` as ISO dates.
    public var jsonText: String {
        "{\"sent\":\"\(sent)\",\"assumedReceived\":\"\(assumedReceived)\",\"periodEnds\":\"\(periodEnds)\"}"
    }
}

extension LintResult {
    /// `{"ok", "limitedContent", "findings": [{"rule", "severity", "excerpt", "message"}]}`.
    public var jsonText: String {
        var text = "{\"ok\":\(ok),\"limitedContent\":"
        text += limitedContent.map { $0 ? "true" : "false" } ?? "null"
        text += ",\"findings\":["
        for (index, finding) in findings.enumerated() {
            if index > 0 { text += "," }
            text += "{\"rule\":"
            appendJSONString(finding.rule, to: &text)
            text += ",\"severity\":"
            appendJSONString(finding.severity.rawValue, to: &text)
            text += ",\"excerpt\":"
            if let excerpt = finding.excerpt { appendJSONString(excerpt, to: &text) } else { text += "null" }
            text += ",\"message\":"
            appendJSONString(finding.message, to: &text)
            text += "}"
        }
        text += "]}"
        return text
    }
}
