import Foundation
import Testing

@testable import RecoupCore

/// The compliance request's fast reader must read the plain form exactly as the general reader does, and answer nil
/// (leaving the document to the general reader) for everything else: it may never accept what the general reader
/// refuses or read a value differently.
@Suite struct ComplianceRequestFastReaderTests {
    private typealias Random = JSONTestRandom

    /// A member of a generated object: its name and its value already written as JSON.
    private typealias Member = (name: String, json: String)

    /// Writes an object with its members in a random order and random whitespace between the tokens.
    private static func object(_ members: [Member], _ random: inout Random) -> String {
        let space = ["", " ", "\n  ", "\t", "\r\n"]
        func gap() -> String { space.randomElement(using: &random)! }
        let body = members.shuffled(using: &random).map { "\(gap())\"\($0.name)\"\(gap()):\(gap())\($0.json)" }
        return "{" + body.joined(separator: "\(gap()),") + gap() + "}"
    }

    private static func array(_ items: [String], _ random: inout Random) -> String {
        "[" + items.joined(separator: Bool.random(using: &random) ? "," : ", ") + "]"
    }

    private static func string(_ text: String) -> String { "\"\(text)\"" }

    /// Members that appear when a coin comes up heads.
    private static func maybe(_ members: [Member], _ random: inout Random) -> [Member] {
        members.filter { _ in Bool.random(using: &random) }
    }

    private static func instant(_ random: inout Random) -> String {
        let day = Int.random(in: 1...28, using: &random)
        let hour = Int.random(in: 0...23, using: &random)
        let forms = [
            "2026-03-\(day < 10 ? "0" : "")\(day)T\(hour < 10 ? "0" : "")\(hour):15:00Z",
            "2026-03-\(day < 10 ? "0" : "")\(day)T\(hour < 10 ? "0" : "")\(hour):15:00.250-05:00",
            "2026-02-30T10:00:00Z",  // no such day: both readers refuse it
        ]
        return string(forms[Int.random(in: 0..<(Int.random(in: 0..<20, using: &random) == 0 ? 3 : 2), using: &random)])
    }

    private static func event(_ random: inout Random) -> String {
        let types = [
            "call", "call", "call", "sms", "email", "letter", "consent", "consent_revoked", "cease", "dispute",
            "verification_sent", "attorney", "attorney_withdrawn", "bankruptcy", "bankruptcy_dismissed",
        ]
        let type = types.randomElement(using: &random)!
        var members: [Member] = [("type", string(type)), ("at", instant(&random))]
        members += maybe(
            [
                ("debtIds", array([string("D1"), string("D2")].filter { _ in Bool.random(using: &random) }, &random)),
                ("direction", string(["inbound", "outbound"].randomElement(using: &random)!)),
                ("to", string(["+16175550100", "(617) 555-0100", ""].randomElement(using: &random)!)),
            ], &random)
        if type == "call" {
            members.append(("outcome", string(CallOutcome.allCases.randomElement(using: &random)!.rawValue)))
            members += maybe([("messageLeft", Bool.random(using: &random) ? "true" : "false")], &random)
        }
        return object(members, &random)
    }

    private static func debtor(_ random: inout Random) -> String {
        let phones = (0..<Int.random(in: 0...2, using: &random)).map { _ in
            object(
                [("number", string(["+16175550100", "(212) 555-0123", "2125550123"].randomElement(using: &random)!))]
                    + maybe(
                        [("type", string(["mobile", "landline", "cell", "work"].randomElement(using: &random)!))],
                        &random), &random)
        }
        let emails = (0..<Int.random(in: 0...2, using: &random)).map { _ in
            object(
                [("address", string("pat@example.com"))]
                    + maybe([("type", string(["personal", "work", "other"].randomElement(using: &random)!))], &random),
                &random)
        }
        let address = object(
            maybe(
                [
                    ("type", string(["home", "work"].randomElement(using: &random)!)), ("line1", string("1 Main St")),
                    ("city", string("Boston")), ("state", string("ma")), ("postalCode", string("02118")),
                    ("country", string("us")),
                ], &random), &random)
        let zones = array(
            [string("America/New_York"), string("America/Chicago")].filter { _ in Bool.random(using: &random) },
            &random)
        return object(
            [("kind", string(["consumer", "commercial"].randomElement(using: &random)!))]
                + maybe(
                    [
                        ("timeZones", zones), ("phones", array(phones, &random)), ("emails", array(emails, &random)),
                        ("addresses", array([address], &random)),
                    ], &random), &random)
    }

    private static func request(_ random: inout Random) -> String {
        let events = (0..<Int.random(in: 0...12, using: &random)).map { _ in event(&random) }
        var members: [Member] = [
            ("at", instant(&random)),
            ("action", string(ContactAction.allCases.randomElement(using: &random)!.rawValue)),
            ("debtId", string("D1")), ("debtor", debtor(&random)),
        ]
        members += maybe(
            [
                ("to", string("+16175550100")),
                ("purpose", string(ContactPurpose.allCases.randomElement(using: &random)!.rawValue)),
                ("events", array(events, &random)),
            ], &random)
        return object(members, &random)
    }

    private static func general(_ data: Data) -> Result<ComplianceRequest, ComplianceRequestError> {
        Result { () throws(ComplianceRequestError) in try ComplianceRequest(jsonValue: data) }
    }

