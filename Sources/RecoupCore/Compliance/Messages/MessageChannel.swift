/// The way a collection message travels; it decides which content checks apply.
public enum MessageChannel: String, CaseIterable, Codable, Sendable {
    /// A message left on an answering machine or in a voicemail box.
    case voicemail
    /// A text message.
    case sms
    /// An email.
    case email
    /// A letter sent by post.
    case letter
}

extension MessageChannel {
    /// The contact a message by this channel is, as the compliance engine checks it.
    public var contactAction: ContactAction {
        switch self {
        case .email: .email
        case .sms: .sms
        case .letter: .letter
        case .voicemail: .voicemail
        }
    }
}
