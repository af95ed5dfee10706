import FluentKit
import Foundation
import RecoupCore
import SQLKit

/// The file an agency receives with the debts placed with it: one client's placements of one day, in Recoup's own
/// import layout (docs/import-format.md), so the agency loads it with
/// `recoup import --format recoup FILE --client REF` (or `recoup placement import`). Each row is one debt with its
/// debtor's contact points and what was owed on the day of placement, by component: principal, interest, fees.
public enum PlacementFile {
    /// The file's columns, all of them `RecoupLayout`'s.
    public static let columns = [
        "debt_ref", "debtor_ref", "debtor_kind", "debtor_name", "charged_on", "due_on", "principal", "interest", "fees",
        "currency", "itemization_on", "original_creditor", "disputed", "phones", "emails", "address_type",
        "address_line1", "address_city", "address_state", "address_postal_code", "address_country", "time_zones",
    ]

    /// Writes the file of `agency`'s placements in force for `clientRef` placed on `placedOn` into `directory`
    /// (created when missing), replacing an earlier file of the same day whole, and records its path on those
    /// placements (`file_path`). The file is `AGENCY-CLIENT-YYYY-MM-DD.csv`. Refused when there is no such placement.
    public static func write(
        agency: String, clientRef: String, placedOn: LocalDate, directory: URL, on database: any Database
    ) async throws -> URL {
        let sql = database as! any SQLDatabase
        guard let clientID = try await ClientQueries.clientID(ref: clientRef, on: sql) else {
            throw StoreError.unknownClient(clientRef)
        }
        let rows = try await sql.raw(
            """
            SELECT pl.id AS placement_id, d.id AS debt_id, d.ref, d.currency, d.charged_on, d.due_on, \
            d.itemization_on, d.original_creditor, d.disputed, p.id AS debtor_id, p.ref AS debtor_ref, \
            p.kind AS debtor_kind, p.name AS debtor_name, p.time_zones FROM placements pl \
            JOIN debts d ON d.id = pl.debt_id JOIN debtors p ON p.id = d.debtor_id \
            WHERE d.client_id = \(bind: clientID) AND pl.agency = \(bind: agency) \
            AND pl.placed_on = \(bind: placedOn.daysSinceEpoch) AND pl.recalled_on IS NULL ORDER BY d.ref, d.id
            """
        ).all()
        guard !rows.isEmpty else {
            throw StoreError.invalid(
                "no debt of client \"\(clientRef)\" is placed with \(agency) on \(placedOn.isoString)")
        }
        var text = CSVWriter.line(columns)
        var placementIDs: [Int64] = []
        var contacts: [Int64: ContactColumns] = [:]
        for row in rows {
            placementIDs.append(try row.decode(column: "placement_id", as: Int64.self))
            let currency = try Currency(code: try row.decode(column: "currency", as: String.self))
            let owed = try await PlacementStore.balance(
                debtID: try row.decode(column: "debt_id", as: Int64.self), asOf: placedOn, sql: sql)
            let debtorID = try row.decode(column: "debtor_id", as: Int64.self)
            if contacts[debtorID] == nil { contacts[debtorID] = try await ContactColumns.read(debtorID, sql: sql) }
            let contact = contacts[debtorID]!
            let day = { (days: Int) in LocalDate(daysSinceEpoch: days).isoString }
            let amount = { (units: Int64) in Money.decimalString(minorUnits: units, currency: currency) }
            let fields: [String] = [
                try row.decode(column: "ref", as: String.self), try row.decode(column: "debtor_ref", as: String.self),
                try row.decode(column: "debtor_kind", as: String.self),
                try row.decode(column: "debtor_name", as: String.self),
                day(try row.decode(column: "charged_on", as: Int.self)),
                day(try row.decode(column: "due_on", as: Int.self)), amount(owed.principal), amount(owed.interest),
                amount(owed.fees), currency.code,
                try row.decode(column: "itemization_on", as: Int?.self).map(day) ?? "",
                try row.decode(column: "original_creditor", as: String?.self) ?? "",
                try row.decode(column: "disputed", as: Bool.self) ? "yes" : "no",
                contact.phones, contact.emails, contact.addressType, contact.line1, contact.city, contact.state,
                contact.postalCode, contact.country, try row.decode(column: "time_zones", as: String.self),
            ]
            text += CSVWriter.line(fields)
        }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent(
            fileName(agency: agency, clientRef: clientRef, clientID: clientID, day: placedOn))
        try Data(text.utf8).write(to: url, options: .atomic)
        try await sql.raw(
            "UPDATE placements SET file_path = \(bind: url.path) WHERE id IN (\(SQLQueryString.boundList(placementIDs)))"
        ).run()
        return url
    }

