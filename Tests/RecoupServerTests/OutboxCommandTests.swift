import Foundation
import RecoupCore
import RecoupTestSupport
import SQLKit
import Testing

@testable import RecoupStore

@Suite("recoup outbox list")
struct OutboxCommandTests {
    static let alpha = """
        debt_ref,debtor_ref,debtor_kind,debtor_name,charged_on,due_on,principal,interest,fees,paid,paid_on,phones,emails,address_state,address_postal_code,time_zones
        D1,P1,consumer,Pat Doe,2026-06-01,2026-07-01,1250.00,,,,,+16175550100:mobile,pat@example.com,MA,02118,America/New_York
        D2,P1,consumer,Pat Doe,2026-06-01,2026-07-01,80.00,,,,,+16175550100:mobile,pat@example.com,MA,02118,America/New_York

        """
    static let beta = """
        debt_ref,debtor_ref,debtor_kind,debtor_name,charged_on,due_on,principal,interest,fees,paid,paid_on,phones,emails,address_state,address_postal_code,time_zones
        B1,Q1,consumer,Quinn Roe,2026-06-01,2026-07-01,75.00,,,,,,quinn@example.com,,,

        """

    /// The database the binary uses for `store` (a file in its directory, or a PostgreSQL database of its own: the
    /// binary cannot be given a schema), the environment that points it there, and how to drop it afterwards.
    static func database(
        for store: TestStore, recoup: RecoupBinary
    ) async throws -> (StoreConfiguration, [String: String], @Sendable () async -> Void) {
        switch store {
        case .sqlite:
            let path = recoup.directory.appendingPathComponent("recoup.sqlite").path
            return (.sqliteFile(path: path), [:], {})
        case .postgres:
            let server = ProcessInfo.processInfo.environment["RECOUP_TEST_POSTGRES_URL"] ?? ""
            let name =
                "recoup_outbox_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(12)
            let admin = try await RecoupDatabase.open(.postgres(url: server, searchPath: nil), migrate: false)
            try await admin.sql.raw("CREATE DATABASE \(unsafeRaw: String(name))").run()
            await admin.close()
            var components = try #require(URLComponents(string: server))
            components.path = "/" + name
            let url = try #require(components.string)
            return (
                .postgres(url: url, searchPath: nil), ["DATABASE_URL": url],
                {
                    guard
                        let admin = try? await RecoupDatabase.open(
                            .postgres(url: server, searchPath: nil), migrate: false)
                    else { return }
                    try? await admin.sql.raw("DROP DATABASE IF EXISTS \(unsafeRaw: String(name)) WITH (FORCE)").run()
                    await admin.close()
                }
            )
        }
    }

    /// Two clients' debts and three messages: Pat's email about D1 and D2, Pat's text (sent), Quinn's email (beta).
    static func seed(_ configuration: StoreConfiguration) async throws -> [Int64] {
        let database = try await RecoupDatabase.open(configuration)
        do {
            for (file, client) in [(alpha, "alpha"), (beta, "beta")] {
                _ = try await Importer.run(
                    ImportRequest(path: try TestFiles.temporary(file), format: .recoup, clientRef: client),
                    on: database.db, now: testNow)
            }
            var ids: [String: Int64] = [:]
            for row in try await database.sql.raw(
                "SELECT id, ref FROM debtors UNION ALL SELECT id, ref FROM clients UNION ALL SELECT id, ref FROM debts"
            ).all() {
                ids[try row.decode(column: "ref", as: String.self)] = try row.decode(column: "id", as: Int64.self)
            }
            let asOf = try LocalDate(iso: "2026-07-15")
            let messages = [
                try await OutboxStore.insert(
                    clientID: ids["alpha"]!, debtorID: ids["P1"]!, channel: .email, recipient: "pat@example.com",
                    subject: "About your account", body: "Dear Pat Doe,\nYou owe $1,330.00.", template: "reminder",
                    sendAfter: testNow.addingTimeInterval(3_600), asOf: asOf, stepID: "reminder-1", runID: 1,
                    debtIDs: [ids["D1"]!, ids["D2"]!], on: database.db, now: testNow),
                try await OutboxStore.insert(
                    clientID: ids["alpha"]!, debtorID: ids["P1"]!, channel: .sms, recipient: "+16175550100",
                    subject: nil, body: "Text", template: "reminder", status: .sent, sendAfter: testNow, asOf: asOf,
                    stepID: "reminder-1", runID: 1, on: database.db, now: testNow),
                try await OutboxStore.insert(
                    clientID: ids["beta"]!, debtorID: ids["Q1"]!, channel: .email, recipient: "quinn@example.com",
                    subject: "Reminder", body: "Dear Quinn Roe", template: "reminder-before-due", sendAfter: testNow,
                    asOf: asOf, stepID: "before-due", runID: 1, debtIDs: [ids["B1"]!], on: database.db, now: testNow),
            ]
            await database.close()
            return messages
        } catch {
            await database.close()
            throw error
        }
    }

