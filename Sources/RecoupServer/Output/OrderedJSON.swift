import RecoupCore

/// A JSON value whose objects keep their keys in the order written, so command output reads like the contract
/// (`{"imported": …, "unchanged": …}`) instead of in hash order.
indirect enum OrderedJSON: Equatable {
    case string(String)
    case integer(Int64)
    case bool(Bool)
    case null
    case array([OrderedJSON])
    case object([(String, OrderedJSON)])
    /// JSON text written as is (already valid JSON, such as a stored event).
    case raw(String)

    static func == (lhs: OrderedJSON, rhs: OrderedJSON) -> Bool { lhs.text == rhs.text }

    /// Compact JSON text.
    var text: String {
        var output = ""
        write(to: &output)
        return output
    }

    private func write(to output: inout String) {
        switch self {
        case .string(let value): Self.writeString(value, to: &output)
        case .integer(let value): output += String(value)
        case .bool(let value): output += value ? "true" : "false"
        case .null: output += "null"
        case .raw(let text): output += text
        case .array(let values):
            output += "["
            for (index, value) in values.enumerated() {
                if index > 0 { output += "," }
                value.write(to: &output)
            }
            output += "]"
        case .object(let members):
            output += "{"
            for (index, member) in members.enumerated() {
                if index > 0 { output += "," }
                Self.writeString(member.0, to: &output)
                output += ":"
                member.1.write(to: &output)
            }
            output += "}"
        }
    }

    private static func writeString(_ value: String, to output: inout String) {
        appendJSONString(value, to: &output)
    }
}

/// Values that print as ordered JSON on the command line.
protocol OrderedJSONConvertible {
    var orderedJSON: OrderedJSON { get }
}

extension AgingReportDocument: OrderedJSONConvertible {
    var orderedJSON: OrderedJSON {
        .object([
            ("asOf", .string(asOf)), ("currency", .string(currency)),
            (
                "buckets",
                .array(
                    buckets.map {
                        .object([
                            ("bucket", .string($0.bucket)), ("count", .integer(Int64($0.count))),
                            ("amount", .string($0.amount)),
                        ])
                    })
            ),
            ("total", .object([("count", .integer(Int64(total.count))), ("amount", .string(total.amount))])),
        ])
    }
}
