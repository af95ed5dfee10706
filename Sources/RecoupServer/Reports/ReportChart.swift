import RecoupCore

/// A chart drawn on the server as SVG primitives the report template writes out (no script: the CSP forbids it).
/// Coordinates are in the `viewBox`, so the chart scales to the page's width.
struct ReportChart: Encodable {
    struct Line: Encodable {
        /// `x,y x,y …`.
        var points: String
        var color: String
    }
    struct Box: Encodable {
        var x: Int
        var y: Int
        var width: Int
        var height: Int
        var color: String
    }
    struct Label: Encodable {
        var x: Int
        var y: Int
        var text: String
        /// `start`, `middle` or `end`.
        var anchor = "start"
        var color = "#333"
    }
    struct Rule: Encodable {
        var x1: Int
        var y1: Int
        var x2: Int
        var y2: Int
    }

    var width = 400
    var height: Int
    /// The width the page gives it at most, in CSS pixels (a little larger than the viewBox; narrower screens scale
    /// it down).
    var displayWidth: Int { width * 5 / 4 }
    /// The chart's accessible name.
    var title: String
    var lines: [Line] = []
    var boxes: [Box] = []
    var labels: [Label] = []
    var rules: [Rule] = []

    private enum CodingKeys: String, CodingKey {
        case width, height, displayWidth, title, lines, boxes, labels, rules
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(width, forKey: .width)
        try container.encode(height, forKey: .height)
        try container.encode(displayWidth, forKey: .displayWidth)
        try container.encode(title, forKey: .title)
        try container.encode(lines, forKey: .lines)
        try container.encode(boxes, forKey: .boxes)
        try container.encode(labels, forKey: .labels)
        try container.encode(rules, forKey: .rules)
    }

    /// Distinct colours for series, in order (repeated after the last).
    static let palette = ["#1f5fa8", "#c2571a", "#2e8540", "#8e3ea8", "#b8860b", "#0e7c86", "#a8323e", "#555555"]

    static func color(_ index: Int) -> String { palette[index % palette.count] }

    /// The stair-step: one step line per placement month, collected ÷ placed (y) by month since placement (x), with
    /// a legend of the placement months under the axis (labels at the lines' ends would overlap).
    static func liquidation(_ report: LiquidationReport) -> ReportChart {
        let left = 48
        let right = 464
        let top = 12
        let bottom = 230
        let monthCount = max(1, (report.cohorts.map { $0.months.count }.max() ?? 1))
        // The y axis runs to the next multiple of its step above the highest rate: steps of 10% up to 50%, of 20%
        // above (hundredths of a percent).
        let highest =
            report.cohorts.flatMap { cohort in
                cohort.months.map { Percentage.hundredths($0.collected, of: cohort.placed) ?? 0 }
            }.max() ?? 0
        let step: Int64 = highest > 5_000 ? 2_000 : 1_000
        let ceiling = max(step, ((max(0, highest) + step - 1) / step) * step)
        func x(_ month: Int) -> Int { left + (right - left) * month / monthCount }
        func y(_ hundredths: Int64) -> Int {
            bottom - Int((Int64(bottom - top) * min(max(hundredths, 0), ceiling)) / ceiling)
        }
        let legendRows = (report.cohorts.count + 2) / 3
        var chart = ReportChart(
            width: 480, height: bottom + 56 + legendRows * 24,
            title: "Collected as a share of placed, by months since placement")
        for value in stride(from: Int64(0), through: ceiling, by: Int(step)) {
            chart.rules.append(Rule(x1: left, y1: y(value), x2: right, y2: y(value)))
            chart.labels.append(Label(x: left - 6, y: y(value) + 5, text: "\(value / 100)%", anchor: "end"))
        }
        let tickEvery = max(1, monthCount / 8)
        for month in stride(from: 0, through: monthCount, by: tickEvery) {
            chart.labels.append(Label(x: x(month), y: bottom + 20, text: String(month), anchor: "middle"))
        }
        chart.labels.append(
            Label(x: (left + right) / 2, y: bottom + 40, text: "months since placement", anchor: "middle"))
        for (index, cohort) in report.cohorts.enumerated() {
            var points: [String] = []
            for step in cohort.months {
                let height = y(Percentage.hundredths(step.collected, of: cohort.placed) ?? 0)
                points.append("\(x(step.monthsSincePlacement)),\(height)")
                points.append("\(x(step.monthsSincePlacement + 1)),\(height)")
            }
            chart.lines.append(Line(points: points.joined(separator: " "), color: color(index)))
            let legendX = left + (index % 3) * 140
            let legendY = bottom + 60 + (index / 3) * 24
            chart.boxes.append(Box(x: legendX, y: legendY - 11, width: 22, height: 6, color: color(index)))
            chart.labels.append(Label(x: legendX + 28, y: legendY, text: cohort.placementMonth.isoString))
        }
        return chart
    }

