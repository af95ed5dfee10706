// The time zones inferred from a postal address: a U.S. state (or D.C., or a territory) or a Canadian province, refined
// by the ZIP code or postal code where that decides the zone.
//
// Where the facts come from:
// - Which zones each state and province spans: the IANA tz database (zone.tab, zone1970.tab and the notes in its
//   `northamerica` file) and the U.S. time zone boundaries of 49 CFR part 71; the same places that AreaCodeZones lists
//   for the area codes serving them (see the notes there on the Navajo Nation, West Wendover and Phenix City).
// - Which ZIP codes lie on which side of a boundary: the USPS assignment of three-digit ZIP prefixes (sectional center
//   facilities) to areas, and of five-digit codes to the towns named below. A prefix is narrowed to one side only
//   where every town it serves keeps that clock; a prefix that straddles the line keeps both zones.
// - Canadian postal codes: the first letter (and for British Columbia the digit) of the forward sortation area, which
//   Canada Post assigns by province and region.
//
// How it is read: every zone listed may apply, the zone of most of the area first. A ZIP code that is malformed or
// not known for the state never narrows anything: the state's full list is returned.

import Foundation

/// The IANA time zones a postal address may place its holder in.
public enum StateZones {
    /// U.S. state, D.C. and territory (USPS code) to every zone that may apply somewhere in it.
    static let states: [String: [String]] = [
        "AL": ["America/Chicago", "America/New_York"],  // Phenix City area keeps Eastern time by custom.
        "AK": ["America/Anchorage", "America/Adak"],  // Adak: the Aleutians west of 169°30'W.
        "AZ": ["America/Phoenix", "America/Denver"],  // Denver: the Navajo Nation keeps daylight saving time.
        "AR": ["America/Chicago"],
        "CA": ["America/Los_Angeles"],
        "CO": ["America/Denver"],
        "CT": ["America/New_York"],
        "DE": ["America/New_York"],
        "DC": ["America/New_York"],
        "FL": ["America/New_York", "America/Chicago"],
        "GA": ["America/New_York"],
        "HI": ["Pacific/Honolulu"],
        "ID": ["America/Boise", "America/Los_Angeles"],
        "IL": ["America/Chicago"],
        "IN": ["America/New_York", "America/Chicago"],
        "IA": ["America/Chicago"],
        "KS": ["America/Chicago", "America/Denver"],
        "KY": ["America/New_York", "America/Chicago"],
        "LA": ["America/Chicago"],
        "ME": ["America/New_York"],
        "MD": ["America/New_York"],
        "MA": ["America/New_York"],
        "MI": ["America/New_York", "America/Chicago"],
        "MN": ["America/Chicago"],
        "MS": ["America/Chicago"],
        "MO": ["America/Chicago"],
        "MT": ["America/Denver"],
        "NE": ["America/Chicago", "America/Denver"],
        "NV": ["America/Los_Angeles", "America/Denver"],  // Denver: West Wendover, Jackpot.
        "NH": ["America/New_York"],
        "NJ": ["America/New_York"],
        "NM": ["America/Denver"],
        "NY": ["America/New_York"],
        "NC": ["America/New_York"],
        "ND": ["America/Chicago", "America/Denver"],
        "OH": ["America/New_York"],
        "OK": ["America/Chicago"],  // Kenton keeps Mountain time by custom; not inferred.
        "OR": ["America/Los_Angeles", "America/Boise"],
        "PA": ["America/New_York"],
        "RI": ["America/New_York"],
        "SC": ["America/New_York"],
        "SD": ["America/Chicago", "America/Denver"],
        "TN": ["America/Chicago", "America/New_York"],
        "TX": ["America/Chicago", "America/Denver"],
        "UT": ["America/Denver"],
        "VT": ["America/New_York"],
        "VA": ["America/New_York"],
        "WA": ["America/Los_Angeles"],
        "WV": ["America/New_York"],
        "WI": ["America/Chicago"],
        "WY": ["America/Denver"],
        // Territories.
        "PR": ["America/Puerto_Rico"],
        "VI": ["America/St_Thomas"],
        "GU": ["Pacific/Guam"],
        "MP": ["Pacific/Saipan"],
        "AS": ["Pacific/Pago_Pago"],
        // Freely associated states served by USPS ZIP codes.
        "FM": ["Pacific/Chuuk", "Pacific/Pohnpei", "Pacific/Kosrae"],
        "MH": ["Pacific/Majuro", "Pacific/Kwajalein"],
        "PW": ["Pacific/Palau"],
        // The military codes AA, AE and AP name no place and are deliberately absent.
    ]

