import Foundation
import RecoupCore
import Vapor

/// `POST /api/v1/compliance/check`, `POST /api/v1/compliance/lint`, `GET /api/v1/compliance/validation-period`.
struct ComplianceController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let compliance = routes.grouped("compliance")
        compliance.on(.POST, "check", body: .collect(maxSize: "4mb"), use: check)
        compliance.on(.POST, "lint", body: .collect(maxSize: "1mb"), use: lint)
        compliance.get("validation-period", use: validationPeriod)
    }

    /// The contract's request in, the decision out: 200 whatever the decision, 400 naming the bad field.
    @Sendable
    func check(request: Request) throws -> Response {
        let body = try Self.body(of: request)
        let parsed: ComplianceRequest
        do {
            parsed = try ComplianceRequest(json: body)
        } catch {
            throw UserFacingError.badRequest(error.description)
        }
        return Self.json(ComplianceEngine.decide(parsed, policy: parsed.policy ?? .standard).jsonText)
    }

    /// `{"channel": "sms", "text": "…"}` in, `{"ok", "limitedContent", "findings"}` out.
    @Sendable
    func lint(request: Request) throws -> Response {
        let body = try Self.body(of: request)
        guard let object = (try? JSONValue.parse(body))?.objectValue else {
            throw UserFacingError.badRequest("the request is not a JSON object such as {\"channel\": \"sms\", \"text\": \"…\"}")
        }
        guard let channelName = object["channel"]?.stringValue else {
            throw UserFacingError.badRequest("channel is missing; use one of voicemail, sms, email, letter")
        }
        guard let channel = MessageChannel(rawValue: channelName) else {
            throw UserFacingError.badRequest("channel is \"\(channelName)\"; use one of voicemail, sms, email, letter")
        }
        guard let text = object["text"]?.stringValue else {
            throw UserFacingError.badRequest("text is missing or not a string")
        }
        return Self.json(MessageLint.check(text, channel: channel).jsonText)
    }

    /// `?sent=DATE` → `{"sent", "assumedReceived", "periodEnds"}`.
    @Sendable
    func validationPeriod(request: Request) throws -> Response {
        guard let sent = request.query[String.self, at: "sent"] else {
            throw UserFacingError.badRequest("sent is missing; give the date the notice was sent, YYYY-MM-DD")
        }
        return Self.json(try ValidationPeriod(sent: try LocalDate(iso: sent)).jsonText)
    }

    private static func body(of request: Request) throws -> Data {
        guard let buffer = request.body.data, buffer.readableBytes > 0 else {
            throw UserFacingError.badRequest("the request body is empty; send the request as JSON")
        }
        return Data(buffer.readableBytesView)
    }

    private static func json(_ text: String) -> Response {
        let response = Response(status: .ok, body: .init(string: text))
        response.headers.contentType = .json
        return response
    }
}
