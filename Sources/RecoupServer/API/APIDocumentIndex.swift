import Foundation
import RecoupAPI

/// Looks things up in the OpenAPI document for error sentences: the values an enumeration allows and the title of
/// the object a request member belongs to, found by operation and coding path.
struct APIDocumentIndex: @unchecked Sendable {
    /// The bundled document's index, made on first use.
    static let shared: APIDocumentIndex? = try? APIDocumentIndex(APIDocument.load())

    /// The document as parsed JSON (plain Foundation values, never changed after `init`).
    private let root: [String: Any]
    /// Each operation's JSON request body schema and parameters, by operation id.
    private let operations: [String: [String: Any]]

    init(_ document: APIDocument) throws {
        guard let root = try JSONSerialization.jsonObject(with: document.json) as? [String: Any] else {
            throw APIDocumentError("the OpenAPI document is not a JSON object")
        }
        self.root = root
        var operations: [String: [String: Any]] = [:]
        for case let item as [String: Any] in (root["paths"] as? [String: Any] ?? [:]).values {
            for case let operation as [String: Any] in item.values {
                if let id = operation["operationId"] as? String { operations[id] = operation }
            }
        }
        self.operations = operations
    }

    /// The values the document allows at `path` in the operation's request (a body member, or a parameter named
    /// by the path's first key), or nil when it lists none.
    func allowedValues(operationID: String, at path: [any CodingKey]) -> [String]? {
        guard let schema = schema(operationID: operationID, at: path) else { return nil }
        return (schema["enum"] as? [Any])?.compactMap { $0 as? String }
    }

    /// What is wrong with a request's query parameters, in one sentence naming the parameter: a required one
    /// missing, a whole number that is not one, a value outside the document's list. Nil when none is wrong. (The
    /// generated code reports such a problem without saying which parameter it was.)
    func queryProblem(operationID: String, query: [String: String]) -> String? {
        guard let operation = operations[operationID] else { return nil }
        for case let parameter? in (operation["parameters"] as? [Any] ?? []).map({ resolve($0) })
        where parameter["in"] as? String == "query" {
            guard let name = parameter["name"] as? String else { continue }
            guard let value = query[name] else {
                if parameter["required"] as? Bool == true { return "the query parameter \(name) is missing" }
                continue
            }
            let schema = resolve(parameter["schema"]) ?? [:]
            if let allowed = (schema["enum"] as? [Any])?.compactMap({ $0 as? String }), !allowed.contains(value) {
                return "\(name) is \"\(value)\"; use one of \(allowed.joined(separator: ", "))"
            }
            if schema["type"] as? String == "integer", Int(value) == nil {
                return "\(name) is \"\(value)\"; it must be a whole number"
            }
        }
        return nil
    }

    /// The `title` of the object that holds the last member of `path`, when the document gives one.
    func title(operationID: String, containing path: [any CodingKey]) -> String? {
        schema(operationID: operationID, at: Array(path.dropLast()))?["title"] as? String
    }

    private func schema(operationID: String, at path: [any CodingKey]) -> [String: Any]? {
        guard let operation = operations[operationID] else { return nil }
        if let first = path.first, first.intValue == nil,
            let parameter = (operation["parameters"] as? [Any])?.lazy.compactMap({ self.resolve($0) })
                .first(where: { $0["name"] as? String == first.stringValue }),
            let schema = parameter["schema"]
        {
            return walk(schema, path.dropFirst())
        }
        let body =
            ((resolve(operation["requestBody"])?["content"] as? [String: Any])?["application/json"]
            as? [String: Any])?["schema"]
        return body.flatMap { walk($0, path[...]) }
    }

    private func walk(_ schema: Any, _ path: ArraySlice<any CodingKey>) -> [String: Any]? {
        guard let schema = resolve(schema) else { return nil }
        guard let key = path.first else { return schema }
        for combined in ["allOf", "anyOf", "oneOf"] {
            for part in schema[combined] as? [Any] ?? [] {
                if let found = walk(part, path) { return found }
            }
        }
        if key.intValue != nil {
            return schema["items"].flatMap { walk($0, path.dropFirst()) }
        }
        return (schema["properties"] as? [String: Any])?[key.stringValue].flatMap { walk($0, path.dropFirst()) }
    }

    /// A schema, parameter or body with its `$ref` followed (within this document).
    private func resolve(_ value: Any?) -> [String: Any]? {
        guard var object = value as? [String: Any] else { return nil }
        var hops = 0
        while let reference = object["$ref"] as? String, reference.hasPrefix("#/"), hops < 16 {
            var target: Any? = root
            for part in reference.dropFirst(2).split(separator: "/") {
                target = (target as? [String: Any])?[String(part)]
            }
            guard let next = target as? [String: Any] else { return nil }
            object = next
            hops += 1
        }
        return object
    }
}
