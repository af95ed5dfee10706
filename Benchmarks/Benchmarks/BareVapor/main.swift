import Vapor

// The anchor of Benchmarks/http-benchmark.sh: a Vapor application with no middleware but Vapor's defaults and one
// route that reads a JSON body and answers a small fixed JSON object. `BareVapor PORT`.
let port = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 8090
var environment = Environment.production
environment.arguments = ["BareVapor"]
let app = try await Application.make(environment)
app.logger.logLevel = .error
app.http.server.configuration.hostname = "127.0.0.1"
app.http.server.configuration.port = port
app.on(.POST, "bare", body: .collect(maxSize: "4mb")) { request -> Response in
    let response = Response(status: .ok, body: .init(string: #"{"decision":"allow","rules":[],"nextAllowedAt":null}"#))
    response.headers.contentType = .json
    return response
}
try await app.execute()
try await app.asyncShutdown()
