import Foundation
import RecoupCore
import RecoupStore

/// The agency's values as JSON, read and written here at the edge (the command line and the API share it).
enum AgencyJSON {
    // MARK: Contracts

    /// Reads a contract document (docs/agency.md, "Contracts"): `remittance`, `directPaymentCommission`, `rates`
    /// (each `percent` with optional `upToDaysAtPlacement` and `upToBalance`), and optionally `freeDemand`
    /// (`days`, `percent`), `schedule`, `remitWithinDaysAfterMonth`, `holdDays`. Unknown keys are refused, so a
    /// misspelt limit is never silently ignored.
    static func contract(from data: Data) throws -> AgencyContract {
        let value: JSONValue
        do { value = try JSONValue.parse(data) } catch { throw InputError("the contract is not JSON: \(error)") }
        guard let object = value.objectValue else { throw InputError("the contract must be a JSON object") }
        try onlyKeys(
            object,
            [
                "remittance", "directPaymentCommission", "rates", "freeDemand", "schedule",
                "remitWithinDaysAfterMonth", "holdDays",
            ], in: "the contract")
        guard let remittanceText = object["remittance"]?.stringValue,
            let remittance = RemittanceMethod(rawValue: remittanceText)
        else { throw InputError("remittance must be \"net\" or \"gross\"") }
        guard let direct = object["directPaymentCommission"]?.boolValue else {
            throw InputError("directPaymentCommission must be true or false")
        }
        guard let rateValues = object["rates"]?.arrayValue, !rateValues.isEmpty else {
            throw InputError("rates must be a list of at least one rate")
        }
        var rates: [RateTier] = []
        for (index, value) in rateValues.enumerated() {
            let name = "rates[\(index)]"
            guard let rate = value.objectValue else { throw InputError("\(name) must be an object") }
            try onlyKeys(rate, ["upToDaysAtPlacement", "upToBalance", "percent"], in: name)
            var days: Int? = nil
            if let value = rate["upToDaysAtPlacement"], !value.isNull {
                guard let number = value.numberValue?.int, number >= 0 else {
                    throw InputError("\(name).upToDaysAtPlacement must be a whole number of days")
                }
                days = number
            }
            var balance: String? = nil
            if let value = rate["upToBalance"], !value.isNull {
                guard let text = value.stringValue ?? value.numberValue?.text else {
                    throw InputError("\(name).upToBalance must be an amount such as \"1000.00\"")
                }
                balance = text
            }
            rates.append(
                RateTier(
                    upToDaysAtPlacement: days, upToBalance: balance,
                    rate: try percent(rate["percent"], name: "\(name).percent")))
        }
        var freeDemand: FreeDemand? = nil
        if let value = object["freeDemand"], !value.isNull {
            guard let free = value.objectValue else { throw InputError("freeDemand must be an object") }
            try onlyKeys(free, ["days", "percent"], in: "freeDemand")
            guard let days = free["days"]?.numberValue?.int else {
                throw InputError("freeDemand.days must be a whole number of days")
            }
            freeDemand = FreeDemand(days: days, rate: try percent(free["percent"], name: "freeDemand.percent"))
        }
        var schedule = RemittanceSchedule.monthly
        if let value = object["schedule"], !value.isNull {
            guard let text = value.stringValue, let parsed = RemittanceSchedule(rawValue: text) else {
                throw InputError("schedule must be \"weekly\" or \"monthly\"")
            }
            schedule = parsed
        }
        func whole(_ key: String, default fallback: Int) throws -> Int {
            guard let value = object[key], !value.isNull else { return fallback }
            guard let number = value.numberValue?.int else { throw InputError("\(key) must be a whole number") }
            return number
        }
        return try AgencyContract(
            remittance: remittance, directPaymentCommission: direct, rates: rates, freeDemand: freeDemand,
            schedule: schedule, remitWithinDaysAfterMonth: try whole("remitWithinDaysAfterMonth", default: 30),
            holdDays: try whole("holdDays", default: 0))
    }

    private static func percent(_ value: JSONValue?, name: String) throws -> CommissionRate {
        guard let value, let text = value.stringValue ?? value.numberValue?.text else {
            throw InputError("\(name) must be a percent such as \"25\" or \"33.5\"")
        }
        do { return try CommissionRate(percent: text) } catch { throw InputError("\(name): \(error)") }
    }

