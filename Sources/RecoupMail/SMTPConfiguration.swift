import Foundation

/// Where and how email leaves Recoup, read once from `RECOUP_SMTP_URL` and `RECOUP_MAIL_FROM` (docs/messages.md,
/// "Email"):
///
/// - `smtp://host:port` talks plain SMTP and upgrades with STARTTLS when the server offers it;
/// - `smtp://…?starttls=required` refuses to go on without STARTTLS, `?starttls=never` never asks;
/// - `smtps://host:port` starts in TLS (implicit TLS, port 465 by default);
/// - `user:password@` before the host signs in with AUTH PLAIN (or LOGIN when that is all the server offers), only
///   over TLS unless `?auth=plaintext-allowed`;
/// - `?ca=/path/cert.pem` trusts that certificate authority as well as the system's (a server's own certificate);
/// - `?helo=name` is the name Recoup gives in EHLO (default: the host part of the from address).
public struct SMTPConfiguration: Sendable, Equatable {
    /// How the connection is protected.
    public enum Security: String, Sendable, Equatable {
        /// STARTTLS when the server offers it, plain otherwise.
        case startTLSWhenOffered
        /// STARTTLS or nothing: a server that does not offer it is an error.
        case startTLSRequired
        /// Plain text throughout (a relay on the same machine).
        case none
        /// TLS from the first byte (`smtps://`).
        case implicitTLS
    }

    /// The environment variables read.
    public static let urlKey = "RECOUP_SMTP_URL"
    public static let fromKey = "RECOUP_MAIL_FROM"

    public var host: String
    public var port: Int
    public var security: Security
    public var username: String?
    public var password: String?
    /// Whether signing in over an unencrypted connection is allowed (`?auth=plaintext-allowed`).
    public var allowsPlaintextAuth: Bool
    /// A PEM file of certificate authorities trusted besides the system's.
    public var certificateAuthorityFile: String?
    /// The envelope sender and the From address.
    public var from: EmailAddress
    /// The name given in EHLO.
    public var heloName: String

    /// Reads `RECOUP_SMTP_URL` and `RECOUP_MAIL_FROM` from `environment`; nil when no SMTP URL is set (email then
    /// waits in the outbox). A bad value throws one sentence naming the variable.
    public static func fromEnvironment(
        _ environment: [String: String]
    ) throws(SMTPConfigurationError)
        -> SMTPConfiguration?
    {
        guard let url = environment[urlKey]?.trimmingCharacters(in: .whitespaces), !url.isEmpty else { return nil }
        guard let from = environment[fromKey]?.trimmingCharacters(in: .whitespaces), !from.isEmpty else {
            throw SMTPConfigurationError(
                "\(urlKey) is set but \(fromKey) is not; give the address email comes from, such as "
                    + "collections@example.com")
        }
        return try SMTPConfiguration(url: url, from: from)
    }

