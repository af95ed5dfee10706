import Vapor

/// What is left of the arrangements controller: two helpers the debts controller and the portal still use. The
/// arrangement, promise, terms and projection routes are generated API operations now (`RecoupAPIHandlers`).
enum ArrangementsController {
    static func parameter(_ request: Request, _ name: String) throws -> String {
        guard let value = request.parameters.get(name) else { throw UserFacingError.badRequest("\(name) is missing") }
        return value
    }

    static func json(_ text: String, status: HTTPResponseStatus = .ok) -> Response {
        let response = Response(status: status, body: .init(string: text))
        response.headers.contentType = .json
        return response
    }
}
