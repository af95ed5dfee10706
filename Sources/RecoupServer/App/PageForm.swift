import Vapor

/// A form a page posts. Every field is optional and the form is read leniently: a body that cannot be read as the
/// form is an empty one, so the handler's own checks answer with the sentence that names what is missing (next to
/// the form), never a decoding error.
protocol PageForm: Content {
    /// The form with nothing filled in.
    init()
}

extension Request {
    /// The posted form, or an empty one when the body cannot be read as it.
    func form<Form: PageForm>(_ type: Form.Type) -> Form {
        (try? content.decode(Form.self)) ?? Form()
    }
}
