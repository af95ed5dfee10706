import Foundation
import RecoupCore
import RecoupStore
import Vapor

/// Arrangements, promises, client terms and projections over HTTP, in the same JSON shapes as the command line
/// (docs/arrangements.md):
///
/// - `POST /api/v1/arrangements` `{"client", "debts": [..], "today", "offer": {"amount", "frequency", "firstDue"},
///   "option"?}` → 201 with the arrangement;
/// - `GET /api/v1/arrangements/:ref?client=&asOf=`; `GET /api/v1/arrangements/:ref/agreement?client=&format=text|html`;
/// - `POST /api/v1/arrangements/:ref/accept` `{"client", "by", "at"?, "method", …evidence}` (a portal click takes the
///   IP address and user agent of the request when the body does not give them);
/// - `POST /api/v1/arrangements/:ref/cancel` `{"client", "reason", "on"}`;
/// - `POST /api/v1/promises` `{"client", "debt", "amount", "due", "madeOn", "via"?, "note"?}`;
///   `GET /api/v1/promises?client=&asOf=&debt=`;
/// - `GET /api/v1/clients/:client/terms`, `PUT /api/v1/clients/:client/terms` (the terms JSON);
/// - `GET /api/v1/debts/:id/projection?from=&months=` (`:id` the debt's id, or its reference with `client=`).
struct ArrangementsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let arrangements = routes.grouped("arrangements")
        arrangements.on(.POST, body: .collect(maxSize: "64kb"), use: create)
        arrangements.get(":ref", use: show)
        arrangements.get(":ref", "agreement", use: agreement)
        arrangements.on(.POST, ":ref", "accept", body: .collect(maxSize: "16kb"), use: accept)
        arrangements.on(.POST, ":ref", "cancel", body: .collect(maxSize: "16kb"), use: cancel)
        routes.on(.POST, "promises", body: .collect(maxSize: "16kb"), use: addPromise)
        routes.get("promises", use: promises)
        routes.get("clients", ":client", "terms", use: terms)
        routes.on(.PUT, "clients", ":client", "terms", body: .collect(maxSize: "64kb"), use: setTerms)
        routes.get("debts", ":id", "projection", use: projection)
    }

    @Sendable
    func create(request: Request) async throws -> Response {
        let body = try JSONBody(request)
        let client = try body.text("client")
        try request.requireClient(client)
        guard let debts = body.object["debts"]?.arrayValue?.compactMap(\.stringValue), !debts.isEmpty else {
            throw UserFacingError.badRequest("debts must be a list of debt references, such as [\"INV-1\"]")
        }
        guard let offer = body.object["offer"]?.objectValue else {
            throw UserFacingError.badRequest("offer is missing: {\"amount\", \"frequency\", \"firstDue\"}")
        }
        let offerBody = JSONBody(object: offer, prefix: "offer.")
        let frequencyName = try offerBody.text("frequency")
        guard let frequency = PaymentFrequency(rawValue: frequencyName) else {
            throw UserFacingError.badRequest("offer.frequency is \"\(frequencyName)\"; use weekly, biweekly or monthly")
        }
        let optionName = body.object["option"]?.stringValue ?? "installments"
        guard let option = PlanOption.Kind(rawValue: optionName) else {
            throw UserFacingError.badRequest("option is \"\(optionName)\"; use installments, extension or settlement")
        }
        let settings = request.application.settings
        let view = try await ArrangementStore.create(
            CreateArrangementRequest(
                clientRef: client, debtRefs: debts, today: try LocalDate(iso: try body.text("today")),
                amount: try offerBody.enteredAmount("amount"), frequency: frequency,
                firstDue: try LocalDate(iso: try offerBody.text("firstDue")), option: option),
            on: request.db, now: settings.clock(), zone: settings.businessTimeZone)
        return Self.json(ArrangementJSON.view(view).text, status: .created)
    }

    @Sendable
    func show(request: Request) async throws -> Response {
        let view = try await ArrangementStore.show(
            clientRef: try Self.client(request), ref: try Self.parameter(request, "ref"),
            asOf: try LocalDate(iso: try Self.query(request, "asOf")), on: request.db)
        return Self.json(ArrangementJSON.view(view).text)
    }

    @Sendable
    func agreement(request: Request) async throws -> Response {
        let agreement = try await ArrangementStore.agreement(
            clientRef: try Self.client(request), ref: try Self.parameter(request, "ref"), on: request.db)
        let html = (request.query[String.self, at: "format"] ?? "text") == "html"
        let response = Response(status: .ok, body: .init(string: html ? agreement.html : agreement.text))
        response.headers.contentType = html ? .html : .plainText
        response.headers.replaceOrAdd(name: "X-Agreement-SHA256", value: agreement.sha256)
        return response
    }

    @Sendable
    func accept(request: Request) async throws -> Response {
        let body = try JSONBody(request)
        let at = body.object["at"]?.stringValue ?? ISO8601Instant.format(request.application.settings.clock())
        let acceptance = try ArrangementJSON.acceptance(
            by: try body.text("by"), at: at, method: try body.text("method"),
            ip: body.object["ip"]?.stringValue ?? request.remoteAddress?.ipAddress,
            userAgent: body.object["userAgent"]?.stringValue ?? request.headers.first(name: .userAgent),
            collector: body.object["collector"]?.stringValue, recording: body.object["recording"]?.stringValue,
            document: body.object["document"]?.stringValue)
        let client = try Self.client(request, body)
        let ref = try Self.parameter(request, "ref")
        let settings = request.application.settings
        let view = try await ArrangementStore.accept(
            clientRef: client, ref: ref, acceptance: acceptance, on: request.db, now: settings.clock(),
            zone: settings.businessTimeZone)
        return Self.json(ArrangementJSON.view(view).text)
    }

    @Sendable
    func cancel(request: Request) async throws -> Response {
        let body = try JSONBody(request)
        let client = try Self.client(request, body)
        let ref = try Self.parameter(request, "ref")
        let settings = request.application.settings
        let view = try await ArrangementStore.cancel(
            clientRef: client, ref: ref, reason: try body.text("reason"), on: try LocalDate(iso: try body.text("on")),
            database: request.db, now: settings.clock(), zone: settings.businessTimeZone)
        return Self.json(ArrangementJSON.view(view).text)
    }

    @Sendable
    func addPromise(request: Request) async throws -> Response {
        let body = try JSONBody(request)
        let client = try Self.client(request, body)
        let debt = try body.text("debt")
        let viaName = body.object["via"]?.stringValue ?? "portal"
        guard let via = PromiseToPay.Channel(rawValue: viaName) else {
            throw UserFacingError.badRequest("via is \"\(viaName)\"; use call or portal")
        }
        let madeOn = try LocalDate(iso: try body.text("madeOn"))
        let settings = request.application.settings
        let view = try await PromiseStore.add(
            clientRef: client, debtRef: debt, amount: try body.enteredAmount("amount"),
            due: try LocalDate(iso: try body.text("due")), madeOn: madeOn, via: via,
            note: body.object["note"]?.stringValue, on: request.db, now: settings.clock(), zone: settings.businessTimeZone)
        return Self.json(ArrangementJSON.promise(view, asOf: madeOn).text, status: .created)
    }

    @Sendable
    func promises(request: Request) async throws -> Response {
        let asOf = try LocalDate(iso: try Self.query(request, "asOf"))
        let views = try await PromiseStore.list(
            clientRef: try Self.client(request), debtRef: request.query[String.self, at: "debt"], asOf: asOf,
            on: request.db)
        return Self.json(OrderedJSON.array(views.map { ArrangementJSON.promise($0, asOf: asOf) }).text)
    }

    @Sendable
    func terms(request: Request) async throws -> Response {
        let client = try Self.parameter(request, "client")
        try request.requireClient(client)
        let terms = try await AccrualStore.terms(clientRef: client, on: request.db).terms
        return Self.json(terms.jsonText)
    }

    @Sendable
    func setTerms(request: Request) async throws -> Response {
        let client = try Self.parameter(request, "client")
        try request.requireClient(client)
        try request.requireRole(.admin, .manager)
        guard let buffer = request.body.data else { throw UserFacingError.badRequest("the body must be the terms JSON") }
        let terms = try await AccrualStore.setTerms(
            clientRef: client, json: Data(buffer.readableBytesView), on: request.db)
        return Self.json(terms.jsonText)
    }

    @Sendable
    func projection(request: Request) async throws -> Response {
        let months = request.query[Int.self, at: "months"] ?? 12
        guard (1...120).contains(months) else { throw UserFacingError.badRequest("months must be 1 to 120") }
        // `:id` is the debt's id, or its reference when `client` is given.
        let key = try Self.parameter(request, "id")
        let client: String
        let debtRef: String
        if request.query[String.self, at: "client"] != nil {
            client = try Self.client(request)
            debtRef = key
        } else {
            guard let id = Int64(key), let debt = try await DebtQueries.debt(id: id, scope: request.scope, on: request.db)
            else { throw UserFacingError.notFound("there is no debt \(key)") }
            client = debt.clientRef
            debtRef = debt.ref
        }
        let (projection, currency) = try await AccrualStore.projection(
            clientRef: client, debtRef: debtRef,
            from: try LocalDate(iso: try Self.query(request, "from")), months: months, on: request.db)
        return Self.json(projection.jsonText(currency: currency))
    }

    // MARK: Helpers

    /// The `client` query parameter, refused as missing when the user may not see it.
    static func client(_ request: Request) throws -> String {
        let client = try query(request, "client")
        try request.requireClient(client)
        return client
    }

    /// The body's `client`, refused as missing when the user may not see it.
    static func client(_ request: Request, _ body: JSONBody) throws -> String {
        let client = try body.text("client")
        try request.requireClient(client)
        return client
    }

    static func query(_ request: Request, _ name: String) throws -> String {
        guard let value = request.query[String.self, at: name], !value.isEmpty else {
            throw UserFacingError.badRequest("the query parameter \(name) is missing")
        }
        return value
    }

    static func parameter(_ request: Request, _ name: String) throws -> String {
        guard let value = request.parameters.get(name) else { throw UserFacingError.badRequest("\(name) is missing") }
        return value
    }

    static func json(_ text: String, status: HTTPResponseStatus = .ok) -> Response {
        let response = Response(status: status, body: .init(string: text))
        response.headers.contentType = .json
        return response
    }
}