    /// A ZIP prefix range of a state whose zones are known more narrowly than the state's.
    struct ZipRange: Sendable {
        /// First three-digit prefix of the range.
        let first: Int
        /// Last three-digit prefix of the range (inclusive).
        let last: Int
        /// The zones of every place the range serves.
        let zones: [String]
    }

    /// For the states that span zones: three-digit ZIP prefixes to the zones of the places they serve. A prefix not
    /// listed (unknown, or of another state) gives the state's full list.
    static let zipRanges: [String: [ZipRange]] = [
        // Phenix City 36867-36870, Smiths Station, Lanett and Valley are in 368, with Auburn and Opelika (Central).
        "AL": [
            ZipRange(first: 350, last: 352, zones: ["America/Chicago"]),
            ZipRange(first: 354, last: 367, zones: ["America/Chicago"]),
            ZipRange(first: 368, last: 368, zones: ["America/Chicago", "America/New_York"]),
            ZipRange(first: 369, last: 369, zones: ["America/Chicago"]),
        ],
        // All of Alaska's prefixes serve Anchorage-time places but for the five-digit codes in `zipCodes`.
        "AK": [
            ZipRange(first: 995, last: 999, zones: ["America/Anchorage"])
        ],
        // The Navajo Nation's towns (Window Rock 86515, Chinle 86503, Kayenta 86033, Tuba City 86045) are in 860 and
        // 865, which also serve Flagstaff and Holbrook; every other Arizona prefix keeps Arizona time.
        "AZ": [
            ZipRange(first: 850, last: 853, zones: ["America/Phoenix"]),
            ZipRange(first: 855, last: 857, zones: ["America/Phoenix"]),
            ZipRange(first: 859, last: 859, zones: ["America/Phoenix"]),
            ZipRange(first: 860, last: 860, zones: ["America/Phoenix", "America/Denver"]),
            ZipRange(first: 863, last: 864, zones: ["America/Phoenix"]),
            ZipRange(first: 865, last: 865, zones: ["America/Phoenix", "America/Denver"]),
        ],
        // 325 is Pensacola, Fort Walton Beach and Crestview (Central). 324 is Panama City, Marianna and DeFuniak
        // Springs (Central) but also Port St. Joe (Gulf County's Eastern half). 323 (Tallahassee, Apalachicola) and
        // the rest are Eastern.
        "FL": [
            ZipRange(first: 320, last: 323, zones: ["America/New_York"]),
            ZipRange(first: 324, last: 324, zones: ["America/Chicago", "America/New_York"]),
            ZipRange(first: 325, last: 325, zones: ["America/Chicago"]),
            ZipRange(first: 326, last: 339, zones: ["America/New_York"]),
            ZipRange(first: 341, last: 342, zones: ["America/New_York"]),
            ZipRange(first: 344, last: 344, zones: ["America/New_York"]),
            ZipRange(first: 346, last: 347, zones: ["America/New_York"]),
            ZipRange(first: 349, last: 349, zones: ["America/New_York"]),
        ],
        // 832-834 (Pocatello, Twin Falls, Idaho Falls) and 836-837 (Boise, McCall) are Mountain; 838 (Coeur d'Alene,
        // Moscow, Sandpoint) is Pacific; 835 (Lewiston, Grangeville, Riggins) straddles the Salmon River line.
        "ID": [
            ZipRange(first: 832, last: 834, zones: ["America/Boise"]),
            ZipRange(first: 835, last: 835, zones: ["America/Boise", "America/Los_Angeles"]),
            ZipRange(first: 836, last: 837, zones: ["America/Boise"]),
            ZipRange(first: 838, last: 838, zones: ["America/Los_Angeles"]),
        ],
        // Central: 463-464 (Gary, Valparaiso, La Porte) and 476-477 (Evansville). Straddling: 465 (Plymouth and
        // Warsaw with Knox, Starke County), 475 (Jasper with Tell City, Perry County) and 479 (Lafayette with
        // Rensselaer and Kentland). The rest is Eastern.
        "IN": [
            ZipRange(first: 460, last: 462, zones: ["America/New_York"]),
            ZipRange(first: 463, last: 464, zones: ["America/Chicago"]),
            ZipRange(first: 465, last: 465, zones: ["America/New_York", "America/Chicago"]),
            ZipRange(first: 466, last: 474, zones: ["America/New_York"]),
            ZipRange(first: 475, last: 475, zones: ["America/New_York", "America/Chicago"]),
            ZipRange(first: 476, last: 477, zones: ["America/Chicago"]),
            ZipRange(first: 478, last: 478, zones: ["America/New_York"]),
            ZipRange(first: 479, last: 479, zones: ["America/New_York", "America/Chicago"]),
        ],
        // 677 (Colby, Goodland) and 678 (Dodge City, Syracuse, Tribune) straddle the line; the rest is Central.
        "KS": [
            ZipRange(first: 660, last: 662, zones: ["America/Chicago"]),
            ZipRange(first: 664, last: 676, zones: ["America/Chicago"]),
            ZipRange(first: 677, last: 678, zones: ["America/Chicago", "America/Denver"]),
            ZipRange(first: 679, last: 679, zones: ["America/Chicago"]),
        ],
        // Central: 420-424 (Paducah, Bowling Green, Hopkinsville, Owensboro, Henderson). Straddling: 401
        // (Brandenburg with Hardinsburg, Breckinridge County), 426 (Monticello with Albany and Jamestown) and 427
        // (Elizabethtown with Leitchfield and Columbia). The rest is Eastern.
        "KY": [
            ZipRange(first: 400, last: 400, zones: ["America/New_York"]),
            ZipRange(first: 401, last: 401, zones: ["America/New_York", "America/Chicago"]),
            ZipRange(first: 402, last: 418, zones: ["America/New_York"]),
            ZipRange(first: 420, last: 424, zones: ["America/Chicago"]),
            ZipRange(first: 425, last: 425, zones: ["America/New_York"]),
            ZipRange(first: 426, last: 427, zones: ["America/New_York", "America/Chicago"]),
        ],
        // The Upper Peninsula (498-499) holds the four Central counties; the Lower Peninsula is Eastern.
        "MI": [
            ZipRange(first: 480, last: 497, zones: ["America/New_York"]),
            ZipRange(first: 498, last: 499, zones: ["America/New_York", "America/Chicago"]),
        ],
        // 680-689 (Omaha to Kearney) is Central, 693 (Alliance, Scottsbluff, Chadron) Mountain, and 690-692 (McCook,
        // North Platte, Valentine) straddle the line.
        "NE": [
            ZipRange(first: 680, last: 681, zones: ["America/Chicago"]),
            ZipRange(first: 683, last: 689, zones: ["America/Chicago"]),
            ZipRange(first: 690, last: 692, zones: ["America/Chicago", "America/Denver"]),
            ZipRange(first: 693, last: 693, zones: ["America/Denver"]),
        ],
        // 898 (Elko County with West Wendover, Jackpot and Owyhee) straddles the line; the rest is Pacific.
        "NV": [
            ZipRange(first: 889, last: 891, zones: ["America/Los_Angeles"]),
            ZipRange(first: 893, last: 895, zones: ["America/Los_Angeles"]),
            ZipRange(first: 897, last: 897, zones: ["America/Los_Angeles"]),
            ZipRange(first: 898, last: 898, zones: ["America/Los_Angeles", "America/Denver"]),
        ],
        // 580-584 (Fargo, Grand Forks, Devils Lake, Jamestown) is Central; 585-588 (Bismarck, Dickinson, Minot,
        // Williston) holds the Mountain south-west and the counties along its edge.
        "ND": [
            ZipRange(first: 580, last: 584, zones: ["America/Chicago"]),
            ZipRange(first: 585, last: 588, zones: ["America/Chicago", "America/Denver"]),
        ],
        // 979 (Ontario, Malheur County) keeps Mountain time; the rest is Pacific.
        "OR": [
            ZipRange(first: 970, last: 978, zones: ["America/Los_Angeles"]),
            ZipRange(first: 979, last: 979, zones: ["America/Los_Angeles", "America/Boise"]),
        ],
        // 570-574 (East River) is Central, 577 (Rapid City, the Black Hills) Mountain, and 575-576 (Pierre, Mobridge)
        // straddle the Missouri.
        "SD": [
            ZipRange(first: 570, last: 574, zones: ["America/Chicago"]),
            ZipRange(first: 575, last: 576, zones: ["America/Chicago", "America/Denver"]),
            ZipRange(first: 577, last: 577, zones: ["America/Denver"]),
        ],
        // Eastern: 374 (Chattanooga), 376 (Johnson City, Kingsport) and 378-379 (Knoxville). Straddling: 373
        // (Cleveland with Tullahoma and Jasper) and 377 (with Crab Orchard, Cumberland County). The rest is Central.
        "TN": [
            ZipRange(first: 370, last: 372, zones: ["America/Chicago"]),
            ZipRange(first: 373, last: 373, zones: ["America/Chicago", "America/New_York"]),
            ZipRange(first: 374, last: 374, zones: ["America/New_York"]),
            ZipRange(first: 375, last: 375, zones: ["America/Chicago"]),
            ZipRange(first: 376, last: 376, zones: ["America/New_York"]),
            ZipRange(first: 377, last: 377, zones: ["America/Chicago", "America/New_York"]),
            ZipRange(first: 378, last: 379, zones: ["America/New_York"]),
            ZipRange(first: 380, last: 385, zones: ["America/Chicago"]),
        ],
        // 799 and 885 are El Paso (Mountain). 798 serves El Paso's county towns and Hudspeth County (Mountain) but also
        // Alpine, Marfa and Van Horn (Central). The rest of Texas is Central.
        "TX": [
            ZipRange(first: 733, last: 733, zones: ["America/Chicago"]),
            ZipRange(first: 750, last: 797, zones: ["America/Chicago"]),
            ZipRange(first: 798, last: 798, zones: ["America/Denver", "America/Chicago"]),
            ZipRange(first: 799, last: 799, zones: ["America/Denver"]),
            ZipRange(first: 885, last: 885, zones: ["America/Denver"]),
        ],
    ]

