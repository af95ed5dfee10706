/// Appends `value` to `output` as a JSON string literal (quoted and escaped per RFC 8259).
///
/// Values that need no escaping, the common case, are appended whole rather than scalar by scalar.
public func appendJSONString(_ value: String, to output: inout String) {
    output.append("\"")
    guard value.utf8.contains(where: { $0 == 0x22 || $0 == 0x5C || $0 < 0x20 }) else {
        output.append(value)
        output.append("\"")
        return
    }
    for scalar in value.unicodeScalars {
        switch scalar {
        case "\"": output.append("\\\"")
        case "\\": output.append("\\\\")
        case "\n": output.append("\\n")
        case "\r": output.append("\\r")
        case "\t": output.append("\\t")
        default:
            if scalar.value < 0x20 {
                let hex = String(scalar.value, radix: 16)
                output.append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
            } else {
                output.unicodeScalars.append(scalar)
            }
        }
    }
    output.append("\"")
}