/// A JSON object request body, with one-sentence errors naming the member.
struct JSONBody {
    let object: JSONObject
    let prefix: String

    init(object: JSONObject, prefix: String = "") {
        self.object = object
        self.prefix = prefix
    }

    init(_ request: Request) throws {
        guard let buffer = request.body.data, let object = (try? JSONValue.parse(Data(buffer.readableBytesView)))?.objectValue
        else { throw UserFacingError.badRequest("the request body is not a JSON object") }
        self.init(object: object)
    }

    func text(_ key: String) throws -> String {
        if let text = object[key]?.stringValue, !text.trimmedSpaces.isEmpty { return text }
        if let number = object[key]?.numberValue { return number.text }
        throw UserFacingError.badRequest("\(prefix)\(key) is missing or not a string")
    }

    /// An amount as sent (a decimal string, or a JSON number read digit for digit), for a use case that reads it in
    /// the currency of the debt it finds: above zero, and the error names the member.
    func enteredAmount(_ key: String) throws -> EnteredAmount {
        .text(try text(key), field: prefix + key)
    }

    /// A date `YYYY-MM-DD`; the error names the member.
    func date(_ key: String) throws -> LocalDate {
        let text = try text(key)
        do { return try LocalDate(iso: text) } catch { throw InputError("\(prefix)\(key): \(error.description)") }
    }
}
