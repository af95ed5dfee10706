import Foundation
import Vapor

/// `GET /api/v1/openapi.json`: the OpenAPI 3.1 document describing every route (public, no token needed).
struct OpenAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("openapi.json", use: document)
    }

    /// The document's bytes, read once.
    static let documentData: Data = {
        FileManager.default.contents(atPath: ResourcePaths.assetsDirectory + "openapi.json") ?? Data("{}".utf8)
    }()

    @Sendable
    func document(request: Request) async throws -> Response {
        let response = Response(status: .ok, body: .init(data: Self.documentData))
        response.headers.contentType = .json
        return response
    }
}
