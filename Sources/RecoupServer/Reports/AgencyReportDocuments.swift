import RecoupCore

/// The agency reports as JSON and CSV, written at the edges (the command line and the pages' downloads) from the
/// Core values the store returns. Amounts are decimal strings in the report's currency, percents have two decimals
/// (`Percentage.string`).
enum AgencyReportText {
    static func money(_ minorUnits: Int64, _ currency: Currency) -> String {
        Money.decimalString(minorUnits: minorUnits, currency: currency)
    }

    // MARK: Liquidation

    static func json(_ report: LiquidationReport, clientRef: String?) -> OrderedJSON {
        let currency = report.currency
        let placed = report.cohorts.reduce(Int64(0)) { $0.addingReportingOverflow($1.placed).partialValue }
        let collected = report.cohorts.reduce(Int64(0)) { $0.addingReportingOverflow($1.collected).partialValue }
        let byAgency = report.cohorts.reduce(Int64(0)) {
            $0.addingReportingOverflow($1.months.last?.collectedByAgency ?? 0).partialValue
        }
        return .object([
            ("report", .string("liquidation")), ("asOf", .string(report.asOf.isoString)),
            ("client", clientRef.map { .string($0) } ?? .null), ("currency", .string(currency.code)),
            (
                "placements",
                .array(
                    report.cohorts.map { cohort in
                        .object([
                            ("month", .string(cohort.placementMonth.isoString)),
                            ("accounts", .integer(Int64(cohort.accounts))),
                            ("placed", .string(money(cohort.placed, currency))),
                            (
                                "months",
                                .array(
                                    cohort.months.map { step in
                                        .object([
                                            ("month", .integer(Int64(step.monthsSincePlacement))),
                                            (
                                                "calendarMonth",
                                                .string(
                                                    cohort.placementMonth.adding(months: step.monthsSincePlacement)
                                                        .isoString)
                                            ),
                                            ("collected", .string(money(step.collected, currency))),
                                            ("percent", .string(Percentage.string(step.collected, of: cohort.placed))),
                                            ("collectedByAgency", .string(money(step.collectedByAgency, currency))),
                                            (
                                                "percentByAgency",
                                                .string(Percentage.string(step.collectedByAgency, of: cohort.placed))
                                            ),
                                        ])
                                    })
                            ),
                        ])
                    })
            ),
            (
                "total",
                .object([
                    ("accounts", .integer(Int64(report.cohorts.reduce(0) { $0 + $1.accounts }))),
                    ("placed", .string(money(placed, currency))), ("collected", .string(money(collected, currency))),
                    ("percent", .string(Percentage.string(collected, of: placed))),
                    ("collectedByAgency", .string(money(byAgency, currency))),
                    ("percentByAgency", .string(Percentage.string(byAgency, of: placed))),
                ])
            ),
        ])
    }

    /// One line per placement month and month since placement.
    static func csv(_ report: LiquidationReport) -> String {
        let currency = report.currency
        var text = CSVWriter.line([
            "placement_month", "accounts", "placed", "months_since_placement", "calendar_month", "collected",
            "percent", "collected_by_agency", "percent_by_agency", "currency",
        ])
        for cohort in report.cohorts {
            for step in cohort.months {
                text += CSVWriter.line([
                    cohort.placementMonth.isoString, String(cohort.accounts), money(cohort.placed, currency),
                    String(step.monthsSincePlacement),
                    cohort.placementMonth.adding(months: step.monthsSincePlacement).isoString,
                    money(step.collected, currency), Percentage.string(step.collected, of: cohort.placed),
                    money(step.collectedByAgency, currency),
                    Percentage.string(step.collectedByAgency, of: cohort.placed), currency.code,
                ])
            }
        }
        return text
    }

    // MARK: Recovery

    static func json(_ report: RecoveryReport, clientRef: String?) -> OrderedJSON {
        let currency = report.currency
        return .object([
            ("report", .string("recovery")), ("asOf", .string(report.asOf.isoString)),
            ("client", clientRef.map { .string($0) } ?? .null), ("currency", .string(currency.code)),
            (
                "clients",
                .array(
                    report.clients.map { client in
                        .object([
                            ("client", .string(client.clientRef)), ("name", .string(client.clientName)),
                            ("placed", .string(money(client.placed, currency))),
                            ("collected", .string(money(client.collected, currency))),
                            ("percent", .string(Percentage.string(client.collected, of: client.placed))),
                            ("collectedByAgency", .string(money(client.collectedByAgency, currency))),
                            ("open", .integer(Int64(client.open))), ("closed", .integer(Int64(client.closed))),
                        ])
                    })
            ),
        ])
    }

