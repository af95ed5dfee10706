import Foundation
import Testing

@testable import RecoupCore

@Suite("The contact event codec: values to JSON and back")
struct ContactEventCodecTests {
    static let at = ISO8601Instant.parse("2026-11-20T15:04:05Z")!

    /// One entry of every event type, with every member its type has set (and one with none set).
    static let entries: [ContactLogEntry] = [
        ContactLogEntry(
            ContactEvent(
                .call(direction: .outbound, to: "+16175550100", outcome: .voicemail, messageLeft: true), at: at,
                debtIDs: ["D1", "D \"2\""]),
            purpose: .collection),
        ContactLogEntry(
            ContactEvent(.call(direction: .inbound, to: nil, outcome: .conversation, messageLeft: false), at: at)),
        ContactLogEntry(ContactEvent(.sms(direction: .outbound, to: "+16175550100"), at: at), purpose: .response),
        ContactLogEntry(ContactEvent(.sms(direction: .inbound, to: nil), at: at, debtIDs: ["D1"])),
        ContactLogEntry(
            ContactEvent(.email(direction: .outbound, to: "pat@example.com"), at: at), purpose: .verification),
        ContactLogEntry(ContactEvent(.letter, at: at, debtIDs: ["D1"]), purpose: .remedyNotice),
        ContactLogEntry(ContactEvent(.consent(until: ISO8601Instant.parse("2026-12-01T04:59:59Z")), at: at)),
        ContactLogEntry(ContactEvent(.consent(until: nil), at: at)),
        ContactLogEntry(ContactEvent(.consentRevoked, at: at)),
        ContactLogEntry(ContactEvent(.cease, at: at, debtIDs: ["D1"])),
        ContactLogEntry(ContactEvent(.dispute, at: at), note: "I paid this in October.\nTwice, \"really\"."),
        ContactLogEntry(ContactEvent(.verificationSent, at: at, debtIDs: ["D1"])),
        ContactLogEntry(ContactEvent(.attorney, at: at)),
        ContactLogEntry(ContactEvent(.bankruptcy, at: at)),
        ContactLogEntry(ContactEvent(.optOut(channel: .email, address: "pat@work.example"), at: at)),
        ContactLogEntry(ContactEvent(.optOut(channel: .sms, address: nil), at: at)),
        ContactLogEntry(
            ContactEvent(
                .inconvenient(
                    weekdays: [2, 4, 7], from: LocalTime(parsing: "09:00"), to: LocalTime(parsing: "12:30"),
                    until: try! LocalDate(iso: "2027-01-31")),
                at: at)),
        ContactLogEntry(ContactEvent(.inconvenient(weekdays: [], from: nil, to: nil, until: nil), at: at)),
        ContactLogEntry(ContactEvent(.inconvenientPlace(.work), at: at)),
    ]

    @Test("every event type: value → JSON → value is the same value")
    func jsonRoundTrip() throws {
        for entry in Self.entries {
            let json = ContactEventCodec.json(entry)
            #expect(try ContactEventCodec.entry(json: json) == entry, "\(json)")
        }
    }