    /// Writes one file per client with `agency`'s placements in force placed on `placedOn` (after the daily run):
    /// their URLs, by client reference; none when nothing was placed with the agency that day.
    public static func writeFiles(
        agency: String, placedOn: LocalDate, directory: URL, on database: any Database
    ) async throws -> [URL] {
        let clients = try await (database as! any SQLDatabase).raw(
            """
            SELECT DISTINCT c.ref FROM placements pl JOIN debts d ON d.id = pl.debt_id JOIN clients c ON c.id = d.client_id \
            WHERE pl.agency = \(bind: agency) AND pl.placed_on = \(bind: placedOn.daysSinceEpoch) \
            AND pl.recalled_on IS NULL ORDER BY c.ref
            """
        ).all().map { try $0.decode(column: "ref", as: String.self) }
        var urls: [URL] = []
        for client in clients {
            urls.append(
                try await write(
                    agency: agency, clientRef: client, placedOn: placedOn, directory: directory, on: database))
        }
        return urls
    }

    /// `AGENCY-CLIENT-YYYY-MM-DD.csv`. A client reference with characters a file name should not carry has them
    /// written `_`, and then the client's id added, so two clients never share a file.
    static func fileName(agency: String, clientRef: String, clientID: Int64, day: LocalDate) -> String {
        let safe = String(
            clientRef.unicodeScalars.map { scalar -> Character in
                let isSafe =
                    ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
                    || scalar == "-" || scalar == "_"
                return isSafe ? Character(scalar) : "_"
            })
        let client = safe == clientRef && !safe.isEmpty ? safe : "\(safe)-\(clientID)"
        return "\(agency)-\(client)-\(day.isoString).csv"
    }

    /// A debtor's contact points as the layout's columns: every phone (`NUMBER:TYPE`) and email, the first address.
    private struct ContactColumns {
        var phones = ""
        var emails = ""
        var addressType = ""
        var line1 = ""
        var city = ""
        var state = ""
        var postalCode = ""
        var country = ""

        static func read(_ debtorID: Int64, sql: any SQLDatabase) async throws -> ContactColumns {
            var columns = ContactColumns()
            var phones: [String] = []
            var emails: [String] = []
            var hasAddress = false
            for row in try await sql.raw(
                """
                SELECT kind, value, type, city, state, postal_code, country FROM contact_points \
                WHERE debtor_id = \(bind: debtorID) ORDER BY id
                """
            ).all() {
                let value = try row.decode(column: "value", as: String.self)
                let type = try row.decode(column: "type", as: String.self)
                switch try row.decode(column: "kind", as: String.self) {
                case "phone": phones.append("\(value):\(type)")
                case "email": emails.append(value)
                case "address" where !hasAddress:
                    hasAddress = true
                    columns.addressType = type
                    columns.line1 = value
                    columns.city = try row.decode(column: "city", as: String?.self) ?? ""
                    columns.state = try row.decode(column: "state", as: String?.self) ?? ""
                    columns.postalCode = try row.decode(column: "postal_code", as: String?.self) ?? ""
                    columns.country = try row.decode(column: "country", as: String?.self) ?? ""
                default: continue
                }
            }
            columns.phones = phones.joined(separator: ";")
            columns.emails = emails.joined(separator: ";")
            return columns
        }
    }
}