    /// Reads an `smtp://` or `smtps://` URL and the from address.
    public init(url text: String, from fromText: String) throws(SMTPConfigurationError) {
        let example = "such as smtp://user:password@mail.example.com:587"
        guard let address = EmailAddress(fromText) else {
            throw SMTPConfigurationError(
                "\(Self.fromKey) \"\(fromText)\" is not an email address; give one such as collections@example.com")
        }
        from = address
        guard let parts = URLComponents(string: text), let scheme = parts.scheme?.lowercased() else {
            throw SMTPConfigurationError("\(Self.urlKey) \"\(Self.masked(text))\" is not a URL \(example)")
        }
        guard scheme == "smtp" || scheme == "smtps" else {
            throw SMTPConfigurationError(
                "\(Self.urlKey) starts with \"\(scheme)://\"; use smtp:// (STARTTLS) or smtps:// (implicit TLS), "
                    + example)
        }
        guard let host = parts.host, !host.isEmpty else {
            throw SMTPConfigurationError("\(Self.urlKey) \"\(Self.masked(text))\" names no host \(example)")
        }
        self.host = host
        if let port = parts.port {
            guard (1...65_535).contains(port) else {
                throw SMTPConfigurationError("\(Self.urlKey) has port \(port); use 1 to 65535")
            }
            self.port = port
        } else {
            port = scheme == "smtps" ? 465 : 587
        }
        guard parts.path.isEmpty || parts.path == "/" else {
            throw SMTPConfigurationError(
                "\(Self.urlKey) has a path (\(parts.path)); give only user, host, port and options")
        }
        username = parts.user?.removingPercentEncoding
        password = parts.password?.removingPercentEncoding
        if username != nil, password == nil {
            throw SMTPConfigurationError(
                "\(Self.urlKey) names user \"\(username!)\" without a password (user:password@)")
        }
        security = scheme == "smtps" ? .implicitTLS : .startTLSWhenOffered
        allowsPlaintextAuth = false
        certificateAuthorityFile = nil
        heloName = address.domain
        for item in parts.queryItems ?? [] {
            let value = item.value ?? ""
            switch item.name {
            case "starttls":
                guard scheme == "smtp" else {
                    throw SMTPConfigurationError("\(Self.urlKey): starttls applies to smtp://, not smtps://")
                }
                switch value {
                case "required": security = .startTLSRequired
                case "optional": security = .startTLSWhenOffered
                case "never": security = .none
                default:
                    throw SMTPConfigurationError(
                        "\(Self.urlKey) has starttls=\(value); use required, optional or never")
                }
            case "auth":
                guard value == "plaintext-allowed" else {
                    throw SMTPConfigurationError("\(Self.urlKey) has auth=\(value); the one value is plaintext-allowed")
                }
                allowsPlaintextAuth = true
            case "ca":
                guard !value.isEmpty, FileManager.default.isReadableFile(atPath: value) else {
                    throw SMTPConfigurationError("\(Self.urlKey) has ca=\(value), which is not a readable file")
                }
                certificateAuthorityFile = value
            case "helo":
                guard !value.isEmpty, value.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" })
                else {
                    throw SMTPConfigurationError("\(Self.urlKey) has helo=\(value), which is not a host name")
                }
                heloName = value
            default:
                throw SMTPConfigurationError(
                    "\(Self.urlKey) has an unknown option \"\(item.name)\"; the options are starttls, auth, ca and helo"
                )
            }
        }
        if username != nil, security == .none, !allowsPlaintextAuth {
            throw SMTPConfigurationError(
                "\(Self.urlKey) signs in with starttls=never, which would send the password in clear; "
                    + "add auth=plaintext-allowed if the server is on this machine")
        }
    }

    /// The URL with its password replaced, for messages.
    static func masked(_ text: String) -> String {
        guard var parts = URLComponents(string: text), parts.password != nil else { return text }
        parts.password = "***"
        return parts.string ?? text
    }
}

/// A bad `RECOUP_SMTP_URL` or `RECOUP_MAIL_FROM`, in one sentence.
public struct SMTPConfigurationError: Error, CustomStringConvertible, Equatable {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// An address as SMTP carries it: a local part and a domain, ASCII without spaces or angle brackets.
public struct EmailAddress: Sendable, Hashable, CustomStringConvertible {
    public let local: String
    public let domain: String

    /// Reads `pat@example.com` (or `<pat@example.com>`); nil when it is not one.
    public init?(_ text: String) {
        var text = text.trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("<"), text.hasSuffix(">") { text = String(text.dropFirst().dropLast()) }
        guard let at = text.lastIndex(of: "@") else { return nil }
        let local = String(text[..<at])
        let domain = String(text[text.index(after: at)...])
        let allowed = { (c: Character) in c.isASCII && !c.isWhitespace && !"<>()[],;:\\\"".contains(c) && c != "\u{7f}"
        }
        guard !local.isEmpty, local.count <= 64, local.allSatisfy(allowed), !domain.isEmpty, domain.count <= 253,
            domain.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-") }),
            !domain.hasPrefix("."), !domain.hasSuffix("."), !domain.contains("..")
        else { return nil }
        self.local = local
        self.domain = domain.lowercased()
    }

    public var description: String { "\(local)@\(domain)" }
}
