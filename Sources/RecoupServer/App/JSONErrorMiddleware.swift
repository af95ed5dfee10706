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

/// Turns any error into a JSON error with the right status; user mistakes are 4xx with a clear sentence,
/// anything else a 500 that reveals nothing internal. The store's typed errors: an unknown client, debt, debtor or
/// arrangement is 404 `not_found`; an idempotency key reused for a different request is 409
/// `idempotency_conflict`; anything else the request got wrong is 400 `invalid_request`.
///
/// Future-based rather than async: an async middleware costs two thread hops on every request.
struct JSONErrorMiddleware: Middleware {
    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        next.respond(to: request).flatMapErrorThrowing { error in
            let (status, code, message) = Self.describe(error)
            if status.code >= 500 {
                request.logger.error("request failed", metadata: ["error": .string(String(reflecting: error))])
            }
            // Written by hand so the keys always come in the contract's order: code, then message.
            let body = OrderedJSON.object([("error", .object([("code", .string(code)), ("message", .string(message))]))])
            let response = Response(status: status, body: .init(string: body.text))
            response.headers.contentType = .json
            return response
        }
    }

    /// Status, stable code and message for an error.
    static func describe(_ error: any Error) -> (HTTPResponseStatus, String, String) {
        switch error {
        case let error as UserFacingError: return (error.status, error.code, error.message)
        case let error as any AbortError:
            let code = error.status == .notFound ? "not_found" : error.status.code < 500 ? "bad_request" : "server_error"
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

/// An error whose status, code and message are meant for the user.
struct UserFacingError: Error {
    var status: HTTPResponseStatus
    var code: String
    var message: String

    static func badRequest(_ message: String, code: String = "invalid_request") -> UserFacingError {
        UserFacingError(status: .badRequest, code: code, message: message)
    }
}

/// Plain sentences for JSON decoding errors: which field, what was wrong.
enum DecodingErrorText {
    static func sentence(_ error: DecodingError) -> String {
        func path(_ codingPath: [any CodingKey]) -> String {
            let text = codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            return text.isEmpty ? "the request" : "\"\(text.replacingOccurrences(of: ".[", with: "["))\""
        }
        switch error {
        case .keyNotFound(let key, let context): return "\(path(context.codingPath + [key])) is missing"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "\(path(context.codingPath)) has the wrong type: \(context.debugDescription)"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty
                ? "the request body is not valid JSON" : "\(path(context.codingPath)) is invalid: \(context.debugDescription)"
        @unknown default: return "the request could not be read"
        }
    }
}