    /// Five-digit ZIP codes whose zones differ from their prefix's, by state: looked up before `zipRanges`.
    static let zipCodes: [String: [String: [String]]] = [
        "AK": [
            "99546": ["America/Adak"],  // Adak.
            "99547": ["America/Adak"],  // Atka.
            "99591": ["America/Anchorage", "America/Adak"],  // St. George, Pribilof Islands (near 169°30'W).
            "99660": ["America/Anchorage", "America/Adak"],  // St. Paul, Pribilof Islands (west of 169°30'W).
        ]
    ]

    /// Canadian province and territory (Canada Post code) to every zone that may apply somewhere in it.
    static let provinces: [String: [String]] = [
        "AB": ["America/Edmonton"],
        // The East Kootenay keeps Mountain time; the Peace River country Mountain Standard Time all year.
        "BC": ["America/Vancouver", "America/Edmonton", "America/Dawson_Creek"],
        "MB": ["America/Winnipeg"],
        "NB": ["America/Moncton"],
        // Labrador but its south-east coast keeps Atlantic time.
        "NL": ["America/St_Johns", "America/Goose_Bay"],
        "NS": ["America/Halifax"],
        // North-western Ontario (Kenora, Fort Frances) keeps Central time.
        "ON": ["America/Toronto", "America/Winnipeg"],
        "PE": ["America/Halifax"],
        // The Magdalen Islands keep Atlantic time (and the Lower North Shore Atlantic Standard Time, which always
        // equals Toronto's or Halifax's clock).
        "QC": ["America/Toronto", "America/Halifax"],
        // Lloydminster keeps Alberta time.
        "SK": ["America/Regina", "America/Edmonton"],
        "YT": ["America/Whitehorse"],
        "NT": ["America/Inuvik"],
        "NU": ["America/Iqaluit", "America/Rankin_Inlet", "America/Cambridge_Bay"],
    ]

