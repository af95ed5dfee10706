import Foundation
import SQLKit
import SQLiteNIO

/// A row of the daily run's batch reads. On SQLite it is SQLiteNIO's own values, read by column name without SQLKit's
/// `Codable` decoder: for the run's millions of rows (ten contact events a debt) the decoder cost more than SQLite's
/// own work (docs/performance.md, "The daily run"). Elsewhere it is an SQLKit row.
enum RunRow: Sendable {
    case sqlite(SQLiteRow)
    case other(any SQLRow)
    /// A row of a collected read (`runRows(_:columns:orderBy:)`).
    case collected(CollectedRow)

    /// The value of `column` on SQLite; nil elsewhere.
    private func sqliteData(_ column: String) throws -> SQLiteData? {
        switch self {
        case .sqlite(let row):
            guard let data = row.column(column) else { throw Self.missing(column, "a value: no such column") }
            return data
        case .collected(let row): return try row.data(column)
        case .other: return nil
        }
    }

    func int64(_ column: String) throws -> Int64 {
        guard let value = try optionalInt64(column) else { throw Self.missing(column, "an integer") }
        return value
    }

    func optionalInt64(_ column: String) throws -> Int64? {
        guard let data = try sqliteData(column) else {
            guard case .other(let row) = self else { return nil }
            return try row.decode(column: column, as: Int64?.self)
        }
        guard data != .null else { return nil }
        guard let value = data.integer else { throw Self.missing(column, "an integer") }
        return Int64(value)
    }

    func int(_ column: String) throws -> Int { Int(try int64(column)) }

    func string(_ column: String) throws -> String {
        guard let value = try optionalString(column) else { throw Self.missing(column, "text") }
        return value
    }

    func optionalString(_ column: String) throws -> String? {
        guard let data = try sqliteData(column) else {
            guard case .other(let row) = self else { return nil }
            return try row.decode(column: column, as: String?.self)
        }
        guard data != .null else { return nil }
        guard let value = data.string else { throw Self.missing(column, "text") }
        return value
    }

    func bool(_ column: String) throws -> Bool {
        guard let data = try sqliteData(column) else {
            guard case .other(let row) = self else { throw Self.missing(column, "a boolean") }
            return try row.decode(column: column, as: Bool.self)
        }
        guard let value = data.bool else { throw Self.missing(column, "a boolean") }
        return value
    }

    func date(_ column: String) throws -> Date {
        guard let value = try optionalDate(column) else { throw Self.missing(column, "an instant") }
        return value
    }

    func optionalDate(_ column: String) throws -> Date? {
        guard let data = try sqliteData(column) else {
            guard case .other(let row) = self else { return nil }
            return try row.decode(column: column, as: Date?.self)
        }
        guard data != .null else { return nil }
        // As SQLiteNIO reads a stored instant (SQLKit's decoder does the same).
        guard let value = Date(sqliteData: data) else { throw Self.missing(column, "an instant") }
        return value
    }

    static func missing(_ column: String, _ what: String) -> StoreError {
        StoreError.invalid("the column \(column) does not hold \(what)")
    }
}

/// The values of one row of a collected read, by column.
struct CollectedRow: Sendable {
    /// The columns' names, in the order of `values` (one array shared by the read's rows; a few short names, looked
    /// through faster than hashed).
    let columns: [String]
    let values: ArraySlice<SQLiteData>

    func data(_ column: String) throws -> SQLiteData {
        guard let index = columns.firstIndex(of: column) else {
            throw RunRow.missing(column, "a value: no such column")
        }
        return values[values.startIndex + index]
    }

    /// The value of the `index`th column.
    subscript(index: Int) -> SQLiteData { values[values.startIndex + index] }
}

/// What SQLite hands a collecting function, row after row, on the connection's thread; read once the query is done.
private final class CollectedValues: @unchecked Sendable {
    var values: [SQLiteData] = []
}

extension SQLDatabase {
    /// Runs `query` and returns its rows: on SQLite through SQLiteNIO directly (the same connection, so inside the
    /// caller's transaction), elsewhere through SQLKit.
    func runRows(_ query: SQLQueryString) async throws -> [RunRow] {
        if let sqlite = self as? any SQLiteDatabase, let (text, binds) = sqliteStatement(query) {
            return try await sqlite.query(text, binds).map { RunRow.sqlite($0) }
        }
        return try await raw(query).all().map { RunRow.other($0) }
    }

