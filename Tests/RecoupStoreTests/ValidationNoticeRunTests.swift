import FluentKit
import Foundation
import RecoupCore
import RecoupStore
import RecoupTestSupport
import SQLKit
import Testing

/// The validation notice in the daily run: an agency's first communication about each consumer debt, before any
/// step of the strategy; the strategy's contacts wait until it is sent; a final notice waits out the validation period.
@Suite("The validation notice in the run")
struct ValidationNoticeRunTests {
    static let utc = TimeZone(identifier: "UTC")!
    static let asOf = LocalDate(testNow, in: utc)

    /// A reminder at day 7 and a final notice at day 15.
    static let strategy: Strategy = {
        var reminder = StrategyStep(id: "reminder-1", day: 7, action: .email)
        reminder.template = "reminder"
        var final = StrategyStep(id: "final", day: 15, action: .finalNotice)
        final.template = "final-notice"
        final.channel = .letter
        return Strategy(name: "test", tracks: [StrategyTrack(steps: [reminder, final])])
    }()

    /// Pat (a consumer with a postal address) owes D1; Biz Co (a business) owes D2; Ana (a consumer who reads Spanish,
    /// email only) owes D3. All were due 20 days before the run, so the final notice is the step due.
    static var file: String {
        func day(_ offset: Int) -> String { asOf.adding(days: offset).isoString }
        return """
            debt_ref,debtor_ref,debtor_kind,debtor_name,charged_on,due_on,principal,interest,fees,emails,address_line1,address_city,address_state,address_postal_code,time_zones,language
            D1,P1,consumer,Pat Doe,\(day(-50)),\(day(-20)),1200.00,12.50,25.00,pat@example.com,12 Elm Street,Boston,MA,02118,America/New_York,
            D2,P2,commercial,Biz Co,\(day(-50)),\(day(-20)),800.00,,,ap@biz.example,1 Commerce Way,Boston,MA,02110,America/New_York,
            D3,P3,consumer,Ana García,\(day(-50)),\(day(-20)),300.00,,,ana@example.com,,,,,America/New_York,es
            """
    }

    static func load(_ database: RecoupDatabase) async throws {
        try await TestDebts.load(file, on: database.db, now: testNow.addingTimeInterval(-86_400 * 60))
        try await ClientProfileStore.update(
            clientRef: "default",
            with: ClientProfileUpdate(
                name: "Harbor Dental", phone: "(617) 555-0199", address: "1 Harbor Way\nBoston, MA 02110"),
            on: database.db)
        try await AccrualStore.setTerms(
            clientRef: "default", terms: ClientTerms(collectorName: "Acme Recovery Services"), on: database.db)
    }

    static func run(
        _ day: LocalDate, _ database: RecoupDatabase
    ) async throws -> (RunSummary, [RunAction], [RunBlockedAction]) {
        var request = RunRequest(
            asOf: day, defaultStrategy: RunStrategy(strategy: strategy, id: nil, version: 0), zone: utc)
        request.publicURL = "https://pay.example.com"
        let collected = RunStoreTests.Collected()
        let now = testNow.addingTimeInterval(Double(day.daysSinceEpoch - asOf.daysSinceEpoch) * 86_400)
        let summary = try await RunStore.run(
            request, on: database.db, now: now, report: { chunk in await collected.add(chunk) })
        return (summary, await collected.actions, await collected.blocked)
    }

    static func messages(
        _ database: RecoupDatabase
    ) async throws -> [(
        template: String, channel: String, recipient: String?, subject: String?, body: String, status: String
    )] {
        try await database.sql.raw(
            "SELECT template, channel, recipient, subject, body, status FROM outbox_messages ORDER BY id"
        ).all().map {
            (
                try $0.decode(column: "template", as: String.self), try $0.decode(column: "channel", as: String.self),
                try $0.decode(column: "recipient", as: String?.self),
                try $0.decode(column: "subject", as: String?.self),
                try $0.decode(column: "body", as: String.self), try $0.decode(column: "status", as: String.self)
            )
        }
    }

