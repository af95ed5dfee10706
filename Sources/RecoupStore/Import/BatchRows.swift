import Foundation
import RecoupCore
import SQLKit
import SQLiteNIO

/// The rows of one bulk statement, sent to the database in one round trip per chunk instead of one per row.
///
/// SQLite receives them as a multi-row `VALUES` list of bound parameters (measured 3× cheaper than expanding a
/// JSON parameter with `json_each`, docs/performance.md); PostgreSQL as one JSON parameter expanded by
/// `json_array_elements`. Statements refer to the fields with `SQLFlavor.field(_:_:)` either way.
struct BatchRows {
    enum Cell: Sendable {
        case text(String?)
        case integer(Int64?)
        case bool(Bool)
    }

    let columns: Int
    private(set) var cells: [Cell] = []

    init(columns: Int) {
        self.columns = columns
    }

    var count: Int { cells.count / columns }
    var isEmpty: Bool { cells.isEmpty }

    mutating func append(_ row: Cell...) {
        precondition(row.count == columns, "a batch row has \(columns) fields")
        cells.append(contentsOf: row)
    }

    /// Row ranges small enough for SQLite's limit of 32,766 parameters a statement.
    var chunks: [Range<Int>] {
        let rowsPerChunk = max(1, 30_000 / columns)
        return stride(from: 0, to: count, by: rowsPerChunk).map { $0..<min(count, $0 + rowsPerChunk) }
    }

    /// Inserts every row into `table`: `columns` name the fields in order with their types, and `created_at` is
    /// `now` for each; one multi-row statement a chunk.
    func insert(
        into table: String, columns: [(String, BatchColumnType)], createdAt now: Date, on sql: any SQLDatabase
    ) async throws {
        let flavor = SQLFlavor(sql)
        for range in chunks {
            var statement = BulkStatement(flavor)
            statement.sql("INSERT INTO \(table) (")
            statement.sql(columns.map(\.0).joined(separator: ", "))
            statement.sql(", created_at) SELECT ")
            statement.sql(columns.indices.map { flavor.field($0, columns[$0].1) }.joined(separator: ", "))
            statement.sql(", ")
            statement.bind(now)
            statement.sql(" FROM ")
            appendSource(rows: range, to: &statement)
            _ = try await statement.run(on: sql)
        }
    }

    /// Appends rows `range` as a `FROM`-clause source aliased `j`.
    func appendSource(rows range: Range<Int>, to statement: inout BulkStatement) {
        switch statement.flavor {
        case .sqlite:
            statement.sql("(VALUES ")
            for row in range {
                statement.sql(row == range.lowerBound ? "(" : ",(")
                for column in 0..<columns {
                    if column > 0 { statement.sql(",") }
                    switch cells[row * columns + column] {
                    case .text(let value?): statement.bind(value)
                    case .integer(let value?): statement.bind(value)
                    case .bool(let value): statement.sql(value ? "1" : "0")
                    case .text(nil), .integer(nil): statement.sql("NULL")
                    }
                }
                statement.sql(")")
            }
            statement.sql(") AS j")
        case .postgres:
            var json = JSONText()
            json.beginArray()
            for row in range {
                json.beginArray()
                for column in 0..<columns {
                    switch cells[row * columns + column] {
                    case .text(let value): json.add(value)
                    case .integer(let value): json.add(value)
                    case .bool(let value): json.add(value)
                    }
                }
                json.endArray()
            }
            json.endArray()
            statement.sql("json_array_elements(")
            statement.bind(json.text)
            statement.sql("::json) AS j(value)")
        }
    }
}

/// One bulk statement under construction. On SQLite it is plain SQL text and SQLiteNIO values, run by SQLiteNIO
/// directly: going through SQLKit's query string and encoder costs more than the insert itself for thousands of
/// parameters (measured: docs/performance.md). On PostgreSQL it is an SQLKit query string.
struct BulkStatement: Sendable {
    let flavor: SQLFlavor
    private var text = ""
    private var sqliteBinds: [SQLiteData] = []
    private var query = SQLQueryString("")

    var sqliteText: String { text }
    var sqliteParameters: [SQLiteData] { sqliteBinds }
    var postgresQuery: SQLQueryString { query }

    init(_ flavor: SQLFlavor) {
        self.flavor = flavor
    }

    mutating func sql(_ fragment: String) {
        switch flavor {
        case .sqlite: text += fragment
        case .postgres: query += SQLQueryString(fragment)
        }
    }

    mutating func bind(_ value: String) {
        switch flavor {
        case .sqlite:
            text += "?"
            sqliteBinds.append(.text(value))
        case .postgres: query += "\(bind: value)"
        }
    }

