import Foundation
import SQLKit
import SQLiteNIO

/// A row of the daily run's batch reads. On SQLite it is SQLiteNIO's own row, read by column name without SQLKit's
/// `Codable` decoder: for the run's millions of rows (ten contact events a debt) the decoder cost more than SQLite's
/// own work (docs/performance.md, "The daily run"). Elsewhere it is an SQLKit row.
enum RunRow {
    case sqlite(SQLiteRow)
    case other(any SQLRow)
    /// A row of a packed read (`runRows(_:columns:orderBy:)`): its values as SQLite wrote them as text.
    case packed(PackedRow)

    func int64(_ column: String) throws -> Int64 {
        switch self {
        case .sqlite(let row):
            guard let value = row.column(column)?.integer else { throw Self.missing(column, "an integer") }
            return Int64(value)
        case .other(let row): return try row.decode(column: column, as: Int64.self)
        case .packed(let row):
            guard let value = try row.text(column).flatMap({ Int64($0) }) else {
                throw Self.missing(column, "an integer")
            }
            return value
        }
    }

    func optionalInt64(_ column: String) throws -> Int64? {
        switch self {
        case .sqlite(let row):
            guard let data = row.column(column), data != .null else { return nil }
            guard let value = data.integer else { throw Self.missing(column, "an integer") }
            return Int64(value)
        case .other(let row): return try row.decode(column: column, as: Int64?.self)
        case .packed(let row):
            guard let text = try row.text(column) else { return nil }
            guard let value = Int64(text) else { throw Self.missing(column, "an integer") }
            return value
        }
    }

    func int(_ column: String) throws -> Int { Int(try int64(column)) }

    func string(_ column: String) throws -> String {
        switch self {
        case .sqlite(let row):
            guard let value = row.column(column)?.string else { throw Self.missing(column, "text") }
            return value
        case .other(let row): return try row.decode(column: column, as: String.self)
        case .packed(let row):
            guard let value = try row.text(column) else { throw Self.missing(column, "text") }
            return value
        }
    }

    func optionalString(_ column: String) throws -> String? {
        switch self {
        case .sqlite(let row):
            guard let data = row.column(column), data != .null else { return nil }
            guard let value = data.string else { throw Self.missing(column, "text") }
            return value
        case .other(let row): return try row.decode(column: column, as: String?.self)
        case .packed(let row): return try row.text(column)
        }
    }

    func bool(_ column: String) throws -> Bool {
        switch self {
        case .sqlite(let row):
            guard let value = row.column(column)?.bool else { throw Self.missing(column, "a boolean") }
            return value
        case .other(let row): return try row.decode(column: column, as: Bool.self)
        case .packed:
            switch try int64(column) {
            case 0: return false
            case 1: return true
            default: throw Self.missing(column, "a boolean")
            }
        }
    }

    func date(_ column: String) throws -> Date {
        guard let value = try optionalDate(column) else { throw Self.missing(column, "an instant") }
        return value
    }

    func optionalDate(_ column: String) throws -> Date? {
        switch self {
        case .sqlite(let row):
            guard let data = row.column(column), data != .null else { return nil }
            guard let value = Date(sqliteData: data) else { throw Self.missing(column, "an instant") }
            return value
        case .other(let row): return try row.decode(column: column, as: Date?.self)
        case .packed(let row):
            guard let text = try row.text(column) else { return nil }
            // Written with 17 significant digits (`PackedKind.real`): the stored double exactly, read as SQLiteNIO
            // reads a stored instant.
            guard let seconds = Double(text), let value = Date(sqliteData: .float(seconds)) else {
                throw Self.missing(column, "an instant")
            }
            return value
        }
    }

    static func missing(_ column: String, _ what: String) -> StoreError {
        StoreError.invalid("the column \(column) does not hold \(what)")
    }
}

extension SQLDatabase {
    /// Runs `query` and returns its rows: on SQLite through SQLiteNIO directly (the same connection, so inside the
    /// caller's transaction), elsewhere through SQLKit.
    func runRows(_ query: SQLQueryString) async throws -> [RunRow] {
        if let sqlite = self as? any SQLiteDatabase {
            var serializer = SQLSerializer(database: self)
            query.serialize(to: &serializer)
            let binds = serializer.binds.compactMap { ($0 as? any SQLiteDataConvertible)?.sqliteData }
            // A value SQLiteNIO cannot take as it is (an optional, say) goes through SQLKit's encoder.
            if binds.count == serializer.binds.count {
                return try await sqlite.query(serializer.sql, binds).map { RunRow.sqlite($0) }
            }
        }
        return try await raw(query).all().map { RunRow.other($0) }
    }
}

/// The values of one row of a packed read, by column.
struct PackedRow {
    /// Each column's place among `values` (one dictionary shared by the read's rows).
    let columns: [String: Int]
    let values: ArraySlice<String?>

    func text(_ column: String) throws -> String? {
        guard let index = columns[column] else { throw RunRow.missing(column, "a value: no such column") }
        return values[values.startIndex + index]
    }
}

