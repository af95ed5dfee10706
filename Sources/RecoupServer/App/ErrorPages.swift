import Vapor

/// The error a person sees in a browser: a page with a heading, the sentence the API would give, and a way back, in
/// place of the API's JSON error. Requests under `/api/` and `/health` keep their JSON errors.
enum ErrorPage {
    struct Context: Encodable {
        var title: String
        var heading: String
        var message: String
        var status: Int
        var backURL: String?
        var backLabel: String
        var homeURL: String?
        var homeLabel: String
        /// True under a portal link: the page has no staff header (who is signed in, Sign out), whoever asks.
        var isPortal: Bool
    }

    /// True for a request a person makes from a page (everything but the API and the health check).
    static func wanted(by request: Request) -> Bool {
        let path = request.path
        return !(path.hasPrefix("/api/") || path == "/api" || path == "/health")
    }

    /// The page's context for an error with `status` and the sentence `message`.
    static func context(_ request: Request, status: HTTPResponseStatus, message: String) -> Context {
        let portalHome = portalHome(request.path)
        let user = request.recoupUser
        let heading: String
        switch status.code {
        case 404: heading = portalHome == nil ? "Not found" : "This page is not available"
        case 403: heading = "Not allowed"
        case 401: heading = "Please sign in"
        case 409: heading = "That was not done"
        case 400..<500: heading = "Please check what you entered"
        case 503: heading = "Recoup cannot reach its database"
        default: heading = "Something went wrong"
        }
        let home: (url: String?, label: String)
        if let portalHome {
            // A broken portal link has no page to go back to; a working one goes back to the debtor's page.
            home = status == .notFound ? (nil, "") : (portalHome, "Back to your account")
        } else if user != nil {
            home = ("/", "Go to the dashboard")
        } else {
            home = ("/login", "Sign in")
        }
        return Context(
            title: heading, heading: heading, message: sentence(message, status: status), status: Int(status.code),
            backURL: backURL(request), backLabel: "Back to the previous page", homeURL: home.url, homeLabel: home.label,
            isPortal: portalHome != nil)
    }

    /// Renders the page; if the view itself cannot be rendered, a plain page with the same words.
    static func response(_ request: Request, status: HTTPResponseStatus, message: String) -> EventLoopFuture<Response> {
        let context = context(request, status: status, message: message)
        return request.view.render("error", context).map { view -> Response in
            let response = Response(status: status)
            response.headers.contentType = .html
            response.body = .init(buffer: view.data)
            return response
        }.flatMapErrorThrowing { _ in
            let response = Response(status: status, body: .init(string: plain(context)))
            response.headers.contentType = .html
            return response
        }
    }

    /// `/portal/TOKEN` for a request under a portal link, else nil.
    static func portalHome(_ path: String) -> String? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        guard parts.count >= 2, parts[0] == "portal" else { return nil }
        return "/portal/\(parts[1])"
    }

    /// The page the person came from, when it is one of ours (the `Referer` on this host): never another site.
    static func backURL(_ request: Request) -> String? {
        guard let referer = request.headers.first(name: .referer), let url = URLComponents(string: referer),
            let host = request.headers.first(name: .host)
        else { return nil }
        let refererHost = url.host.map { host in url.port.map { "\(host):\($0)" } ?? host }
        guard refererHost == host, url.path.hasPrefix("/"), !url.path.hasPrefix("//") else { return nil }
        let back = url.path + (url.percentEncodedQuery.map { "?" + $0 } ?? "")
        return back == request.path ? nil : back
    }

    /// The message as a sentence: a capital first letter and a full stop.
    static func sentence(_ message: String, status: HTTPResponseStatus) -> String {
        var text = message.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let first = text.first else {
            switch status.code {
            case 404: return "There is nothing at this address. It may have been mistyped, or the item removed."
            case 403: return "Your account is not allowed to see or do this."
            case 405: return "This address cannot be used that way."
            case 400..<500: return "The request could not be read."
            default: return "Something went wrong on our side. Please try again in a moment."
            }
        }
        text = first.uppercased() + text.dropFirst()
        if let last = text.last, !".!?".contains(last) { text += "." }
        return text
    }

    private static func plain(_ context: Context) -> String {
        func escape(_ text: String) -> String {
            text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
        }
        let home = context.homeURL.map { "<p><a href=\"\(escape($0))\">\(escape(context.homeLabel))</a></p>" } ?? ""
        return """
            <!doctype html><html lang="en"><head><meta charset="utf-8">\
            <meta name="viewport" content="width=device-width, initial-scale=1"><title>\(escape(context.title))</title>\
            <link rel="stylesheet" href="/recoup.css"></head><body><main id="main"><h1>\(escape(context.heading))</h1>\
            <p class="refusal" role="alert">\(escape(context.message))</p>\(home)</main></body></html>
            """
    }
}
