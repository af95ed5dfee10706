import Foundation
import RecoupCore

/// Values for every name of the agreement schema: each field "x", each list one item.
private let agreementValues: [String: TemplateValue] = {
    func values(_ schema: TemplateSchema) -> [String: TemplateValue] {
        var filled: [String: TemplateValue] = [:]
        for field in schema.fields { filled[field] = .text("<x & \"y\">") }
        for (name, item) in schema.lists { filled[name] = .list([values(item)]) }
        return filled
    }
    return values(.agreement)
}()

/// The first byte picks what the rest is: an agreement template (text or HTML), parsed and rendered, or a message
/// checked by `MessageLint` on one of its channels.
func fuzzText(_ bytes: UnsafeRawBufferPointer) {
    var reader = ByteReader(bytes)
    let control = reader.byte()
    let text = String(decoding: reader.rest(), as: UTF8.self)
    switch control % 4 {
    case 0, 1:
        let format: AgreementTemplate.Format = control % 4 == 0 ? .text : .html
        guard let template = try? AgreementTemplate(agreement: text, format: format) else { return }
        _ = template.render(agreementValues)
    default:
        let channel = MessageChannel.allCases[Int(control / 4) % MessageChannel.allCases.count]
        _ = MessageLint.check(text, channel: channel)
    }
}
