import Foundation
import RecoupTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

@Suite("recoup serve where it cannot listen")
struct ServePortTests {
    /// A TCP socket listening on 127.0.0.1 at a port the system chose: the port and the descriptor to close.
    static func occupyPort() throws -> (port: Int, descriptor: Int32) {
        #if canImport(Glibc)
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        try #require(descriptor >= 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(descriptor, generic, length) == 0 && listen(descriptor, 1) == 0
                    && getsockname(descriptor, generic, &length) == 0
            }
        }
        try #require(bound)
        return (Int(UInt16(bigEndian: address.sin_port)), descriptor)
    }

    /// Runs `recoup ARGUMENTS` in `directory`, killing it after `seconds` (a server that did start would not stop).
    static func run(
        _ arguments: [String], in directory: URL, seconds: TimeInterval
    ) async throws
        -> RecoupBinary.Result
    {
        try await offThePool { try runBlocking(arguments, in: directory, seconds: seconds) }
    }

    private static func runBlocking(
        _ arguments: [String], in directory: URL, seconds: TimeInterval
    ) throws
        -> RecoupBinary.Result
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: RecoupBinary.path)
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "DATABASE_URL")
        process.environment = environment
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning { process.terminate() }
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return RecoupBinary.Result(
            status: process.terminationStatus, standardOutput: String(decoding: outputData, as: UTF8.self),
            standardError: String(decoding: errorData, as: UTF8.self))
    }

    @Test("a port already in use is one sentence on stderr and exit status 2, no stack trace")
    func portInUse() async throws {
        let recoup = try RecoupBinary()
        let (port, descriptor) = try Self.occupyPort()
        defer { close(descriptor) }
        let result = try await Self.run(
            ["serve", "--hostname", "127.0.0.1", "--port", String(port)], in: recoup.directory, seconds: 60)
        #expect(result.status == 2)
        #expect(
            result.standardError
                == "recoup: port \(port) is already in use; stop the other server or choose another with --port\n")
        #expect(!result.standardOutput.contains("Recoup is running"))
    }
}
