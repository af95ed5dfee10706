import Foundation
import RecoupCore
import RecoupStore
import RecoupTestSupport
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import RecoupServer

/// The debt page's "Automatic steps": pause the strategy through a day and end the pause, exclude the debtor and
/// include them again, place the debt with an agency (its file written) and recall it. Each form posts, redirects
/// with its message, records once however often it is sent, and answers what it cannot take with the page again and
/// one sentence. The debts are DebtPageTests.file's: F1 disputed, F2 paid off, F3 open ($80.00; Sam Poe). `testNow`
/// is Monday 30 Nov 2026, 00:53 UTC (the business zone's date).
@Suite("The debt page's pauses, exclusions and placements")
struct DebtPagePauseTests {
    /// A fresh directory for the app's placement files.
    static func placementsDirectory(_ app: Application) -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "recoup-placements-\(UUID().uuidString)")
        app.settings.placementsDirectory = directory
        return directory
    }

    @Test(
        "a pause through a day, shown with its end button; sent twice, made once; a past day is refused",
        arguments: TestStore.available)
    func pause(store: TestStore) async throws {
        try await withApp(store) { app in
            // Setup
            let (_, _, f3) = try await DebtPageTests.prepare(app)
            let page = try await DebtPageTests.html(app, "debts/\(f3)").1
            #expect(page.contains(#"<h2 id="automation-h">Automatic steps</h2>"#))
            #expect(page.contains("The strategy runs for this debt: the daily run takes the step due on its track."))
            #expect(page.contains(#"min="2026-11-30" max="2027-11-30""#))
            let id = try DebtPageTests.submissionID(page, form: "pause-form")

            // A day before today: the page again, the sentence next to the form, what was typed kept.
            let refused = try await DebtPageTests.refused(
                app, "debts/\(f3)/pauses", "scope=debtor&until=2026-11-29&reason=call+Friday&submission=\(id)",
                errorID: "pause-error")
            #expect(
                refused.sentence
                    == "the pause would end on 2026-11-29, before today (2026-11-30); give today or a later day")
            #expect(refused.page.contains(#"value="call Friday""#))
            #expect(try DebtPageTests.submissionID(refused.page, form: "pause-form") == id, "the same form, corrected")
            let noReason = try await DebtPageTests.refused(
                app, "debts/\(f3)/pauses", "scope=debt&until=2026-12-10&reason=&submission=\(id)",
                errorID: "pause-error")
            #expect(noReason.sentence == "give a reason for a pause")

            // Act: the corrected form, for every debt of the debtor.
            let shown = try await DebtPageTests.sent(
                app, "debts/\(f3)/pauses", "scope=debtor&until=2026-12-10&reason=call+Friday&submission=\(id)"
            ).page

            // Verify
            #expect(
                shown.contains(
                    "<p>Paused: the strategy waits for every debt of Sam Poe through Thu 10 Dec 2026 and resumes by "
                        + "itself the day after.</p>"))
            #expect(
                shown.contains("<strong>All of Sam Poe&#39;s debts, through Thu 10 Dec 2026</strong><br>call Friday"))
            #expect(
                shown.contains(
                    "The strategy is paused for this debt through Thu 10 Dec 2026; it resumes by itself the day after.")
            )
            let again = try await DebtPageTests.sent(
                app, "debts/\(f3)/pauses", "scope=debtor&until=2026-12-10&reason=call+Friday&submission=\(id)"
            ).page
            #expect(again.contains("This form was already sent"))
            #expect(try await TestDebts.count("strategy_pauses", on: app.db) == 1)
            let pause = try #require(try await PauseStore.list(clientRef: "default", debtorRef: "P3", on: app.db).first)
            #expect(pause.debtID == nil && pause.createdBy == TestAccounts.adminEmail)

            // End it: the button, once.
            let end = try DebtPageTests.submissionID(shown, form: "end-pause-\(pause.id)")
            let ended = try await DebtPageTests.sent(
                app, "debts/\(f3)/pauses/end", "pause=\(pause.id)&submission=\(end)"
            ).page
            #expect(
                ended.contains("<p>Pause ended: the strategy resumes for every debt of Sam Poe at the next run.</p>"))
            #expect(!ended.contains("end-pause-\(pause.id)"))
            #expect(try await TestDebts.count("strategy_pauses", where: "ended_at IS NOT NULL", on: app.db) == 1)
            // A pause that is not this client's (or does not exist) is refused as missing.
            let missing = try await DebtPageTests.refused(
                app, "debts/\(f3)/pauses/end", "pause=999&submission=\(FormOnce.newID())", errorID: "pause-error")
            #expect(missing.sentence == "there is no pause 999 for client &quot;default&quot;")
        }
    }

    @Test("exclude the debtor from automatic steps and include them again", arguments: TestStore.available)
    func exclusion(store: TestStore) async throws {
        try await withApp(store) { app in
            let (f1, _, f3) = try await DebtPageTests.prepare(app)
            let page = try await DebtPageTests.html(app, "debts/\(f3)").1
            let id = try DebtPageTests.submissionID(page, form: "exclude-form")
            let empty = try await DebtPageTests.refused(
                app, "debts/\(f3)/exclusion", "reason=+&submission=\(id)", errorID: "exclusion-error")
            #expect(empty.sentence == "give a reason for an exclusion")

            let shown = try await DebtPageTests.sent(
                app, "debts/\(f3)/exclusion", "reason=the+debtor+asked+for+letters+only&submission=\(id)"
            ).page

            #expect(
                shown.contains(
                    "<p>Sam Poe is excluded from automatic steps: their debts are worked by hand until they are "
                        + "included again.</p>"))
            #expect(shown.contains("<strong>Sam Poe is excluded from automatic steps.</strong> the debtor asked"))
            #expect(shown.contains("Sam Poe is worked by hand: the daily run takes no automatic step for their debts."))
            #expect(!shown.contains(#"id="exclude-form""#))
            // Pat Doe (F1), another debtor, is not excluded.
            #expect(try await DebtPageTests.html(app, "debts/\(f1)").1.contains(#"id="exclude-form""#))
            let exclusion = try #require(
                try await PauseStore.exclusions(clientRef: "default", debtorRef: "P3", on: app.db).first)
            let include = try DebtPageTests.submissionID(shown, form: "include-form")
            let included = try await DebtPageTests.sent(
                app, "debts/\(f3)/exclusion/end", "exclusion=\(exclusion.id)&submission=\(include)"
            ).page
            #expect(included.contains("<p>Sam Poe is included again: automatic steps resume at the next run.</p>"))
            #expect(included.contains(#"id="exclude-form""#))
            let twice = try await DebtPageTests.sent(
                app, "debts/\(f3)/exclusion/end", "exclusion=\(exclusion.id)&submission=\(include)"
            ).page
            #expect(twice.contains("This form was already sent"))
            // A whole client's exclusion shows on every debt of the client, ended from the command line.
            _ = try await PauseStore.exclude(
                clientRef: "default", debtorRef: nil, reason: "the client's own team", by: nil, now: testNow,
                on: app.db)
            let client = try await DebtPageTests.html(app, "debts/\(f1)").1
            #expect(client.contains(#"id="client-exclusion""#))
            #expect(client.contains("Every debt of default is worked by hand: the daily run takes no automatic step."))
        }
    }

    @Test(
        "place with an agency: the file written, the placement shown; a rate of 150 refused; recalled",
        arguments: TestStore.available)
    func placement(store: TestStore) async throws {
        try await withApp(store) { app in
            let (_, f2, f3) = try await DebtPageTests.prepare(app)
            let directory = Self.placementsDirectory(app)
            defer { try? FileManager.default.removeItem(at: directory) }
            let page = try await DebtPageTests.html(app, "debts/\(f3)").1
            let id = try DebtPageTests.submissionID(page, form: "place-form")
            #expect(!page.contains(#"id="recall-form""#))
            // Nothing owed on F2: no form, a sentence.
            let paidOff = try await DebtPageTests.html(app, "debts/\(f2)").1
            #expect(paidOff.contains("Nothing is owed, so there is nothing to place."))
            #expect(!paidOff.contains(#"id="place-form""#))

            let rate = try await DebtPageTests.refused(
                app, "debts/\(f3)/placement", "agency=acme-collections&placedOn=2026-11-30&rate=150&submission=\(id)",
                errorID: "placement-error")
            #expect(rate.sentence == "the contingency rate 150 is above 100 percent; give a number from 0 to 100")
            #expect(rate.page.contains(#"value="acme-collections""#))
            let recallFirst = try await DebtPageTests.refused(
                app, "debts/\(f3)/placement/recall", "reason=x&recalledOn=2026-11-30&submission=\(FormOnce.newID())",
                errorID: "placement-error")
            #expect(
                recallFirst.sentence
                    == "debt &quot;F3&quot; of client &quot;default&quot; is not placed with an agency, so there is "
                    + "nothing to recall")

            let shown = try await DebtPageTests.sent(
                app, "debts/\(f3)/placement", "agency=acme-collections&placedOn=2026-11-30&rate=25&submission=\(id)"
            ).page

            #expect(
                shown.contains(
                    "<p>Placed with acme-collections on Mon 30 Nov 2026: $80.00 owed at placement, contingency rate "
                        + "25%. The client&#39;s strategy stops for this debt.</p>"))
            #expect(
                shown.contains("<li>The agency&#39;s file for the day: acme-collections-default-2026-11-30.csv.</li>"))
            #expect(
                shown.contains(
                    "<strong>Placed with acme-collections on Mon 30 Nov 2026.</strong> Owed at placement: $80.00; "
                        + "contingency rate 25%."))
            #expect(shown.contains(#"id="recall-form""#) && !shown.contains(#"id="place-form""#))
            let file = directory.appendingPathComponent("acme-collections-default-2026-11-30.csv")
            let text = try String(contentsOf: file, encoding: .utf8)
            #expect(
                text.hasSuffix(
                    "\nF3,P3,consumer,Sam Poe,2026-06-01,2026-07-01,80.00,0.00,0.00,USD,,,no,+16175550199:mobile,,,,,,,,America/New_York\n"
                ))
            let placement = try #require(try await PlacementStore.list(scope: .all, on: app.db).first)
            #expect(placement.filePath == file.path && placement.createdBy == TestAccounts.adminEmail)
            let twice = try await DebtPageTests.sent(
                app, "debts/\(f3)/placement", "agency=acme-collections&placedOn=2026-11-30&rate=25&submission=\(id)"
            ).page
            #expect(twice.contains("This form was already sent"))
            #expect(try await TestDebts.count("placements", on: app.db) == 1)

            let recall = try DebtPageTests.submissionID(shown, form: "recall-form")
            let recalled = try await DebtPageTests.sent(
                app, "debts/\(f3)/placement/recall",
                "reason=the+debtor+called+us&recalledOn=2026-11-30&submission=\(recall)"
            ).page
            #expect(
                recalled.contains(
                    "<p>Recalled from acme-collections on Mon 30 Nov 2026: the client&#39;s strategy takes the debt "
                        + "back.</p>"))
            #expect(
                recalled.contains(
                    "acme-collections, placed Mon 30 Nov 2026: $80.00 owed, rate 25%. Recalled Mon 30 Nov 2026: the "
                        + "debtor called us (admin@example.com)"))
            #expect(recalled.contains(#"id="place-form""#))
        }
    }
}
