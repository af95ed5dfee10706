import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import RecoupCore

/// A server's answer: its three-digit code and its lines of text.
public struct SMTPReply: Sendable, Equatable, CustomStringConvertible {
    public var code: Int
    public var lines: [String]

    /// 4xx: try again later.
    public var isTemporary: Bool { (400..<500).contains(code) }
    public var isPositive: Bool { (200..<400).contains(code) }
    /// The lines as one, without the code: `2.0.0 Ok: queued as 4F1A`.
    public var text: String { lines.joined(separator: " ") }
    public var description: String { "\(code) \(text)" }
}

/// Why a session could not go on.
public enum SMTPError: Error, CustomStringConvertible, Equatable {
    /// No connection, or it broke or went quiet: worth trying again.
    case connection(String)
    /// The server answered a command with an unexpected reply.
    case reply(command: String, SMTPReply)
    /// The server does not offer what the configuration requires (STARTTLS, a sign-in mechanism).
    case unsupported(String)

    public var description: String {
        switch self {
        case .connection(let reason): reason
        case .reply(let command, let reply): "the mail server answered \(command) with \(reply)"
        case .unsupported(let reason): reason
        }
    }

    /// What a message that met this error becomes: a 5xx is final, everything else is tried again.
    var outcome: DeliveryOutcome {
        if case .reply(_, let reply) = self, !reply.isTemporary { return .permanentFailure(description) }
        return .temporaryFailure(description)
    }
}

/// A small SMTP client (RFC 5321) on SwiftNIO: EHLO, STARTTLS (RFC 3207) through NIOSSL, AUTH PLAIN and LOGIN
/// (RFC 4954), PIPELINING (RFC 2920) of the envelope, and one connection for a whole batch. Each message gets its own
/// answer: a recipient refused with 5xx fails that message alone and the batch goes on after RSET.
public struct SMTPClient: Sendable {
    public let configuration: SMTPConfiguration
    /// How long the server may stay silent before the connection is given up.
    public var timeout: TimeAmount = .seconds(60)
    /// The most times a batch opens a new connection after the server closed one.
    public var reconnects = 3

    public init(configuration: SMTPConfiguration) { self.configuration = configuration }

    /// Sends `messages` over one connection (another when the server closes it mid-batch), one answer each, in order.
    public func send(_ messages: [MailMessage]) async -> [DeliveryOutcome] {
        var outcomes: [DeliveryOutcome] = []
        try? await send(
            count: messages.count, message: { messages[$0] }, answer: { _, outcome in outcomes.append(outcome) })
        return outcomes
    }

    /// Sends `count` messages, each made by `message` only when its turn comes (a batch's messages are not all held
    /// at once), over one connection, handing each outcome to `answer` with the message's place as soon as the server
    /// has answered. An error `answer` throws ends the session and is thrown.
    public func send(
        count: Int, message: (Int) -> MailMessage, answer: (Int, DeliveryOutcome) async throws -> Void
    ) async throws {
        var done = 0
        var connections = 0
        while done < count {
            connections += 1
            let start = done
            do {
                try await session { session in
                    for index in start..<count {
                        let outcome = try await session.transaction(message(index))
                        done += 1
                        do {
                            try await answer(index, outcome)
                        } catch {
                            throw AnswerFailure(error: error)
                        }
                    }
                }
            } catch let failure as AnswerFailure {
                throw failure.error
            } catch {
                let failure = (error as? SMTPError) ?? .connection("the mail server's connection failed: \(error)")
                // A connection that ends after some messages went through is opened again for the rest; one that
                // fails at once gives its reason to every message left. A session that cannot start (no connection,
                // TLS or sign-in refused) is the service's trouble, not the messages': they are tried again later.
                guard case .connection = failure, done > start, connections <= reconnects else {
                    for index in done..<count { try await answer(index, .temporaryFailure(failure.description)) }
                    return
                }
            }
        }
    }

    /// An error of the caller's `answer`, carried out of the session untouched.
    private struct AnswerFailure: Error {
        var error: any Error
    }

    /// Opens a connection, greets, protects and signs in as configured, runs `body`, then says QUIT.
    func session(_ body: (inout SMTPSession) async throws -> Void) async throws {
        let configuration = configuration
        let tls = try makeTLSContext()
        let timeout = timeout
        let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
        do {
            channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.seconds(15))
                .connect(host: configuration.host, port: configuration.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if configuration.security == .implicitTLS, let tls {
                            try channel.pipeline.syncOperations.addHandler(
                                NIOSSLClientHandler(context: tls, serverHostname: Self.serverName(configuration.host)))
                        }
                        try channel.pipeline.syncOperations.addHandlers([
                            IdleStateHandler(readTimeout: timeout), QuietConnectionCloser(),
                        ])
                        return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            throw SMTPError.connection(
                "could not connect to the mail server \(configuration.host):\(configuration.port): \(error)")
        }
        try await channel.executeThenClose { inbound, outbound in
            var session = SMTPSession(
                channel: channel.channel, reader: SMTPReplyReader(iterator: inbound.makeAsyncIterator()),
                writer: outbound, configuration: configuration)
            try await session.open(tls: tls)
            try await body(&session)
            try? await session.quit()
        }
    }