    private static func onlyKeys(_ object: JSONObject, _ allowed: Set<String>, in name: String) throws {
        if let unknown = object.keys.first(where: { !allowed.contains($0) }) {
            throw InputError(
                "\(name) has an unknown key \"\(unknown)\"; it may have \(allowed.sorted().joined(separator: ", "))")
        }
    }

    static func json(_ stored: StoredContract, saved: Bool? = nil) -> OrderedJSON {
        let contract = stored.contract
        var members: [(String, OrderedJSON)] = [
            ("client", .string(stored.clientRef)), ("version", .integer(Int64(stored.version))),
        ]
        if let saved { members.append(("saved", .bool(saved))) }
        members += [
            ("remittance", .string(contract.remittance.rawValue)),
            ("directPaymentCommission", .bool(contract.directPaymentCommission)),
            (
                "rates",
                .array(
                    contract.rates.map { tier in
                        var rate: [(String, OrderedJSON)] = []
                        if let days = tier.upToDaysAtPlacement {
                            rate.append(("upToDaysAtPlacement", .integer(Int64(days))))
                        }
                        if let balance = tier.upToBalance { rate.append(("upToBalance", .string(balance))) }
                        rate.append(("percent", .string(tier.rate.percentText)))
                        return .object(rate)
                    })
            ),
            (
                "freeDemand",
                contract.freeDemand.map {
                    .object([("days", .integer(Int64($0.days))), ("percent", .string($0.rate.percentText))])
                } ?? .null
            ),
            ("schedule", .string(contract.schedule.rawValue)),
            ("remitWithinDaysAfterMonth", .integer(Int64(contract.remitWithinDaysAfterMonth))),
            ("holdDays", .integer(Int64(contract.holdDays))),
            ("savedAt", .string(ISO8601Instant.format(stored.savedAt))),
            ("savedBy", stored.savedBy.map { .string($0) } ?? .null),
        ]
        return .object(members)
    }

    // MARK: Placements

    static func json(_ acknowledgement: PlacementAcknowledgement, file: String?) -> OrderedJSON {
        .object([
            ("batch", .integer(acknowledgement.batchID)), ("client", .string(acknowledgement.clientRef)),
            ("placedOn", .string(acknowledgement.placedOn.isoString)),
            ("accepted", .integer(Int64(acknowledgement.accepted.count))),
            (
                "rejected",
                .array(
                    acknowledgement.rejected.map {
                        .object([
                            ("line", .integer(Int64($0.line))), ("debtRef", .string($0.debtRef)),
                            ("reason", .string($0.reason)),
                        ])
                    })
            ),
            (
                "acceptedAccounts",
                .array(
                    acknowledgement.accepted.map {
                        .object([
                            ("line", .integer(Int64($0.line))), ("debtRef", .string($0.debtRef)),
                            ("balance", .string(Money.decimalString(minorUnits: $0.balance, currency: $0.currency))),
                            ("currency", .string($0.currency.code)),
                            ("daysAtPlacement", .integer(Int64($0.daysAtPlacement))),
                            ("percent", .string($0.rate.percentText)),
                        ])
                    })
            ),
            ("validationNotices", .bool(acknowledgement.validationNotices)),
            ("acknowledgement", file.map { .string($0) } ?? .null),
        ])
    }

    /// The acknowledgement as the CSV file the client gets: one line per account, accepted or rejected.
    static func csv(_ acknowledgement: PlacementAcknowledgement) -> String {
        var rows: [(line: Int, text: String)] = acknowledgement.accepted.map {
            let balance = Money.decimalString(minorUnits: $0.balance, currency: $0.currency)
            return (
                $0.line, CSVWriter.line([String($0.line), $0.debtRef, "accepted", "", balance, $0.rate.percentText])
            )
        }
        rows += acknowledgement.rejected.map {
            ($0.line, CSVWriter.line([String($0.line), $0.debtRef, "rejected", $0.reason, "", ""]))
        }
        return CSVWriter.line(["line", "debt_ref", "status", "reason", "balance", "percent"])
            + rows.sorted { $0.line < $1.line }.map(\.text).joined()
    }

