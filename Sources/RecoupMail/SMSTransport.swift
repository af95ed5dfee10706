import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import RecoupCore
import RecoupStore

/// Where texts go, read once from `RECOUP_SMS_URL`, `RECOUP_SMS_TOKEN` and `RECOUP_SMS_FROM` (docs/messages.md,
/// "Texts").
public struct SMSConfiguration: Sendable, Equatable {
    public static let urlKey = "RECOUP_SMS_URL"
    public static let tokenKey = "RECOUP_SMS_TOKEN"
    public static let fromKey = "RECOUP_SMS_FROM"

    /// The provider's endpoint that takes one text (an http or https URL).
    public var url: String
    /// Sent as `Authorization: Bearer TOKEN`.
    public var token: String
    /// The number (E.164) or sender name texts come from.
    public var from: String

    public init(url: String, token: String, from: String) {
        self.url = url
        self.token = token
        self.from = from
    }

    /// nil when `RECOUP_SMS_URL` is not set (texts then wait in the outbox); a bad or missing value is one sentence.
    public static func fromEnvironment(
        _ environment: [String: String]
    ) throws(SMSConfigurationError)
        -> SMSConfiguration?
    {
        guard let url = environment[urlKey]?.trimmingCharacters(in: .whitespaces), !url.isEmpty else { return nil }
        guard let parts = URLComponents(string: url), let scheme = parts.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = parts.host, !host.isEmpty, parts.user == nil
        else {
            throw SMSConfigurationError(
                "\(urlKey) \"\(url)\" is not an http or https address, such as https://sms.example.com/v1/messages")
        }
        guard let token = environment[tokenKey]?.trimmingCharacters(in: .whitespaces), !token.isEmpty else {
            throw SMSConfigurationError("\(urlKey) is set but \(tokenKey) is not; give the provider's API token")
        }
        guard let from = environment[fromKey]?.trimmingCharacters(in: .whitespaces), !from.isEmpty else {
            throw SMSConfigurationError(
                "\(urlKey) is set but \(fromKey) is not; give the number texts come from, such as +16175550199")
        }
        return SMSConfiguration(url: url, token: token, from: from)
    }
}

/// A bad `RECOUP_SMS_*` value, in one sentence.
public struct SMSConfigurationError: Error, CustomStringConvertible, Equatable {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// The outbox's text service: one JSON POST a text to the provider (`{"to", "from", "body", "messageId"}`, with the
/// token as a bearer), a few at a time over the HTTP client's kept-alive connections. The provider's answer decides:
/// 2xx sent (its `id` kept as the reference), 429, 5xx or no answer in 30 s tried again later, any other 4xx failed
/// with the provider's words.
public struct SMSTransport: MessageTransport {
    public let channel = MessageChannel.sms
    public let configuration: SMSConfiguration
    /// How many texts are in flight at once.
    public var concurrency = 8

    public init(configuration: SMSConfiguration) { self.configuration = configuration }

    public func deliver(
        _ messages: [OutgoingMessage], at now: Date, answer: (Int, DeliveryOutcome) async throws -> Void
    ) async throws {
        let configuration = configuration
        try await withThrowingTaskGroup(of: (Int, DeliveryOutcome).self) { group in
            var next = 0
            func start(_ index: Int) {
                let message = messages[index]
                group.addTask { (index, await Self.send(message, configuration: configuration)) }
            }
            while next < min(concurrency, messages.count) {
                start(next)
                next += 1
            }
            while let (index, outcome) = try await group.next() {
                try await answer(index, outcome)
                if next < messages.count {
                    start(next)
                    next += 1
                }
            }
        }
    }

    /// The JSON the provider is sent for `message`.
    public static func body(_ message: OutgoingMessage, from: String) -> [String: String] {
        ["to": message.recipient, "from": from, "body": message.body, "messageId": String(message.id)]
    }

    static func send(_ message: OutgoingMessage, configuration: SMSConfiguration) async -> DeliveryOutcome {
        var request = HTTPClientRequest(url: configuration.url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Authorization", value: "Bearer \(configuration.token)")
        request.headers.add(name: "Idempotency-Key", value: message.messageKey)
        guard
            let json = try? JSONSerialization.data(
                withJSONObject: body(message, from: configuration.from), options: [.sortedKeys])
        else { return .permanentFailure("the text could not be written as JSON") }
        request.body = .bytes(ByteBuffer(bytes: json))
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
            let data = try await response.body.collect(upTo: 64 * 1024)
            let text = String(buffer: data)
            let code = Int(response.status.code)
            switch code {
            case 200..<300:
                let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
                return .sent(reference: (object?["id"] as? String) ?? (object?["id"] as? Int).map(String.init))
            case 429, 500..<600:
                return .temporaryFailure("the SMS provider answered \(code): \(text.prefix(200))")
            default:
                return .permanentFailure("the SMS provider answered \(code): \(text.prefix(200))")
            }
        } catch {
            return .temporaryFailure("the SMS provider could not be reached: \(error)")
        }
    }
}
