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
        // The placements in the file's order first (a day's run may place hundreds of thousands of debts), then a
        // page at a time: its rows, what each debt owed on the day, its debtors' contact points, written out and the
        // file's path recorded, so that memory holds a page, never the file.
        let placements = try await sql.runRows(
            """
            SELECT pl.id AS placement_id, d.ref, d.id FROM placements pl JOIN debts d ON d.id = pl.debt_id \
            WHERE d.client_id = \(bind: clientID) AND pl.agency = \(bind: agency) \
            AND pl.placed_on = \(bind: placedOn.daysSinceEpoch) AND pl.recalled_on IS NULL
            """,
            columns: ["placement_id", "ref", "id"], orderBy: ["d.ref", "d.id"]
        ).map { try $0.int64("placement_id") }
        guard !placements.isEmpty else {
            throw StoreError.invalid(
                "no debt of client \"\(clientRef)\" is placed with \(agency) on \(placedOn.isoString)")
        }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent(
            fileName(agency: agency, clientRef: clientRef, clientID: clientID, day: placedOn))
        let partial = directory.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).partial")
        guard FileManager.default.createFile(atPath: partial.path, contents: nil),
            let file = FileHandle(forWritingAtPath: partial.path)
        else { throw StoreError.invalid("cannot write the placement file \(partial.path)") }
        do {
            try file.write(contentsOf: Data(CSVWriter.line(columns).utf8))
            for start in stride(from: 0, to: placements.count, by: pageSize) {
                let page = Array(placements[start..<min(placements.count, start + pageSize)])
                try file.write(contentsOf: Data(try await lines(page, placedOn: placedOn, sql: sql).utf8))
                try await sql.raw(
                    "UPDATE placements SET file_path = \(bind: url.path) WHERE id IN (\(SQLQueryString.integerList(page)))"
                ).run()
            }
            try file.close()
            // Replaces an earlier file of the same day whole, as an atomic write does.
            if rename(partial.path, url.path) != 0 {
                throw StoreError.invalid(
                    "cannot write the placement file \(url.path): \(String(cString: strerror(errno)))")
            }
        } catch {
            try? file.close()
            try? FileManager.default.removeItem(at: partial)
            throw error
        }
        return url
    }

    /// How many placements the file reads and writes at a time.
    static let pageSize = 2_000

    /// The file's lines for the placements `ids`, in their order.
    private static func lines(_ ids: [Int64], placedOn: LocalDate, sql: any SQLDatabase) async throws -> String {
        let list = SQLQueryString.integerList(ids)
        var rows: [Int64: RunRow] = [:]
        for row in try await sql.runRows(
            """
            SELECT pl.id AS placement_id, d.id AS debt_id, d.ref, d.currency, d.charged_on, d.due_on, \
            d.itemization_on, d.original_creditor, d.disputed, p.id AS debtor_id, p.ref AS debtor_ref, \
            p.kind AS debtor_kind, p.name AS debtor_name, p.time_zones FROM placements pl \
            JOIN debts d ON d.id = pl.debt_id JOIN debtors p ON p.id = d.debtor_id WHERE pl.id IN (\(list))
            """,
            columns: [
                "placement_id", "debt_id", "ref", "currency", "charged_on", "due_on", "itemization_on",
                "original_creditor", "disputed", "debtor_id", "debtor_ref", "debtor_kind", "debtor_name", "time_zones",
            ],
            orderBy: ["placement_id"]
        ) {
            rows[try row.int64("placement_id")] = row
        }
        // What each debt owed on the day of placement, by component (as `PlacementStore.balance` sums the ledger).
        var owed: [Int64: ComponentAmounts] = [:]
        for row in try await sql.runRows(
            """
            SELECT l.debt_id, CAST(COALESCE(SUM(l.principal), 0) AS BIGINT) AS principal, \
            CAST(COALESCE(SUM(l.interest), 0) AS BIGINT) AS interest, CAST(COALESCE(SUM(l.fees), 0) AS BIGINT) AS fees \
            FROM placements pl JOIN ledger_entries l ON l.debt_id = pl.debt_id \
            WHERE pl.id IN (\(list)) AND l.effective_on <= \(bind: placedOn.daysSinceEpoch) GROUP BY l.debt_id
            """,
            columns: ["debt_id", "principal", "interest", "fees"], orderBy: ["l.debt_id"]
        ) {
            owed[try row.int64("debt_id")] = ComponentAmounts(
                principal: try row.int64("principal"), interest: try row.int64("interest"), fees: try row.int64("fees"))
        }
        let contacts = try await ContactColumns.read(
            Array(Set(try rows.values.map { try $0.int64("debtor_id") })), sql: sql)
        var text = ""
        for id in ids {
            guard let row = rows[id] else { continue }
            let currency = try Currency(code: try row.string("currency"))
            let owed = owed[try row.int64("debt_id")] ?? ComponentAmounts()
            let contact = contacts[try row.int64("debtor_id")] ?? ContactColumns()
            let day = { (days: Int) in LocalDate(daysSinceEpoch: days).isoString }
            let amount = { (units: Int64) in Money.decimalString(minorUnits: units, currency: currency) }
            let fields: [String] = [
                try row.string("ref"), try row.string("debtor_ref"), try row.string("debtor_kind"),
                try row.string("debtor_name"), day(try row.int("charged_on")), day(try row.int("due_on")),
                amount(owed.principal), amount(owed.interest), amount(owed.fees), currency.code,
                try row.optionalInt64("itemization_on").map { day(Int($0)) } ?? "",
                try row.optionalString("original_creditor") ?? "", try row.bool("disputed") ? "yes" : "no",
                contact.phones, contact.emails, contact.addressType, contact.line1, contact.city, contact.state,
                contact.postalCode, contact.country, try row.string("time_zones"),
            ]
            text += CSVWriter.line(fields)
        }
        return text
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
        /// Whether the first address was read.
        var line1Set = false

        /// The columns of each of `debtorIDs`.
        static func read(_ debtorIDs: [Int64], sql: any SQLDatabase) async throws -> [Int64: ContactColumns] {
            var columns: [Int64: ContactColumns] = [:]
            var phones: [Int64: [String]] = [:]
            var emails: [Int64: [String]] = [:]
            for row in try await sql.runRows(
                """
                SELECT id, debtor_id, kind, value, type, city, state, postal_code, country FROM contact_points \
                WHERE debtor_id IN (\(SQLQueryString.integerList(debtorIDs.sorted())))
                """,
                columns: ["id", "debtor_id", "kind", "value", "type", "city", "state", "postal_code", "country"],
                orderBy: ["debtor_id", "id"]
            ) {
                let debtorID = try row.int64("debtor_id")
                let value = try row.string("value")
                let type = try row.string("type")
                switch try row.string("kind") {
                case "phone": phones[debtorID, default: []].append("\(value):\(type)")
                case "email": emails[debtorID, default: []].append(value)
                case "address" where columns[debtorID]?.line1Set != true:
                    var address = columns[debtorID] ?? ContactColumns()
                    address.line1Set = true
                    address.addressType = type
                    address.line1 = value
                    address.city = try row.optionalString("city") ?? ""
                    address.state = try row.optionalString("state") ?? ""
                    address.postalCode = try row.optionalString("postal_code") ?? ""
                    address.country = try row.optionalString("country") ?? ""
                    columns[debtorID] = address
                default: continue
                }
            }
            for debtorID in debtorIDs {
                var contact = columns[debtorID] ?? ContactColumns()
                contact.phones = (phones[debtorID] ?? []).joined(separator: ";")
                contact.emails = (emails[debtorID] ?? []).joined(separator: ";")
                columns[debtorID] = contact
            }
            return columns
        }
    }
}
