import NIOCore
import Vapor

/// The application served on a real socket (127.0.0.1, a free port), for tests that need what only a connection
/// has: a peer address, a body streamed in parts.
///
/// VaporTesting's running tester gives a request 30 seconds, and a CI run once took longer than that for a sign-in
/// page: the whole suite runs at once on two cores, and a probe task measured waits of up to 23 seconds to be
/// scheduled on the cooperative pool (and up to 8.6 seconds for the NIO thread pool SQLite uses). This one gives two
/// minutes. It does not follow redirects, so a test sees the 303 of a sign-in itself.
struct LiveServer {
    let app: Application
    static let timeout: TimeAmount = .seconds(120)

    /// What came back.
    struct Response {
        let status: HTTPResponseStatus
        let headers: HTTPHeaders
        let body: ByteBuffer
    }

    /// Starts the server, sends one request, stops the server, and hands the response to `check`.
    func test(
        _ method: HTTPMethod, _ path: String, headers: HTTPHeaders = [:], body: ByteBuffer? = nil,
        afterResponse check: (Response) async throws -> Void
    ) async throws {
        try await app.server.start(address: .hostname("127.0.0.1", port: 0))
        let client = HTTPClient(
            eventLoopGroup: MultiThreadedEventLoopGroup.singleton,
            configuration: HTTPClient.Configuration(redirectConfiguration: .disallow))
        let response: Response
        do {
            guard let port = app.http.server.shared.localAddress?.port else {
                throw Abort(.internalServerError, reason: "the test server has no port")
            }
            let request = try HTTPClient.Request(
                url: "http://127.0.0.1:\(port)/\(path)", method: method, headers: headers,
                body: body.map { .byteBuffer($0) })
            let answer = try await client.execute(request: request, deadline: .now() + Self.timeout).get()
            response = Response(
                status: answer.status, headers: answer.headers, body: answer.body ?? ByteBuffer())
        } catch {
            try? await client.shutdown()
            await app.server.shutdown()
            throw error
        }
        try await client.shutdown()
        await app.server.shutdown()
        try await check(response)
    }
}
