import HTTPTypes
import OpenAPIRuntime
import Vapor

/// Registers the generated API operations as Vapor routes, with whole bodies in and out.
///
/// swift-openapi-vapor's `VaporTransport` streams both bodies (a stream per request and a task per response); the
/// API's bodies are small JSON documents read whole, so this transport collects the request body up to the
/// operation's limit (413 beyond it, before any handler runs) and answers with one buffer. docs/performance.md has
/// the two measured side by side.
///
/// Operations under `/api/v1/` go to `api` (bearer authentication), except those in `publicPaths` (the document
/// itself); any other documented path (`/health`) goes to `public`. While an operation runs, `APIContext.request` is
/// the Vapor request.
struct APITransport: ServerTransport {
    /// The routes that need a token.
    let api: any RoutesBuilder
    /// The routes that do not (`/health`).
    let `public`: any RoutesBuilder
    /// Paths under `/api/v1/` that need no token: the OpenAPI document, as JSON and YAML.
    let publicPaths: Set<String>
    /// The largest request body each operation takes, by `METHOD /path` as the document writes it.
    let bodyLimits: [String: ByteCount]
    /// The limit of an operation not in `bodyLimits`.
    let defaultBodyLimit: ByteCount
    /// Operations whose handler reads the request body's raw bytes itself (`APIContext.rawBody()`: the compliance
    /// check, a contact event): the generated code is handed an empty JSON object in its place, so the body is not parsed twice.
    let rawBodyOperations: Set<String>

    func register(
        _ handler:
            @Sendable @escaping (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (
                HTTPResponse, HTTPBody?
            ),
        method: HTTPRequest.Method,
        path: String
    ) throws {
        let key = "\(method.rawValue) \(path)"
        let components = path.split(separator: "/").map { part -> PathComponent in
            part.first == "{" && part.last == "}"
                ? .parameter(String(part.dropFirst().dropLast())) : .constant(String(part))
        }
        let parameterNames = components.compactMap { component -> String? in
            if case .parameter(let name) = component { return name }
            return nil
        }
        let builder = path.hasPrefix("/api/v1/") && !publicPaths.contains(path) ? api : `public`
        let limit = bodyLimits[key] ?? defaultBodyLimit
        let readsRawBody = rawBodyOperations.contains(key)
        builder.on(HTTPMethod(rawValue: method.rawValue), components, body: .collect(maxSize: limit)) { request in
            let body: HTTPBody?
            if readsRawBody {
                body = HTTPBody("{}")
            } else {
                body = request.body.data.flatMap { $0.readableBytes > 0 ? HTTPBody(Array($0.readableBytesView)) : nil }
            }
            let (response, responseBody) = try await APIContext.$request.withValue(request) {
                try await handler(Self.httpRequest(request), body, Self.metadata(request, parameterNames))
            }
            return try await Self.response(response, responseBody)
        }
    }

    /// The request as the generated code reads it. The API reads and writes JSON whatever the headers say, as it
    /// always has: every request body the document describes is JSON, and a body without a JSON content type
    /// (`curl -d` sends a form type) is read as JSON, so `Content-Type` is left out (the generated code then takes
    /// the document's one type without parsing a media type per request); `Accept` is not negotiated either.
    static func httpRequest(_ request: Request) throws -> HTTPRequest {
        var fields = HTTPFields()
        fields.reserveCapacity(request.headers.count)
        for (name, value) in request.headers {
            guard let fieldName = HTTPField.Name(name), fieldName != .accept, fieldName != .contentType else {
                continue
            }
            fields.append(HTTPField(name: fieldName, value: value))
        }
        guard let method = HTTPRequest.Method(request.method.rawValue) else {
            throw Abort(.methodNotAllowed)
        }
        // An empty query value (`?client=`) has always meant "not given": such parameters are left out.
        var target = request.path
        if let query = request.url.query {
            let given = query.split(separator: "&").filter { item in
                guard let equals = item.firstIndex(of: "=") else { return !item.isEmpty }
                return item.index(after: equals) != item.endIndex
            }
            if !given.isEmpty { target += "?" + given.joined(separator: "&") }
        }
        return HTTPRequest(method: method, scheme: nil, authority: nil, path: target, headerFields: fields)
    }

    static func metadata(_ request: Request, _ names: [String]) -> ServerRequestMetadata {
        var parameters: [String: Substring] = [:]
        for name in names {
            if let value = request.parameters.get(name) { parameters[name] = Substring(value) }
        }
        return ServerRequestMetadata(pathParameters: parameters)
    }

    /// The answer with its whole body in one buffer.
    static func response(_ response: HTTPResponse, _ body: HTTPBody?) async throws -> Response {
        var headers = HTTPHeaders()
        for field in response.headerFields { headers.add(name: field.name.rawName, value: field.value) }
        var buffer = ByteBuffer()
        if let body {
            for try await chunk in body { buffer.writeBytes(chunk) }
        }
        return Response(
            status: HTTPResponseStatus(statusCode: response.status.code), headers: headers, body: .init(buffer: buffer))
    }
}