    @Test func readsThePlainFormAsTheGeneralReaderDoes() throws {
        var random = Random(state: 2026)
        var fastReads = 0
        for _ in 0..<2_000 {
            let text = Self.request(&random)
            let data = Data(text.utf8)
            let fast = ComplianceRequestFastReader.read(data)
            switch Self.general(data) {
            case .success(let request):
                // Every generated document is in the plain form, so the fast reader must read each valid one.
                #expect(fast == request, "\(text)")
                if fast != nil { fastReads += 1 }
            case .failure(let error):
                #expect(fast == nil, "the fast reader accepted what the general one refuses (\(error)): \(text)")
            }
        }
        #expect(fastReads > 1_500)
    }

    @Test func neverAcceptsWhatTheGeneralReaderRefusesOrReadsOtherwise() {
        // Damage valid documents at random places: delete, duplicate or replace a byte.
        var random = Random(state: 7)
        let replacements = Array("{}[]\",:0 \\tnx\u{7F}".utf8) + [0xC3, 0x0A, 0x00]
        var refusedByBoth = 0
        for _ in 0..<3_000 {
            var bytes = Array(Self.request(&random).utf8)
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                let position = Int.random(in: 0..<bytes.count, using: &random)
                switch Int.random(in: 0..<3, using: &random) {
                case 0: bytes.remove(at: position)
                case 1: bytes.insert(bytes[position], at: position)
                default: bytes[position] = replacements.randomElement(using: &random)!
                }
            }
            let data = Data(bytes)
            let fast = ComplianceRequestFastReader.read(data)
            switch Self.general(data) {
            case .success(let request):
                if let fast { #expect(fast == request, "\(String(decoding: bytes, as: UTF8.self))") }
            case .failure:
                #expect(
                    fast == nil,
                    "accepted a document the general reader refuses: \(String(decoding: bytes, as: UTF8.self))")
                refusedByBoth += 1
            }
        }
        #expect(refusedByBoth > 1_000)
    }

    /// Forms the fast reader leaves to the general one, which still reads them (or names the problem).
    @Test(arguments: [
        #"{"at":"2026-04-08T16:00:00Z","action":"call","debtId":"D\u0031","debtor":{"kind":"consumer"}}"#,
        #"{"at":"2026-04-08T16:00:00Z","action":"call","debtId":"Dé","debtor":{"kind":"consumer"}}"#,
        #"{"at":"2026-04-08T16:00:00Z","action":"call","debtId":"D1","to":null,"debtor":{"kind":"consumer"}}"#,
        #"{"at":"2026-04-08T16:00:00Z","action":"call","debtId":"D1","debtor":{"kind":"consumer"},"note":1}"#,
        #"{"at":"2026-04-08T16:00:00Z","action":"call","debtId":"D1","debtor":{"kind":"consumer"},"policy":{"voicemailsPerDay":2}}"#,
        #"{"at":"2026-04-08T16:00:00Z","action":"call","debtId":"D1","debtor":{"kind":"consumer"},"events":[{"type":"consent","at":"2026-04-01T16:00:00Z","until":"2026-05-01T00:00:00Z"}]}"#,
        #"{"at":"2026-04-08T16:00:00Z","action":"call","debtId":"D1","debtor":{"kind":"consumer"},"events":[{"type":"inconvenient","at":"2026-04-01T16:00:00Z","weekdays":["sat"]}]}"#,
    ])
    func leavesOtherFormsToTheGeneralReader(_ text: String) throws {
        let data = Data(text.utf8)
        #expect(ComplianceRequestFastReader.read(data) == nil)
        let request = try ComplianceRequest(json: data)
        #expect(request == (try ComplianceRequest(jsonValue: data)))
    }

    @Test(arguments: [
        // A repeated name: the general parser refuses the document.
        #"{"at":"2026-04-08T16:00:00Z","at":"2026-04-08T17:00:00Z","action":"call","debtId":"D1","debtor":{"kind":"consumer"}}"#,
        #"{"at":"2026-04-08T16:00:00Z","action":"call","debtId":"D1","debtor":{"kind":"consumer","phones":[],"phones":[]}}"#,
        // Trailing text, a missing member, an empty debt id, an unknown zone, an unreadable phone.
        #"{"at":"2026-04-08T16:00:00Z","action":"call","debtId":"D1","debtor":{"kind":"consumer"}} x"#,
        #"{"action":"call","debtId":"D1","debtor":{"kind":"consumer"}}"#,
        #"{"at":"2026-04-08T16:00:00Z","action":"call","debtId":"","debtor":{"kind":"consumer"}}"#,
        #"{"at":"2026-04-08T16:00:00Z","action":"call","debtId":"D1","debtor":{"kind":"consumer","timeZones":["Mars/Olympus"]}}"#,
        #"{"at":"2026-04-08T16:00:00Z","action":"call","debtId":"D1","debtor":{"kind":"consumer","phones":[{"number":"555"}]}}"#,
        #"{"at":"2026-04-08T16:00:00Z","action":"call","debtId":"D1","debtor":{"kind":"consumer"},"events":[{"type":"call","at":"2026-04-01T16:00:00Z"}]}"#,
    ])
    func refusesWhatTheGeneralReaderRefuses(_ text: String) {
        let data = Data(text.utf8)
        #expect(ComplianceRequestFastReader.read(data) == nil)
        #expect(throws: ComplianceRequestError.self) { try ComplianceRequest(json: data) }
    }
}
