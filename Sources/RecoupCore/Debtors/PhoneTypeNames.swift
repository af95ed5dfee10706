extension PhoneType {
    /// The names people use for each type, written without spaces, hyphens or underscores.
    ///
    /// The compliance engine knows four types and what each means for the rules: `home` is the line at the
    /// debtor's home (the place `inconvenient-place` protects when they say home is inconvenient, 12 CFR
    /// 1006.6(b)(1)(ii)), `work` is the line at their workplace (protected when they say work is, and outside
    /// Massachusetts's weekly call limit), `mobile` goes with the person and belongs to no place, and `other` is a
    /// line whose place is unknown. So a landline or a fixed line is `home`, the place most of them are (a line at
    /// the office is named `office`, `business` or `work`), and a cell phone is `mobile`.
    static let namesByType: [(PhoneType, [String])] = [
        (.mobile, ["mobile", "mobilephone", "cell", "cellphone", "cellular", "cellularphone", "wireless"]),
        (.home, ["home", "homephone", "landline", "landlinephone", "fixed", "fixedline", "residential", "residence"]),
        (.work, ["work", "workphone", "office", "officephone", "business", "businessphone"]),
        (.other, ["other"]),
    ]

    static let typesByName: [String: PhoneType] = {
        var types: [String: PhoneType] = [:]
        for (type, names) in namesByType {
            for name in names { types[name] = type }
        }
        return types
    }()

    /// The type a name stands for, whatever its case, spaces, hyphens and underscores: `mobile`, `Cell`,
    /// `mobile phone` and `cell-phone` are `.mobile`; `home`, `landline` and `fixed` are `.home`; `work`, `office`
    /// and `business` are `.work`; `other` is `.other`. Nil for any other name. Every reader of a phone type (the
    /// compliance request, the `recoup` import layout, the API) reads it here.
    public init?(name: String) {
        var key = ""
        for character in name.lowercased() where character != " " && character != "-" && character != "_" {
            key.append(character)
        }
        guard let type = Self.typesByName[key] else { return nil }
        self = type
    }

    /// The names accepted besides the four types, for error messages and documentation.
    public static let commonNames = "cell, mobile phone, landline, fixed, office or business"
}

extension PhoneType {
    /// Reads the type from its name as `init?(name:)` does, so any Codable reader takes the names people use;
    /// it is still written as one of the four types.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let name = try container.decode(String.self)
        guard let type = PhoneType(name: name) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: ContactPointError.invalidPhoneType(name).description)
        }
        self = type
    }
}
