import Foundation
import RecoupCore

/// Reads quoted-printable back (soft breaks joined, =XX decoded), as a mail program would.
public func decodeQuotedPrintable(_ text: String) -> String { InboundEmail.decodeQuotedPrintable(text) }
