import Crypto
import Foundation
import Vapor

/// A short message carried across a post/redirect/get: a form's POST answers 303 See Other to the page, with what
/// happened in a cookie; the page's GET shows it once and clears it. So a reload of the answer is a plain GET that
/// records nothing, and the page still says "Recorded: call" or why the contact was refused.
///
/// The cookie is signed (HMAC-SHA256) with a secret of the visitor's own — the session's CSRF token on staff pages,
/// the link's token in the portal — and names the page it is for and when it expires (two minutes), so a cookie
/// planted by someone else, or left over from another page, is ignored. It lives in the browser, not the server:
/// any process behind the same database can show it.
struct Flash: Codable, Equatable, Sendable {
    /// How the page shows it: a notice (done), or a refusal (the rules said no: nothing was recorded).
    enum Kind: String, Codable, Sendable {
        case notice, refusal
    }

    /// A compliance finding, as the page lists it.
    struct Finding: Codable, Equatable, Sendable {
        var rule: String
        var effect: String
        var reason: String
        var citation: String
    }

    var kind: Kind
    /// One sentence.
    var text: String
    /// Further lines (the plan's other options).
    var details: [String] = []
    var findings: [Finding] = []
    /// What the message is about, when the page shows it specially (the arrangement just proposed).
    var subject: String? = nil

    static let cookieName = "recoup_flash"
    static let lifetime: TimeInterval = 120
    /// Cookies are limited to about 4 KB: longer text is cut.
    static let maxEncodedBytes = 3_000

    /// A 303 See Other to `path` (and its `fragment`, the part of the page the message is about) carrying `flash`,
    /// signed with `key`.
    static func redirect(
        _ request: Request, to path: String, fragment: String? = nil, with flash: Flash, key: String, now: Date
    ) -> Response {
        let response = request.redirect(to: path + (fragment.map { "#\($0)" } ?? ""), redirectType: .normal)
        var flash = flash
        var value = flash.sealed(for: path, key: key, now: now)
        while value.utf8.count > maxEncodedBytes, flash.shorten() {
            value = flash.sealed(for: path, key: key, now: now)
        }
        response.cookies[cookieName] = HTTPCookies.Value(
            string: value, maxAge: Int(lifetime), path: "/", isSecure: request.isSecure, isHTTPOnly: true,
            sameSite: .lax)
        return response
    }

    /// The flash the request carries for its own page, if it is there, intact, signed with `key` and fresh.
    static func read(_ request: Request, key: String, now: Date) -> Flash? {
        guard let value = request.cookies[cookieName]?.string else { return nil }
        return open(value, path: request.url.path, key: key, now: now)
    }

    /// Clears the cookie on `response` when the request had one (shown once).
    static func clear(_ request: Request, on response: Response) {
        guard request.cookies[cookieName] != nil else { return }
        response.cookies[cookieName] = HTTPCookies.Value(
            string: "", expires: Date(timeIntervalSince1970: 0), maxAge: 0, path: "/", isSecure: request.isSecure,
            isHTTPOnly: true, sameSite: .lax)
    }

    /// `redirect` from a staff page's form: the message signed with the session's CSRF token, timed by the server's
    /// clock.
    static func redirect(_ request: Request, to path: String, fragment: String? = nil, with flash: Flash) -> Response {
        redirect(
            request, to: path, fragment: fragment, with: flash, key: request.csrfToken ?? "",
            now: request.application.settings.clock())
    }

    /// Answers a page that shows the message its request carries once: `page` is given the message (signed with
    /// `key`; without one, a staff page's: the session's CSRF token), and the answer clears it.
    static func showingOnce(
        _ request: Request, key: String? = nil, _ page: (Flash?) async throws -> Response
    ) async throws -> Response {
        let flash = read(request, key: key ?? request.csrfToken ?? "", now: request.application.settings.clock())
        let response = try await page(flash)
        clear(request, on: response)
        return response
    }

    // MARK: Sealing

    private struct Envelope: Codable {
        /// The page.
        var p: String
        /// Expires, seconds since 1970.
        var e: Int64
        var f: Flash
    }

    func sealed(for path: String, key: String, now: Date) -> String {
        let envelope = Envelope(p: path, e: Int64(now.timeIntervalSince1970 + Self.lifetime), f: self)
        let payload = Self.base64URL((try? JSONEncoder().encode(envelope)) ?? Data())
        return payload + "." + Self.signature(payload, key: key)
    }

    static func open(_ value: String, path: String, key: String, now: Date) -> Flash? {
        let parts = value.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, !key.isEmpty else { return nil }
        let payload = String(parts[0])
        // Compared in constant time: the signature is a secret's work.
        guard Array(signature(payload, key: key).utf8).constantTimeEquals(Array(parts[1].utf8)),
            let data = data(base64URL: payload),
            let envelope = try? JSONDecoder().decode(Envelope.self, from: data),
            envelope.p == path, Double(envelope.e) >= now.timeIntervalSince1970
        else { return nil }
        return envelope.f
    }

    /// Cuts the longest text down (details first, then findings' reasons); false when there is nothing left to cut.
    private mutating func shorten() -> Bool {
        if !details.isEmpty {
            details.removeLast()
            return true
        }
        if let index = findings.indices.max(by: { findings[$0].reason.count < findings[$1].reason.count }),
            findings[index].reason.count > 80
        {
            findings[index].reason = String(findings[index].reason.prefix(77)) + "…"
            return true
        }
        if text.count > 200 {
            text = String(text.prefix(197)) + "…"
            return true
        }
        return false
    }

    private static func signature(_ payload: String, key: String) -> String {
        let code = HMAC<SHA256>.authenticationCode(
            for: Data(payload.utf8), using: SymmetricKey(data: Data(("recoup-flash:" + key).utf8)))
        return base64URL(Data(code))
    }

    private static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    private static func data(base64URL text: String) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64)
    }
}

extension Array where Element == UInt8 {
    /// True when both hold the same bytes, looking at every byte whatever the first difference.
    fileprivate func constantTimeEquals(_ other: [UInt8]) -> Bool {
        guard count == other.count else { return false }
        var difference: UInt8 = 0
        for index in indices { difference |= self[index] ^ other[index] }
        return difference == 0
    }
}