    static func csv(_ report: RecoveryReport) -> String {
        let currency = report.currency
        var text = CSVWriter.line([
            "client", "name", "placed", "collected", "percent", "collected_by_agency", "open", "closed", "currency",
        ])
        for client in report.clients {
            text += CSVWriter.line([
                client.clientRef, client.clientName, money(client.placed, currency), money(client.collected, currency),
                Percentage.string(client.collected, of: client.placed), money(client.collectedByAgency, currency),
                String(client.open), String(client.closed), currency.code,
            ])
        }
        return text
    }

    // MARK: Promises

    /// The kept rate: kept ÷ decided (kept, partially kept or broken); pending promises are not yet decided.
    static func keptPercent(_ month: PromiseKeptMonth) -> String {
        Percentage.string(Int64(month.kept), of: Int64(month.decided))
    }

    static func promiseMembers(_ month: PromiseKeptMonth, _ currency: Currency) -> [(String, OrderedJSON)] {
        [
            ("made", .integer(Int64(month.made))), ("kept", .integer(Int64(month.kept))),
            ("partiallyKept", .integer(Int64(month.partiallyKept))), ("broken", .integer(Int64(month.broken))),
            ("pending", .integer(Int64(month.pending))), ("keptPercent", .string(keptPercent(month))),
            ("promised", .string(money(month.promised, currency))), ("paid", .string(money(month.paid, currency))),
        ]
    }

    static func json(_ report: PromiseKeptReport, clientRef: String?) -> OrderedJSON {
        .object([
            ("report", .string("promises")), ("from", .string(report.from.isoString)),
            ("to", .string(report.to.isoString)), ("asOf", .string(report.asOf.isoString)),
            ("client", clientRef.map { .string($0) } ?? .null), ("currency", .string(report.currency.code)),
            (
                "months",
                .array(
                    report.months.map { month in
                        .object(
                            [("month", .string(month.month?.isoString ?? ""))]
                                + promiseMembers(month, report.currency))
                    })
            ),
            ("total", .object(promiseMembers(report.total, report.currency))),
        ])
    }

    static func csv(_ report: PromiseKeptReport) -> String {
        var text = CSVWriter.line([
            "month", "made", "kept", "partially_kept", "broken", "pending", "kept_percent", "promised", "paid",
            "currency",
        ])
        for month in report.months + [report.total] {
            text += CSVWriter.line([
                month.month?.isoString ?? "total", String(month.made), String(month.kept), String(month.partiallyKept),
                String(month.broken), String(month.pending), keptPercent(month),
                money(month.promised, report.currency), money(month.paid, report.currency), report.currency.code,
            ])
        }
        return text
    }

    // MARK: Collectors

    static func json(_ report: CollectorReport, clientRef: String?) -> OrderedJSON {
        .object([
            ("report", .string("collectors")), ("from", .string(report.from.isoString)),
            ("to", .string(report.to.isoString)), ("client", clientRef.map { .string($0) } ?? .null),
            ("currency", .string(report.currency.code)),
            ("attributionDays", .integer(Int64(CollectorResult.attributionDays))),
            (
                "collectors",
                .array(
                    report.collectors.map { result in
                        .object([
                            ("collector", .string(result.collector)), ("attempts", .integer(Int64(result.attempts))),
                            ("conversations", .integer(Int64(result.conversations))),
                            ("promises", .integer(Int64(result.promises))),
                            ("collected", .string(money(result.collected, report.currency))),
                        ])
                    })
            ),
        ])
    }

    static func csv(_ report: CollectorReport) -> String {
        var text = CSVWriter.line(["collector", "attempts", "conversations", "promises", "collected", "currency"])
        for result in report.collectors {
            text += CSVWriter.line([
                result.collector, String(result.attempts), String(result.conversations), String(result.promises),
                money(result.collected, report.currency), report.currency.code,
            ])
        }
        return text
    }
}
