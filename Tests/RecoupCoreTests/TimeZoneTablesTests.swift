import Foundation
import Testing

@testable import RecoupCore

private let newYork = "America/New_York"
private let chicago = "America/Chicago"
private let denver = "America/Denver"
private let phoenix = "America/Phoenix"
private let losAngeles = "America/Los_Angeles"
private let boise = "America/Boise"
private let anchorage = "America/Anchorage"
private let adak = "America/Adak"
private let honolulu = "Pacific/Honolulu"
private let farNorth: Set<String> = [
    "America/Whitehorse", "America/Inuvik", "America/Cambridge_Bay", "America/Rankin_Inlet", "America/Iqaluit",
]

/// A sample number in the area: a valid `+1NXXNXXXXXX` whose exchange is 555.
private func phone(_ areaCode: String) -> String { "+1\(areaCode)5550123" }

@Suite("Area code time zones")
struct AreaCodeZonesTests {

    // MARK: Known codes

    static let known: [(code: String, zones: Set<String>)] = [
        ("617", [newYork]),  // Boston
        ("212", [newYork]),  // Manhattan
        ("917", [newYork]),  // New York City mobile overlay
        ("465", [newYork]),  // New York City overlay in service 2026
        ("312", [chicago]),  // Chicago
        ("303", [denver]),  // Denver
        ("602", [phoenix]),  // Phoenix
        ("520", [phoenix]),  // Tucson
        ("928", [phoenix, denver]),  // Flagstaff and the Navajo Nation
        ("415", [losAngeles]),  // San Francisco
        ("357", [losAngeles]),  // Fresno overlay, 2025
        ("907", [anchorage, adak]),  // Alaska
        ("808", [honolulu]),  // Hawaii
        ("787", ["America/Puerto_Rico"]),
        ("939", ["America/Puerto_Rico"]),
        ("340", ["America/St_Thomas"]),
        ("671", ["Pacific/Guam"]),
        ("670", ["Pacific/Saipan"]),
        ("684", ["Pacific/Pago_Pago"]),
        ("850", [chicago, newYork]),  // Florida panhandle
        ("448", [chicago, newYork]),  // its overlay
        ("305", [newYork]),  // Miami
        ("605", [chicago, denver]),  // South Dakota
        ("701", [chicago, denver]),  // North Dakota
        ("208", [boise, losAngeles]),  // Idaho
        ("986", [boise, losAngeles]),  // its overlay
        ("541", [losAngeles, boise]),  // Oregon outside Portland
        ("775", [losAngeles, denver]),  // northern Nevada with West Wendover
        ("702", [losAngeles]),  // Las Vegas
        ("915", [denver, chicago]),  // El Paso
        ("214", [chicago]),  // Dallas
        ("621", [chicago]),  // Houston overlay, 2025
        ("270", [chicago, newYork]),  // western Kentucky
        ("364", [chicago, newYork]),  // its overlay
        ("423", [newYork, chicago]),  // east Tennessee
        ("729", [newYork, chicago]),  // its overlay, 2025
        ("812", [newYork, chicago]),  // southern Indiana
        ("317", [newYork]),  // Indianapolis
        ("906", [newYork, chicago]),  // Upper Peninsula
        ("313", [newYork]),  // Detroit
        ("679", [newYork]),  // its overlay, 2025
        ("620", [chicago, denver]),  // southern Kansas
        ("308", [chicago, denver]),  // western Nebraska
        ("334", [chicago, newYork]),  // Montgomery and Phenix City
        ("483", [chicago, newYork]),  // its overlay, 2026
        ("205", [chicago]),  // Birmingham
        ("416", ["America/Toronto"]),  // Toronto
        ("514", ["America/Toronto"]),  // Montreal
        ("418", ["America/Toronto", "America/Halifax"]),  // Quebec City and the Magdalen Islands
        ("807", ["America/Toronto", "America/Winnipeg"]),  // north-western Ontario
        ("604", ["America/Vancouver"]),  // Vancouver
        ("250", ["America/Vancouver", "America/Edmonton", "America/Dawson_Creek"]),  // rest of British Columbia
        ("403", ["America/Edmonton"]),  // Calgary
        ("306", ["America/Regina"]),  // Saskatchewan
        ("474", ["America/Regina"]),
        ("639", ["America/Regina"]),
        ("204", ["America/Winnipeg"]),  // Manitoba
        ("506", ["America/Moncton"]),  // New Brunswick
        ("902", ["America/Halifax"]),  // Nova Scotia
        ("709", ["America/St_Johns", "America/Goose_Bay"]),  // Newfoundland and Labrador
        ("867", farNorth),  // Yukon, Northwest Territories, Nunavut
    ]

