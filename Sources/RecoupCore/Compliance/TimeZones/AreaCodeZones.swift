// The time zones inferred from a North American phone number's area code (NPA).
//
// Where the facts come from:
// - Which area codes exist, which are geographic, where each one is, which codes overlay one another, and the time
//   zone letters for each area: the North American Numbering Plan Administrator's area code database (the NANPA
//   "NPA report" download at nationalnanpa.com, file dated 2026-09-30; Canadian codes as published there for the
//   Canadian Numbering Administrator). It lists 433 geographic codes in service for the United States, its
//   territories and Canada; three more are assigned and listed here ahead of service (273, 565, 761).
// - Which IANA zones cover the places inside each area: the IANA tz database (zone.tab, zone1970.tab and the notes in
//   its `northamerica` file), which record which counties and towns keep which clock.
// - Cross-checked against libphonenumber's prefix-to-time-zone map; where the two differ, this table follows the
//   NANPA and tz database facts above (and every difference was reviewed by hand).
//
// How the table is read:
// - Every zone that may apply somewhere in the area is listed, the zone of most of the area first. A caller that must
//   respect local hours everywhere checks each one. An overlay code always carries the zones of the area it overlays.
// - A zone is listed once per distinct local clock: places that keep the same clock as a listed zone all year (Juneau
//   as Anchorage, Fort Nelson as Dawson Creek) are not listed again.
// - Places that keep another zone's clock by law or tribal rule are included (the Navajo Nation, West Wendover), and
//   so is the one sizable community that does so by custom (Phenix City, Alabama). Hamlets that keep another clock
//   by custom (Kenton, Oklahoma; Pine Springs, Texas) are noted and not inferred.
// - Non-geographic codes infer nothing and are absent: toll-free (800, 833, 844, 855, 866, 877, 888 and the reserved
//   822, 880-887, 889), premium 900, personal and machine-to-machine 5XX (500, 521-529, 532, 533, 538, 542-544, 566,
//   577, 588), Canadian non-geographic 600, 622 and 633, 700, US Government 710, N11 and N9X codes. So are the other
//   NANP countries (the Caribbean and Bermuda), which this table does not cover.

import Foundation

