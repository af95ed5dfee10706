import RecoupAPI
import Vapor

// Operations not yet answered by generated handlers: their Vapor controllers still serve them, and `APIRoutes`
// registers none of these. Each goes when its operation is converted.
extension RecoupAPIHandlers {
    private static func notConverted() -> any Error { Abort(.notImplemented) }

    func listDebts(_ input: Operations.ListDebts.Input) async throws -> Operations.ListDebts.Output { throw Self.notConverted() }
    func getDebt(_ input: Operations.GetDebt.Input) async throws -> Operations.GetDebt.Output { throw Self.notConverted() }
    func recordContact(_ input: Operations.RecordContact.Input) async throws -> Operations.RecordContact.Output { throw Self.notConverted() }
}