    @Test("a known area code gives its zones, by phone number and by code", arguments: known)
    func knownCode(code: String, zones: Set<String>) {
        let byPhone = AreaCodeZones.zones(forPhone: phone(code))
        let byCode = AreaCodeZones.zones(forAreaCode: code)
        #expect(Set(byPhone) == zones)
        #expect(byPhone == byCode)
        #expect(byPhone.count == zones.count, "no zone listed twice")
    }

    @Test("each zone of a known code maps back to the code's list", arguments: known)
    func everyZoneComesBack(code: String, zones: Set<String>) {
        for zone in zones {
            let codes = AreaCodeZones.table.filter { $0.value.contains(zone) }.map(\.key)
            #expect(codes.contains(code), "\(zone) should list \(code)")
        }
    }

    @Test("the zone covering most of the area comes first")
    func primaryZoneFirst() {
        #expect(AreaCodeZones.zones(forAreaCode: "850").first == chicago)
        #expect(AreaCodeZones.zones(forAreaCode: "208").first == boise)
        #expect(AreaCodeZones.zones(forAreaCode: "928").first == phoenix)
        #expect(AreaCodeZones.zones(forAreaCode: "907").first == anchorage)
        #expect(AreaCodeZones.zones(forAreaCode: "709").first == "America/St_Johns")
    }

    // MARK: Codes that infer nothing

    static let nonGeographic = [
        "800", "833", "844", "855", "866", "877", "888",  // toll-free
        "822", "880", "889",  // reserved for toll-free
        "900",  // premium
        "500", "521", "533", "544", "566", "577", "588",  // personal and machine-to-machine
        "600", "622", "633",  // Canadian non-geographic
        "700", "710",  // carrier services, US Government
        "211", "311", "411", "911", "555", "950", "988",  // service codes
        "237", "290", "999",  // unassigned and expansion codes
        "809", "876", "441", "242",  // other NANP countries: Dominican Republic, Jamaica, Bermuda, Bahamas
    ]

    @Test("a non-geographic, unassigned or foreign NANP code gives no zone", arguments: nonGeographic)
    func nonGeographicCode(code: String) {
        #expect(AreaCodeZones.zones(forPhone: phone(code)) == [])
        #expect(AreaCodeZones.zones(forAreaCode: code) == [])
        #expect(AreaCodeZones.table[code] == nil)
    }

    // MARK: Numbers that are not +1NXXNXXXXXX

    static let notNANP = [
        "+442071838750",  // London
        "+61212345678",  // Sydney
        "+525512345678",  // Mexico City
        "+7212555012",  // country code 7, digits that look like an area code
        "+22125550123",  // country code 2 does not exist
    ]

    @Test("a number outside country code 1 gives no zone", arguments: notNANP)
    func otherCountry(number: String) {
        #expect(AreaCodeZones.zones(forPhone: number) == [])
    }

