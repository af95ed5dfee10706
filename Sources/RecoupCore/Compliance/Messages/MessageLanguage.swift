/// The language a collection message is written in. It decides which word patterns `MessageLint` checks the message
/// against; the findings' sentences are always in English, for the staff who read them.
public enum MessageLanguage: String, CaseIterable, Sendable, Codable, Hashable {
    /// English.
    case en
    /// Spanish.
    case es

    /// The language's English name: "English", "Spanish".
    public var name: String {
        switch self {
        case .en: "English"
        case .es: "Spanish"
        }
    }

    /// The language for a code or name, in any case: "en" or "english"; "es", "spanish", "español" or "espanol".
    /// Nil for anything else.
    public init?(code: String) {
        switch code.lowercased() {
        case "en", "english": self = .en
        case "es", "spanish", "español", "espanol": self = .es
        default: return nil
        }
    }
}