    mutating func bind(_ value: Int64) {
        switch flavor {
        case .sqlite:
            text += "?"
            sqliteBinds.append(.integer(Int(value)))
        case .postgres: query += "\(bind: value)"
        }
    }

    mutating func bind(_ value: Int64?) {
        if let value { bind(value) } else { sql("NULL") }
    }

    mutating func bind(_ value: Date) {
        switch flavor {
        case .sqlite:
            text += "?"
            sqliteBinds.append(value.sqliteData ?? .float(value.timeIntervalSince1970))
        case .postgres: query += "\(bind: value)"
        }
    }

    /// Appends another statement's text and parameters.
    mutating func append(_ other: BulkStatement) {
        text += other.text
        sqliteBinds += other.sqliteBinds
        query += other.query
    }

    /// Runs the statement and returns its rows' values for `columns`, as 64-bit integers.
    func run(on database: any SQLDatabase, returning columns: [String] = []) async throws -> [[Int64]] {
        switch flavor {
        case .sqlite:
            guard let sqlite = database as? any SQLiteDatabase else {
                throw StoreError.invalid("the SQLite bulk path needs an SQLite connection")
            }
            let rows = try await sqlite.query(text, sqliteBinds)
            return try rows.map { row in
                try columns.map { column in
                    guard let value = row.column(column)?.integer else {
                        throw StoreError.invalid("the bulk statement returned no integer \(column)")
                    }
                    return Int64(value)
                }
            }
        case .postgres:
            let rows = try await database.raw(query).all()
            return try rows.map { row in try columns.map { try row.decode(column: $0, as: Int64.self) } }
        }
    }
}

extension BulkStatement {
    /// Runs a query and returns its rows.
    func rows(on database: any SQLDatabase) async throws -> [BulkRow] {
        switch flavor {
        case .sqlite:
            guard let sqlite = database as? any SQLiteDatabase else {
                throw StoreError.invalid("the SQLite bulk path needs an SQLite connection")
            }
            return try await sqlite.query(sqliteText, sqliteParameters).map { BulkRow.sqlite($0) }
        case .postgres:
            return try await database.raw(postgresQuery).all().map { BulkRow.other($0) }
        }
    }
}

/// A row read by a bulk statement: SQLiteNIO's own row on SQLite, an SQLKit row otherwise.
enum BulkRow {
    case sqlite(SQLiteRow)
    case other(any SQLRow)

    func integer(_ column: String) -> Int64? {
        switch self {
        case .sqlite(let row): row.column(column)?.integer.map(Int64.init)
        case .other(let row): try? row.decode(column: column, as: Int64?.self)
        }
    }

    func text(_ column: String) -> String? {
        switch self {
        case .sqlite(let row): row.column(column)?.string
        case .other(let row): try? row.decode(column: column, as: String?.self)
        }
    }
}

/// The SQL type of a batch field, for the casts PostgreSQL needs.
enum BatchColumnType {
    case text, bigint, integer, boolean

    var postgresName: String {
        switch self {
        case .text: "text"
        case .bigint: "bigint"
        case .integer: "integer"
        case .boolean: "boolean"
        }
    }
}

extension SQLFlavor {
    /// The expression for field `index` (0-based) of the current batch row `j`.
    func field(_ index: Int, _ type: BatchColumnType) -> String {
        switch self {
        case .sqlite: "j.column\(index + 1)"
        case .postgres: "((j.value ->> \(index))::\(type.postgresName))"
        }
    }

    /// The join that looks each batch row up in an indexed table. SQLite must be told to keep the batch rows as the
    /// outer loop (CROSS JOIN fixes the order); otherwise it may scan the table once per batch row.
    var lookupJoin: String {
        switch self {
        case .sqlite: "CROSS JOIN"
        case .postgres: "JOIN"
        }
    }
}

/// Compact JSON text built by appending, for batch parameters.
struct JSONText {
    private(set) var text = ""
    private var needsComma = false

    mutating func beginArray() {
        separate()
        text.append("[")
        needsComma = false
    }

    mutating func endArray() {
        text.append("]")
        needsComma = true
    }

    mutating func add(_ value: String?) {
        separate()
        guard let value else {
            text.append("null")
            return
        }
        appendJSONString(value, to: &text)
    }

    mutating func add(_ value: Int64?) {
        separate()
        text.append(value.map(String.init) ?? "null")
    }

    mutating func add(_ value: Bool) {
        separate()
        text.append(value ? "true" : "false")
    }

    private mutating func separate() {
        if needsComma { text.append(",") }
        needsComma = true
    }
}