    func makeTLSContext() throws -> NIOSSLContext? {
        guard configuration.security != .none else { return nil }
        var tls = TLSConfiguration.makeClientConfiguration()
        if let file = configuration.certificateAuthorityFile {
            tls.additionalTrustRoots = [.file(file)]
        }
        do {
            return try NIOSSLContext(configuration: tls)
        } catch {
            throw SMTPError.unsupported("TLS could not be set up for the mail server: \(error)")
        }
    }

    /// The name TLS checks the certificate against; an IP address is checked as the address instead.
    static func serverName(_ host: String) -> String? {
        let isAddress = host.contains(":") || host.split(separator: ".").allSatisfy { UInt8($0) != nil }
        return isAddress ? nil : host
    }
}

/// Closes a connection that has gone quiet for longer than the client's timeout, which ends the session's reading.
final class QuietConnectionCloser: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }
}

/// Reads replies from the server: lines ending in CRLF, a reply's lines sharing its code (`250-…` until `250 …`).
struct SMTPReplyReader {
    var iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    var buffer = ByteBuffer()

    mutating func reply() async throws -> SMTPReply {
        var lines: [String] = []
        while true {
            let line = try await self.line()
            let bytes = Array(line.utf8)
            guard bytes.count >= 3, let code = Int(String(decoding: bytes[0..<3], as: UTF8.self)),
                (200..<600).contains(code)
            else {
                throw SMTPError.connection("the mail server sent a line that is not a reply: \"\(line.prefix(80))\"")
            }
            lines.append(bytes.count > 4 ? String(decoding: bytes[4...], as: UTF8.self) : "")
            if bytes.count == 3 || bytes[3] != UInt8(ascii: "-") { return SMTPReply(code: code, lines: lines) }
            guard lines.count < 200 else { throw SMTPError.connection("the mail server's reply does not end") }
        }
    }

    private mutating func line() async throws -> String {
        while true {
            if let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) {
                let length = newline - buffer.readerIndex
                var line = buffer.readString(length: length) ?? ""
                buffer.moveReaderIndex(forwardBy: 1)
                if line.hasSuffix("\r") { line.removeLast() }
                buffer.discardReadBytes()
                return line
            }
            guard buffer.readableBytes < 8_192 else {
                throw SMTPError.connection("the mail server sent a line too long")
            }
            do {
                guard var more = try await iterator.next() else {
                    throw SMTPError.connection("the mail server closed the connection")
                }
                buffer.writeBuffer(&more)
            } catch let error as SMTPError {
                throw error
            } catch {
                throw SMTPError.connection("the connection to the mail server broke: \(error)")
            }
        }
    }

    /// Whether nothing is waiting to be read (before the TLS handshake, nothing may be).
    var isEmpty: Bool { buffer.readableBytes == 0 }
}

/// One connection's conversation.
struct SMTPSession {
    let channel: any Channel
    var reader: SMTPReplyReader
    let writer: NIOAsyncChannelOutboundWriter<ByteBuffer>
    let configuration: SMTPConfiguration
    /// What the last EHLO offered, upper-cased keywords with their parameters.
    var extensions: [String: [String]] = [:]
    var isEncrypted = false

    /// The greeting, EHLO, STARTTLS when wanted, EHLO again, and AUTH when configured.
    mutating func open(tls: NIOSSLContext?) async throws {
        isEncrypted = configuration.security == .implicitTLS
        try expect(try await reader.reply(), "the greeting", 220)
        try await hello()
        let offersTLS = extensions["STARTTLS"] != nil
        switch configuration.security {
        case .startTLSRequired where !offersTLS:
            throw SMTPError.unsupported(
                "the mail server \(configuration.host) does not offer STARTTLS, which RECOUP_SMTP_URL requires")
        case .startTLSRequired, .startTLSWhenOffered:
            if offersTLS, let tls {
                try await command("STARTTLS", expecting: 220)
                guard reader.isEmpty else {
                    throw SMTPError.connection("the mail server sent data before the TLS handshake")
                }
                let host = configuration.host
                try await channel.eventLoop.submit { [channel] in
                    try channel.pipeline.syncOperations.addHandler(
                        NIOSSLClientHandler(context: tls, serverHostname: SMTPClient.serverName(host)),
                        position: .first)
                }.get()
                isEncrypted = true
                try await hello()
            }
        case .none, .implicitTLS:
            break
        }
        if let user = configuration.username, let password = configuration.password {
            try await signIn(user: user, password: password)
        }
    }

    mutating func hello() async throws {
        try await write("EHLO \(configuration.heloName)\r\n")
        let reply = try await reader.reply()
        if reply.code == 250 {
            extensions = [:]
            for line in reply.lines.dropFirst() {
                let words = line.split(separator: " ").map(String.init)
                if let keyword = words.first { extensions[keyword.uppercased()] = Array(words.dropFirst()) }
            }
            return
        }
        // An old server that knows only HELO.
        try await write("HELO \(configuration.heloName)\r\n")
        try expect(try await reader.reply(), "HELO", 250)
        extensions = [:]
    }