    @Test("every event type: value → row (type, at, debt ids, details) → value is the same value")
    func rowRoundTrip() throws {
        for entry in Self.entries {
            let type = ContactEventCodec.typeName(entry.event.kind)
            let ids = ContactEventCodec.debtIDsJSON(entry.event.debtIDs)
            let details = ContactEventCodec.json(entry)
            #expect(
                try ContactEventCodec.entry(type: type, at: entry.event.at, debtIDs: ids, details: details) == entry,
                "\(details)")
        }
        // Every kind is covered above.
        let types = Set(Self.entries.map { ContactEventCodec.typeName($0.event.kind) })
        #expect(types.count == 14)
    }

    @Test("the JSON is the compliance contract's event shape, read by the compliance request as it is")
    func contractShape() throws {
        let entry = Self.entries[0]
        #expect(
            ContactEventCodec.json(entry)
                == #"{"type":"call","at":"2026-11-20T15:04:05Z","debtIds":["D1","D \"2\""],"direction":"outbound","to":"+16175550100","outcome":"voicemail","messageLeft":true,"purpose":"collection"}"#
        )
        let events = Self.entries.map { ContactEventCodec.json($0) }.joined(separator: ",")
        let request = try ComplianceRequest(
            json: Data(
                #"{"at":"2026-11-27T16:00:00Z","action":"call","debtId":"D1","debtor":{"kind":"consumer"},"events":[\#(events)]}"#
                    .utf8))
        #expect(request.events == Self.entries.map(\.event))
    }

    @Test("rows stored before the codec (the body as it came, members in any order, extra members) read the same")
    func earlierRows() throws {
        let entry = try ContactEventCodec.entry(
            type: "call", at: Self.at, debtIDs: #"["B-1"]"#,
            details:
                #"{"debtIds":["B-1"],"type": "call", "at": "2026-11-20T10:04:05-05:00", "outcome": "no_answer", "to": "+16175550100"}"#
        )
        #expect(
            entry
                == ContactLogEntry(
                    ContactEvent(
                        .call(direction: .outbound, to: "+16175550100", outcome: .noAnswer, messageLeft: false),
                        at: Self.at,
                        debtIDs: ["B-1"])))
        let portal = try ContactEventCodec.entry(
            type: "dispute", at: Self.at, debtIDs: nil,
            details: #"{"type":"dispute","at":"2026-11-20T15:04:05Z","via":"portal","note":"not mine"}"#)
        #expect(portal == ContactLogEntry(ContactEvent(.dispute, at: Self.at), note: "not mine"))
        // The columns win: an empty list of debts names none in particular.
        #expect(
            try ContactEventCodec.entry(type: "cease", at: Self.at, debtIDs: "[]", details: "{}").event.debtIDs == nil)
    }

    @Test("a stored row that does not read is refused naming the field")
    func badRows() {
        #expect(throws: ComplianceRequestError.self) {
            try ContactEventCodec.entry(type: "call", at: Self.at, debtIDs: nil, details: #"{"outcome":"ringing"}"#)
        }
        let error = #expect(throws: ComplianceRequestError.self) {
            try ContactEventCodec.entry(type: "cease", at: Self.at, debtIDs: #"["D1", 2]"#, details: "{}")
        }
        #expect(error?.description == "debtIds[1] must be a string")
        #expect(throws: ComplianceRequestError.self) {
            try ContactEventCodec.entry(type: "telegram", at: Self.at, debtIDs: nil, details: "{}")
        }
        #expect(throws: ComplianceRequestError.self) {
            try ContactEventCodec.entry(type: "letter", at: Self.at, debtIDs: nil, details: "{")
        }
    }

    /// Details texts the quick scanner should read, and ones it must leave to the full reader (escapes, numbers,
    /// nested objects, repeated members, wrong types, values outside the lists, text after the object).
    static let detailsCorpus: [(type: String, details: String)] =
        entries.map { (ContactEventCodec.typeName($0.event.kind), ContactEventCodec.json($0)) } + [
            ("call", #" { "outcome" : "busy" , "to" : null , "direction":"inbound" } "#),
            ("call", #"{"outcome":"busy","messageLeft":null,"via":"x","extra":[]}"#),
            ("call", #"{"outcome":"busy","note":"café"}"#),
            ("call", #"{"outcome":"busy","note":"café ☕"}"#),
            ("call", #"{"outcome":"busy","messageLeft":1}"#),
            ("call", #"{"outcome":"busy","to":{"n":1}}"#),
            ("call", #"{"outcome":"busy","outcome":"busy"}"#),
            ("call", #"{"outcome":"ringing"}"#),
            ("call", #"{"outcome":"busy","direction":"sideways"}"#),
            ("call", #"{"outcome":"busy","to":true}"#),
            ("call", #"{"outcome":"busy"} x"#),
            ("call", #"{"outcome":"busy",}"#),
            ("call", #"{}"#),
            ("call", #"[]"#),
            ("sms", #"{"purpose":"threat"}"#),
            ("sms", #"{"purpose":null,"note":"a"b"}"#),
            ("email", "{\"to\":\"a\tb\"}"),
            ("consent", #"{"until":"2026-12-01T00:00:00.5-05:00"}"#),
            ("consent", #"{"until":"tomorrow"}"#),
            ("opt_out", #"{"channel":"fax"}"#),
            ("opt_out", #"{"address":"x"}"#),
            ("inconvenient", #"{"weekdays":["TUESDAY","thu"],"from":"24:00"}"#),
            ("inconvenient", #"{"weekdays":["tue",3]}"#),
            ("inconvenient", #"{"weekdays":"tue"}"#),
            ("inconvenient", #"{"weekdays":["someday"]}"#),
            ("inconvenient", #"{"from":"9:00"}"#),
            ("inconvenient", #"{"until":"2027-02-30"}"#),
            ("inconvenient_place", #"{"place":"car"}"#),
            ("telegram", #"{}"#),
            ("letter", #"{"purpose":"verification","note":""}"#),
        ]

    @Test("the quick scanner reads what the full reader reads, the same, and leaves the rest to it")
    func scannerAgrees() throws {
        var scanned = 0
        for (type, details) in Self.detailsCorpus {
            let full = try? ContactEventCodec.readEntry(type: type, at: Self.at, debtIDs: ["D1"], details: details)
            let quick = ContactEventScanner.entry(type: type, at: Self.at, debtIDs: ["D1"], details: details)
            if let quick {
                scanned += 1
                #expect(quick == full, "\(type) \(details)")
            }
            // Whatever the path, the codec answers as the full reader does.
            #expect(
                (try? ContactEventCodec.entry(type: type, at: Self.at, debtIDs: #"["D1"]"#, details: details)) == full)
        }
        // Every entry the codec writes takes the quick path, unless a string needed an escape.
        #expect(scanned >= Self.entries.count - 2)
        for entry in Self.entries where !ContactEventCodec.json(entry).contains("\\") {
            let details = ContactEventCodec.json(entry)
            #expect(
                ContactEventScanner.entry(
                    type: ContactEventCodec.typeName(entry.event.kind), at: entry.event.at,
                    debtIDs: entry.event.debtIDs,
                    details: details) == entry)
        }
        for text in [#"["D1"]"#, #" [ "D1" , "D 2" ] "#, "[]"] {
            #expect(ContactEventScanner.debtIDs(text) != nil, "\(text)")
        }
        for text in [#"["D1",2]"#, "null", #""D1""#, #"["a\"b"]"#, "[", #"["D1"] ["D2"]"#] {
            #expect(ContactEventScanner.debtIDs(text) == nil, "\(text)")
        }
        #expect(try ContactEventCodec.debtIDs(json: #"["a\"b"]"#) == [#"a"b"#])
    }
}
