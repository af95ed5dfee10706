import Foundation
import Vapor

/// Where people outside reach this Recoup — `https://pay.example.com`, or with a path when Recoup is served under
/// one (`https://example.com/recoup`) — so that a link handed to a debtor is a whole URL they can open, not a path.
///
/// Read once at start: `recoup serve --public-url URL` wins over `RECOUP_PUBLIC_URL`; with neither, a page builds
/// links from the address the browser used (`derived(from:)`). `recoup portal link` reads the same two.
public struct PublicBaseURL: Sendable, Equatable, CustomStringConvertible {
    /// The environment variable read when no option is given.
    public static let environmentKey = "RECOUP_PUBLIC_URL"

    /// Scheme, host, port when given and path, without a trailing slash: `https://example.com/recoup`.
    public let description: String

    /// Reads `text` (an http or https address with a host, and no query, fragment or credentials); `source` names
    /// where it came from (`--public-url`, `RECOUP_PUBLIC_URL`) in the one sentence a bad value gets.
    public init(parsing text: String, source: String = "--public-url") throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let example = "such as https://recoup.example.com"
        guard !trimmed.isEmpty else {
            throw InputError("\(source) is empty; give the address people open Recoup at, \(example)")
        }
        guard let parts = URLComponents(string: trimmed), let scheme = parts.scheme?.lowercased(),
            scheme == "http" || scheme == "https"
        else {
            throw InputError("\(source) \"\(trimmed)\" is not an http or https address \(example)")
        }
        guard let host = parts.host, !host.isEmpty else {
            throw InputError("\(source) \"\(trimmed)\" names no host; give one \(example)")
        }
        guard parts.query == nil, parts.fragment == nil, parts.user == nil, parts.password == nil else {
            throw InputError(
                "\(source) \"\(trimmed)\" must be only a scheme, host, port and path (no ?query, #fragment or user), "
                    + example)
        }
        var path = parts.percentEncodedPath
        while path.hasSuffix("/") { path.removeLast() }
        let hostText = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        description = "\(scheme)://\(hostText.lowercased())" + (parts.port.map { ":\($0)" } ?? "") + path
    }

    /// The option when given, else the environment's value when set, else nil (pages then use `derived(from:)`).
    public static func resolve(option: String?, environment: [String: String]) throws -> PublicBaseURL? {
        if let option { return try PublicBaseURL(parsing: option, source: "--public-url") }
        if let value = environment[environmentKey], !value.trimmingCharacters(in: .whitespaces).isEmpty {
            return try PublicBaseURL(parsing: value, source: environmentKey)
        }
        return nil
    }

    /// `path` (starting with `/`) as a whole URL under this base.
    public func url(_ path: String) -> String { description + (path.hasPrefix("/") ? path : "/" + path) }

    /// The base a page's links use: the configured one, or the scheme and `Host` the request came with (the scheme
    /// as `Request.isSecure` reads it, so a trusted proxy's `X-Forwarded-Proto: https` counts). A `Host` that is not
    /// a host and port falls back to the address the server listens on.
    static func forLinks(_ request: Request) -> PublicBaseURL {
        if let configured = request.application.settings.publicURL { return configured }
        let scheme = request.isSecure ? "https" : "http"
        if let host = request.headers.first(name: .host), isHostAndPort(host),
            let base = try? PublicBaseURL(parsing: "\(scheme)://\(host)")
        {
            return base
        }
        let server = request.application.http.server.configuration
        return (try? PublicBaseURL(parsing: "\(scheme)://\(server.hostname):\(server.port)"))
            ?? PublicBaseURL(checked: "\(scheme)://127.0.0.1:\(server.port)")
    }

    private init(checked description: String) { self.description = description }

    /// True for `example.com`, `example.com:8443`, `127.0.0.1:8080`, `[::1]:8080`: letters, digits and `.-:[]` only.
    static func isHostAndPort(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= 255
            && text.utf8.allSatisfy { byte in
                (48...57).contains(byte) || (65...90).contains(byte) || (97...122).contains(byte)
                    || [UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: ":"), UInt8(ascii: "["), UInt8(ascii: "]")]
                        .contains(byte)
            }
    }
}
