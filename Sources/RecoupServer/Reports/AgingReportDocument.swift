import RecoupCore
import Vapor

/// The aging report as JSON (CLI and API share it): amounts are decimal strings.
struct AgingReportDocument: Content, Equatable {
    struct Bucket: Content, Equatable {
        var bucket: String
        var count: Int
        var amount: String
    }
    struct Total: Content, Equatable {
        var count: Int
        var amount: String
    }
    var asOf: String
    var currency: String
    var buckets: [Bucket]
    var total: Total

    init(_ report: AgingReport) {
        asOf = report.asOf.isoString
        currency = report.currency.code
        buckets = report.buckets.map {
            Bucket(
                bucket: $0.bucket.rawValue, count: $0.count,
                amount: Money.decimalString(minorUnits: $0.amount, currency: report.currency))
        }
        let total = report.total
        self.total = Total(
            count: total.count, amount: Money.decimalString(minorUnits: total.amount, currency: report.currency))
    }
}

/// Text renderings of an aging report for the command line.
enum AgingReportText {
    static func csv(_ report: AgingReport) -> String {
        let document = AgingReportDocument(report)
        var text = CSVWriter.line(["bucket", "count", "amount", "currency"])
        for bucket in document.buckets {
            text += CSVWriter.line([bucket.bucket, String(bucket.count), bucket.amount, document.currency])
        }
        text += CSVWriter.line(["total", String(document.total.count), document.total.amount, document.currency])
        return text
    }

    static func table(_ report: AgingReport) -> String {
        let document = AgingReportDocument(report)
        let rows =
            document.buckets.map { [$0.bucket, String($0.count), $0.amount] }
            + [["total", String(document.total.count), document.total.amount]]
        let headers = ["Bucket", "Debts", "Amount (\(document.currency))"]
        let widths = headers.indices.map { column in
            ([headers[column]] + rows.map { $0[column] }).map(\.count).max() ?? 0
        }
        func format(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                let padding = String(repeating: " ", count: widths[index] - cell.count)
                return index == 0 ? cell + padding : padding + cell
            }.joined(separator: "  ")
        }
        var lines = ["Aging as of \(document.asOf)", format(headers)]
        lines.append(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "))
        lines += rows.dropLast().map(format)
        lines.append(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "))
        lines.append(format(rows.last!))
        return lines.joined(separator: "\n") + "\n"
    }
}
