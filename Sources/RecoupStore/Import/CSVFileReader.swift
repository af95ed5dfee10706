import Foundation
import RecoupCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Streams the records of a CSV file, or of standard input, through `CSVParser` in constant memory.
public struct CSVFileReader: Sendable {
    /// The number of bytes read from the file at a time.
    public static let chunkSize = 1 << 20

    /// The path of the file to read; "-" means standard input.
    public let path: String

    /// Creates a reader for the file at `path`, or for standard input when `path` is "-".
    public init(path: String) {
        self.path = path
    }

    /// Reads the whole input and calls `body` for each record, in order.
    ///
    /// Throws `CSVError.cannotRead` when the file cannot be opened or read, any other `CSVError` for malformed
    /// content, and whatever `body` throws (which stops reading).
    public func forEachRecord(_ body: (CSVRecord) throws -> Void) throws {
        let records = try CSVRecordStream(path: path)
        while let record = try records.next() { try body(record) }
    }

    /// A short, human explanation of a POSIX error number.
    static func reason(forErrorNumber errorNumber: Int32) -> String {
        switch errorNumber {
        case ENOENT:
            return "no such file"
        case EACCES, EPERM:
            return "permission denied"
        case EISDIR:
            return "it is a directory"
        case ENOTDIR:
            return "a part of the path is not a directory"
        default:
            return String(cString: strerror(errorNumber))
        }
    }
}

/// Pulls the records of a CSV file (or standard input) one at a time, reading 1 MiB at a time, so that an
/// async importer can await between batches while memory stays flat.
// Unchecked: a stream is read by one task at a time (the importer hands it into its transaction closure).
public final class CSVRecordStream: @unchecked Sendable {
    private let path: String
    private let descriptor: Int32
    private let ownsDescriptor: Bool
    private let buffer: UnsafeMutableRawBufferPointer
    private var parser = CSVParser()
    private var pending: [CSVRecord] = []
    private var pendingIndex = 0
    private var isFinished = false

    /// Opens the file at `path` ("-" is standard input); throws `CSVError.cannotRead` when it cannot.
    public init(path: String) throws {
        self.path = path
        if path == "-" {
            descriptor = STDIN_FILENO
            ownsDescriptor = false
        } else {
            var status = stat()
            if stat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFDIR {
                throw CSVError.cannotRead(path: path, reason: "it is a directory")
            }
            descriptor = open(path, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else {
                throw CSVError.cannotRead(path: path, reason: CSVFileReader.reason(forErrorNumber: errno))
            }
            ownsDescriptor = true
        }
        buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: CSVFileReader.chunkSize, alignment: 16)
    }

    deinit {
        buffer.deallocate()
        if ownsDescriptor { close(descriptor) }
    }

    /// The next record, or nil at the end of the input.
    public func next() throws -> CSVRecord? {
        while pendingIndex >= pending.count {
            guard !isFinished else { return nil }
            pending.removeAll(keepingCapacity: true)
            pendingIndex = 0
            let count = read(descriptor, buffer.baseAddress, buffer.count)
            if count < 0 {
                let errorNumber = errno
                if errorNumber == EINTR { continue }
                throw CSVError.cannotRead(path: path, reason: CSVFileReader.reason(forErrorNumber: errorNumber))
            }
            if count == 0 {
                isFinished = true
                try parser.finish { pending.append($0) }
            } else {
                try parser.feed(UnsafeRawBufferPointer(rebasing: buffer[0..<count])) { pending.append($0) }
            }
        }
        defer { pendingIndex += 1 }
        return pending[pendingIndex]
    }
}