    @Test(
        "prints the outbox as the API does, filters by status and client, pages, and refuses bad input with exit 2",
        arguments: TestStore.available)
    func list(store: TestStore) async throws {
        let recoup = try RecoupBinary()
        let (configuration, environment, drop) = try await Self.database(for: store, recoup: recoup)
        do {
            try await check(recoup, configuration: configuration, environment: environment)
        } catch {
            await drop()
            throw error
        }
        await drop()
    }

    func check(_ recoup: RecoupBinary, configuration: StoreConfiguration, environment: [String: String]) async throws {
        let ids = try await Self.seed(configuration).map { String($0) }
        let run = { (arguments: [String]) in
            try await recoup.run(["outbox", "list"] + arguments, environment: environment)
        }

        // Every message, as GET /api/v1/outbox answers.
        let all = try await run([])
        #expect(all.status == 0, "\(all.standardError)")
        let first =
            #"{"asOf":"2026-07-15","body":"Dear Pat Doe,\nYou owe $1,330.00.","channel":"email","client":"alpha","createdAt":"\#(ISO8601Instant.format(testNow))","createdBy":null,"debtor":{"name":"Pat Doe","ref":"P1"},"debts":["D1","D2"],"id":"\#(ids[0])","recipient":"pat@example.com","run":"1","sendAfter":"\#(ISO8601Instant.format(testNow.addingTimeInterval(3_600)))","status":"queued","statusChangedAt":null,"step":"reminder-1","subject":"About your account","template":"reminder"}"#
        #expect(all.standardOutput.hasPrefix(#"{"messages":["# + first + ","), "\(all.standardOutput)")
        #expect(all.standardOutput.hasSuffix(#"],"next":null}"# + "\n"))
        #expect(Self.ids(all.standardOutput) == ids)

        await #expect(Self.ids(try run(["--status", "queued"]).standardOutput) == [ids[0], ids[2]])
        await #expect(Self.ids(try run(["--status", "sent", "--client", "alpha"]).standardOutput) == [ids[1]])
        await #expect(Self.ids(try run(["--client", "beta"]).standardOutput) == [ids[2]])
        let firstPage = try await run(["--limit", "2"])
        #expect(Self.ids(firstPage.standardOutput) == [ids[0], ids[1]])
        #expect(firstPage.standardOutput.hasSuffix(#"],"next":"\#(ids[1])"}"# + "\n"))
        let secondPage = try await run(["--limit", "2", "--after", ids[1]])
        #expect(Self.ids(secondPage.standardOutput) == [ids[2]])

        // For people.
        let table = try await run(["--format", "table", "--limit", "2"])
        #expect(table.status == 0)
        let lines = table.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.count == 4, "\(table.standardOutput)")
        #expect(lines[0].hasPrefix("id") && lines[0].contains("send after") && lines[0].hasSuffix("subject"))
        #expect(lines[1].contains("email") && lines[1].contains("Pat Doe (P1)") && lines[1].contains("D1, D2"))
        #expect(lines[1].hasSuffix("About your account"))
        #expect(lines[2].contains("sms") && lines[2].contains("sent") && lines[2].hasSuffix("-"))
        #expect(lines[3] == "More: --after \(ids[1])")
        await #expect(try run(["--format", "table", "--status", "failed"]).standardOutput == "No messages.\n")
        await #expect(try run(["--status", "failed"]).standardOutput == #"{"messages":[],"next":null}"# + "\n")

