extension Phone {
    /// Countries of the North American Numbering Plan whose numbers may be written without `+1`.
    static let nanpCountries: Set<String> = ["US", "CA", "PR", "VI", "GU", "AS", "MP"]

    /// Longest text read as a phone number; anything longer is refused before it is scanned.
    static let longestWrittenNumber = 40

    /// Reads a phone number as people write it and returns it in E.164 form (`+12125550123`).
    ///
    /// A number that starts with `+` is kept as written, spaces, dashes, dots and parentheses removed; it must then be
    /// E.164 (`+` and 8 to 15 digits). Without `+`, a number of a North American Numbering Plan country
    /// (`defaultCountry`, default US) is read as its 10 digits (`2125550123`, `(212) 555-0123`, `212.555.0123`) or
    /// 11 digits starting with the country code 1 (`1 212 555 0123`); the area code and the exchange cannot start
    /// with 0 or 1. Letters, other characters and other lengths are refused with the reason.
    public static func normalized(
        _ text: String, defaultCountry: String = "US"
    ) throws(ContactPointError) -> String {
        let written = text.trimmedSpaces
        func refuse(_ reason: String) -> ContactPointError { .unreadablePhone(written, reason: reason) }
        guard !written.isEmpty else { throw refuse("it is empty") }
        guard written.count <= longestWrittenNumber else {
            throw refuse("it is longer than \(longestWrittenNumber) characters")
        }
        var digits: [UInt8] = []
        var hasPlus = false
        for (position, character) in written.enumerated() {
            switch character {
            case "0"..."9": digits.append(character.asciiValue!)
            case " ", "\t", "-", ".", "(", ")", "\u{00A0}": continue
            case "+":
                guard position == 0 else { throw refuse("a + may only begin the number") }
                hasPlus = true
            case _ where character.isLetter:
                throw refuse("it has letters; write the digits, such as +12125550123 or (212) 555-0123")
            default:
                throw refuse("\"\(character)\" is not part of a phone number")
            }
        }
        if hasPlus {
            let number = "+" + String(decoding: digits, as: UTF8.self)
            guard isE164(number) else {
                throw refuse("after + it needs the country code and number, 8 to 15 digits, the first not 0")
            }
            return number
        }
        guard nanpCountries.contains(defaultCountry.uppercased()) else {
            throw refuse("it needs its country code, such as +44 20 7946 0018")
        }
        var national = digits[...]
        if national.count == 11, national.first == UInt8(ascii: "1") { national = national.dropFirst() }
        if digits.count == 11, national.count == 11 {
            throw refuse("a US number of 11 digits starts with the country code 1")
        }
        guard national.count == 10 else {
            throw refuse(
                "a US number has 10 digits (11 with the country code 1), this one has \(digits.count); "
                    + "a number of another country starts with + and its country code")
        }
        let areaCode = national[national.startIndex]
        guard areaCode >= UInt8(ascii: "2") else { throw refuse("a US area code cannot start with 0 or 1") }
        let exchange = national[national.startIndex + 3]
        guard exchange >= UInt8(ascii: "2") else {
            throw refuse("a US exchange (the 3 digits after the area code) cannot start with 0 or 1")
        }
        return "+1" + String(decoding: national, as: UTF8.self)
    }

    /// `text` in E.164 form when it reads as a phone number (`normalized(_:defaultCountry:)`), else `text` as written:
    /// for a field that may hold a number or something else (the `to` of a call or text).
    public static func e164IfReadable(_ text: String, defaultCountry: String = "US") -> String {
        (try? normalized(text, defaultCountry: defaultCountry)) ?? text
    }

    /// A phone from a number as people write it (`normalized(_:defaultCountry:)`) and its type.
    public init(reading text: String, type: PhoneType, defaultCountry: String = "US") throws(ContactPointError) {
        try self.init(number: Phone.normalized(text, defaultCountry: defaultCountry), type: type)
    }
}