    /// Zones by the forward sortation area (first three characters of a postal code) for the provinces that span
    /// zones: the longest matching prefix wins. A province without an entry, or a postal code matching none, gives the
    /// province's full list.
    static let postalPrefixes: [String: [String: [String]]] = [
        // V2-V9: the Lower Mainland, the Fraser Valley, Vancouver Island, Kamloops and Prince George (all Pacific).
        // V0 and V1 (rural British Columbia, the Okanagan, the Kootenays and the Peace River country) are mixed.
        "BC": [
            "V2": ["America/Vancouver"], "V3": ["America/Vancouver"], "V4": ["America/Vancouver"],
            "V5": ["America/Vancouver"], "V6": ["America/Vancouver"], "V7": ["America/Vancouver"],
            "V8": ["America/Vancouver"], "V9": ["America/Vancouver"],
        ],
        // Labrador is A0P, A0R and A2V (Labrador City); A0K mixes the Northern Peninsula with the Labrador coast.
        "NL": [
            "A": ["America/St_Johns"],
            "A0K": ["America/St_Johns", "America/Goose_Bay"],
            "A0P": ["America/St_Johns", "America/Goose_Bay"],
            "A0R": ["America/St_Johns", "America/Goose_Bay"],
            "A2V": ["America/St_Johns", "America/Goose_Bay"],
        ],
        // K, L, M and N are eastern, central, Toronto and south-western Ontario; P (northern Ontario) is mixed.
        "ON": [
            "K": ["America/Toronto"], "L": ["America/Toronto"], "M": ["America/Toronto"], "N": ["America/Toronto"],
        ],
        // H is Montreal and J western and southern Quebec; G (eastern Quebec) holds the Magdalen Islands.
        "QC": [
            "H": ["America/Toronto"], "J": ["America/Toronto"],
        ],
        // S9V is Lloydminster, Saskatchewan.
        "SK": [
            "S": ["America/Regina"],
            "S9V": ["America/Edmonton"],
        ],
    ]

