import SQLKit

extension SQLQueryString {
    /// `values` as bound parameters separated by commas, for `IN (…)`; `NULL` (which matches nothing) when empty.
    static func boundList<Value: Encodable & Sendable>(_ values: some Collection<Value>) -> SQLQueryString {
        guard !values.isEmpty else { return "NULL" }
        var list: SQLQueryString = ""
        for (index, value) in values.enumerated() { list += index == 0 ? "\(bind: value)" : ", \(bind: value)" }
        return list
    }
}
