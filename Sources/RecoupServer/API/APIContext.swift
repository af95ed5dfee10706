import Foundation
import Vapor

/// The Vapor request an API operation is answering, for the generated handlers (`RecoupAPIHandlers`), which receive
/// only the operation's typed input: through it they reach the signed-in user, the database and the settings.
///
/// Set for the length of each API request by `APITransport` (a task-local value, so it follows the handler's task
/// and nothing else): the pattern swift-openapi-vapor documents for its transport, where a Vapor middleware sets it.
enum APIContext {
    @TaskLocal static var request: Request?

    /// The current request; a 500 when an operation runs outside one (a wiring mistake, never the caller's).
    static func current() throws -> Request {
        guard let request else { throw APIContextError.noRequest }
        return request
    }

    /// The current request's body as it arrived (the transport has collected it whole).
    static func rawBody() throws -> Data {
        guard let buffer = try current().body.data, buffer.readableBytes > 0 else { throw APIInput.missingBody }
        return Data(buffer.readableBytesView)
    }
}

enum APIContextError: Error {
    case noRequest
}
