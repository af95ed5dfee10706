import Foundation

// Reading JSON with Foundation's `JSONDecoder` while keeping Recoup's one-sentence errors that name the field
// (`accrual.fees[1].step is missing`). A type's `init(from:)` reads its members through the helpers below, which
// throw `ComplianceRequestError` with the member's path; `JSONDecoder` passes that error through unchanged.

/// Any member name of a JSON object, so that a type can see every member, including the ones it does not know.
struct JSONMemberKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }

    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

enum JSONFieldDecoding {
    /// Decodes `type` from `data`; `whole` names the document in sentences about all of it ("the terms").
    static func decode<Value: Decodable>(
        _ type: Value.Type, from data: Data, whole: String
    ) throws(ComplianceRequestError) -> Value {
        guard !data.isEmpty else { throw ComplianceRequestError(field: whole, problem: "is empty") }
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch let error as ComplianceRequestError {
            throw error
        } catch DecodingError.dataCorrupted(let context) where context.codingPath.isEmpty {
            throw ComplianceRequestError(field: whole, problem: "is not valid JSON")
        } catch let error as DecodingError {
            // The members are read with `try?` and checked by hand, so this is a value the decoder itself refused
            // deeper down, such as a number too large for any type.
            let path = codingPath(of: error)
            throw ComplianceRequestError(field: path.isEmpty ? whole : text(path), problem: "cannot be read")
        } catch {
            throw ComplianceRequestError(field: whole, problem: "cannot be read")
        }
    }

    /// `accrual.fees[1].step` for the decoder's path; "" for the whole document.
    static func text(_ path: [any CodingKey]) -> String {
        var text = ""
        for key in path {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : "." + key.stringValue
            }
        }
        return text
    }

    /// The error for the value at `path`, or for `whole` when the path is empty.
    static func error(at path: [any CodingKey], whole: String, _ problem: String) -> ComplianceRequestError {
        let field = text(path)
        return ComplianceRequestError(field: field.isEmpty ? whole : field, problem: problem)
    }

    private static func codingPath(of error: DecodingError) -> [any CodingKey] {
        switch error {
        case .keyNotFound(let key, let context): context.codingPath + [key]
        case .valueNotFound(_, let context), .typeMismatch(_, let context), .dataCorrupted(let context):
            context.codingPath
        @unknown default: []
        }
    }
}

extension Decoder {
    /// The members of the JSON object being decoded; `problem` is the sentence when the value is not an object.
    func jsonObject(
        whole: String, orElse problem: String = "must be a JSON object"
    ) throws(ComplianceRequestError) -> KeyedDecodingContainer<JSONMemberKey> {
        guard let members = try? container(keyedBy: JSONMemberKey.self) else {
            throw JSONFieldDecoding.error(at: codingPath, whole: whole, problem)
        }
        return members
    }
}

extension KeyedDecodingContainer where Key == JSONMemberKey {
    /// The error for member `name`.
    func error(_ name: String, _ problem: String) -> ComplianceRequestError {
        JSONFieldDecoding.error(at: codingPath + [JSONMemberKey(name)], whole: "", problem)
    }

    /// The error for this object itself; `whole` names it when it is the whole document.
    func objectError(whole: String, _ problem: String) -> ComplianceRequestError {
        JSONFieldDecoding.error(at: codingPath, whole: whole, problem)
    }

    /// True when member `name` is there and not null (null means absent, as in every Recoup request).
    func has(_ name: String) -> Bool {
        let key = JSONMemberKey(name)
        return contains(key) && (try? decodeNil(forKey: key)) == false
    }

    /// Refuses members other than `allowed`, naming the first of them in sorted order (the decoder does not keep
    /// the document's order) and, through `sentence`, the others.
    func refuseUnknownMembers(
        allowed: [String], _ sentence: (_ others: [String]) -> String
    ) throws(ComplianceRequestError) {
        let unknown = allKeys.map(\.stringValue).filter { !allowed.contains($0) }.sorted()
        guard let first = unknown.first else { return }
        throw error(first, sentence(Array(unknown.dropFirst())))
    }

    func optionalString(_ name: String) throws(ComplianceRequestError) -> String? {
        guard has(name) else { return nil }
        guard let text = try? decode(String.self, forKey: JSONMemberKey(name)) else {
            throw error(name, "must be a string")
        }
        return text
    }

    func optionalInt(_ name: String) throws(ComplianceRequestError) -> Int? {
        guard has(name) else { return nil }
        guard let value = try? decode(Int.self, forKey: JSONMemberKey(name)) else {
            throw error(name, "must be a whole number")
        }
        return value
    }

    /// A decimal given as a string or as a JSON number (whose digits are kept, through `Decimal`, not a binary
    /// floating-point value); `problem` is the sentence for anything else.
    func optionalDecimalText(_ name: String, orElse problem: String) throws(ComplianceRequestError) -> String? {
        guard has(name) else { return nil }
        let key = JSONMemberKey(name)
        if let text = try? decode(String.self, forKey: key) { return text }
        if let number = try? decode(Decimal.self, forKey: key) { return number.description }
        throw error(name, problem)
    }

    /// Member `name` decoded as `Value` (whose `init(from:)` reports its own problems), or nil when absent.
    func optional<Value: Decodable>(_ type: Value.Type, _ name: String) throws -> Value? {
        guard has(name) else { return nil }
        return try decode(type, forKey: JSONMemberKey(name))
    }

    /// The items of array member `name` decoded as `Value`, or nil when absent.
    func optionalArray<Value: Decodable>(_ type: Value.Type, _ name: String) throws -> [Value]? {
        guard has(name) else { return nil }
        guard var items = try? nestedUnkeyedContainer(forKey: JSONMemberKey(name)) else {
            throw error(name, "must be an array")
        }
        var values: [Value] = []
        while !items.isAtEnd { values.append(try items.decode(type)) }
        return values
    }
}

/// Field checks shared by the readers of terms: amounts and percentages given as text.
enum TermsField {
    /// An amount of `currency`, more than zero (or zero when allowed).
    static func amount(
        _ text: String, _ field: String, _ currency: Currency, allowZero: Bool = false
    ) throws(ComplianceRequestError) -> Int64 {
        let units: Int64
        do { units = try Money.parseMinorUnits(text, currency: currency) } catch {
            throw ComplianceRequestError(field: field, problem: "\(error)")
        }
        guard units > 0 || (allowZero && units == 0) else {
            throw ComplianceRequestError(field: field, problem: "is \(text); it must be more than zero")
        }
        return units
    }

    /// A percentage 0–100 with at most four decimals, as parts per million; `aboveHundred` is the sentence that
    /// refuses more than 100.
    static func percent(_ text: String, _ field: String, aboveHundred: String) throws(ComplianceRequestError) -> Int64 {
        guard let ppm = PartsPerMillion.parsePercent(text) else {
            let problem =
                text.hasPrefix("-")
                ? "a percentage cannot be negative" : "write a percentage such as \"8.5\", with at most 4 decimals"
            throw ComplianceRequestError(field: field, problem: "is \"\(text)\"; \(problem)")
        }
        guard PartsPerMillion.percentRange.contains(ppm) else {
            throw ComplianceRequestError(field: field, problem: "is \(text); \(aboveHundred)")
        }
        return ppm
    }

    /// `base.name`, or `name` at the top.
    static func path(_ base: String, _ name: String) -> String { base.isEmpty ? name : base + "." + name }
}