    static let malformed = [
        "", "+", "+1", "+1212", "+121255501", "+1212555012",  // too short
        "+121255501234", "+1212555012345",  // too long
        "12125550123", "2125550123", "0012125550123",  // no plus
        "+1 212 555 0123", "+1-212-555-0123", "+1(212)5550123", "+1 2125550123", " +12125550123",  // formatting
        "+1212555012a", "+1212abc0123", "+1２１２5550123",  // not ASCII digits
        "+10125550123", "+11125550123",  // area code starting with 0 or 1
        "+12120550123", "+12121550123",  // exchange starting with 0 or 1
        "+1617555012\u{0}",  // control character
    ]

    @Test("a malformed number gives no zone", arguments: malformed)
    func malformedNumber(number: String) {
        #expect(AreaCodeZones.zones(forPhone: number) == [])
    }

    @Test("the lowest and highest valid exchanges are read")
    func exchangeBounds() {
        #expect(AreaCodeZones.zones(forPhone: "+12122000000") == [newYork])
        #expect(AreaCodeZones.zones(forPhone: "+12129999999") == [newYork])
    }

    // MARK: The table itself

    @Test("every key is a three-digit NANP area code")
    func keysAreAreaCodes() {
        for code in AreaCodeZones.table.keys {
            let bytes = Array(code.utf8)
            #expect(bytes.count == 3, "\(code)")
            #expect(bytes.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }, "\(code)")
            #expect(bytes.first.map { $0 >= UInt8(ascii: "2") } == true, "\(code) starts with 0 or 1")
            #expect(!(bytes.count == 3 && bytes[1] == bytes[2]), "\(code) is an easily recognizable code")
            #expect(!(bytes.count == 3 && bytes[1] == UInt8(ascii: "9")), "\(code) is an expansion code")
        }
    }

    @Test("every zone in the table is a time zone Foundation knows")
    func zonesAreValid() {
        for (code, zones) in AreaCodeZones.table {
            #expect(!zones.isEmpty, "\(code) has no zone")
            #expect(Set(zones).count == zones.count, "\(code) lists a zone twice")
            for zone in zones {
                #expect(TimeZone(identifier: zone) != nil, "\(code): \(zone)")
            }
        }
    }

    @Test("the table covers every geographic code: over 430 of them")
    func tableSize() {
        #expect(AreaCodeZones.table.count >= 430)
    }

    static let overlays: [[String]] = [
        ["212", "332", "646", "917"],
        ["347", "465", "718", "917", "929"],
        ["281", "346", "621", "713", "832"],
        ["214", "469", "945", "972"],
        ["448", "850"],
        ["270", "364"],
        ["812", "930"],
        ["208", "986"],
        ["458", "541"],
        ["334", "483"],
        ["423", "729"],
        ["502", "761"],
        ["912", "565"],
        ["273", "367", "418", "581"],
        ["236", "250", "257", "672", "778"],
        ["368", "403", "587", "780", "825"],
        ["306", "474", "639"],
        ["709", "879"],
    ]

    @Test("the codes of one area all carry the same zones", arguments: overlays)
    func overlaysAgree(codes: [String]) {
        let zones = Set(AreaCodeZones.zones(forAreaCode: codes[0]))
        #expect(!zones.isEmpty)
        for code in codes.dropFirst() {
            #expect(Set(AreaCodeZones.zones(forAreaCode: code)) == zones, "\(code) differs from \(codes[0])")
        }
    }
}

@Suite("State and province time zones")
struct StateZonesTests {