    @Test(
        "the notice goes first, one per consumer debt; the strategy waits until it is sent; the final notice waits out the period",
        arguments: TestStore.available)
    func noticeFirstThenThePeriod(_ kind: TestStore) async throws {
        try await withStore(kind) { database in
            try await Self.load(database)
            let (first, actions, _) = try await Self.run(Self.asOf, database)
            #expect(
                Set(actions.map { "\($0.debtRef) \($0.step)" }) == [
                    "D1 validation-notice", "D3 validation-notice", "D2 final",
                ],
                "the business debt owes no notice and gets the strategy's step")
            #expect(first.created == 3)
            let queued = try await Self.messages(database)
            let pat = try #require(queued.first { $0.recipient?.contains("12 Elm Street") == true })
            #expect(pat.template == "validation-notice")
            #expect(pat.channel == "letter")
            // B-1's content: who collects for whom, the itemization and the period's end.
            let ends = MessageTemplates.readable(try ValidationPeriod(sent: Self.asOf).periodEnds)
            #expect(pat.body.contains("Acme Recovery Services is a debt collector"), "\(pat.body)")
            #expect(pat.body.contains("Harbor Dental"))
            #expect(pat.body.contains("$1,237.50"), "the amount now: 1,200.00 + 12.50 + 25.00")
            #expect(pat.body.contains(ends), "the validation period's end, \(ends)")
            #expect(pat.body.contains("D1"))
            let ana = try #require(queued.first { $0.recipient == "ana@example.com" })
            #expect(ana.template == "validation-notice")
            #expect(ana.channel == "email", "no postal address: the notice goes by email")
            #expect(ana.body.contains("cobrador de deudas"), "in Spanish: \(ana.body)")
            #expect(ana.subject != nil)
            #expect(queued.count == 3)

            // The same day again: nothing new.
            let (again, repeated, _) = try await Self.run(Self.asOf, database)
            #expect(again.created == 0)
            #expect(repeated.isEmpty)

            // The next day the notices are queued but not sent: the final notice waits (validation-notice).
            let (_, nextDay, waiting) = try await Self.run(Self.asOf.adding(days: 1), database)
            let held = try #require(waiting.first { $0.debtRef == "D1" }, "\(nextDay.map(\.reason)) \(waiting)")
            #expect(held.rules == ["validation-notice"])
            #expect(held.step == "final")

            // The letters go out (the real letter writer), on the run's day.
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vn-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            let sentAt = testNow.addingTimeInterval(86_400)
            let delivered = try await OutboxDelivery.send(
                transports: [LetterTransport(directory: folder)], now: sentAt, by: "test", on: database.db)
            #expect(delivered.sent == 2, "Pat's notice and Biz Co's final notice")
            let sentDay = ContactScheduling.day(of: sentAt, in: TimeZone(identifier: "America/New_York")!)
            let period = try ValidationPeriod(sent: sentDay)
            // The letter is written for the day it went: the period's end of that day, not of the run's.
            let letter = try #require(
                try await Self.messages(database).first { $0.template == "validation-notice" && $0.status == "sent" })
            #expect(letter.body.contains(MessageTemplates.readable(period.periodEnds)), "\(letter.body)")
            #expect(period.periodEnds != (try ValidationPeriod(sent: Self.asOf)).periodEnds || sentDay == Self.asOf)

            // Within the period the final notice still waits, now for the period (validation-period).
            let (_, _, inPeriod) = try await Self.run(sentDay.adding(days: 1), database)
            let periodHeld = try #require(inPeriod.first { $0.debtRef == "D1" })
            #expect(periodHeld.rules == ["validation-period"])
            #expect(periodHeld.reason.contains("ends on \(period.periodEnds)"), "\(periodHeld.reason)")
            // Ana's notice is still queued (no email transport ran): her debt still waits for it.
            #expect(inPeriod.first { $0.debtRef == "D3" }?.rules == ["validation-notice"])

            // The day after the period ends, the final notice is queued.
            let (_, after, afterBlocked) = try await Self.run(period.periodEnds.adding(days: 1), database)
            #expect(after.contains { $0.debtRef == "D1" && $0.step == "final" })
            #expect(!afterBlocked.contains { $0.debtRef == "D1" })
            // Still one notice for Pat's debt: it was sent.
            #expect(try await Self.messages(database).filter { $0.template == "validation-notice" }.count == 2)
        }
    }

    @Test(
        "a creditor writing for itself owes no notice: the strategy's step goes at once", arguments: TestStore.available
    )
    func creditorOwesNone(_ kind: TestStore) async throws {
        try await withStore(kind) { database in
            try await Self.load(database)
            try await AccrualStore.setTerms(clientRef: "default", terms: ClientTerms(), on: database.db)
            let (_, actions, _) = try await Self.run(Self.asOf, database)
            #expect(Set(actions.map { "\($0.debtRef) \($0.step)" }) == ["D1 final", "D2 final", "D3 final"])
            #expect(try await Self.messages(database).allSatisfy { $0.template == "final-notice" })
        }
    }
}
