import Foundation
import Testing

@testable import RecoupCore

@Suite("Phone types by the names people use")
struct PhoneTypeNamesTests {
    static let names: [(String, PhoneType)] = [
        ("mobile", .mobile), ("Mobile", .mobile), ("mobile phone", .mobile), ("cell", .mobile), ("CELL", .mobile),
        ("cellphone", .mobile), ("cell phone", .mobile), ("cell-phone", .mobile), ("cellular", .mobile),
        ("wireless", .mobile),
        ("home", .home), ("HOME", .home), ("home phone", .home), ("landline", .home), ("Landline", .home),
        ("land line", .home), ("land-line", .home), ("fixed", .home), ("fixed line", .home), ("residential", .home),
        ("work", .work), ("Work Phone", .work), ("office", .work), ("business", .work), ("business_phone", .work),
        ("other", .other), (" Other ", .other),
    ]

    @Test("each name stands for one of the engine's four types, whatever its case and spacing", arguments: names)
    func name(text: String, type: PhoneType) {
        #expect(PhoneType(name: text) == type)
    }

    @Test("the four types read as themselves")
    func rawValues() {
        for type in PhoneType.allCases { #expect(PhoneType(name: type.rawValue) == type) }
    }

    @Test("anything else is no phone type", arguments: ["pager", "fax", "", "   ", "mobiles", "home office", "+1617"])
    func unknown(text: String) {
        #expect(PhoneType(name: text) == nil)
    }

    @Test("no name stands for two types")
    func namesAreUnique() {
        let all = PhoneType.namesByType.flatMap(\.1)
        #expect(Set(all).count == all.count)
    }

    // MARK: Each reader

    static func request(phoneType: String, place: ContactPlace? = nil) -> String {
        let events =
            place.map { #"[{"type": "inconvenient_place", "at": "2026-04-01T16:00:00Z", "place": "\#($0.rawValue)"}]"# }
            ?? "[]"
        return """
            {"at": "2026-04-08T16:00:00Z", "action": "call", "debtId": "D1", "to": "+16175550100",
             "debtor": {"kind": "consumer", "timeZones": ["America/New_York"],
                        "phones": [{"number": "+16175550100", "type": "\(phoneType)"}]},
             "events": \(events)}
            """
    }

    @Test(
        "a compliance request reads the names",
        arguments: [("Landline", PhoneType.home), ("cell phone", .mobile), ("office", .work)])
    func complianceRequest(text: String, type: PhoneType) throws {
        let request = try ComplianceRequest(json: Data(Self.request(phoneType: text).utf8))
        #expect(request.debtor.phones == [try Phone(number: "+16175550100", type: type)])
    }

    @Test("a landline is the home line: when the debtor says home is inconvenient, a call to it is blocked")
    func landlineIsHome() throws {
        let home = try ComplianceRequest(json: Data(Self.request(phoneType: "landline", place: .home).utf8))
        #expect(ComplianceEngine.decide(home).findings.map(\.rule) == [.inconvenientPlace])
        let mobile = try ComplianceRequest(json: Data(Self.request(phoneType: "cell", place: .home).utf8))
        #expect(ComplianceEngine.decide(mobile).verdict == .allow)
        let office = try ComplianceRequest(json: Data(Self.request(phoneType: "Office", place: .work).utf8))
        #expect(ComplianceEngine.decide(office).findings.map(\.rule) == [.inconvenientPlace])
    }

    @Test("a compliance request refuses an unknown type, naming the field and the names it takes")
    func complianceRequestRefuses() throws {
        let error = try #require(throws: ComplianceRequestError.self) {
            try ComplianceRequest(json: Data(Self.request(phoneType: "pager").utf8))
        }
        #expect(error.field == "debtor.phones[0].type")
        #expect(error.problem.hasPrefix(#"is "pager"; use one of mobile, home, work, other (or cell, "#))
        #expect(error.problem.contains("landline"))
    }

    @Test("the recoup import layout reads the names in NUMBER:TYPE")
    func importLayout() throws {
        let header = RecoupLayout.requiredColumns + ["phones"]
        let values: [String: String] = [
            "debt_ref": "D-1", "debtor_ref": "P-1", "debtor_kind": "consumer", "debtor_name": "Pat Rivera",
            "charged_on": "2026-01-05", "due_on": "2026-02-04", "principal": "100.00",
            "phones": "+16175550100:Cell; +16175550101:landline;+16175550102:office phone;+16175550103",
        ]
        let layout = try RecoupLayout(header: header, defaultCurrency: .usd)
        let record = try layout.record(fields: header.map { values[$0] ?? "" }, line: 2)
        #expect(
            record.debtor.phones == [
                try Phone(number: "+16175550100", type: .mobile), try Phone(number: "+16175550101", type: .home),
                try Phone(number: "+16175550102", type: .work), try Phone(number: "+16175550103", type: .other),
            ])
        var bad = values
        bad["phones"] = "+16175550100:pager"
        let error = try #require(throws: ImportRowError.self) {
            try layout.record(fields: header.map { bad[$0] ?? "" }, line: 3)
        }
        #expect(
            error.message
                == #"phones: "pager" is not a phone type (use mobile, home, work or other, or cell, mobile phone, landline, fixed, office or business)"#
        )
    }

    @Test("a Codable reader takes the names too and writes the engine's type")
    func codable() throws {
        let phone = try JSONDecoder().decode(
            Phone.self, from: Data(#"{"number": "+16175550100", "type": "Land Line"}"#.utf8))
        #expect(phone == (try Phone(number: "+16175550100", type: .home)))
        let written = String(decoding: try JSONEncoder().encode(phone.type), as: UTF8.self)
        #expect(written == #""home""#)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(PhoneType.self, from: Data(#""pager""#.utf8))
        }
    }
}