    static let usAddresses: [(state: String, zip: String?, zones: Set<String>)] = [
        ("MA", nil, [newYork]),
        ("MA", "02108", [newYork]),
        ("CA", nil, [losAngeles]),
        ("CA", "94103", [losAngeles]),
        ("AZ", nil, [phoenix, denver]),
        ("AZ", "85001", [phoenix]),  // Phoenix
        ("AZ", "86515", [phoenix, denver]),  // Window Rock, Navajo Nation
        ("TX", nil, [chicago, denver]),
        ("TX", "79901", [denver]),  // El Paso
        ("TX", "79901-1234", [denver]),
        ("TX", "799011234", [denver]),
        ("TX", "88510", [denver]),  // El Paso unique ZIP
        ("TX", "75201", [chicago]),  // Dallas
        ("TX", "79830", [denver, chicago]),  // Alpine: its prefix 798 straddles the line
        ("FL", nil, [newYork, chicago]),
        ("FL", "32501", [chicago]),  // Pensacola
        ("FL", "33101", [newYork]),  // Miami
        ("FL", "32301", [newYork]),  // Tallahassee
        ("FL", "32456", [chicago, newYork]),  // Port St. Joe: 324 straddles the line
        ("HI", nil, [honolulu]),
        ("HI", "96813", [honolulu]),
        ("AK", nil, [anchorage, adak]),
        ("AK", "99501", [anchorage]),  // Anchorage
        ("AK", "99801", [anchorage]),  // Juneau
        ("AK", "99546", [adak]),  // Adak
        ("ID", nil, [boise, losAngeles]),
        ("ID", "83702", [boise]),  // Boise
        ("ID", "83814", [losAngeles]),  // Coeur d'Alene
        ("OR", "97201", [losAngeles]),  // Portland
        ("OR", "97914", [losAngeles, boise]),  // Ontario
        ("NV", "89101", [losAngeles]),  // Las Vegas
        ("NV", "89883", [losAngeles, denver]),  // West Wendover
        ("IN", "46204", [newYork]),  // Indianapolis
        ("IN", "46402", [chicago]),  // Gary
        ("IN", "47708", [chicago]),  // Evansville
        ("KY", "40202", [newYork]),  // Louisville
        ("KY", "42101", [chicago]),  // Bowling Green
        ("TN", "37203", [chicago]),  // Nashville
        ("TN", "37902", [newYork]),  // Knoxville
        ("MI", "48226", [newYork]),  // Detroit
        ("MI", "49801", [newYork, chicago]),  // Iron Mountain
        ("KS", "67202", [chicago]),  // Wichita
        ("NE", "68102", [chicago]),  // Omaha
        ("NE", "69361", [denver]),  // Scottsbluff
        ("SD", "57104", [chicago]),  // Sioux Falls
        ("SD", "57701", [denver]),  // Rapid City
        ("ND", "58102", [chicago]),  // Fargo
        ("ND", "58601", [chicago, denver]),  // Dickinson
        ("AL", nil, [chicago, newYork]),
        ("AL", "35203", [chicago]),  // Birmingham
        ("AL", "36867", [chicago, newYork]),  // Phenix City
        ("DC", "20500", [newYork]),
        ("PR", "00901", ["America/Puerto_Rico"]),
        ("VI", nil, ["America/St_Thomas"]),
        ("GU", nil, ["Pacific/Guam"]),
        ("MP", nil, ["Pacific/Saipan"]),
        ("AS", nil, ["Pacific/Pago_Pago"]),
    ]

    @Test("a U.S. address gives its zones", arguments: usAddresses)
    func usAddress(state: String, zip: String?, zones: Set<String>) {
        let found = StateZones.zones(state: state, postalCode: zip)
        #expect(Set(found) == zones)
        #expect(found.count == zones.count, "no zone listed twice")
        #expect(StateZones.zones(state: state, postalCode: zip, country: "US") == found)
    }

    @Test("the state code is read case-insensitively, spaces ignored")
    func stateSpelling() {
        #expect(StateZones.zones(state: "tx", postalCode: "79901") == [denver])
        #expect(StateZones.zones(state: " Fl ", postalCode: "32501") == [chicago])
        #expect(StateZones.zones(state: "ma", postalCode: nil, country: "us") == [newYork])
        #expect(StateZones.zones(state: "MA", postalCode: nil, country: "USA") == [newYork])
    }

    static let unreadableZips = [
        "", "7990", "ABCDE", "79 901", "79901-12", "7990I", "799012", "79901-12345", "79901_1234", "８８５１０",
    ]

