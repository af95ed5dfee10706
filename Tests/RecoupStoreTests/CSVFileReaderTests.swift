import Foundation
import RecoupCore
import RecoupStore
import Testing

/// Writes `text` to a new temporary file and returns its path.
private func temporaryFile(containing text: String) throws -> String {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("csv-reader-\(UUID().uuidString).csv")
    try Data(text.utf8).write(to: url)
    return url.path
}

@Suite("CSVFileReader")
struct CSVFileReaderTests {
    @Test func missingFileCannotBeRead() {
        let path = "/nonexistent-\(UUID().uuidString)/data.csv"
        #expect(throws: CSVError.cannotRead(path: path, reason: "no such file")) {
            try CSVFileReader(path: path).forEachRecord { _ in }
        }
    }

    @Test func directoryCannotBeRead() {
        let path = FileManager.default.temporaryDirectory.path
        #expect(throws: CSVError.cannotRead(path: path, reason: "it is a directory")) {
            try CSVFileReader(path: path).forEachRecord { _ in }
        }
    }

    /// A file several chunks long, with records straddling the chunk boundaries, reads like the same text parsed whole.
    @Test func largeFileReadsLikeParsingTheWholeText() throws {
        var text = "\u{FEFF}id,name,note\r\n"
        var index = 0
        while text.utf8.count < 3 * CSVFileReader.chunkSize + 12345 {
            text += "\(index),\"Name, \(index)\",\"multi\nline \"\"\(index)\"\"\",é\r\n"
            index += 1
        }
        text += "last,\"no newline\""
        let path = try temporaryFile(containing: text)
        defer { try? FileManager.default.removeItem(atPath: path) }

        var records: [CSVRecord] = []
        try CSVFileReader(path: path).forEachRecord { records.append($0) }
        let expected = try CSVParser.parse(text)
        #expect(records.count == index + 2)
        #expect(records == expected)
        #expect(records.last == CSVRecord(line: 2 * index + 2, fields: ["last", "no newline"]))
    }

    @Test func parseErrorsComeThroughTheReader() throws {
        let path = try temporaryFile(containing: "a,b\n\"open,c\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: CSVError.unterminatedQuote(line: 2)) {
            try CSVFileReader(path: path).forEachRecord { _ in }
        }
    }
}
