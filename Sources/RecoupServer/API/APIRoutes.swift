import OpenAPIRuntime
import RecoupAPI
import Vapor

/// Registers the API's operations, generated from Sources/RecoupAPI/openapi.yaml, on the application.
enum APIRoutes {
    /// The largest request body each operation takes (`METHOD /path` as the document writes it); 413 beyond it.
    static let bodyLimits: [String: ByteCount] = [
        "POST /api/v1/compliance/check": "4mb",
        "POST /api/v1/compliance/lint": "1mb",
        "POST /api/v1/plans/propose": "64kb",
        "PUT /api/v1/clients/{client}/terms": "64kb",
        "PUT /api/v1/templates/{name}/{channel}/{language}": "64kb",
        "POST /api/v1/templates/preview": "64kb",
        "POST /api/v1/debts/{id}/contacts": "64kb",
        "POST /api/v1/arrangements": "64kb",
        "POST /api/v1/arrangements/{ref}/accept": "16kb",
        "POST /api/v1/arrangements/{ref}/cancel": "16kb",
        "POST /api/v1/promises": "16kb",
        "POST /api/v1/payments": "16kb",
        "PUT /api/v1/agency/contracts/{client}": "64kb",
        "POST /api/v1/inbound/sms": "16kb",
        "POST /api/v1/inbound/email": "2mb",
        "POST /api/v1/inbound/sms-status": "16kb",
    ]

    /// Registers every generated operation: `/api/v1/…` behind the bearer token check (`api`), `/health` open.
    static func register(on app: Application, api: any RoutesBuilder) throws {
        let handlers = try RecoupAPIHandlers(document: APIDocument.load())
        let transport = APITransport(
            api: api, public: app,
            publicPaths: [
                "/api/v1/openapi.json", "/api/v1/openapi.yaml", "/api/v1/inbound/sms", "/api/v1/inbound/sms-status",
                "/api/v1/inbound/email",
            ],
            bodyLimits: bodyLimits, defaultBodyLimit: "16kb",
            rawBodyOperations: [
                "POST /api/v1/compliance/check", "POST /api/v1/debts/{id}/contacts", "POST /api/v1/inbound/email",
                "PUT /api/v1/agency/contracts/{client}",
            ])
        // Compact JSON, keys in a fixed (sorted) order, slashes as written.
        let configuration = Configuration(jsonEncodingOptions: [.sortedKeys, .withoutEscapingSlashes])
        try handlers.registerHandlers(on: transport, serverURL: Servers.Server1.url(), configuration: configuration)
    }
}