    @Test("an unreadable ZIP code never narrows the state's zones", arguments: unreadableZips)
    func unreadableZip(zip: String) {
        #expect(Set(StateZones.zones(state: "TX", postalCode: zip)) == [chicago, denver])
    }

    @Test("a ZIP code of another state never narrows the state's zones")
    func foreignZip() {
        #expect(Set(StateZones.zones(state: "TX", postalCode: "10001")) == [chicago, denver])
        #expect(Set(StateZones.zones(state: "FL", postalCode: "79901")) == [newYork, chicago])
        #expect(StateZones.zones(state: "MA", postalCode: "79901") == [newYork])
    }

    static let unknownStates: [(state: String, country: String)] = [
        ("ZZ", "US"), ("", "US"), ("Texas", "US"), ("T", "US"), ("AA", "US"), ("AE", "US"), ("AP", "US"),
        ("ON", "US"),  // a Canadian province asked of the United States
        ("TX", "CA"),  // a U.S. state asked of Canada
        ("ZZ", "CA"),
        ("TX", "MX"), ("ON", "GB"), ("TX", ""),
    ]

    @Test("an unknown state, province or country gives no zone", arguments: unknownStates)
    func unknownState(state: String, country: String) {
        #expect(StateZones.zones(state: state, postalCode: nil, country: country) == [])
        #expect(StateZones.zones(state: state, postalCode: "79901", country: country) == [])
    }

    static let canadianAddresses: [(province: String, postalCode: String?, zones: Set<String>)] = [
        ("ON", nil, ["America/Toronto", "America/Winnipeg"]),
        ("ON", "M5V 3L9", ["America/Toronto"]),  // Toronto
        ("ON", "k1a0b1", ["America/Toronto"]),  // Ottawa
        ("ON", "P7B 1A1", ["America/Toronto", "America/Winnipeg"]),  // Thunder Bay: northern Ontario is mixed
        ("QC", nil, ["America/Toronto", "America/Halifax"]),
        ("QC", "H2X 1Y4", ["America/Toronto"]),  // Montreal
        ("QC", "G4T 1A1", ["America/Toronto", "America/Halifax"]),  // Magdalen Islands
        ("BC", nil, ["America/Vancouver", "America/Edmonton", "America/Dawson_Creek"]),
        ("BC", "V6B 1A1", ["America/Vancouver"]),  // Vancouver
        ("BC", "V1C 1A1", ["America/Vancouver", "America/Edmonton", "America/Dawson_Creek"]),  // Cranbrook
        ("AB", "T2P 1J9", ["America/Edmonton"]),  // Calgary
        ("SK", nil, ["America/Regina", "America/Edmonton"]),
        ("SK", "S4P 3Y2", ["America/Regina"]),  // Regina
        ("SK", "S9V 0A1", ["America/Edmonton"]),  // Lloydminster
        ("MB", "R3C 4T3", ["America/Winnipeg"]),
        ("NB", nil, ["America/Moncton"]),
        ("NS", "B3H 1A1", ["America/Halifax"]),
        ("PE", nil, ["America/Halifax"]),
        ("NL", nil, ["America/St_Johns", "America/Goose_Bay"]),
        ("NL", "A1C 5M2", ["America/St_Johns"]),  // St. John's
        ("NL", "A0P 1E0", ["America/St_Johns", "America/Goose_Bay"]),  // Happy Valley-Goose Bay
        ("YT", nil, ["America/Whitehorse"]),
        ("NT", nil, ["America/Inuvik"]),
        ("NU", nil, ["America/Iqaluit", "America/Rankin_Inlet", "America/Cambridge_Bay"]),
        ("ON", "not a code", ["America/Toronto", "America/Winnipeg"]),  // unreadable: the full list
        ("ON", "5MV 3L9", ["America/Toronto", "America/Winnipeg"]),
    ]

