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
/// request had already been posted (with the first result), 400/404 with a sentence otherwise.
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
        let database = request.db
        if body["debtor"] != nil {
            let debtor = try text("debtor")
            let currency = try await PaymentCommandSupport.currency(client: client, debt: nil, debtor: debtor, on: database)
            let units = try fields.amount("amount", currency: currency)
            let result = try await PaymentStore.spread(
                SpreadPaymentRequest(
                    clientRef: client, debtorRef: debtor, amount: units, on: date, idempotencyKey: key,
                    method: body["method"]?.stringValue, reference: body["reference"]?.stringValue),
                on: database, now: request.application.settings.clock())
            return Self.answer(result.posted, PaymentCommandSupport.json(result, client: client, debtor: debtor).text)
        }
        let debt = try text("debt")
        let action: PaymentRequest.Action
        if body["reverses"] != nil {
            action = .reverse(paymentKey: try text("reverses"), on: date, reason: body["reason"]?.stringValue ?? "reversal")
        } else if body["refund"] != nil {
            let currency = try await PaymentCommandSupport.currency(client: client, debt: debt, on: database)
            let units = try fields.amount("refund", currency: currency)
            action = .refund(amount: units, on: date)
        } else {
            let currency = try await PaymentCommandSupport.currency(client: client, debt: debt, on: database)
            let units = try fields.amount("amount", currency: currency)
            action = .pay(amount: units, on: date)
        }
        let result = try await PaymentStore.post(
            PaymentRequest(
                clientRef: client, debtRef: debt, action: action, idempotencyKey: key,
                method: body["method"]?.stringValue, reference: body["reference"]?.stringValue),
            on: database, now: request.application.settings.clock())
        if result.posted { try await request.refreshSegments(client: client, debtRefs: [debt]) }
        return Self.answer(result.posted, PaymentCommandSupport.json(result, client: client, debt: debt).text)
    }

    private static func answer(_ posted: Bool, _ json: String) -> Response {
        let response = Response(status: posted ? .created : .ok, body: .init(string: json))
        response.headers.contentType = .json
        return response
    }
}
