import Testing

@testable import RecoupMail

@Suite("RECOUP_SMTP_URL and RECOUP_MAIL_FROM")
struct SMTPConfigurationTests {
    @Test("smtp:// upgrades with STARTTLS when offered, on port 587 unless given; smtps:// is implicit TLS on 465")
    func schemes() throws {
        let plain = try SMTPConfiguration(url: "smtp://mail.example.com", from: "collections@example.com")
        #expect(plain.host == "mail.example.com")
        #expect(plain.port == 587)
        #expect(plain.security == .startTLSWhenOffered)
        #expect(plain.username == nil)
        #expect(plain.heloName == "example.com")
        let tls = try SMTPConfiguration(url: "smtps://mail.example.com", from: "<c@example.com>")
        #expect(tls.port == 465)
        #expect(tls.security == .implicitTLS)
        #expect(tls.from.description == "c@example.com")
    }

    @Test("user and password (percent-encoded), port and options are read")
    func options() throws {
        let config = try SMTPConfiguration(
            url: "smtp://pat%40example.com:s%3Acret@127.0.0.1:2525?starttls=required&helo=recoup.example.com",
            from: "c@example.com")
        #expect(config.username == "pat@example.com")
        #expect(config.password == "s:cret")
        #expect(config.port == 2525)
        #expect(config.security == .startTLSRequired)
        #expect(config.heloName == "recoup.example.com")
        let never = try SMTPConfiguration(url: "smtp://localhost:25?starttls=never", from: "c@example.com")
        #expect(never.security == .none)
    }

    @Test(
        "a bad value is one sentence naming the variable, never the password",
        arguments: [
            ("http://mail.example.com", "c@example.com", "use smtp://"),
            ("smtp://", "c@example.com", "names no host"),
            ("smtp://mail.example.com:0", "c@example.com", "use 1 to 65535"),
            ("smtp://mail.example.com?starttls=maybe", "c@example.com", "starttls=maybe"),
            ("smtps://mail.example.com?starttls=required", "c@example.com", "applies to smtp://"),
            ("smtp://mail.example.com?tls=1", "c@example.com", "unknown option \"tls\""),
            ("smtp://mail.example.com/path", "c@example.com", "has a path"),
            ("smtp://u:secret@mail.example.com?starttls=never", "c@example.com", "in clear"),
            ("smtp://mail.example.com?ca=/no/such/file.pem", "c@example.com", "not a readable file"),
            ("smtp://mail.example.com", "not an address", "RECOUP_MAIL_FROM"),
            ("smtp://mail.example.com", "a b@example.com", "is not an email address"),
        ])
    func refused(url: String, from: String, words: String) {
        #expect {
            _ = try SMTPConfiguration(url: url, from: from)
        } throws: { error in
            let text = (error as? SMTPConfigurationError)?.description ?? ""
            return text.contains(words) && !text.contains("secret") && !text.contains("\n")
        }
    }

    @Test("the environment: nothing set is no email service; a URL without RECOUP_MAIL_FROM is an error")
    func environment() throws {
        #expect(try SMTPConfiguration.fromEnvironment([:]) == nil)
        #expect(throws: SMTPConfigurationError.self) {
            _ = try SMTPConfiguration.fromEnvironment(["RECOUP_SMTP_URL": "smtp://localhost"])
        }
        let config = try SMTPConfiguration.fromEnvironment([
            "RECOUP_SMTP_URL": "smtp://localhost:25", "RECOUP_MAIL_FROM": "c@example.com",
        ])
        #expect(config?.port == 25)
    }

    @Test("email addresses: a local part and a domain, no spaces or brackets inside")
    func addresses() {
        #expect(EmailAddress("pat@example.com")?.description == "pat@example.com")
        #expect(EmailAddress("<Pat.Doe+x@Example.COM>")?.description == "Pat.Doe+x@example.com")
        for bad in ["", "pat", "@example.com", "pat@", "pat@exa mple.com", "p<a>t@example.com", "pat@.com", "pat@a..b"]
        {
            #expect(EmailAddress(bad) == nil, "\(bad)")
        }
    }
}
