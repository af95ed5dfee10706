import Foundation

/// Reads quoted-printable back (soft breaks joined, =XX decoded), as a mail program would.
public func decodeQuotedPrintable(_ text: String) -> String {
    var bytes: [UInt8] = []
    let source = Array(text.replacingOccurrences(of: "=\r\n", with: "").utf8)
    var index = 0
    while index < source.count {
        if source[index] == UInt8(ascii: "="), index + 2 < source.count,
            let byte = UInt8(String(decoding: source[index + 1...index + 2], as: UTF8.self), radix: 16)
        {
            bytes.append(byte)
            index += 3
        } else {
            bytes.append(source[index])
            index += 1
        }
    }
    return String(decoding: bytes, as: UTF8.self)
}