    static func json(_ placement: AgencyPlacement) -> OrderedJSON {
        let money = { (units: Int64) in
            OrderedJSON.string(Money.decimalString(minorUnits: units, currency: placement.currency))
        }
        return .object([
            ("id", .integer(placement.id)), ("client", .string(placement.clientRef)),
            ("debt", .string(placement.debtRef)), ("debtor", .string(placement.debtorRef)),
            ("debtorName", .string(placement.debtorName)), ("placedOn", .string(placement.placedOn.isoString)),
            ("currency", .string(placement.currency.code)), ("balanceAtPlacement", money(placement.balanceAtPlacement)),
            ("daysAtPlacement", .integer(Int64(placement.daysAtPlacement))),
            ("percent", .string(placement.rate.percentText)),
            ("freeDemandThrough", placement.freeThrough.map { .string($0.isoString) } ?? .null),
            ("collected", money(placement.collected)), ("balance", money(placement.balance)),
            ("status", .string(placement.closedOn == nil ? "open" : "closed")),
            ("closedOn", placement.closedOn.map { .string($0.isoString) } ?? .null),
            ("reasonCode", placement.closeReason.map { .string($0.rawValue) } ?? .null),
            ("note", placement.closeNote.map { .string($0) } ?? .null),
        ])
    }

    /// A return file: the accounts closed and returned to the client, with their reason codes.
    static func returnFile(_ placements: [AgencyPlacement]) -> String {
        CSVWriter.line([
            "debt_ref", "debtor_ref", "debtor_name", "placed_on", "balance_at_placement", "collected", "balance",
            "currency", "closed_on", "reason_code", "note",
        ])
            + placements.sorted { ($0.closedOn ?? $0.placedOn, $0.debtRef) < ($1.closedOn ?? $1.placedOn, $1.debtRef) }
            .map { placement in
                let money = { (units: Int64) in Money.decimalString(minorUnits: units, currency: placement.currency) }
                return CSVWriter.line([
                    placement.debtRef, placement.debtorRef, placement.debtorName, placement.placedOn.isoString,
                    money(placement.balanceAtPlacement), money(placement.collected), money(placement.balance),
                    placement.currency.code, placement.closedOn?.isoString ?? "", placement.closeReason?.rawValue ?? "",
                    placement.closeNote ?? "",
                ])
            }.joined()
    }

    // MARK: Statements

    /// A statement with the contract's keys first (`client`, `through`, `remittance`, the figures), then its id,
    /// currency, line count and what moved in trust.
    static func json(_ statement: RemittanceStatement, created: Bool? = nil) -> OrderedJSON {
        let money = { (units: Int64) in
            OrderedJSON.string(Money.decimalString(minorUnits: units, currency: statement.currency))
        }
        let figures = statement.figures
        var members: [(String, OrderedJSON)] = [
            ("client", .string(statement.clientRef)), ("through", .string(statement.through.isoString)),
            ("remittance", .string(statement.method.rawValue)), ("collected", money(figures.collected)),
            ("commission", money(figures.commission)), ("directPayments", money(figures.directPayments)),
            ("commissionOnDirect", money(figures.commissionOnDirect)),
            ("reversalsAfterRemittance", money(figures.reversalsAfterRemittance)),
            ("commissionReturned", money(figures.commissionReturned)), ("dueToClient", money(figures.dueToClient)),
            ("dueToAgency", money(figures.dueToAgency)), ("id", .integer(statement.id)),
            ("currency", .string(statement.currency.code)), ("lines", .integer(Int64(statement.lines))),
            ("remittedFromTrust", money(figures.remitted)),
            ("commissionTakenFromTrust", money(figures.commissionTaken)),
            ("clawback", money(figures.clawback)), ("closedAt", .string(ISO8601Instant.format(statement.createdAt))),
        ]
        if let created { members.append(("created", .bool(created))) }
        return .object(members)
    }

    static func json(_ check: TrustCheck) -> OrderedJSON {
        let money = { (units: Int64) in
            OrderedJSON.string(Money.decimalString(minorUnits: units, currency: check.currency))
        }
        return .object([
            ("client", .string(check.clientRef)), ("currency", .string(check.currency.code)),
            ("held", money(check.held)), ("expected", money(check.expected)),
            ("owedByClient", money(check.owedByClient)), ("reconciles", .bool(check.difference == nil)),
            ("difference", check.difference.map { .string($0) } ?? .null),
        ])
    }
}
