import Crypto
import Foundation
import OpenAPIRuntime
import RecoupAPI
import RecoupCore
import RecoupStore
import Vapor

/// What delivery services send back (docs/messages.md, "What comes back"): authenticated by an HMAC of the raw body
/// under `RECOUP_INBOUND_SECRET`, not by a user's token; each request is one use case of `InboundMessages`.
extension RecoupAPIHandlers {
    func receiveText(_ input: Operations.ReceiveText.Input) async throws -> Operations.ReceiveText.Output {
        let request = try InboundSignature.verified()
        guard case .json(let text) = input.body else { throw UserFacingError.badRequest("the body is not JSON") }
        let outcome = try await InboundMessages.text(
            from: text.from, body: text.body, now: request.application.settings.clock(), on: request.db)
        let result: Components.Schemas.InboundTextResult =
            switch outcome {
            case .optedOut(let debtors): .init(outcome: .optedOut, debtors: debtors, reply: nil)
            case .help(let reply): .init(outcome: .help, debtors: 0, reply: reply)
            case .recorded(let debtors): .init(outcome: .recorded, debtors: debtors, reply: nil)
            }
        return .ok(.init(body: .json(result)))
    }

    func receiveEmail(_ input: Operations.ReceiveEmail.Input) async throws -> Operations.ReceiveEmail.Output {
        let request = try InboundSignature.verified()
        let raw = Array(try APIContext.rawBody())
        let email: InboundEmail
        do {
            email = try InboundEmail(parsing: raw)
        } catch {
            throw UserFacingError.badRequest(error.description)
        }
        let outcome = try await InboundMessages.email(email, now: request.application.settings.clock(), on: request.db)
        let result: Components.Schemas.InboundEmailResult =
            switch outcome {
            case .bounced(let messages, let addresses): .init(outcome: .bounced, messages: messages, debtors: addresses)
            case .optedOut(let debtors): .init(outcome: .optedOut, messages: 0, debtors: debtors)
            case .recorded(let debtors): .init(outcome: .recorded, messages: 0, debtors: debtors)
            case .ignored: .init(outcome: .ignored, messages: 0, debtors: 0)
            }
        return .ok(.init(body: .json(result)))
    }

    func receiveTextReceipt(
        _ input: Operations.ReceiveTextReceipt.Input
    ) async throws -> Operations.ReceiveTextReceipt.Output {
        let request = try InboundSignature.verified()
        guard case .json(let receipt) = input.body else { throw UserFacingError.badRequest("the body is not JSON") }
        guard let id = Int64(receipt.messageId), id > 0 else {
            throw UserFacingError.badRequest("messageId \"\(receipt.messageId)\" is not an outbox message's id")
        }
        let recorded = try await InboundMessages.receipt(
            messageID: id, channel: .sms, delivered: receipt.status == .delivered, reason: receipt.error,
            now: request.application.settings.clock(), on: request.db)
        guard recorded else { throw UserFacingError.notFound("there is no text message \(id) in the outbox") }
        return .ok(.init(body: .json(.init(recorded: true))))
    }
}

/// The HMAC check of the inbound endpoints.
enum InboundSignature {
    static let header = "X-Recoup-Signature"

    /// The current request when its signature is the HMAC-SHA256 of its body under the configured secret; 503 when
    /// no secret is configured, 401 when the signature is missing or wrong.
    static func verified() throws -> Request {
        let request = try APIContext.current()
        guard let secret = request.application.settings.inboundSecret else {
            throw UserFacingError(
                status: .serviceUnavailable, code: "not_configured",
                message: "inbound messages are off: set RECOUP_INBOUND_SECRET and give it to the provider")
        }
        let body = try APIContext.rawBody()
        guard let given = request.headers.first(name: header), isValid(given, body: body, secret: secret) else {
            throw UserFacingError.unauthorized(
                "\(header) is missing or wrong: send sha256= and the hex HMAC-SHA256 of the body under the shared "
                    + "secret")
        }
        return request
    }

    /// `sha256=HEX` of `body` under `secret`.
    static func signature(_ body: Data, secret: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(secret.utf8)))
        return "sha256=" + mac.map { String(format: "%02x", $0) }.joined()
    }

    static func isValid(_ given: String, body: Data, secret: String) -> Bool {
        let expected = Array(signature(body, secret: secret).utf8)
        let actual = Array(given.trimmingCharacters(in: .whitespaces).lowercased().utf8)
        guard expected.count == actual.count else { return false }
        return zip(expected, actual).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
