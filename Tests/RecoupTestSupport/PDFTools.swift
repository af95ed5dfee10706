import Foundation

/// poppler's `pdftotext` and `qpdf`, which read back the PDFs Recoup writes where they are installed (`.ci/run`
/// installs them and sets `RECOUP_TEST_REQUIRE_PDF_TOOLS`, so there a missing tool fails the test).
public enum PDFTools {
    /// True when the tools must be there.
    public static var required: Bool { ProcessInfo.processInfo.environment["RECOUP_TEST_REQUIRE_PDF_TOOLS"] != nil }

    /// The full path of `tool` on PATH, nil when it is not installed.
    public static func path(_ name: String) -> String? {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
            let path = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    /// Runs `tool` and returns its exit status and its output and errors together.
    public static func run(_ tool: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// The text `pdftotext -layout` reads from the file, or nil when pdftotext is not installed.
    public static func text(of file: URL) throws -> String? {
        guard let pdftotext = path("pdftotext") else { return nil }
        let (status, text) = try run(pdftotext, ["-layout", file.path, "-"])
        guard status == 0 else { throw CocoaError(.fileReadCorruptFile) }
        return text
    }
}