/// The IANA time zones a North American phone number's area code may place its holder in.
///
/// Covers every geographic area code of the United States (with Puerto Rico, the U.S. Virgin Islands, Guam, the
/// Northern Mariana Islands and American Samoa) and Canada. An area code that spans zones returns all of them.
public enum AreaCodeZones {
    /// Area code (three digits) to the IANA zones that may apply in its area, most of the area's zone first.
    static let table: [String: [String]] = [
        // MARK: United States and territories
        // Alabama
        "205": ["America/Chicago"],
        "251": ["America/Chicago"],
        "256": ["America/Chicago"],
        "659": ["America/Chicago"],
        "938": ["America/Chicago"],
        // Phenix City, Smiths Station, Lanett and Valley (Russell, Lee and Chambers counties) keep Eastern time by
        // local custom.
        "334": ["America/Chicago", "America/New_York"],
        "483": ["America/Chicago", "America/New_York"],

        // Alaska
        // Anchorage time statewide except the Aleutians west of 169°30'W (Hawaii-Aleutian time). Juneau, Sitka,
        // Yakutat, Nome and Metlakatla keep Anchorage's clock.
        "907": ["America/Anchorage", "America/Adak"],

        // Arizona
        // No daylight saving time.
        "480": ["America/Phoenix"],
        "520": ["America/Phoenix"],
        "602": ["America/Phoenix"],
        "623": ["America/Phoenix"],
        // The Navajo Nation (north-east Arizona) observes daylight saving time, which the rest of Arizona does not.
        "928": ["America/Phoenix", "America/Denver"],

        // Arkansas
        "327": ["America/Chicago"],
        "479": ["America/Chicago"],
        "501": ["America/Chicago"],
        "870": ["America/Chicago"],

        // California
        "209": ["America/Los_Angeles"],
        "213": ["America/Los_Angeles"],
        "279": ["America/Los_Angeles"],
        "310": ["America/Los_Angeles"],
        "323": ["America/Los_Angeles"],
        "341": ["America/Los_Angeles"],
        "350": ["America/Los_Angeles"],
        "357": ["America/Los_Angeles"],
        "369": ["America/Los_Angeles"],
        "408": ["America/Los_Angeles"],
        "415": ["America/Los_Angeles"],
        "424": ["America/Los_Angeles"],
        "442": ["America/Los_Angeles"],
        "510": ["America/Los_Angeles"],
        "530": ["America/Los_Angeles"],
        "559": ["America/Los_Angeles"],
        "562": ["America/Los_Angeles"],
        "619": ["America/Los_Angeles"],
        "626": ["America/Los_Angeles"],
        "628": ["America/Los_Angeles"],
        "650": ["America/Los_Angeles"],
        "657": ["America/Los_Angeles"],
        "661": ["America/Los_Angeles"],
        "669": ["America/Los_Angeles"],
        "707": ["America/Los_Angeles"],
        "714": ["America/Los_Angeles"],
        "738": ["America/Los_Angeles"],
        "747": ["America/Los_Angeles"],
        "760": ["America/Los_Angeles"],
        "805": ["America/Los_Angeles"],
        "818": ["America/Los_Angeles"],
        "820": ["America/Los_Angeles"],
        "831": ["America/Los_Angeles"],
        "837": ["America/Los_Angeles"],
        "840": ["America/Los_Angeles"],
        "858": ["America/Los_Angeles"],
        "909": ["America/Los_Angeles"],
        "916": ["America/Los_Angeles"],
        "925": ["America/Los_Angeles"],
        "949": ["America/Los_Angeles"],
        "951": ["America/Los_Angeles"],

        // Colorado
        "303": ["America/Denver"],
        "719": ["America/Denver"],
        "720": ["America/Denver"],
        "748": ["America/Denver"],
        "970": ["America/Denver"],
        "983": ["America/Denver"],

        // Connecticut
        "203": ["America/New_York"],
        "475": ["America/New_York"],
        "860": ["America/New_York"],
        "959": ["America/New_York"],

        // Delaware
        "302": ["America/New_York"],

        // District of Columbia
        "202": ["America/New_York"],
        "771": ["America/New_York"],

        // Florida
        // The panhandle west of the Apalachicola River keeps Central time; Tallahassee keeps Eastern.
        "448": ["America/Chicago", "America/New_York"],
        "850": ["America/Chicago", "America/New_York"],
        "239": ["America/New_York"],
        "305": ["America/New_York"],
        "321": ["America/New_York"],
        "324": ["America/New_York"],
        "352": ["America/New_York"],
        "386": ["America/New_York"],
        "407": ["America/New_York"],
        "561": ["America/New_York"],
        "645": ["America/New_York"],
        "656": ["America/New_York"],
        "689": ["America/New_York"],
        "727": ["America/New_York"],
        "728": ["America/New_York"],
        "754": ["America/New_York"],
        "772": ["America/New_York"],
        "786": ["America/New_York"],
        "813": ["America/New_York"],
        "863": ["America/New_York"],
        "904": ["America/New_York"],
        "941": ["America/New_York"],
        "954": ["America/New_York"],

        // Georgia
        // 565 is assigned to the 912 area and not yet in service.
        "229": ["America/New_York"],
        "404": ["America/New_York"],
        "470": ["America/New_York"],
        "478": ["America/New_York"],
        "565": ["America/New_York"],
        "678": ["America/New_York"],
        "706": ["America/New_York"],
        "762": ["America/New_York"],
        "770": ["America/New_York"],
        "912": ["America/New_York"],
        "943": ["America/New_York"],

        // Hawaii
        "808": ["Pacific/Honolulu"],

        // Idaho
        // Southern Idaho keeps Mountain time (America/Boise); the panhandle north of the Salmon River keeps Pacific
        // time.
        "208": ["America/Boise", "America/Los_Angeles"],
        "986": ["America/Boise", "America/Los_Angeles"],

        // Illinois
        "217": ["America/Chicago"],
        "224": ["America/Chicago"],
        "309": ["America/Chicago"],
        "312": ["America/Chicago"],
        "331": ["America/Chicago"],
        "447": ["America/Chicago"],
        "464": ["America/Chicago"],
        "618": ["America/Chicago"],
        "630": ["America/Chicago"],
        "708": ["America/Chicago"],
        "730": ["America/Chicago"],
        "773": ["America/Chicago"],
        "779": ["America/Chicago"],
        "815": ["America/Chicago"],
        "847": ["America/Chicago"],
        "861": ["America/Chicago"],
        "872": ["America/Chicago"],

        // Indiana
        // The north-west counties around Gary keep Central time; the rest Eastern.
        "219": ["America/Chicago", "America/New_York"],
        // Starke County keeps Central time.
        "574": ["America/New_York", "America/Chicago"],
        // The south-west counties around Evansville keep Central time.
        "812": ["America/New_York", "America/Chicago"],
        "930": ["America/New_York", "America/Chicago"],
        "260": ["America/New_York"],
        "317": ["America/New_York"],
        "463": ["America/New_York"],
        "765": ["America/New_York"],

        // Iowa
        "319": ["America/Chicago"],
        "515": ["America/Chicago"],
        "563": ["America/Chicago"],
        "641": ["America/Chicago"],
        "712": ["America/Chicago"],

        // Kansas
        // Greeley, Hamilton, Sherman and Wallace counties keep Mountain time.
        "620": ["America/Chicago", "America/Denver"],
        "785": ["America/Chicago", "America/Denver"],
        "316": ["America/Chicago"],
        "913": ["America/Chicago"],

        // Kentucky
        // Western Kentucky keeps Central time; the Elizabethtown area Eastern.
        "270": ["America/Chicago", "America/New_York"],
        "364": ["America/Chicago", "America/New_York"],
        // Clinton County and other south-central counties keep Central time.
        "606": ["America/New_York", "America/Chicago"],
        // 761 is assigned to the 502 area and not yet in service.
        "502": ["America/New_York"],
        "761": ["America/New_York"],
        "859": ["America/New_York"],

        // Louisiana
        "225": ["America/Chicago"],
        "318": ["America/Chicago"],
        "337": ["America/Chicago"],
        "457": ["America/Chicago"],
        "504": ["America/Chicago"],
        "985": ["America/Chicago"],

        // Maine
        "207": ["America/New_York"],

        // Maryland
        "227": ["America/New_York"],
        "240": ["America/New_York"],
        "301": ["America/New_York"],
        "410": ["America/New_York"],
        "443": ["America/New_York"],
        "667": ["America/New_York"],

        // Massachusetts
        "339": ["America/New_York"],
        "351": ["America/New_York"],
        "413": ["America/New_York"],
        "508": ["America/New_York"],
        "617": ["America/New_York"],
        "774": ["America/New_York"],
        "781": ["America/New_York"],
        "857": ["America/New_York"],
        "978": ["America/New_York"],

        // Michigan
        // Gogebic, Iron, Dickinson and Menominee counties in the Upper Peninsula keep Central time.
        "906": ["America/New_York", "America/Chicago"],
        "231": ["America/New_York"],
        "248": ["America/New_York"],
        "269": ["America/New_York"],
        "313": ["America/New_York"],
        "517": ["America/New_York"],
        "586": ["America/New_York"],
        "616": ["America/New_York"],
        "679": ["America/New_York"],
        "734": ["America/New_York"],
        "810": ["America/New_York"],
        "947": ["America/New_York"],
        "989": ["America/New_York"],

        // Minnesota
        "218": ["America/Chicago"],
        "320": ["America/Chicago"],
        "507": ["America/Chicago"],
        "612": ["America/Chicago"],
        "651": ["America/Chicago"],
        "763": ["America/Chicago"],
        "924": ["America/Chicago"],
        "952": ["America/Chicago"],

        // Mississippi
        "228": ["America/Chicago"],
        "471": ["America/Chicago"],
        "601": ["America/Chicago"],
        "662": ["America/Chicago"],
        "769": ["America/Chicago"],

        // Missouri
        "235": ["America/Chicago"],
        "314": ["America/Chicago"],
        "417": ["America/Chicago"],
        "557": ["America/Chicago"],
        "573": ["America/Chicago"],
        "636": ["America/Chicago"],
        "660": ["America/Chicago"],
        "816": ["America/Chicago"],
        "975": ["America/Chicago"],

        // Montana
        "406": ["America/Denver"],

        // Nebraska
        // The western panhandle keeps Mountain time.
        "308": ["America/Chicago", "America/Denver"],
        "402": ["America/Chicago"],
        "531": ["America/Chicago"],

        // Nevada
        "702": ["America/Los_Angeles"],
        "725": ["America/Los_Angeles"],
        // West Wendover (officially) and Jackpot (by custom) keep Mountain time.
        "775": ["America/Los_Angeles", "America/Denver"],

        // New Hampshire
        "603": ["America/New_York"],

        // New Jersey
        "201": ["America/New_York"],
        "551": ["America/New_York"],
        "609": ["America/New_York"],
        "640": ["America/New_York"],
        "732": ["America/New_York"],
        "848": ["America/New_York"],
        "856": ["America/New_York"],
        "862": ["America/New_York"],
        "908": ["America/New_York"],
        "973": ["America/New_York"],

        // New Mexico
        "505": ["America/Denver"],
        "575": ["America/Denver"],

        // New York
        "212": ["America/New_York"],
        "315": ["America/New_York"],
        "329": ["America/New_York"],
        "332": ["America/New_York"],
        "347": ["America/New_York"],
        "363": ["America/New_York"],
        "465": ["America/New_York"],
        "516": ["America/New_York"],
        "518": ["America/New_York"],
        "585": ["America/New_York"],
        "607": ["America/New_York"],
        "624": ["America/New_York"],
        "631": ["America/New_York"],
        "646": ["America/New_York"],
        "680": ["America/New_York"],
        "716": ["America/New_York"],
        "718": ["America/New_York"],
        "838": ["America/New_York"],
        "845": ["America/New_York"],
        "914": ["America/New_York"],
        "917": ["America/New_York"],
        "929": ["America/New_York"],
        "934": ["America/New_York"],

        // North Carolina
        "252": ["America/New_York"],
        "336": ["America/New_York"],
        "472": ["America/New_York"],
        "704": ["America/New_York"],
        "743": ["America/New_York"],
        "828": ["America/New_York"],
        "910": ["America/New_York"],
        "919": ["America/New_York"],
        "980": ["America/New_York"],
        "984": ["America/New_York"],

        // North Dakota
        // The south-west (Dickinson, Bowman) keeps Mountain time.
        "701": ["America/Chicago", "America/Denver"],

        // Ohio
        "216": ["America/New_York"],
        "220": ["America/New_York"],
        "234": ["America/New_York"],
        "283": ["America/New_York"],
        "326": ["America/New_York"],
        "330": ["America/New_York"],
        "380": ["America/New_York"],
        "419": ["America/New_York"],
        "436": ["America/New_York"],
        "440": ["America/New_York"],
        "513": ["America/New_York"],
        "567": ["America/New_York"],
        "614": ["America/New_York"],
        "740": ["America/New_York"],
        "937": ["America/New_York"],

        // Oklahoma
        // Kenton (Cimarron County, a few dozen people) keeps Mountain time by custom; not inferred.
        "405": ["America/Chicago"],
        "539": ["America/Chicago"],
        "572": ["America/Chicago"],
        "580": ["America/Chicago"],
        "918": ["America/Chicago"],

        // Oregon
        "503": ["America/Los_Angeles"],
        "971": ["America/Los_Angeles"],
        // Most of Malheur County (Ontario) keeps Mountain time (America/Boise).
        "458": ["America/Los_Angeles", "America/Boise"],
        "541": ["America/Los_Angeles", "America/Boise"],

        // Pennsylvania
        "215": ["America/New_York"],
        "223": ["America/New_York"],
        "267": ["America/New_York"],
        "272": ["America/New_York"],
        "412": ["America/New_York"],
        "445": ["America/New_York"],
        "484": ["America/New_York"],
        "570": ["America/New_York"],
        "582": ["America/New_York"],
        "610": ["America/New_York"],
        "717": ["America/New_York"],
        "724": ["America/New_York"],
        "814": ["America/New_York"],
        "835": ["America/New_York"],
        "878": ["America/New_York"],

        // Rhode Island
        "401": ["America/New_York"],

        // South Carolina
        "803": ["America/New_York"],
        "821": ["America/New_York"],
        "839": ["America/New_York"],
        "843": ["America/New_York"],
        "854": ["America/New_York"],
        "864": ["America/New_York"],

        // South Dakota
        // West River (Rapid City) keeps Mountain time.
        "605": ["America/Chicago", "America/Denver"],

        // Tennessee
        // Chattanooga, Knoxville and the north-east keep Eastern time; Marion, Sequatchie and Bledsoe counties Central.
        "423": ["America/New_York", "America/Chicago"],
        "729": ["America/New_York", "America/Chicago"],
        // The NANP administrator lists the 931 area as Eastern and Central.
        "931": ["America/Chicago", "America/New_York"],
        "615": ["America/Chicago"],
        "629": ["America/Chicago"],
        "731": ["America/Chicago"],
        "901": ["America/Chicago"],
        "865": ["America/New_York"],

        // Texas
        // El Paso and Hudspeth counties keep Mountain time; the NANP administrator lists the 915 area as Central and
        // Mountain.
        "915": ["America/Denver", "America/Chicago"],
        // Pine Springs (Guadalupe Mountains, Culberson County) keeps Mountain time by custom; not inferred.
        "210": ["America/Chicago"],
        "214": ["America/Chicago"],
        "254": ["America/Chicago"],
        "281": ["America/Chicago"],
        "325": ["America/Chicago"],
        "346": ["America/Chicago"],
        "361": ["America/Chicago"],
        "409": ["America/Chicago"],
        "430": ["America/Chicago"],
        "432": ["America/Chicago"],
        "469": ["America/Chicago"],
        "512": ["America/Chicago"],
        "621": ["America/Chicago"],
        "682": ["America/Chicago"],
        "713": ["America/Chicago"],
        "726": ["America/Chicago"],
        "737": ["America/Chicago"],
        "806": ["America/Chicago"],
        "817": ["America/Chicago"],
        "830": ["America/Chicago"],
        "832": ["America/Chicago"],
        "903": ["America/Chicago"],
        "936": ["America/Chicago"],
        "940": ["America/Chicago"],
        "945": ["America/Chicago"],
        "956": ["America/Chicago"],
        "972": ["America/Chicago"],
        "979": ["America/Chicago"],

        // Utah
        "385": ["America/Denver"],
        "435": ["America/Denver"],
        "801": ["America/Denver"],

        // Vermont
        "802": ["America/New_York"],

        // Virginia
        "276": ["America/New_York"],
        "434": ["America/New_York"],
        "540": ["America/New_York"],
        "571": ["America/New_York"],
        "686": ["America/New_York"],
        "703": ["America/New_York"],
        "757": ["America/New_York"],
        "804": ["America/New_York"],
        "826": ["America/New_York"],
        "948": ["America/New_York"],

        // Washington
        "206": ["America/Los_Angeles"],
        "253": ["America/Los_Angeles"],
        "360": ["America/Los_Angeles"],
        "425": ["America/Los_Angeles"],
        "509": ["America/Los_Angeles"],
        "564": ["America/Los_Angeles"],

        // West Virginia
        "304": ["America/New_York"],
        "681": ["America/New_York"],

        // Wisconsin
        "262": ["America/Chicago"],
        "274": ["America/Chicago"],
        "353": ["America/Chicago"],
        "414": ["America/Chicago"],
        "534": ["America/Chicago"],
        "608": ["America/Chicago"],
        "715": ["America/Chicago"],
        "920": ["America/Chicago"],

        // Wyoming
        "307": ["America/Denver"],

        // Puerto Rico
        // Atlantic Standard Time, no daylight saving time.
        "787": ["America/Puerto_Rico"],
        "939": ["America/Puerto_Rico"],

        // U.S. Virgin Islands
        "340": ["America/St_Thomas"],

        // Guam
        "671": ["Pacific/Guam"],

        // Northern Mariana Islands
        "670": ["Pacific/Saipan"],

        // American Samoa
        "684": ["Pacific/Pago_Pago"],

        // MARK: Canada
        // Alberta
        "368": ["America/Edmonton"],
        "403": ["America/Edmonton"],
        "587": ["America/Edmonton"],
        "780": ["America/Edmonton"],
        "825": ["America/Edmonton"],

        // British Columbia
        // The Lower Mainland keeps Pacific time.
        "604": ["America/Vancouver"],
        // Province-wide codes: the East Kootenay (Cranbrook, Golden) keeps Mountain time; Dawson Creek, Fort St. John,
        // Fort Nelson and Creston keep Mountain Standard Time all year.
        "236": ["America/Vancouver", "America/Edmonton", "America/Dawson_Creek"],
        "250": ["America/Vancouver", "America/Edmonton", "America/Dawson_Creek"],
        "257": ["America/Vancouver", "America/Edmonton", "America/Dawson_Creek"],
        "672": ["America/Vancouver", "America/Edmonton", "America/Dawson_Creek"],
        "778": ["America/Vancouver", "America/Edmonton", "America/Dawson_Creek"],

        // Manitoba
        "204": ["America/Winnipeg"],
        "431": ["America/Winnipeg"],
        "584": ["America/Winnipeg"],

        // New Brunswick
        "428": ["America/Moncton"],
        "506": ["America/Moncton"],

        // Newfoundland and Labrador
        // Newfoundland and south-east Labrador keep Newfoundland time; the rest of Labrador Atlantic time.
        "709": ["America/St_Johns", "America/Goose_Bay"],
        "879": ["America/St_Johns", "America/Goose_Bay"],

        // Nova Scotia and Prince Edward Island
        "782": ["America/Halifax"],
        "902": ["America/Halifax"],

        // Ontario
        "226": ["America/Toronto"],
        "249": ["America/Toronto"],
        "289": ["America/Toronto"],
        "343": ["America/Toronto"],
        "365": ["America/Toronto"],
        "382": ["America/Toronto"],
        "416": ["America/Toronto"],
        "437": ["America/Toronto"],
        "519": ["America/Toronto"],
        "548": ["America/Toronto"],
        "613": ["America/Toronto"],
        "647": ["America/Toronto"],
        "683": ["America/Toronto"],
        "705": ["America/Toronto"],
        "742": ["America/Toronto"],
        "753": ["America/Toronto"],
        "905": ["America/Toronto"],
        "942": ["America/Toronto"],
        // North-western Ontario: Thunder Bay keeps Eastern time, Kenora and Fort Frances Central; Atikokan keeps
        // Eastern Standard Time all year, which always equals one of the two.
        "807": ["America/Toronto", "America/Winnipeg"],

        // Quebec
        "263": ["America/Toronto"],
        "354": ["America/Toronto"],
        "438": ["America/Toronto"],
        "450": ["America/Toronto"],
        "468": ["America/Toronto"],
        "514": ["America/Toronto"],
        "579": ["America/Toronto"],
        "819": ["America/Toronto"],
        "873": ["America/Toronto"],
        // Eastern Quebec: the Magdalen Islands keep Atlantic time; the Lower North Shore (Blanc-Sablon) keeps Atlantic
        // Standard Time all year, which always equals one of the two. 273 is assigned and not yet in service.
        "273": ["America/Toronto", "America/Halifax"],
        "367": ["America/Toronto", "America/Halifax"],
        "418": ["America/Toronto", "America/Halifax"],
        "581": ["America/Toronto", "America/Halifax"],

        // Saskatchewan
        // Central Standard Time all year. Lloydminster keeps Alberta time but is reached mostly through the Alberta
        // codes, and Creighton keeps Manitoba time by custom; neither is inferred.
        "306": ["America/Regina"],
        "474": ["America/Regina"],
        "639": ["America/Regina"],

        // Yukon, Northwest Territories and Nunavut
        // Yukon keeps Mountain Standard Time all year; the Northwest Territories and western Nunavut Mountain time;
        // central Nunavut Central time; eastern Nunavut Eastern time.
        "867": [
            "America/Whitehorse", "America/Inuvik", "America/Cambridge_Bay", "America/Rankin_Inlet", "America/Iqaluit",
        ],
    ]

