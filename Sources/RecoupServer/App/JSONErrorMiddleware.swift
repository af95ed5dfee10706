import OpenAPIRuntime
import RecoupCore
import RecoupStore
import Vapor

/// The error body every API error has: `{"error": {"code": "…", "message": "…"}}`.
struct ErrorBody: Content {
    struct Detail: Content {
        var code: String
        var message: String
    }
    var error: Detail
}

/// Turns any error into a JSON error with the right status (an HTML page with the same sentence for a request from a
/// page, `ErrorPage`); user mistakes are 4xx with a clear sentence,
/// anything else a 500 that reveals nothing internal. The store's typed errors: an unknown client, debt, debtor or
/// arrangement is 404 `not_found`; an idempotency key reused for a different request is 409
/// `idempotency_conflict`; anything else the request got wrong is 400 `invalid_request`.
///
/// Future-based rather than async: an async middleware costs two thread hops on every request.
struct JSONErrorMiddleware: Middleware {
    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        next.respond(to: request).flatMapError { error in
            let (status, code, message) = Self.describe(error)
            if status.code >= 500 {
                // A generated route's error carries the whole request, token included: log only what went wrong.
                let logged = (error as? ServerError).map {
                    "\($0.operationID): \(String(reflecting: $0.underlyingError))"
                }
                request.logger.error(
                    "request failed", metadata: ["error": .string(logged ?? String(reflecting: error))])
            }
            // A person in a browser gets a page with a way back; the API keeps its JSON.
            if ErrorPage.wanted(by: request) {
                return ErrorPage.response(
                    request, status: status, message: message == status.reasonPhrase ? "" : message)
            }
            // Written by hand so the keys always come in the contract's order: code, then message.
            let body = OrderedJSON.object([
                ("error", .object([("code", .string(code)), ("message", .string(message))]))
            ])
            let response = Response(status: status, body: .init(string: body.text))
            response.headers.contentType = .json
            return request.eventLoop.makeSucceededFuture(response)
        }
    }

    /// Status, stable code and message for an error.
    static func describe(_ error: any Error) -> (HTTPResponseStatus, String, String) {
        switch error {
        // The generated API routes wrap what went wrong: the handler's own error, or the runtime's refusal of a
        // request it could not read.
        case let error as ServerError: return describe(error)
        case let error as UserFacingError: return (error.status, error.code, error.message)
        case let error as any AbortError:
            let code =
                error.status == .notFound ? "not_found" : error.status.code < 500 ? "bad_request" : "server_error"
            return (error.status, code, error.reason)
        case let error as DecodingError: return (.badRequest, "invalid_request", DecodingErrorText.sentence(error))
        case let error as DateError: return (.badRequest, "invalid_date", error.description)
        case let error as MoneyError: return (.badRequest, "invalid_amount", error.description)
        case let error as StoreError:
            switch error {
            case .unknownClient, .unknownDebt, .unknownDebtor, .unknownArrangement:
                return (.notFound, "not_found", error.description)
            case .idempotencyConflict: return (.conflict, "idempotency_conflict", error.description)
            case .invalid: return (.badRequest, "invalid_request", error.description)
            case .cannotConnect: return (.serviceUnavailable, "database_unavailable", "the database is unavailable")
            }
        default:
            // Every typed error of Core and the commands is the user's to fix: the same sentence as on the command line.
            if let sentence = UserErrorText.sentence(for: error) { return (.badRequest, "invalid_request", sentence) }
            return (.internalServerError, "server_error", "something went wrong on our side")
        }
    }
}

extension JSONErrorMiddleware {
    /// A generated route's error: a decoding error names the field (and, for a value outside an enumeration, the
    /// values the document allows); a request the runtime refused is a 4xx with one sentence; anything the handler
    /// threw is described as if thrown directly.
    static func describe(_ error: ServerError) -> (HTTPResponseStatus, String, String) {
        let underlying = error.underlyingError
        if let decoding = underlying as? DecodingError {
            // A query parameter the generated code could not read comes without its name: find it.
            if DecodingErrorText.codingPath(decoding).isEmpty,
                let query = URLComponents(string: error.request.path ?? "")?.queryItems,
                let problem = APIDocumentIndex.shared?.queryProblem(
                    operationID: error.operationID,
                    query: Dictionary(query.map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { first, _ in first }))
            {
                return (.badRequest, "invalid_request", problem)
            }
            return (
                .badRequest, "invalid_request", DecodingErrorText.sentence(decoding, operationID: error.operationID)
            )
        }
        if !(underlying is any AbortError), let refusal = underlying as? any HTTPResponseConvertible,
            (400..<500).contains(refusal.httpStatus.code)
        {
            return (
                HTTPResponseStatus(statusCode: refusal.httpStatus.code), "invalid_request",
                RuntimeErrorText.sentence(error.causeDescription)
            )
        }
        return describe(underlying)
    }
}

