import Foundation
import RecoupCore
import RecoupStore
import RecoupTestSupport
import Testing
import Vapor
import VaporTesting

@testable import RecoupServer

/// The portal's dates are the debtor's day at the request's instant (issue 13): the agreement's "written on", the
/// first payment date a plan may take, a promise's day and the dates the page suggests.
@Suite("The portal's day is the debtor's")
struct PortalClockTests {
    /// 2026-11-30T03:00:00Z: 7 PM on Sunday the 29th in Los Angeles, already the 30th in UTC (the business zone).
    static let instant = Date(timeIntervalSince1970: 1_796_007_600)

    /// One debt each of a debtor in Los Angeles (their zone recorded) and of one whose zone nothing tells.
    static let file = """
        debt_ref,debtor_ref,debtor_kind,debtor_name,charged_on,due_on,principal,interest,fees,paid,paid_on,phones,emails,address_state,address_postal_code,time_zones
        W-1,P-WEST,consumer,Wes Tanaka,2026-09-01,2026-10-01,600.00,,,,,,,,,America/Los_Angeles
        U-1,P-NOWHERE,consumer,Uma Noor,2026-09-01,2026-10-01,600.00,,,,,,,,,

        """

    static func portal(_ app: Application, debtor: String) async throws -> PortalTests.Visit {
        let link = try await PortalLinks.create(
            clientRef: "default", debtorRef: debtor, days: 30, on: app.db, now: app.settings.clock())
        var visit = PortalTests.Visit(app, token: link.token)
        try await visit.open()
        return visit
    }

    @Test(
        "a debtor in Los Angeles at 7 PM on the 29th gets an agreement written on the 29th and may start paying that day; their promise is made on the 29th",
        arguments: TestStore.available)
    func debtorsDay(store: TestStore) async throws {
        try await withApp(store, clock: { Self.instant }) { app in
            // Setup
            _ = try await Importer.run(
                ImportRequest(path: try TestFiles.temporary(Self.file), format: .recoup), on: app.db, now: Self.instant)
            #expect(app.settings.today.isoString == "2026-11-30")
            var visit = try await Self.portal(app, debtor: "P-WEST")
            #expect(visit.html.contains(#"name="firstDue" type="date" required value="2026-11-29""#))
            // Act: a plan from the debtor's today, which is the server's yesterday.
            let (status, location) = try await visit.post(
                "propose",
                "amount=100&frequency=monthly&firstDue=2026-11-29&submission=\(visit.submission("propose"))")
            // Verify
            #expect(status == .seeOther, "\(location)")
            let arrangement = try await ArrangementStore.show(
                clientRef: "default", ref: "ARR-000001", asOf: try LocalDate(iso: "2026-11-29"), on: app.db)
            #expect(arrangement.createdOn.isoString == "2026-11-29")
            #expect(arrangement.arrangement.installments.first?.due.isoString == "2026-11-29")
            let agreement = try await ArrangementStore.agreement(clientRef: "default", ref: "ARR-000001", on: app.db)
            #expect(agreement.text.contains("Written on 2026-11-29"))
            #expect(!agreement.text.contains("2026-11-30"))
            try await visit.open()
            #expect(visit.html.contains("Written on 2026-11-29"))

            // A promise made now is made on the 29th, and may be due that day.
            let (promised, _) = try await visit.post(
                "promise", "debt=W-1&amount=20&due=2026-11-29&submission=\(visit.submission("promise"))")
            #expect(promised == .seeOther)
            let promises = try await PromiseStore.list(
                clientRef: "default", debtRef: "W-1", asOf: try LocalDate(iso: "2026-11-29"), on: app.db)
            #expect(promises.map(\.promise.madeOn.isoString) == ["2026-11-29"])
        }
    }

    @Test(
        "a debtor whose zone nothing tells gets the business zone's day, and a first payment before it is refused",
        arguments: TestStore.available)
    func businessDay(store: TestStore) async throws {
        try await withApp(store, clock: { Self.instant }) { app in
            _ = try await Importer.run(
                ImportRequest(path: try TestFiles.temporary(Self.file), format: .recoup), on: app.db, now: Self.instant)
            var visit = try await Self.portal(app, debtor: "P-NOWHERE")
            #expect(visit.html.contains(#"name="firstDue" type="date" required value="2026-11-30""#))
            let (refused, page) = try await visit.post(
                "propose",
                "amount=100&frequency=monthly&firstDue=2026-11-29&submission=\(visit.submission("propose"))")
            #expect(refused == .badRequest)
            #expect(page.contains("the first payment date must be today or later"))
            let (status, _) = try await visit.post(
                "propose",
                "amount=100&frequency=monthly&firstDue=2026-11-30&submission=\(visit.submission("propose"))")
            #expect(status == .seeOther)
            let agreement = try await ArrangementStore.agreement(clientRef: "default", ref: "ARR-000001", on: app.db)
            #expect(agreement.text.contains("Written on 2026-11-30"))
        }
    }
}
