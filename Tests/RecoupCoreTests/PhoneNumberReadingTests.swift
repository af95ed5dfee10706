import Foundation
import PropertyBased
import Testing

@testable import RecoupCore

@Suite("Phone numbers as people write them, read as E.164")
struct PhoneNumberReadingTests {
    @Test(
        "the usual ways of writing a US number all read as +12125550123",
        arguments: [
            "2125550123", "(212) 555-0123", "212-555-0123", "212.555.0123", "1 212 555 0123", "+1 212 555 0123",
            "+12125550123", "1-212-555-0123", "(212)555-0123", " 212 555 0123 ", "1 (212) 555-0123",
            "+1 (212) 555-0123", "212\u{00A0}555\u{00A0}0123",
        ])
    func usual(text: String) throws {
        #expect(try Phone.normalized(text) == "+12125550123")
    }

    @Test(
        "a number already in E.164 form stays as it is, any country",
        arguments: ["+16175550100", "+442079460018", "+33142685300", "+8613912345678", "+491701234567"])
    func e164Stays(number: String) throws {
        #expect(try Phone.normalized(number) == number)
        #expect(try Phone.normalized(number, defaultCountry: "GB") == number)
    }

    @Test(
        "what cannot be a phone number is refused with the reason",
        arguments: [
            ("212-CALL-NOW", "it has letters"),
            ("555-0123", "a US number has 10 digits (11 with the country code 1), this one has 7"),
            ("212555012", "this one has 9"),
            ("212 555 01234 5", "this one has 12"),
            ("22125550123", "a US number of 11 digits starts with the country code 1"),
            ("012-555-0123", "a US area code cannot start with 0 or 1"),
            ("112-555-0123", "a US area code cannot start with 0 or 1"),
            ("1 112 555 0123", "a US area code cannot start with 0 or 1"),
            ("212-055-0123", "a US exchange (the 3 digits after the area code) cannot start with 0 or 1"),
            ("212-155-0123", "a US exchange (the 3 digits after the area code) cannot start with 0 or 1"),
            ("", "it is empty"),
            ("   ", "it is empty"),
            ("212+555+0123", "a + may only begin the number"),
            ("+0 212 555 0123", "after + it needs the country code and number"),
            ("+1234567", "after + it needs the country code and number"),
            ("+1234567890123456", "after + it needs the country code and number"),
            ("212/555/0123", "\"/\" is not part of a phone number"),
            ("212-555-0123 x12", "it has letters"),
            ("٢١٢٥٥٥٠١٢٣", "\"٢\" is not part of a phone number"),
            (String(repeating: "1", count: 41), "longer than 40 characters"),
        ])
    func refused(text: String, reason: String) {
        do {
            let read = try Phone.normalized(text)
            Issue.record("\"\(text)\" was read as \(read)")
        } catch {
            let sentence = error.description
            #expect(sentence.hasPrefix("\"\(text.trimmedSpaces)\" is not a phone number: "), "\(sentence)")
            #expect(sentence.contains(reason), "\(sentence)")
        }
    }

    @Test("without + only a North American number is read; another country must give its code")
    func otherDefaultCountry() throws {
        #expect(try Phone.normalized("(416) 555-0199", defaultCountry: "CA") == "+14165550199")
        #expect(throws: ContactPointError.self) { try Phone.normalized("020 7946 0018", defaultCountry: "GB") }
        #expect(throws: ContactPointError.self) { try Phone.normalized("2125550123", defaultCountry: "GB") }
    }

    @Test("Phone(reading:type:) keeps the type and stores E.164")
    func reading() throws {
        let phone = try Phone(reading: "(212) 555-0123", type: .mobile)
        #expect(phone == (try Phone(number: "+12125550123", type: .mobile)))
        #expect(throws: ContactPointError.self) { try Phone(reading: "555-0123", type: .home) }
    }

    /// A valid US number's parts: area code and exchange 200…999, line 0…9999, and how it is written.
    private static let usNumber = zip(
        Gen.int(in: 200...999), Gen.int(in: 200...999), Gen.int(in: 0...9999), Gen.int(in: 0...7))

