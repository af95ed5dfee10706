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