    mutating func signIn(user: String, password: String) async throws {
        guard isEncrypted || configuration.allowsPlaintextAuth else {
            throw SMTPError.unsupported(
                "the mail server \(configuration.host) did not offer STARTTLS; Recoup does not send a password in "
                    + "clear (add auth=plaintext-allowed to RECOUP_SMTP_URL for a server on this machine)")
        }
        let mechanisms = Set((extensions["AUTH"] ?? []).map { $0.uppercased() })
        if mechanisms.contains("PLAIN") {
            let token = Data(([0] + Array(user.utf8) + [0] + Array(password.utf8))).base64EncodedString()
            try await command("AUTH PLAIN \(token)", expecting: 235, shown: "AUTH PLAIN")
        } else if mechanisms.contains("LOGIN") {
            try await command("AUTH LOGIN", expecting: 334)
            try await command(Data(user.utf8).base64EncodedString(), expecting: 334, shown: "the user name")
            try await command(Data(password.utf8).base64EncodedString(), expecting: 235, shown: "the password")
        } else {
            throw SMTPError.unsupported(
                "the mail server \(configuration.host) offers no sign-in Recoup knows (PLAIN or LOGIN); it offers "
                    + (mechanisms.isEmpty ? "none" : mechanisms.sorted().joined(separator: ", ")))
        }
    }

    /// One message: MAIL, RCPT and DATA (in one write when the server pipelines), then the content. A refusal of
    /// this message is its outcome and the session goes on; a broken connection throws.
    mutating func transaction(_ message: MailMessage) async throws -> DeliveryOutcome {
        let envelope = ["MAIL FROM:<\(configuration.from)>", "RCPT TO:<\(message.to)>", "DATA"]
        var replies: [SMTPReply] = []
        if extensions["PIPELINING"] != nil {
            try await write(envelope.map { $0 + "\r\n" }.joined())
            for _ in envelope { replies.append(try await reader.reply()) }
        } else {
            for line in envelope {
                try await write(line + "\r\n")
                let reply = try await reader.reply()
                replies.append(reply)
                if !reply.isPositive { break }
            }
        }
        let refused = zip(envelope, replies).first { !$0.1.isPositive }
        if let dataReply = replies.count == 3 ? replies[2] : nil, dataReply.code == 354 {
            if let refused {
                // The server let DATA through after refusing the envelope: end it empty, then reset.
                try await write(".\r\n")
                _ = try await reader.reply()
                try await reset()
                return SMTPError.reply(command: Self.name(refused.0), refused.1).outcome
            }
            try await writeContent(message.rendered())
            let reply = try await reader.reply()
            guard reply.code == 250 else {
                try await reset()
                return SMTPError.reply(command: "the message", reply).outcome
            }
            return .sent(reference: reply.text.isEmpty ? nil : reply.text)
        }
        try await reset()
        let (command, reply) = refused ?? ("DATA", replies.last ?? SMTPReply(code: 554, lines: []))
        return SMTPError.reply(command: Self.name(command), reply).outcome
    }

    /// `RCPT TO:<…>` → `RCPT TO` (the address stays out of the outcome's text).
    static func name(_ command: String) -> String {
        command.split(separator: ":").first.map(String.init) ?? command
    }

    mutating func reset() async throws {
        try await write("RSET\r\n")
        _ = try await reader.reply()
    }

    mutating func quit() async throws {
        try await write("QUIT\r\n")
        _ = try await reader.reply()
    }

    /// The content with SMTP's dot-stuffing (a line starting with "." gets another), ended by a line with ".".
    func writeContent(_ bytes: [UInt8]) async throws {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(bytes.count + bytes.count / 64 + 8)
        var atLineStart = true
        for byte in bytes {
            if atLineStart && byte == UInt8(ascii: ".") { buffer.writeInteger(UInt8(ascii: ".")) }
            buffer.writeInteger(byte)
            atLineStart = byte == UInt8(ascii: "\n")
        }
        if !atLineStart { buffer.writeStaticString("\r\n") }
        buffer.writeStaticString(".\r\n")
        try await send(buffer)
    }

    mutating func command(_ line: String, expecting code: Int, shown: String? = nil) async throws {
        try await write(line + "\r\n")
        try expect(try await reader.reply(), shown ?? line, code)
    }

    func expect(_ reply: SMTPReply, _ what: String, _ code: Int) throws {
        guard reply.code == code else { throw SMTPError.reply(command: what, reply) }
    }

    func write(_ text: String) async throws { try await send(ByteBuffer(string: text)) }

    func send(_ buffer: ByteBuffer) async throws {
        do {
            try await writer.write(buffer)
        } catch {
            throw SMTPError.connection("the connection to the mail server broke: \(error)")
        }
    }
}