    /// The zones for a phone number in E.164 form, `+1NXXNXXXXXX` (`+16175550123` gives `["America/New_York"]`).
    ///
    /// Returns `[]` for a number outside country code 1, for anything not exactly `+1` and ten digits, and for an area
    /// code that is non-geographic (toll-free, premium, personal), unassigned, or outside the United States and Canada.
    public static func zones(forPhone e164: String) -> [String] {
        let bytes = Array(e164.utf8)
        guard bytes.count == 12, bytes[0] == UInt8(ascii: "+"), bytes[1] == UInt8(ascii: "1") else { return [] }
        let digits = bytes[2...]
        guard digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return [] }
        // NANP numbers are NXX-NXX-XXXX: neither the area code nor the exchange starts with 0 or 1.
        guard bytes[2] >= UInt8(ascii: "2"), bytes[5] >= UInt8(ascii: "2") else { return [] }
        return zones(forAreaCode: String(decoding: bytes[2..<5], as: UTF8.self))
    }

    /// The zones for a three-digit area code (`"850"` gives `["America/Chicago", "America/New_York"]`); `[]` when the
    /// code is not a geographic area code of the United States or Canada.
    public static func zones(forAreaCode areaCode: String) -> [String] {
        table[areaCode] ?? []
    }
}