    /// The rows of `select` (a query whose result columns include `columns`, with no ORDER BY), in the order of
    /// `orderBy` (expressions of `select` whose values are result columns, `d.id` for `id`; ascending, as SQLite
    /// orders values: NULL first, then numbers, then text by its bytes).
    ///
    /// On SQLite the rows are collected by a function of the connection that SQLite calls for each row
    /// (`SELECT count(f(columns…)) FROM (select ORDER BY …)`), so the query has a single result row: SQLiteNIO hands
    /// each row of a result to the event loop on its own, which for the daily run's millions of small rows cost more
    /// than reading them (docs/performance.md, "The daily run"). SQLite calls the function in the order the subquery
    /// gives (an index's order costs nothing); the order is checked here and the rows sorted if it was otherwise.
    /// Elsewhere it is `select` ordered as asked.
    func runRows(_ select: SQLQueryString, columns: [String], orderBy: [String]) async throws -> [RunRow] {
        let ordered = select + " ORDER BY \(unsafeRaw: orderBy.joined(separator: ", "))"
        let arguments = columns.map { "r.\($0)" }.joined(separator: ", ")
        guard let sqlite = self as? any SQLiteDatabase,
            let (text, binds) = sqliteStatement(
                "SELECT count(recoup_collect(\(unsafeRaw: arguments))) AS n FROM (" + ordered + ") AS r")
        else { return try await runRows(ordered) }
        let collected = CollectedValues()
        let function = SQLiteCustomFunction("recoup_collect", argumentCount: Int32(columns.count)) { values in
            collected.values.append(contentsOf: values)
            return nil
        }
        try await sqlite.withConnection { connection in
            try await connection.install(customFunction: function).get()
            do {
                _ = try await connection.query(text, binds)
            } catch {
                try? await connection.uninstall(customFunction: function).get()
                throw error
            }
            try await connection.uninstall(customFunction: function).get()
        }
        let values = collected.values
        guard !columns.isEmpty, values.count % columns.count == 0 else {
            throw StoreError.invalid(
                "a collected read came back with \(values.count) values for \(columns.count) columns")
        }
        var rows: [CollectedRow] = stride(from: 0, to: values.count, by: columns.count).map {
            CollectedRow(columns: columns, values: values[$0..<$0 + columns.count])
        }
        let keys = try orderBy.map { expression -> Int in
            let name = String(expression.split(separator: ".").last ?? "")
            guard let index = columns.firstIndex(of: name) else {
                throw RunRow.missing(name, "an order: it is not read")
            }
            return index
        }
        func precedes(_ a: CollectedRow, _ b: CollectedRow) -> Bool {
            for key in keys {
                let (x, y) = (SortKey(a[key]), SortKey(b[key]))
                if x < y { return true }
                if y < x { return false }
            }
            return false
        }
        if zip(rows, rows.dropFirst()).contains(where: { precedes($1, $0) }) {
            rows = rows.enumerated().sorted {
                precedes($0.element, $1.element) || (!precedes($1.element, $0.element) && $0.offset < $1.offset)
            }.map(\.element)
        }
        return rows.map { .collected($0) }
    }

    /// `query` as SQLite text and SQLiteNIO values; nil when a value is not one SQLiteNIO takes as it is (an
    /// optional, say: SQLKit's encoder handles it).
    private func sqliteStatement(_ query: SQLQueryString) -> (String, [SQLiteData])? {
        var serializer = SQLSerializer(database: self)
        query.serialize(to: &serializer)
        let binds = serializer.binds.compactMap { ($0 as? any SQLiteDataConvertible)?.sqliteData }
        guard binds.count == serializer.binds.count else { return nil }
        return (serializer.sql, binds)
    }
}

/// A value as SQLite orders it (BINARY collation): NULL, then numbers, then text by its UTF-8 bytes, then blobs.
private enum SortKey: Comparable {
    case null
    case number(Double)
    case text(String)
    case blob

    init(_ data: SQLiteData) {
        switch data {
        case .null: self = .null
        case .integer(let value): self = .number(Double(value))
        case .float(let value): self = .number(value)
        case .text(let value): self = .text(value)
        case .blob: self = .blob
        }
    }

    static func < (lhs: SortKey, rhs: SortKey) -> Bool {
        switch (lhs, rhs) {
        case (.number(let a), .number(let b)): return a < b
        case (.text(let a), .text(let b)): return a.utf8.lexicographicallyPrecedes(b.utf8)
        default: return lhs.rank < rhs.rank
        }
    }

    private var rank: Int {
        switch self {
        case .null: 0
        case .number: 1
        case .text: 2
        case .blob: 3
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
