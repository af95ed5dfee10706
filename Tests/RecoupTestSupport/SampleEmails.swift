import Foundation

/// Emails as they come back to a sender, for the inbound tests.
public enum SampleEmails {
    /// A Postfix-style delivery status notification returning message `messageID` (ours: `<outbox-…@recoup>`), whose
    /// recipient `recipient` failed with 550 5.1.1.
    public static func bounce(messageID: String, recipient: String) -> String {
        """
        Return-Path: <>
        From: MAILER-DAEMON@mail.example.net (Mail Delivery System)
        To: collections@alpha.example
        Subject: Undelivered Mail Returned to Sender
        Auto-Submitted: auto-replied
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type=delivery-status;
        \tboundary="8F1A2.1796526000/mail.example.net"

        This is a MIME-encapsulated message.

        --8F1A2.1796526000/mail.example.net
        Content-Description: Notification
        Content-Type: text/plain; charset=us-ascii

        I'm sorry to have to inform you that your message could not
        be delivered to one or more recipients.

        <\(recipient)>: host mx.example.com said: 550 5.1.1 User unknown

        --8F1A2.1796526000/mail.example.net
        Content-Description: Delivery report
        Content-Type: message/delivery-status

        Reporting-MTA: dns; mail.example.net
        Arrival-Date: Sun,  6 Dec 2026 03:00:00 +0000

        Final-Recipient: rfc822; \(recipient)
        Original-Recipient: rfc822;\(recipient)
        Action: failed
        Status: 5.1.1
        Remote-MTA: dns; mx.example.com
        Diagnostic-Code: smtp; 550 5.1.1 <\(recipient)>: Recipient address rejected: User unknown

        --8F1A2.1796526000/mail.example.net
        Content-Description: Undelivered Message Headers
        Content-Type: text/rfc822-headers

        From: "Alpha Dental" <collections@alpha.example>
        To: "Pat Doe" <\(recipient)>
        Subject: About your account
        Message-ID: \(messageID)

        --8F1A2.1796526000/mail.example.net--

        """.replacingOccurrences(of: "\n", with: "\r\n")
    }

    /// A reply from `from` to message `messageID`, with `subject` and `text` (sent quoted-printable).
    public static func reply(from: String, messageID: String?, subject: String, text: String) -> String {
        var lines = ["From: \"Someone\" <\(from)>", "To: collections@alpha.example", "Subject: \(subject)"]
        if let messageID { lines += ["In-Reply-To: \(messageID)", "References: \(messageID)"] }
        lines += [
            "MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: quoted-printable", "",
            text.replacingOccurrences(of: "=", with: "=3D"),
        ]
        return lines.joined(separator: "\r\n") + "\r\n"
    }
}