/// Sentences for the OpenAPI runtime's refusals of a request, which it describes in its own words.
enum RuntimeErrorText {
    static func sentence(_ cause: String) -> String {
        if let name = cause.suffix(after: "Missing required query parameter named: ") {
            return "the query parameter \(name) is missing"
        }
        if let name = cause.suffix(after: "Missing required path parameter named: ") { return "\(name) is missing" }
        if cause.hasPrefix("Missing required request body") {
            return "the request body is empty; send the request as JSON"
        }
        return "the request could not be read: \(cause)"
    }
}

extension String {
    /// The rest of the string after `prefix`, or nil when it does not start with it.
    fileprivate func suffix(after prefix: String) -> String? {
        hasPrefix(prefix) ? String(dropFirst(prefix.count)) : nil
    }
}

/// An error whose status, code and message are meant for the user.
struct UserFacingError: Error {
    var status: HTTPResponseStatus
    var code: String
    var message: String

    static func badRequest(_ message: String, code: String = "invalid_request") -> UserFacingError {
        UserFacingError(status: .badRequest, code: code, message: message)
    }
}

/// Plain sentences for JSON decoding errors, naming the field by its path (`offer.frequency`, `events[2].at`).
enum DecodingErrorText {
    static func sentence(_ error: DecodingError, operationID: String? = nil) -> String {
        switch error {
        case .keyNotFound(let key, let context): return "\(path(context.codingPath + [key])) is missing"
        case .valueNotFound(_, let context)
        where context.debugDescription.contains("did not decode into any child schema"):
            return "\(path(context.codingPath)) matches none of the forms the document allows for it"
        case .valueNotFound(_, let context): return "\(path(context.codingPath)) is missing"
        case .typeMismatch(let type, let context):
            return "\(path(context.codingPath)): expected \(typeName(type))"
        case .dataCorrupted(let context):
            var codingPath = context.codingPath
            if let range = context.debugDescription.range(of: "from invalid String value ") {
                let value = context.debugDescription[range.upperBound...]
                // A query parameter's value comes without a path; the generated enumeration's name gives it
                // (`SegmentPayload` for `segment`).
                if codingPath.isEmpty, let name = enumerationField(context.debugDescription) {
                    codingPath = [AnyKey(name)]
                }
                let field = path(codingPath)
                let allowed = operationID.flatMap {
                    APIDocumentIndex.shared?.allowedValues(operationID: $0, at: codingPath)
                }
                return "\(field) is \"\(value)\""
                    + (allowed.map { "; use one of \($0.joined(separator: ", "))" } ?? ", which is not allowed")
            }
            let field = path(codingPath)
            if context.debugDescription.contains("not valid JSON") || codingPath.isEmpty && operationID == nil {
                return "the request is not valid JSON"
            }
            if codingPath.isEmpty { return "a value in the request is invalid: \(context.debugDescription)" }
            if context.debugDescription.hasPrefix("Additional properties are disabled") {
                let title = operationID.flatMap {
                    APIDocumentIndex.shared?.title(operationID: $0, containing: context.codingPath)
                }
                return "\(field) is not a \(title ?? "request") field"
            }
            return "\(field) is invalid: \(context.debugDescription)"
        @unknown default: return "the request could not be read"
        }
    }

    /// Where the error happened (empty for the whole body, or a query parameter).
    static func codingPath(_ error: DecodingError) -> [any CodingKey] {
        switch error {
        case .keyNotFound(let key, let context): context.codingPath + [key]
        case .valueNotFound(_, let context), .typeMismatch(_, let context), .dataCorrupted(let context):
            context.codingPath
        @unknown default: []
        }
    }

    /// The member a generated enumeration stands for, from "Cannot initialize SegmentPayload from …".
    private static func enumerationField(_ description: String) -> String? {
        guard let start = description.range(of: "Cannot initialize "), let end = description.range(of: "Payload from ")
        else { return nil }
        var name = String(description[start.upperBound..<end.lowerBound])
        if name.hasPrefix("_") { name.removeFirst() }
        guard let first = name.first else { return nil }
        return first.lowercased() + name.dropFirst()
    }

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ name: String) { stringValue = name }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// `offer.frequency`, `events[2].outcome`, or "the request" for the whole body.
    static func path(_ codingPath: [any CodingKey]) -> String {
        var text = ""
        for key in codingPath {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : "." + key.stringValue
            }
        }
        return text.isEmpty ? "the request" : text
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        case is Int.Type, is Int64.Type, is Int32.Type: "a whole number"
        case is Double.Type, is Float.Type: "a number"
        case is [Any].Type: "a list"
        case is [String: Any].Type: "an object"
        default: "a \(type)"
        }
    }
}
