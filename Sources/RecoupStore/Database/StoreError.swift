/// What the store refuses or cannot do, typed by what went wrong so that each edge answers it the same way: the
/// server maps the cases to HTTP statuses in one middleware, the command line prints the sentence and exits 2.
public enum StoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The database cannot be opened.
    case cannotConnect(String, reason: String)
    /// There is no client with this reference (or the user may not see it).
    case unknownClient(String)
    /// The client has no debt with this reference.
    case unknownDebt(client: String, debt: String)
    /// The client has no debtor with this reference.
    case unknownDebtor(client: String, debtor: String)
    /// The client has no arrangement with this reference.
    case unknownArrangement(client: String, arrangement: String)
    /// The idempotency key was already used for a different request (another amount, date or kind); `message`
    /// says for what. A retry of the same request is not an error: it answers with the first result.
    case idempotencyConflict(key: String, message: String)
    /// Anything else the request got wrong, in one sentence.
    case invalid(String)

    public var description: String {
        switch self {
        case .cannotConnect(let target, let reason): "cannot open \(target): \(reason)"
        case .unknownClient(let ref): "there is no client \"\(ref)\""
        case .unknownDebt(let client, let debt): "client \"\(client)\" has no debt \"\(debt)\""
        case .unknownDebtor(let client, let debtor): "client \"\(client)\" has no debtor \"\(debtor)\""
        case .unknownArrangement(let client, let ref): "client \"\(client)\" has no arrangement \"\(ref)\""
        case .idempotencyConflict(_, let message): message
        case .invalid(let message): message
        }
    }

    /// True for the cases that say something the request named does not exist.
    public var isUnknownReference: Bool {
        switch self {
        case .unknownClient, .unknownDebt, .unknownDebtor, .unknownArrangement: true
        case .cannotConnect, .idempotencyConflict, .invalid: false
        }
    }
}
