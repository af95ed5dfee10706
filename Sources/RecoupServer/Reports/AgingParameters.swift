import RecoupCore
import RecoupStore
import Vapor

/// The aging report's query parameters, validated; `asOf` defaults to today in the business zone.
struct AgingParameters {
    var asOf: LocalDate
    var clientRef: String?
    var currency: Currency?

    init(asOf: LocalDate, clientRef: String?, currency: Currency?) {
        self.asOf = asOf
        self.clientRef = clientRef
        self.currency = currency
    }

    init(request: Request) throws {
        let settings = request.application.settings
        if let text = request.query[String.self, at: "asOf"] {
            asOf = try LocalDate(iso: text)
        } else {
            asOf = settings.today
        }
        clientRef = request.query[String.self, at: "client"].flatMap { $0.isEmpty ? nil : $0 }
        currency = try request.query[String.self, at: "currency"].flatMap { $0.isEmpty ? nil : try Currency(code: $0) }
    }

    /// A client user sees their own client's figures only: another client answers 404 like a missing one.
    mutating func limit(to scope: ClientScope) throws {
        guard case .client(_, let ref) = scope else { return }
        if let clientRef, clientRef != ref { throw StoreError.unknownClient(clientRef) }
        clientRef = ref
    }
}
