import Foundation

/// A real SMTP server for the tests: scripts/smtp-test-server.py on aiosmtpd (Debian's python3-aiosmtpd), listening
/// on 127.0.0.1 and keeping what it accepts in a folder. `.ci/run` installs aiosmtpd and sets
/// `RECOUP_TEST_REQUIRE_SMTP_SERVER`, so there a missing server fails the test instead of leaving it out.
public final class SMTPTestServer: @unchecked Sendable {
    /// True when the server must be there.
    public static var required: Bool { ProcessInfo.processInfo.environment["RECOUP_TEST_REQUIRE_SMTP_SERVER"] != nil }

    /// A python3 that can import aiosmtpd, nil when none can.
    public static let python: String? = {
        for candidate in ["/usr/bin/python3", "/usr/local/bin/python3"] + (PDFTools.path("python3").map { [$0] } ?? [])
        where FileManager.default.isExecutableFile(atPath: candidate) {
            if let result = try? PDFTools.run(candidate, ["-c", "import aiosmtpd"]), result.status == 0 {
                return candidate
            }
        }
        return nil
    }()

    /// What the server can be asked to do.
    public struct Options: Sendable {
        public var pipelining = true
        /// STARTTLS with a throw-away certificate for `localhost` (`certificateFile` is then the CA to trust).
        public var startTLS = false
        public var requireStartTLS = false
        /// `user:password` that must sign in.
        public var auth: String?
        /// Answer 451 to this many messages first.
        public var temporaryFailures = 0
        /// Recipients refused with 550.
        public var reject: [String] = []
        /// Seconds the server takes over each message before it answers.
        public var delay: Double = 0
        public init() {}
    }

    /// A message the server accepted.
    public struct Received: Sendable {
        public var from: String
        public var to: [String]
        public var raw: String
    }

    public let port: Int
    public let folder: URL
    /// The server's certificate when it offers STARTTLS.
    public let certificateFile: String?
    private let process: Process

    /// Starts a server; nil when aiosmtpd is not installed here (and not required).
    public static func start(_ options: Options = Options()) throws -> SMTPTestServer? {
        guard let python else {
            if required { throw TestServerError("python3-aiosmtpd is not installed, and the test requires it") }
            return nil
        }
        return try SMTPTestServer(python: python, options: options)
    }

    private init(python: String, options: Options) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("recoup-smtp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var arguments = [Self.script, "--maildir", folder.appendingPathComponent("mail").path]
        if options.pipelining { arguments.append("--pipelining") }
        var certificate: String?
        if options.startTLS {
            let cert = folder.appendingPathComponent("cert.pem").path
            let key = folder.appendingPathComponent("key.pem").path
            guard let openssl = PDFTools.path("openssl") else { throw TestServerError("openssl is not installed") }
            let made = try PDFTools.run(
                openssl,
                [
                    "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "2",
                    "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                ])
            guard made.status == 0 else {
                throw TestServerError("openssl could not make a certificate: \(made.output)")
            }
            arguments += ["--cert", cert, "--key", key]
            if options.requireStartTLS { arguments.append("--require-starttls") }
            certificate = cert
        }
        if let auth = options.auth { arguments += ["--auth", auth] }
        if options.temporaryFailures > 0 { arguments += ["--tempfail-first", String(options.temporaryFailures)] }
        for address in options.reject { arguments += ["--reject", address] }
        if options.delay > 0 { arguments += ["--delay", String(options.delay)] }
        certificateFile = certificate
        (process, port) = try LocalServerProcess.launch(python: python, arguments: arguments)
    }

    deinit { stop() }

    /// Stops the server.
    public func stop() {
        LocalServerProcess.stop(process)
        try? FileManager.default.removeItem(at: folder)
    }

    /// What the server accepted, in order.
    public func received() throws -> [Received] {
        let mail = folder.appendingPathComponent("mail")
        guard let lines = try? String(contentsOf: mail.appendingPathComponent("envelopes.jsonl"), encoding: .utf8)
        else { return [] }
        return try lines.split(separator: "\n").map { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
            let file = object["file"] as? String ?? ""
            let raw = try String(contentsOf: mail.appendingPathComponent(file), encoding: .utf8)
            return Received(from: object["from"] as? String ?? "", to: object["to"] as? [String] ?? [], raw: raw)
        }
    }

    /// scripts/smtp-test-server.py of this checkout.
    static var script: String { LocalServerProcess.script("smtp-test-server.py") }
}

/// A test server written in Python (scripts/…): started with its arguments, it prints "READY <port>" first; it stops
/// on SIGTERM, or when its stdin closes should the test process die.
enum LocalServerProcess {
    static func launch(python: String, arguments: [String]) throws -> (Process, Int) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = arguments
        let output = Pipe()
        process.standardInput = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line = Data()
        while true {
            let byte = output.fileHandleForReading.readData(ofLength: 1)
            if byte.isEmpty || byte == Data("\n".utf8) { break }
            line += byte
        }
        let words = String(decoding: line, as: UTF8.self).split(separator: " ")
        guard words.count == 2, words[0] == "READY", let port = Int(words[1]) else {
            process.terminate()
            throw TestServerError(
                "\(arguments.first ?? "the server") did not start: \(String(decoding: line, as: UTF8.self))")
        }
        return (process, port)
    }

    /// Stops it, killing it if it has not stopped within two seconds.
    static func stop(_ process: Process) {
        guard process.isRunning else { return }
        process.terminate()
        for _ in 0..<40 where process.isRunning { usleep(50_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// scripts/NAME of this checkout.
    static func script(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts/\(name)").path
    }
}

/// An SMS provider's API played by scripts/sms-test-provider.py (Python's standard library only, so it runs wherever
/// python3 does).
public final class SMSTestProvider: @unchecked Sendable {
    public let port: Int
    public let token = "test-token"
    private let log: URL
    private let process: Process

    /// `failFirst` texts answered 503, texts to `reject` answered 400.
    public init(failFirst: Int = 0, reject: [String] = []) throws {
        guard
            let python = PDFTools.path("python3")
                ?? (FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") ? "/usr/bin/python3" : nil)
        else { throw TestServerError("python3 is not installed") }
        log = FileManager.default.temporaryDirectory.appendingPathComponent("recoup-sms-\(UUID().uuidString).jsonl")
        var arguments = [LocalServerProcess.script("sms-test-provider.py"), "--log", log.path, "--token", token]
        if failFirst > 0 { arguments += ["--fail-first", String(failFirst)] }
        for number in reject { arguments += ["--reject", number] }
        (process, port) = try LocalServerProcess.launch(python: python, arguments: arguments)
    }

    deinit { stop() }

    public func stop() {
        LocalServerProcess.stop(process)
        try? FileManager.default.removeItem(at: log)
    }

    /// The texts it accepted, as it received them.
    public func received() throws -> [[String: String]] {
        guard let text = try? String(contentsOf: log, encoding: .utf8) else { return [] }
        return try text.split(separator: "\n").map {
            (try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] ?? [:]).compactMapValues {
                $0 as? String
            }
        }
    }
}

/// A test server that could not start, in one sentence.
public struct TestServerError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