    /// Horizontal bars: one row per item, a label above its bar, the bar's length `value` of `maximum`.
    static func bars(
        title: String, rows: [(label: String, value: Int64, text: String)], maximum: Int64
    ) -> ReportChart {
        let left = 4
        let right = 396
        var chart = ReportChart(height: max(40, rows.count * 44 + 8), title: title)
        for (index, row) in rows.enumerated() {
            let top = index * 44 + 4
            let length = maximum > 0 ? Int((Int64(right - left) * min(max(row.value, 0), maximum)) / maximum) : 0
            chart.labels.append(Label(x: left, y: top + 14, text: row.label + ": " + row.text))
            chart.boxes.append(Box(x: left, y: top + 20, width: right - left, height: 18, color: "#e4ebf3"))
            chart.boxes.append(Box(x: left, y: top + 20, width: max(length, 1), height: 18, color: color(0)))
        }
        return chart
    }

    /// The collectors: for each, attempts (pale) with conversations (dark) over them, and the amount collected.
    static func collectors(_ report: CollectorReport) -> ReportChart {
        let left = 4
        let right = 396
        let maximum = max(1, report.collectors.map { max($0.attempts, $0.conversations) }.max() ?? 1)
        var chart = ReportChart(
            height: max(40, report.collectors.count * 48 + 24), title: "Attempts and conversations by collector")
        chart.boxes.append(Box(x: left, y: 4, width: 12, height: 12, color: "#b9cde5"))
        chart.labels.append(Label(x: left + 16, y: 15, text: "attempts"))
        chart.boxes.append(Box(x: left + 100, y: 4, width: 12, height: 12, color: color(0)))
        chart.labels.append(Label(x: left + 116, y: 15, text: "conversations (collected)"))
        for (index, result) in report.collectors.enumerated() {
            let top = index * 48 + 24
            func length(_ count: Int) -> Int { max(1, (right - left) * count / maximum) }
            chart.labels.append(
                Label(
                    x: left, y: top + 14,
                    text: "\(result.collector): \(result.attempts) / \(result.conversations), "
                        + Money.displayString(minorUnits: result.collected, currency: report.currency)))
            chart.boxes.append(Box(x: left, y: top + 20, width: length(result.attempts), height: 20, color: "#b9cde5"))
            chart.boxes.append(
                Box(x: left, y: top + 24, width: length(result.conversations), height: 12, color: color(0)))
        }
        return chart
    }

    /// The promises: for each month, a bar split into kept, partially kept, broken and pending.
    static func promises(_ report: PromiseKeptReport) -> ReportChart {
        let left = 4
        let right = 396
        let maximum = max(1, report.months.map(\.made).max() ?? 1)
        let parts = [("kept", color(2)), ("partly kept", color(4)), ("broken", color(6)), ("pending", "#b0b0b0")]
        var chart = ReportChart(
            height: max(40, report.months.count * 44 + 28), title: "Promises by the month made and their outcome")
        for (index, part) in parts.enumerated() {
            chart.boxes.append(Box(x: left + index * 96, y: 4, width: 12, height: 12, color: part.1))
            chart.labels.append(Label(x: left + index * 96 + 16, y: 15, text: part.0))
        }
        for (index, month) in report.months.enumerated() {
            let top = index * 44 + 28
            chart.labels.append(
                Label(
                    x: left, y: top + 14,
                    text: (month.month?.isoString ?? "") + ": \(month.kept) of \(month.decided) kept "
                        + "(\(AgencyReportText.keptPercent(month))%)"))
            var x = left
            for (count, part) in zip([month.kept, month.partiallyKept, month.broken, month.pending], parts) {
                let width = (right - left) * count / maximum
                if width > 0 { chart.boxes.append(Box(x: x, y: top + 20, width: width, height: 18, color: part.1)) }
                x += width
            }
        }
        return chart
    }
}
