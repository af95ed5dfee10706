import Foundation
import OpenAPIRuntime
import RecoupAPI
import RecoupCore
import RecoupStore
import Vapor

// Payments, arrangements, promises and projections: each operation calls one RecoupStore use case. Answers are the
// document's types made from the store's values (APIOutput.swift), the same values `recoup` prints.
extension RecoupAPIHandlers {
    // MARK: Payments

    func postPayment(_ input: Operations.PostPayment.Input) async throws -> Operations.PostPayment.Output {
        let request = try APIContext.current()
        guard case .json(let body) = input.body else { throw APIInput.missingBody }
        let client = try APIInput.client(body.client, request)
        let date = try APIInput.date(body.on, field: "on")
        let key = try APIInput.required(body.key, "key")
        let settings = request.application.settings
        let releaseOn = try body.releaseOn.map { try APIInput.date($0, field: "releaseOn") }
        if let releaseOn, releaseOn < date {
            throw UserFacingError.badRequest("releaseOn \(releaseOn.isoString) is before the payment's date \(body.on)")
        }
        if releaseOn != nil, body.receivedBy?.rawValue == PaymentReceiver.client.rawValue {
            throw UserFacingError.badRequest(
                "releaseOn is for a payment the agency received; a direct payment is never in trust")
        }
        let answer: (posted: Bool, result: Components.Schemas.PaymentResult)
        if let debtor = body.debtor {
            // A client user's payment spread over a debtor's debts is one the client received.
            var receiver = try await AgencyRoles.receiver(
                request, named: body.receivedBy?.rawValue, clientRef: client, debtRef: nil, isPayment: true)
            if request.recoupUser?.role == .client { receiver = .client }
            let result = try await PaymentStore.spread(
                SpreadPaymentRequest(
                    clientRef: client, debtorRef: try APIInput.required(debtor, "debtor"),
                    amount: try APIInput.amount(body.amount, "amount"), on: date, idempotencyKey: key,
                    method: body.method, reference: body.reference, receivedBy: receiver,
                    releaseOn: receiver == .agency ? releaseOn : nil),
                on: request.db, now: settings.clock(), zone: settings.businessTimeZone)
            answer = (result.posted, .SpreadPaymentPosted(.init(result, client: client, debtor: debtor)))
        } else {
            guard let debt = body.debt, !debt.isEmpty else { throw UserFacingError.badRequest("debt is missing") }
            let action: PaymentRequest.Action
            if let reverses = body.reverses {
                action = .reverse(
                    paymentKey: try APIInput.required(reverses, "reverses"), on: date, reason: body.reason ?? "reversal"
                )
            } else if body.refund != nil {
                action = .refund(amount: try APIInput.amount(body.refund, "refund"), on: date)
            } else {
                action = .pay(amount: try APIInput.amount(body.amount, "amount"), on: date)
            }
            var isPayment = true
            if case .pay = action {} else { isPayment = false }
            let receiver = try await AgencyRoles.receiver(
                request, named: body.receivedBy?.rawValue, clientRef: client, debtRef: debt, isPayment: isPayment)
            let result = try await PaymentStore.post(
                PaymentRequest(
                    clientRef: client, debtRef: debt, action: action, idempotencyKey: key, method: body.method,
                    reference: body.reference, receivedBy: receiver, releaseOn: receiver == .agency ? releaseOn : nil),
                on: request.db, now: settings.clock(), zone: settings.businessTimeZone)
            answer = (result.posted, .PaymentPosted(try .init(result, client: client, debt: debt)))
        }
        let result = answer.result
        return answer.posted ? .created(.init(body: .json(result))) : .ok(.init(body: .json(result)))
    }

    // MARK: Arrangements

    func createArrangement(
        _ input: Operations.CreateArrangement.Input
    ) async throws
        -> Operations.CreateArrangement.Output
    {
        let request = try APIContext.current()
        guard case .json(let body) = input.body else { throw APIInput.missingBody }
        let client = try APIInput.client(body.client, request)
        guard !body.debts.isEmpty else {
            throw UserFacingError.badRequest("debts must be a list of debt references, such as [\"INV-1\"]")
        }
        let settings = request.application.settings
        let view = try await ArrangementStore.create(
            CreateArrangementRequest(
                clientRef: client, debtRefs: body.debts, today: try APIInput.date(body.today, field: "today"),
                amount: .text(body.offer.amount.text, field: "offer.amount"),
                frequency: PaymentFrequency(rawValue: body.offer.frequency.rawValue) ?? .monthly,
                firstDue: try APIInput.date(body.offer.firstDue, field: "offer.firstDue"),
                option: body.option.flatMap { PlanOption.Kind(rawValue: $0.rawValue) } ?? .installments),
            on: request.db, now: settings.clock(), zone: settings.businessTimeZone)
        return .created(.init(body: .json(Components.Schemas.Arrangement(view))))
    }

    func getArrangement(_ input: Operations.GetArrangement.Input) async throws -> Operations.GetArrangement.Output {
        let request = try APIContext.current()
        let view = try await ArrangementStore.show(
            clientRef: try APIInput.client(input.query.client, request), ref: input.path.ref,
            asOf: try APIInput.date(input.query.asOf, field: "asOf"), on: request.db)
        return .ok(.init(body: .json(Components.Schemas.Arrangement(view))))
    }

