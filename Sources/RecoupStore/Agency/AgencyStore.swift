import FluentKit
import Foundation
import RecoupCore
import SQLKit

/// A client's contract as stored: the version in force and when it was saved.
public struct StoredContract: Sendable, Equatable {
    public var id: Int64
    public var clientRef: String
    public var version: Int
    public var contract: AgencyContract
    public var savedAt: Date
    public var savedBy: String?
}

/// Clients' contracts with the agency (docs/agency.md, "Contracts"). Each save is a new version; a placement is priced
/// with the version in force when it is placed, so a new contract never changes what earlier placements earn.
public enum AgencyStore {
    /// Saves `contract` as `clientRef`'s newest version (creating the client when new). Saving what is already in force
    /// stores nothing and answers the stored version.
    public static func save(
        _ contract: AgencyContract, clientRef: String, by: String?, now: Date, on database: any Database
    ) async throws -> (contract: StoredContract, saved: Bool) {
        try await PaymentStore.serializedTransaction(database) { sql in
            // A new client's first step is its contract: the client is created with it.
            let clientID = try await ClientQueries.ensureClient(ref: clientRef, on: sql, now: now)
            if let current = try await current(clientID: clientID, clientRef: clientRef, sql: sql),
                current.contract == contract
            {
                return (current, false)
            }
            let version =
                try await sql.raw(
                    "SELECT COALESCE(MAX(version), 0) AS v FROM agency_contracts WHERE client_id = \(bind: clientID)"
                ).first()!.decode(column: "v", as: Int.self) + 1
            let id = try await sql.raw(
                """
                INSERT INTO agency_contracts (client_id, version, remittance, direct_commission, free_days, free_rate, \
                schedule, remit_days, hold_days, saved_at, saved_by) VALUES (\(bind: clientID), \(bind: version), \
                \(bind: contract.remittance.rawValue), \(bind: contract.directPaymentCommission), \
                \(bind: contract.freeDemand?.days), \(bind: contract.freeDemand?.rate.thousandths), \
                \(bind: contract.schedule.rawValue), \(bind: contract.remitWithinDaysAfterMonth), \
                \(bind: contract.holdDays), \(bind: now), \(bind: by)) RETURNING id
                """
            ).first()!.decode(column: "id", as: Int64.self)
            for (position, tier) in contract.rates.enumerated() {
                try await sql.raw(
                    """
                    INSERT INTO agency_contract_rates (contract_id, position, up_to_days, up_to_balance, rate) VALUES \
                    (\(bind: id), \(bind: position), \(bind: tier.upToDaysAtPlacement), \(bind: tier.upToBalance), \
                    \(bind: tier.rate.thousandths))
                    """
                ).run()
            }
            return (
                StoredContract(
                    id: id, clientRef: clientRef, version: version, contract: contract, savedAt: now, savedBy: by),
                true
            )
        }
    }

    /// The contract in force for `clientRef`, nil when it has none (`unknownClient` when there is no such client).
    public static func contract(clientRef: String, on database: any Database) async throws -> StoredContract? {
        let sql = database as! any SQLDatabase
        guard let clientID = try await ClientQueries.clientID(ref: clientRef, on: sql) else {
            throw StoreError.unknownClient(clientRef)
        }
        return try await current(clientID: clientID, clientRef: clientRef, sql: sql)
    }

    /// The newest contract of a client.
    static func current(clientID: Int64, clientRef: String, sql: any SQLDatabase) async throws -> StoredContract? {
        guard
            let row = try await sql.raw(
                """
                SELECT id, version, remittance, direct_commission, free_days, free_rate, schedule, remit_days, \
                hold_days, saved_at, saved_by FROM agency_contracts WHERE client_id = \(bind: clientID) \
                ORDER BY version DESC LIMIT 1
                """
            ).first()
        else { return nil }
        let id = try row.decode(column: "id", as: Int64.self)
        let rates = try await sql.raw(
            """
            SELECT up_to_days, up_to_balance, rate FROM agency_contract_rates WHERE contract_id = \(bind: id) \
            ORDER BY position
            """
        ).all().map { rate in
            RateTier(
                upToDaysAtPlacement: try rate.decode(column: "up_to_days", as: Int?.self),
                upToBalance: try rate.decode(column: "up_to_balance", as: String?.self),
                rate: try CommissionRate(thousandths: try rate.decode(column: "rate", as: Int64.self)))
        }
        var freeDemand: FreeDemand? = nil
        if let days = try row.decode(column: "free_days", as: Int?.self),
            let rate = try row.decode(column: "free_rate", as: Int64?.self)
        {
            freeDemand = FreeDemand(days: days, rate: try CommissionRate(thousandths: rate))
        }
        let contract = try AgencyContract(
            remittance: RemittanceMethod(rawValue: try row.decode(column: "remittance", as: String.self)) ?? .net,
            directPaymentCommission: try row.decode(column: "direct_commission", as: Bool.self), rates: rates,
            freeDemand: freeDemand,
            schedule: RemittanceSchedule(rawValue: try row.decode(column: "schedule", as: String.self)) ?? .monthly,
            remitWithinDaysAfterMonth: try row.decode(column: "remit_days", as: Int.self),
            holdDays: try row.decode(column: "hold_days", as: Int.self))
        return StoredContract(
            id: id, clientRef: clientRef, version: try row.decode(column: "version", as: Int.self),
            contract: contract, savedAt: try row.decode(column: "saved_at", as: Date.self),
            savedBy: try row.decode(column: "saved_by", as: String?.self))
    }
}