        // Bad input: one sentence, exit 2, nothing on standard output.
        for (arguments, sentence) in [
            (
                ["--status", "nope"],
                #"status is "nope"; use queued, sending, sent, deferred, failed, bounced or cancelled"#
            ),
            (["--client", "nobody"], #"there is no client "nobody""#),
            (["--limit", "0"], #"limit is "0"; use 1 to 500"#),
            (["--after", "x"], #"after is "x"; use the next value of the previous page"#),
            (["--format", "xml"], #"--format is "xml"; use json or table"#),
        ] {
            let refused = try await run(arguments)
            #expect(refused.status == 2, "\(arguments)")
            #expect(refused.standardError == "recoup: \(sentence)\n", "\(arguments)")
            #expect(refused.standardOutput == "")
        }
    }

    @Test(
        "outbox send writes the due letter's PDF into RECOUP_LETTERS_DIR, counts the emails it cannot send yet, sends nothing twice",
        arguments: TestStore.available)
    func send(store: TestStore) async throws {
        let recoup = try RecoupBinary()
        let (configuration, environment, drop) = try await Self.database(for: store, recoup: recoup)
        do {
            try await checkSend(recoup, configuration: configuration, environment: environment)
        } catch {
            await drop()
            throw error
        }
        await drop()
    }

    func checkSend(
        _ recoup: RecoupBinary, configuration: StoreConfiguration, environment: [String: String]
    ) async throws {
        _ = try await Self.seed(configuration)
        let database = try await RecoupDatabase.open(configuration)
        let letter: Int64
        do {
            var ids: [String: Int64] = [:]
            for row in try await database.sql.raw(
                "SELECT id, ref FROM debtors UNION ALL SELECT id, ref FROM clients UNION ALL SELECT id, ref FROM debts"
            ).all() {
                ids[try row.decode(column: "ref", as: String.self)] = try row.decode(column: "id", as: Int64.self)
            }
            letter = try await OutboxStore.insert(
                clientID: ids["alpha"]!, debtorID: ids["P1"]!, channel: .letter, recipient: "MA, 02118, US",
                subject: "Your account with alpha", body: "Dear Pat Doe,\nYou owe $1,330.00.", template: "letter",
                sendAfter: testNow, asOf: try LocalDate(iso: "2026-07-15"), debtIDs: [ids["D1"]!, ids["D2"]!],
                on: database.db, now: testNow)
            await database.close()
        } catch {
            await database.close()
            throw error
        }
        let letters = recoup.directory.appendingPathComponent("print room")
        var environment = environment
        environment["RECOUP_LETTERS_DIR"] = letters.path
        let sent = try await recoup.run(["outbox", "send"], environment: environment)
        #expect(sent.status == 0, "\(sent.standardError)")
        #expect(
            sent.standardOutput == #"{"cancelled":0,"deferred":0,"failed":0,"sent":1,"waiting":{"email":2}}"# + "\n")
        let batches = try FileManager.default.contentsOfDirectory(atPath: letters.path)
        #expect(batches.count == 1)
        let batch = letters.appendingPathComponent(try #require(batches.first))
        #expect(FileManager.default.fileExists(atPath: batch.appendingPathComponent("letter-\(letter).pdf").path))
        if let text = try PDFTools.text(of: batch.appendingPathComponent("letters.pdf")) {
            #expect(text.contains("Pat Doe") && text.contains("You owe $1,330.00.") && text.contains("MA 02118"))
        } else {
            #expect(!PDFTools.required, "pdftotext (poppler-utils) is not installed")
        }
        let listed = try await recoup.run(["outbox", "list", "--status", "sent"], environment: environment)
        #expect(Self.ids(listed.standardOutput).contains(String(letter)))

        let again = try await recoup.run(["outbox", "send"], environment: environment)
        #expect(
            again.standardOutput == #"{"cancelled":0,"deferred":0,"failed":0,"sent":0,"waiting":{"email":2}}"# + "\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: letters.path).count == 1)

        for bad in ["0", "many", "10001"] {
            let refused = try await recoup.run(["outbox", "send", "--limit", bad], environment: environment)
            #expect(refused.status == 2)
            #expect(refused.standardError == "recoup: --limit is \"\(bad)\"; use a whole number from 1 to 10000\n")
        }
    }

    /// The messages' ids in a JSON answer, in order.
    static func ids(_ output: String) -> [String] {
        struct List: Decodable {
            struct Message: Decodable { var id: String }
            var messages: [Message]
        }
        return (try? JSONDecoder().decode(List.self, from: Data(output.utf8)))?.messages.map(\.id) ?? ["unreadable"]
    }
}
