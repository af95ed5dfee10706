import Foundation
import Vapor

/// `GET /api/v1/openapi.json` and `.yaml`: the OpenAPI 3.1 document describing every route (public, no token
/// needed). Both files are written by scripts/generate-openapi.py.
struct OpenAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("openapi.json", use: document)
        routes.get("openapi.yaml", use: yaml)
    }

    /// The YAML document's bytes, read once.
    static let yamlData: Data = {
        FileManager.default.contents(atPath: ResourcePaths.assetsDirectory + "openapi.yaml") ?? Data()
    }()

    @Sendable
    func yaml(request: Request) async throws -> Response {
        let response = Response(status: .ok, body: .init(data: Self.yamlData))
        response.headers.contentType = HTTPMediaType(type: "application", subType: "yaml", parameters: ["charset": "utf-8"])
        return response
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
