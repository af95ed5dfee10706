import Foundation
import RecoupCore
import RecoupStore
import RecoupTestSupport
import Testing

@Suite("Client profiles in the database")
struct ClientProfileStoreTests {
    static let harbor = ClientProfileUpdate(
        name: "Harbor Dental Group", phone: "617-555-0142", email: "billing@harbordental.example",
        website: "https://harbordental.example", address: "200 Atlantic Ave\nBoston, MA 02110",
        paymentInstructions: "Mail a check payable to Harbor Dental Group.",
        paymentLink: "https://pay.harbordental.example/invoice")

    @Test(
        "a profile is stored, read back, changed field by field and cleared; the name lives in clients.name",
        arguments: TestStore.available)
    func roundTrip(store: TestStore) async throws {
        try await withStore(store) { database in
            // Setup: a client created by reference alone has no name of its own and no details.
            try await ArrangementStoreTests.openDebts(database)
            let fresh = try await ClientProfileStore.profile(clientRef: "default", on: database.db)
            #expect(fresh == StoredClientProfile(ref: "default", profile: ClientProfile()))
            #expect(fresh.displayName == "default")
            // Act: set everything.
            let stored = try await ClientProfileStore.update(clientRef: "default", with: Self.harbor, on: database.db)
            // Verify: as read back, and the name every page reads from clients.name.
            #expect(stored.profile.phone == "+16175550142")
            #expect(try await ClientProfileStore.profile(clientRef: "default", on: database.db) == stored)
            #expect(try await ClientDirectory.clients(on: database.db).map(\.name) == ["Harbor Dental Group"])
            #expect(try await ClientProfileStore.all(on: database.db) == [stored])
            #expect(stored.displayName == "Harbor Dental Group")
            // One field changes; the others stay.
            let changed = try await ClientProfileStore.update(
                clientRef: "default", with: ClientProfileUpdate(email: "accounts@harbordental.example"),
                on: database.db)
            #expect(changed.profile.email == "accounts@harbordental.example")
            #expect(changed.profile.paymentLink == stored.profile.paymentLink)
            // Clearing the name puts the reference back; clearing a field stores null.
            let cleared = try await ClientProfileStore.update(
                clientRef: "default", with: ClientProfileUpdate(name: "", paymentLink: ""), on: database.db)
            #expect(cleared.profile.name == nil)
            #expect(cleared.profile.paymentLink == nil)
            #expect(try await ClientDirectory.clients(on: database.db).map(\.name) == ["default"])
            #expect(try await ClientProfileStore.profile(clientRef: "default", on: database.db) == cleared)
        }
    }

    @Test(
        "bad input and an unknown client are refused with one sentence and change nothing",
        arguments: TestStore.available)
    func refusals(store: TestStore) async throws {
        try await withStore(store) { database in
            try await ArrangementStoreTests.openDebts(database)
            try await ClientProfileStore.update(clientRef: "default", with: Self.harbor, on: database.db)
            let before = try await ClientProfileStore.profile(clientRef: "default", on: database.db)
            await #expect(
                throws: StoreError.invalid(
                    "the website \"www.harbor.example\" is not a web address starting with https:// or http://")
            ) {
                try await ClientProfileStore.update(
                    clientRef: "default",
                    with: ClientProfileUpdate(email: "ok@harbor.example", website: "www.harbor.example"),
                    on: database.db)
            }
            #expect(try await ClientProfileStore.profile(clientRef: "default", on: database.db) == before)
            await #expect(throws: StoreError.unknownClient("nobody")) {
                try await ClientProfileStore.update(
                    clientRef: "nobody", with: ClientProfileUpdate(name: "X"), on: database.db)
            }
            await #expect(throws: StoreError.unknownClient("nobody")) {
                try await ClientProfileStore.profile(clientRef: "nobody", on: database.db)
            }
        }
    }

    @Test(
        "the demo's clients have names, contact details and how to pay; loading it again keeps an admin's changes",
        arguments: TestStore.available)
    func demo(store: TestStore) async throws {
        try await withStore(store) { database in
            let today = try LocalDate(iso: "2026-11-29")
            // Act
            _ = try await DemoLoader.load(accounts: 8, seed: 7, today: today, on: database.db, now: testNow)
            // Verify
            let profiles = try await ClientProfileStore.all(on: database.db)
            #expect(
                profiles.map(\.ref) == ["citylight-utilities", "harbor-dental", "northwind-supply", "summit-fitness"])
            for stored in profiles {
                #expect(stored.profile.name != nil, "\(stored.ref)")
                #expect(stored.profile.phone?.hasPrefix("+1") == true, "\(stored.ref)")
                #expect(stored.profile.email != nil && stored.profile.addressLines.count >= 3, "\(stored.ref)")
                #expect(stored.profile.paymentInstructions != nil, "\(stored.ref)")
            }
            let harbor = try #require(profiles.first { $0.ref == "harbor-dental" })
            #expect(harbor.profile.paymentLink == "https://pay.harbordental.example/statements")
            // An admin's change survives loading the demo again.
            try await ClientProfileStore.update(
                clientRef: "harbor-dental", with: ClientProfileUpdate(phone: "+16175550199"), on: database.db)
            _ = try await DemoLoader.load(accounts: 8, seed: 7, today: today, on: database.db, now: testNow)
            #expect(
                try await ClientProfileStore.profile(clientRef: "harbor-dental", on: database.db).profile.phone
                    == "+16175550199")
        }
    }

    @Test(
        "a new agreement names the client and says how to pay from its profile; one written before keeps its text",
        arguments: TestStore.available)
    func agreements(store: TestStore) async throws {
        try await withStore(store) { database in
            // Setup: an agreement written while the client had only terms.
            try await ArrangementStoreTests.openDebts(database)
            try await AccrualStore.setTerms(
                clientRef: "default", terms: ClientTerms(contactLine: "Call 555-0100 and quote your account number."),
                on: database.db)
            func propose(_ debt: String) async throws -> ArrangementView {
                try await ArrangementStore.create(
                    CreateArrangementRequest(
                        clientRef: "default", debtRefs: [debt], today: ArrangementStoreTests.date("2026-11-29"),
                        offer: PlanOffer(
                            amount: 10_000, frequency: .monthly, firstDue: ArrangementStoreTests.date("2026-12-31")),
                        option: .installments),
                    on: database.db, now: testNow)
            }
            let before = try await propose("A1")
            let earlier = try await ArrangementStore.agreement(clientRef: "default", ref: before.ref, on: database.db)
            #expect(earlier.text.contains("HOW TO PAY OR CONTACT US\nCall 555-0100 and quote your account number."))
            // Act: the profile is set, and a new agreement is written.
            try await ClientProfileStore.update(clientRef: "default", with: Self.harbor, on: database.db)
            let after = try await propose("B1")
            // Verify
            let text = try await ArrangementStore.agreement(clientRef: "default", ref: after.ref, on: database.db).text
            #expect(text.contains("and Harbor Dental Group (\"we\"), to whom the debts below are owed."))
            #expect(
                text.contains(
                    "HOW TO PAY OR CONTACT US\nMail a check payable to Harbor Dental Group. Pay online at "
                        + "https://pay.harbordental.example/invoice. To pay or ask anything, call (617) 555-0142, "
                        + "email billing@harbordental.example or write to 200 Atlantic Ave, Boston, MA 02110. "
                        + "Website: https://harbordental.example. Please quote \(after.ref)."))
            let unchanged = try await ArrangementStore.agreement(clientRef: "default", ref: before.ref, on: database.db)
            #expect(unchanged == earlier)
        }
    }
}