    private static func padded(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: width - text.count) + text
    }

    @Test("any valid US number, written any usual way, reads as +1 and its 10 digits; reading again changes nothing")
    func propertyUS() async {
        await propertyCheck(count: 500, input: Self.usNumber) { area, exchange, line, style in
            let (a, e, l) = (Self.padded(area, 3), Self.padded(exchange, 3), Self.padded(line, 4))
            let written = [
                "\(a)\(e)\(l)", "(\(a)) \(e)-\(l)", "\(a)-\(e)-\(l)", "\(a).\(e).\(l)", "1 \(a) \(e) \(l)",
                "+1 \(a) \(e) \(l)", "1-\(a)-\(e)-\(l)", "+1\(a)\(e)\(l)",
            ][style]
            let expected = "+1\(a)\(e)\(l)"
            #expect((try? Phone.normalized(written)) == expected, "\(written)")
            #expect((try? Phone.normalized(expected)) == expected)
            #expect(Phone.isE164(expected))
        }
    }

    @Test("whatever the text, the answer is E.164 or a refusal, never a crash")
    func propertyAnyText() async {
        // Mostly digits, with the separators people use and a few characters no number has.
        let alphabet = Array(String(repeating: "0123456789", count: 4) + " -.()+/xA\u{00A0}")
        let characters = Gen.int(in: 0...(alphabet.count - 1)).map { alphabet[$0] }
        await propertyCheck(count: 1000, input: characters.array(of: 0...24)) { characters in
            let text = String(characters)
            if let number = try? Phone.normalized(text) {
                #expect(Phone.isE164(number), "\(text) → \(number)")
                #expect((try? Phone.normalized(number)) == number)
            }
        }
    }
}

@Suite("Where else a phone is entered: the compliance request and a recorded call or text")
struct PhoneNumberEntryTests {
    /// A call at 12:30 UTC on 2026-04-08 (08:30 in Boston, 05:30 in San Francisco) to a number written `number`.
    static func request(_ number: String) throws -> ComplianceRequest {
        try ComplianceRequest(
            json: Data(
                #"""
                {"at": "2026-04-08T12:30:00Z", "action": "call", "debtId": "D1", "to": "\#(number)",
                 "debtor": {"kind": "consumer", "phones": [{"number": "\#(number)", "type": "mobile"}]}}
                """#.utf8))
    }

    @Test("a compliance request reads the debtor's US numbers as people write them, and infers their zone from them")
    func complianceRequest() throws {
        let boston = try Self.request("(617) 555-0100")
        #expect(boston.debtor.phones == [try Phone(number: "+16175550100", type: .mobile)])
        #expect(!ComplianceEngine.decide(boston).findings.contains { $0.rule == .quietHours })
        let sanFrancisco = try Self.request("415.555.0100")
        #expect(sanFrancisco.debtor.phones == [try Phone(number: "+14155550100", type: .mobile)])
        #expect(ComplianceEngine.decide(sanFrancisco).findings.contains { $0.rule == .quietHours })
    }

    @Test("a recorded call's or text's number is stored in E.164 form when it reads as one; anything else as written")
    func recordedNumber() throws {
        let now = Date(timeIntervalSince1970: 1_796_000_000)
        func read(_ json: String) throws -> ContactEvent {
            try ContactEventIntake.read(try JSONValue.parse(Data(json.utf8)).objectValue!, now: now)
        }
        let call = try read(
            #"{"type": "call", "at": "2026-11-29T15:00:00Z", "to": "(212) 555-0123", "outcome": "no_answer"}"#)
        #expect(call.kind == .call(direction: .outbound, to: "+12125550123", outcome: .noAnswer, messageLeft: false))
        let sms = try read(#"{"type": "sms", "at": "2026-11-29T15:00:00Z", "to": "1 212 555 0123"}"#)
        #expect(sms.kind == .sms(direction: .outbound, to: "+12125550123"))
        let email = try read(#"{"type": "email", "at": "2026-11-29T15:00:00Z", "to": "2125550123"}"#)
        #expect(email.kind == .email(direction: .outbound, to: "2125550123"))
        let unreadable = try read(
            #"{"type": "call", "at": "2026-11-29T15:00:00Z", "to": "front desk", "outcome": "no_answer"}"#)
        #expect(
            unreadable.kind == .call(direction: .outbound, to: "front desk", outcome: .noAnswer, messageLeft: false))
    }
}
