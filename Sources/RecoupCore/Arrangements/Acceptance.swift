import Foundation

/// How a debtor accepted an arrangement, with the evidence each way leaves.
public enum AcceptanceMethod: Hashable, Sendable {
    /// A click on Accept in the debtor portal, from this address and browser.
    case portalClick(ip: String, userAgent: String)
    /// Agreement given on a recorded call with a collector; `recording` references the recording.
    case recordedCall(collector: String, recording: String)
    /// A signed letter returned; `document` references the scan.
    case signedLetter(document: String)

    /// The method's name for storage.
    public enum Kind: String, CaseIterable, Codable, Sendable {
        case portalClick = "portal_click"
        case recordedCall = "recorded_call"
        case signedLetter = "signed_letter"
    }

    /// Which of the three methods this is.
    public var kind: Kind {
        switch self {
        case .portalClick: .portalClick
        case .recordedCall: .recordedCall
        case .signedLetter: .signedLetter
        }
    }

    /// The method's name for storage: `portal_click`, `recorded_call` or `signed_letter`.
    public var name: String { kind.rawValue }
}

/// Who accepted an arrangement, when and how: the record that makes it active.
public struct Acceptance: Hashable, Sendable {
    /// The person who accepted: the debtor's name or the signer's.
    public let by: String
    /// The instant of acceptance (UTC).
    public let at: Date
    public let method: AcceptanceMethod

    /// Makes an acceptance; every text field must have more than blanks (they are stored trimmed).
    public init(by: String, at: Date, method: AcceptanceMethod) throws(AcceptanceError) {
        self.by = try Acceptance.required(by, "who accepted")
        self.at = at
        switch method {
        case .portalClick(let ip, let userAgent):
            self.method = .portalClick(
                ip: try Acceptance.required(ip, "the IP address of the portal click"),
                userAgent: try Acceptance.required(userAgent, "the user agent of the portal click"))
        case .recordedCall(let collector, let recording):
            self.method = .recordedCall(
                collector: try Acceptance.required(collector, "the collector on the recorded call"),
                recording: try Acceptance.required(recording, "the reference of the call recording"))
        case .signedLetter(let document):
            self.method = .signedLetter(
                document: try Acceptance.required(document, "the reference of the signed letter"))
        }
    }

    private static func required(_ value: String, _ field: String) throws(AcceptanceError) -> String {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw AcceptanceError(field: field) }
        return trimmed
    }
}

/// An acceptance with a missing piece of evidence.
public struct AcceptanceError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The missing field, in words (`"the IP address of the portal click"`).
    public var field: String

    public var description: String { "An acceptance must record \(field); it is empty." }
}