/// How a column of a packed read is written as text.
enum PackedKind {
    /// Text and integers: as SQLite casts them to text.
    case text
    /// A REAL (an instant): with 17 significant digits, so the double reads back exactly.
    case real
}

extension SQLDatabase {
    /// The rows of `select` (a query whose result columns include `columns`, with no ORDER BY), in the order of
    /// `orderBy` (expressions of `select` whose values are result columns, `d.id` for `id`; each a number, NULL
    /// first).
    ///
    /// On SQLite the rows come back packed into one text value (each value written as its length in bytes, a colon
    /// and its text, or `~` for NULL), unpacked here: SQLiteNIO hands each row of a result to the event loop on its
    /// own, which for the daily run's millions of small rows cost more than reading them (docs/performance.md, "The
    /// daily run"). The values are packed in the order `select` gives them sorted (an index's order costs nothing);
    /// the order is checked here and the rows sorted if SQLite packed them otherwise. Elsewhere it is `select` ordered
    /// as asked.
    func runRows(
        _ select: SQLQueryString, columns: [(name: String, kind: PackedKind)], orderBy: [String]
    ) async throws -> [RunRow] {
        let ordered = select + " ORDER BY \(unsafeRaw: orderBy.joined(separator: ", "))"
        guard self is any SQLiteDatabase else { return try await runRows(ordered) }
        let fields = columns.map { column in
            let value = "r.\(column.name)"
            let text = column.kind == .real ? "printf('%!.17g', \(value))" : "CAST(\(value) AS TEXT)"
            return "CASE WHEN \(value) IS NULL THEN '~' ELSE octet_length(\(text)) || ':' || \(text) END"
        }
        let packed: SQLQueryString =
            "SELECT group_concat(\(unsafeRaw: fields.joined(separator: " || ")), '') AS packed FROM (" + ordered
            + ") AS r"
        guard let text = try await runRows(packed).first?.optionalString("packed") else { return [] }
        let names = Dictionary(uniqueKeysWithValues: columns.enumerated().map { ($1.name, $0) })
        let values = try Self.unpack(text)
        guard values.count % columns.count == 0 else {
            throw StoreError.invalid("a packed read came back with \(values.count) values for \(columns.count) columns")
        }
        var rows: [PackedRow] = stride(from: 0, to: values.count, by: columns.count).map {
            PackedRow(columns: names, values: values[$0..<$0 + columns.count])
        }
        let keys = try orderBy.map { expression -> Int in
            let name = String(expression.split(separator: ".").last ?? "")
            guard let index = names[name] else { throw RunRow.missing(name, "an order: it is not read") }
            return index
        }
        func key(_ row: PackedRow) -> [Double] {
            keys.map { row.values[row.values.startIndex + $0].flatMap(Double.init) ?? -.infinity }
        }
        var previous: [Double] = []
        for row in rows {
            let current = key(row)
            if current.lexicographicallyPrecedes(previous) {
                let sorted = rows.map { (key($0), $0) }.enumerated().sorted {
                    $0.element.0.lexicographicallyPrecedes($1.element.0)
                        || ($0.element.0 == $1.element.0 && $0.offset < $1.offset)
                }
                rows = sorted.map(\.element.1)
                break
            }
            previous = current
        }
        return rows.map { .packed($0) }
    }

    /// The values of a packed text: `LENGTH:TEXT` (length in UTF-8 bytes) or `~` for NULL, one after another.
    static func unpack(_ packed: String) throws -> [String?] {
        var text = packed
        return try text.withUTF8 { bytes in
            var values: [String?] = []
            var index = 0
            let colon = UInt8(ascii: ":")
            while index < bytes.count {
                if bytes[index] == UInt8(ascii: "~") {
                    values.append(nil)
                    index += 1
                    continue
                }
                var length = 0
                while index < bytes.count, bytes[index] != colon {
                    let digit = Int(bytes[index]) - 48
                    guard (0...9).contains(digit), length < 1 << 40 else {
                        throw StoreError.invalid("a packed read is malformed at byte \(index)")
                    }
                    length = length * 10 + digit
                    index += 1
                }
                index += 1
                guard index + length <= bytes.count else {
                    throw StoreError.invalid("a packed read ends inside a value at byte \(index)")
                }
                values.append(
                    String(decoding: UnsafeBufferPointer(rebasing: bytes[index..<index + length]), as: UTF8.self))
                index += length
            }
            return values
        }
    }
}

extension SQLQueryString {
    /// Ids written into the statement as numbers: a list of thousands of ids costs more to bind one by one than to
    /// read (integers the store itself read, never text from outside). "NULL" for none, as `boundList` gives.
    static func integerList(_ values: some Collection<Int64>) -> SQLQueryString {
        guard !values.isEmpty else { return "NULL" }
        return SQLQueryString(values.map(String.init).joined(separator: ", "))
    }
}