    /// The zones for an address (`zones(state: "TX", postalCode: "79901")` gives `["America/Denver"]`).
    ///
    /// - Parameters:
    ///   - state: the USPS state, D.C. or territory code, or for Canada the province or territory code; two letters,
    ///     case-insensitive, surrounding spaces ignored.
    ///   - postalCode: the ZIP code (`79901` or `79901-1234`) or Canadian postal code (`M5V 3L9`); when it decides the
    ///     zone within a state that spans zones, only that side's zones are returned. `nil` or unreadable: the
    ///     state's full list.
    ///   - country: `"US"` (the default) or `"CA"`, case-insensitive; `"USA"` and `"CAN"` are accepted too.
    /// - Returns: every zone that may apply, the zone of most of the area first; `[]` for an unknown state or
    ///   country.
    public static func zones(state: String, postalCode: String?, country: String = "US") -> [String] {
        let code = state.trimmedSpaces.uppercased()
        switch country.trimmedSpaces.uppercased() {
        case "US", "USA":
            return usZones(state: code, zip: postalCode)
        case "CA", "CAN":
            return canadianZones(province: code, postalCode: postalCode)
        default:
            return []
        }
    }

    /// A U.S. state's zones, narrowed by its ZIP code where that decides.
    private static func usZones(state: String, zip: String?) -> [String] {
        guard let all = states[state] else { return [] }
        guard let zip = zip.flatMap(fiveDigits) else { return all }
        if let exact = zipCodes[state]?[zip] { return exact }
        guard let ranges = zipRanges[state], let prefix = Int(zip.prefix(3)) else { return all }
        return ranges.first { $0.first <= prefix && prefix <= $0.last }?.zones ?? all
    }

    /// A province's zones, narrowed by its postal code's forward sortation area where that decides.
    private static func canadianZones(province: String, postalCode: String?) -> [String] {
        guard let all = provinces[province] else { return [] }
        guard let area = postalCode.flatMap(sortationArea), let prefixes = postalPrefixes[province] else { return all }
        for length in stride(from: 3, through: 1, by: -1) {
            if let zones = prefixes[String(area.prefix(length))] { return zones }
        }
        return all
    }

    /// The five-digit ZIP code of `text` (`79901`, `79901-1234`, `799011234`); `nil` when it is not a ZIP code.
    private static func fiveDigits(_ text: String) -> String? {
        let bytes = Array(text.trimmedSpaces.utf8)
        let isDigit = { (byte: UInt8) in byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        let isZip: Bool
        switch bytes.count {
        case 5, 9: isZip = bytes.allSatisfy(isDigit)
        case 10:
            isZip = bytes[5] == UInt8(ascii: "-") && bytes[..<5].allSatisfy(isDigit) && bytes[6...].allSatisfy(isDigit)
        default: isZip = false
        }
        return isZip ? String(decoding: bytes[..<5], as: UTF8.self) : nil
    }

    /// The forward sortation area (`M5V`) of a Canadian postal code (`m5v 3l9`); `nil` when it is not one.
    private static func sortationArea(_ text: String) -> String? {
        let letters = Array(text.uppercased().utf8.filter { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "-") })
        guard letters.count == 6 || letters.count == 3 else { return nil }
        let isLetter = { (byte: UInt8) in byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") }
        let isDigit = { (byte: UInt8) in byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        guard isLetter(letters[0]), isDigit(letters[1]), isLetter(letters[2]) else { return nil }
        return String(decoding: letters[0..<3], as: UTF8.self)
    }
}
