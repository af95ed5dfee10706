import Foundation
import RecoupCore
import RecoupStore
import Vapor

/// `POST /api/v1/payments`: post a payment (or, with `reverses`, a reversal) exactly once.
///
/// Body: `{"client", "debt", "amount", "on", "key", "method"?, "reference"?}`; with `"debtor"` instead of `"debt"` the
/// payment is spread over the debtor's debts, oldest due first; or
/// `{"client", "debt", "reverses": PAYMENT_KEY, "on", "key", "reason"?}`; or, to pay back a credit,
/// `{"client", "debt", "refund": AMOUNT, "on", "key", "method"?, "reference"?}`. Answers 201 when posted, 200 when the same
/// request had already been posted (with the first result); 404 for an unknown client, debt or debtor, 409 for a key
/// already used for a different request, 400 for anything else wrong, each with a sentence.
struct PaymentsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.on(.POST, "payments", body: .collect(maxSize: "16kb"), use: post)
    }

    @Sendable
    func post(request: Request) async throws -> Response {
        guard let buffer = request.body.data, let value = try? JSONValue.parse(Data(buffer.readableBytesView)),
            let body = value.objectValue
        else {
            throw UserFacingError.badRequest("the request is not a JSON object such as {\"client\", \"debt\", \"amount\", \"on\", \"key\"}")
        }
        let fields = JSONBody(object: body)
        func text(_ key: String) throws -> String {
            guard let text = body[key]?.stringValue, !text.isEmpty else {
                throw UserFacingError.badRequest("\(key) is missing or not a string")
            }
            return text
        }
        let client = try text("client")
        try request.requireClient(client)
        let date = try fields.date("on")
        let key = try text("key")
        let settings = request.application.settings
        let method = body["method"]?.stringValue
        let reference = body["reference"]?.stringValue
        if body["debtor"] != nil {
            let debtor = try text("debtor")
            let result = try await PaymentStore.spread(
                SpreadPaymentRequest(
                    clientRef: client, debtorRef: debtor, amount: try fields.enteredAmount("amount"), on: date,
                    idempotencyKey: key, method: method, reference: reference),
                on: request.db, now: settings.clock(), zone: settings.businessTimeZone)
            return Self.answer(result.posted, PaymentCommandSupport.json(result, client: client, debtor: debtor).text)
        }
        let debt = try text("debt")
        let action: PaymentRequest.Action
        if body["reverses"] != nil {
            action = .reverse(paymentKey: try text("reverses"), on: date, reason: body["reason"]?.stringValue ?? "reversal")
        } else if body["refund"] != nil {
            action = .refund(amount: try fields.enteredAmount("refund"), on: date)
        } else {
            action = .pay(amount: try fields.enteredAmount("amount"), on: date)
        }
        let result = try await PaymentStore.post(
            PaymentRequest(
                clientRef: client, debtRef: debt, action: action, idempotencyKey: key, method: method,
                reference: reference),
            on: request.db, now: settings.clock(), zone: settings.businessTimeZone)
        return Self.answer(result.posted, PaymentCommandSupport.json(result, client: client, debt: debt).text)
    }

    private static func answer(_ posted: Bool, _ json: String) -> Response {
        let response = Response(status: posted ? .created : .ok, body: .init(string: json))
        response.headers.contentType = .json
        return response
    }
}
