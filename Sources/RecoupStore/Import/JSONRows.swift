import SQLKit

/// Builds one JSON array of row arrays so that a whole batch travels as a single bound parameter,
/// which SQLite expands with `json_each` and PostgreSQL with `json_array_elements`. One wide round
/// trip per batch instead of one per row is what makes bulk imports fast (docs/performance.md).
struct JSONRows {
    private(set) var text = "["
    private(set) var count = 0
    private var rowOpen = false
    private var fieldsInRow = 0

    mutating func beginRow() {
        if count > 0 { text.append(",") }
        text.append("[")
        count += 1
        fieldsInRow = 0
    }

    mutating func endRow() { text.append("]") }

    mutating func add(_ value: String?) {
        separate()
        guard let value else {
            text.append("null")
            return
        }
        text.append("\"")
        // Most values need no escaping: append them whole instead of scalar by scalar.
        guard value.utf8.contains(where: { $0 == 0x22 || $0 == 0x5C || $0 < 0x20 }) else {
            text.append(value)
            text.append("\"")
            return
        }
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text.append("\\\"")
            case "\\": text.append("\\\\")
            case "\n": text.append("\\n")
            case "\r": text.append("\\r")
            case "\t": text.append("\\t")
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    text.append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
                } else {
                    text.unicodeScalars.append(scalar)
                }
            }
        }
        text.append("\"")
    }

    mutating func add(_ value: Int64?) {
        separate()
        if let value { text.append(String(value)) } else { text.append("null") }
    }

    mutating func add(_ value: Int?) { add(value.map(Int64.init)) }

    mutating func add(_ value: Bool) {
        separate()
        text.append(value ? "true" : "false")
    }

    var json: String { text + "]" }

    private mutating func separate() {
        if fieldsInRow > 0 { text.append(",") }
        fieldsInRow += 1
    }
}

/// The SQL type of a column read out of a JSON row.
enum JSONColumnType {
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
    /// `FROM`-clause source for a JSON rows parameter, aliased `j`.
    func jsonRowsSource(_ json: String) -> SQLQueryString {
        switch self {
        case .sqlite: "json_each(\(bind: json)) AS j"
        case .postgres: "json_array_elements(\(bind: json)::json) AS j(value)"
        }
    }

    /// The join that looks each JSON row up in an indexed table. SQLite must be told to keep the JSON rows as the
    /// outer loop (CROSS JOIN fixes the order); otherwise it may scan the table and re-read the JSON for every row.
    var lookupJoin: String {
        switch self {
        case .sqlite: "CROSS JOIN"
        case .postgres: "JOIN"
        }
    }

    /// The expression for field `index` of the current JSON row.
    func jsonField(_ index: Int, _ type: JSONColumnType) -> String {
        switch self {
        case .sqlite:
            return type == .boolean ? "(j.value ->> \(index))" : "(j.value ->> \(index))"
        case .postgres:
            return "((j.value ->> \(index))::\(type.postgresName))"
        }
    }
}
