import RecoupAPI
import Vapor

// Operations not yet answered by generated handlers: their Vapor controllers still serve them, and `APIRoutes`
// registers none of these. Each goes when its operation is converted.
extension RecoupAPIHandlers {
    private static func notConverted() -> any Error { Abort(.notImplemented) }

    func createArrangement(_ input: Operations.CreateArrangement.Input) async throws -> Operations.CreateArrangement.Output { throw Self.notConverted() }
    func getArrangement(_ input: Operations.GetArrangement.Input) async throws -> Operations.GetArrangement.Output { throw Self.notConverted() }
    func acceptArrangement(_ input: Operations.AcceptArrangement.Input) async throws -> Operations.AcceptArrangement.Output { throw Self.notConverted() }
    func getArrangementAgreement(_ input: Operations.GetArrangementAgreement.Input) async throws -> Operations.GetArrangementAgreement.Output { throw Self.notConverted() }
    func cancelArrangement(_ input: Operations.CancelArrangement.Input) async throws -> Operations.CancelArrangement.Output { throw Self.notConverted() }
    func listDebts(_ input: Operations.ListDebts.Input) async throws -> Operations.ListDebts.Output { throw Self.notConverted() }
    func getDebt(_ input: Operations.GetDebt.Input) async throws -> Operations.GetDebt.Output { throw Self.notConverted() }
    func recordContact(_ input: Operations.RecordContact.Input) async throws -> Operations.RecordContact.Output { throw Self.notConverted() }
    func getDebtProjection(_ input: Operations.GetDebtProjection.Input) async throws -> Operations.GetDebtProjection.Output { throw Self.notConverted() }
    func postPayment(_ input: Operations.PostPayment.Input) async throws -> Operations.PostPayment.Output { throw Self.notConverted() }
    func listPromises(_ input: Operations.ListPromises.Input) async throws -> Operations.ListPromises.Output { throw Self.notConverted() }
    func addPromise(_ input: Operations.AddPromise.Input) async throws -> Operations.AddPromise.Output { throw Self.notConverted() }
}