    func getArrangementAgreement(
        _ input: Operations.GetArrangementAgreement.Input
    ) async throws
        -> Operations.GetArrangementAgreement.Output
    {
        let request = try APIContext.current()
        let agreement = try await ArrangementStore.agreement(
            clientRef: try APIInput.client(input.query.client, request), ref: input.path.ref, on: request.db)
        let headers = Operations.GetArrangementAgreement.Output.Ok.Headers(xAgreementSHA256: agreement.sha256)
        if input.query.format == .html {
            return .ok(.init(headers: headers, body: .html(HTTPBody(agreement.html))))
        }
        return .ok(.init(headers: headers, body: .plainText(HTTPBody(agreement.text))))
    }

    func acceptArrangement(
        _ input: Operations.AcceptArrangement.Input
    ) async throws
        -> Operations.AcceptArrangement.Output
    {
        let request = try APIContext.current()
        guard case .json(let body) = input.body else { throw APIInput.missingBody }
        let settings = request.application.settings
        // A portal click takes the request's address and user agent when the body does not give them.
        let acceptance = try AcceptanceInput.read(
            by: try APIInput.required(body.by, "by"), at: body.at ?? ISO8601Instant.format(settings.clock()),
            method: body.method.rawValue, ip: body.ip ?? request.remoteAddress?.ipAddress,
            userAgent: body.userAgent ?? request.headers.first(name: .userAgent), collector: body.collector,
            recording: body.recording, document: body.document)
        let view = try await ArrangementStore.accept(
            clientRef: try APIInput.client(body.client, request), ref: input.path.ref, acceptance: acceptance,
            on: request.db, now: settings.clock(), zone: settings.businessTimeZone)
        return .ok(.init(body: .json(Components.Schemas.Arrangement(view))))
    }

    func cancelArrangement(
        _ input: Operations.CancelArrangement.Input
    ) async throws
        -> Operations.CancelArrangement.Output
    {
        let request = try APIContext.current()
        guard case .json(let body) = input.body else { throw APIInput.missingBody }
        let settings = request.application.settings
        let view = try await ArrangementStore.cancel(
            clientRef: try APIInput.client(body.client, request), ref: input.path.ref,
            reason: try APIInput.required(body.reason, "reason"), on: try APIInput.date(body.on, field: "on"),
            database: request.db, now: settings.clock(), zone: settings.businessTimeZone)
        return .ok(.init(body: .json(Components.Schemas.Arrangement(view))))
    }

    // MARK: Promises

    func addPromise(_ input: Operations.AddPromise.Input) async throws -> Operations.AddPromise.Output {
        let request = try APIContext.current()
        guard case .json(let body) = input.body else { throw APIInput.missingBody }
        let madeOn = try APIInput.date(body.madeOn, field: "madeOn")
        let settings = request.application.settings
        let view = try await PromiseStore.add(
            clientRef: try APIInput.client(body.client, request), debtRef: try APIInput.required(body.debt, "debt"),
            amount: .text(body.amount.text, field: "amount"), due: try APIInput.date(body.due, field: "due"),
            madeOn: madeOn, via: body.via.flatMap { PromiseToPay.Channel(rawValue: $0.rawValue) } ?? .portal,
            note: body.note, on: request.db, now: settings.clock(), zone: settings.businessTimeZone)
        return .created(.init(body: .json(Components.Schemas.Promise(view, asOf: madeOn))))
    }

    func listPromises(_ input: Operations.ListPromises.Input) async throws -> Operations.ListPromises.Output {
        let request = try APIContext.current()
        let asOf = try APIInput.date(input.query.asOf, field: "asOf")
        let views = try await PromiseStore.list(
            clientRef: try APIInput.client(input.query.client, request), debtRef: APIInput.nonEmpty(input.query.debt),
            asOf: asOf, on: request.db)
        return .ok(.init(body: .json(views.map { Components.Schemas.Promise($0, asOf: asOf) })))
    }

    // MARK: Projections

    /// `id` is the debt's id, or its reference when `client` is given.
    func getDebtProjection(
        _ input: Operations.GetDebtProjection.Input
    ) async throws
        -> Operations.GetDebtProjection.Output
    {
        let request = try APIContext.current()
        let months = input.query.months ?? 12
        guard (1...120).contains(months) else { throw UserFacingError.badRequest("months must be 1 to 120") }
        let key = input.path.id
        let client: String
        let debtRef: String
        if let given = APIInput.nonEmpty(input.query.client) {
            client = try APIInput.client(given, request)
            debtRef = key
        } else {
            guard let id = Int64(key),
                let debt = try await DebtQueries.debt(id: id, scope: request.scope, on: request.db)
            else { throw UserFacingError.notFound("there is no debt \(key)") }
            client = debt.clientRef
            debtRef = debt.ref
        }
        let (projection, currency) = try await AccrualStore.projection(
            clientRef: client, debtRef: debtRef, from: try APIInput.date(input.query.from, field: "from"),
            months: months, on: request.db)
        return .ok(.init(body: .json(.init(projection, currency: currency))))
    }
}