    @Test("a Canadian address gives its zones", arguments: canadianAddresses)
    func canadianAddress(province: String, postalCode: String?, zones: Set<String>) {
        let found = StateZones.zones(state: province, postalCode: postalCode, country: "CA")
        #expect(Set(found) == zones)
        #expect(found.count == zones.count, "no zone listed twice")
        #expect(StateZones.zones(state: province.lowercased(), postalCode: postalCode, country: "can") == found)
    }

    @Test("every state and province key is two letters")
    func keysAreTwoLetters() {
        var keys = Array(StateZones.states.keys) + Array(StateZones.provinces.keys)
        keys += Array(StateZones.zipRanges.keys) + Array(StateZones.zipCodes.keys)
        keys += Array(StateZones.postalPrefixes.keys)
        for key in keys {
            #expect(key.utf8.count == 2 && key.utf8.allSatisfy { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") })
        }
        #expect(StateZones.states.count == 59)  // 50 states, D.C., 5 territories, 3 freely associated states
        #expect(StateZones.provinces.count == 13)
    }

    @Test("every zone in the state tables is a time zone Foundation knows")
    func zonesAreValid() {
        var all: [String] = StateZones.states.values.flatMap { $0 } + StateZones.provinces.values.flatMap { $0 }
        all += StateZones.zipRanges.values.flatMap { $0.flatMap(\.zones) }
        all += StateZones.zipCodes.values.flatMap { $0.values.flatMap { $0 } }
        all += StateZones.postalPrefixes.values.flatMap { $0.values.flatMap { $0 } }
        for zone in all {
            #expect(TimeZone(identifier: zone) != nil, "\(zone)")
        }
    }

    @Test("a ZIP or postal refinement only narrows: its zones are among the state's")
    func refinementsNarrow() {
        for (state, ranges) in StateZones.zipRanges {
            let all = Set(StateZones.states[state] ?? [])
            #expect(!all.isEmpty, "\(state)")
            for range in ranges {
                #expect(range.first <= range.last, "\(state) \(range.first)")
                #expect(Set(range.zones).isSubset(of: all), "\(state) \(range.first)-\(range.last)")
            }
        }
        for (state, codes) in StateZones.zipCodes {
            for (zip, zones) in codes {
                #expect(Set(zones).isSubset(of: Set(StateZones.states[state] ?? [])), "\(state) \(zip)")
            }
        }
        for (province, prefixes) in StateZones.postalPrefixes {
            for (prefix, zones) in prefixes {
                #expect(Set(zones).isSubset(of: Set(StateZones.provinces[province] ?? [])), "\(province) \(prefix)")
            }
        }
    }

    @Test("no ZIP prefix is claimed twice within a state")
    func rangesDoNotOverlap() {
        for (state, ranges) in StateZones.zipRanges {
            let sorted = ranges.sorted { $0.first < $1.first }
            for (earlier, later) in zip(sorted, sorted.dropFirst()) {
                #expect(earlier.last < later.first, "\(state): \(earlier.first)-\(earlier.last) and \(later.first)")
            }
        }
    }

    @Test("a state's zones are among the zones of its area codes or its refinements")
    func statesMatchAreaCodes() {
        // Every state that spans zones by its addresses spans them by some of its area codes too.
        let pairs: [(state: String, codes: [String])] = [
            ("TX", ["915", "214"]), ("FL", ["850"]), ("AZ", ["928"]), ("NV", ["775"]), ("ID", ["208"]),
            ("OR", ["541"]), ("KY", ["270"]), ("TN", ["423"]), ("IN", ["812"]), ("MI", ["906"]), ("ND", ["701"]),
            ("SD", ["605"]), ("NE", ["308"]), ("KS", ["620"]), ("AK", ["907"]), ("AL", ["334"]),
        ]
        for (state, codes) in pairs {
            let byCodes = Set(codes.flatMap { AreaCodeZones.zones(forAreaCode: $0) })
            #expect(Set(StateZones.zones(state: state, postalCode: nil)) == byCodes, "\(state)")
        }
    }
}
