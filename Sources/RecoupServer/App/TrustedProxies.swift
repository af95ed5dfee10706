import Foundation

/// The proxies whose `X-Forwarded-For` and `X-Forwarded-Proto` headers Recoup believes. Anyone can send those
/// headers, so from any other peer they are ignored: otherwise a new `X-Forwarded-For` per attempt would escape the
/// login throttle and write whatever address the sender likes into the audit trail.
public struct TrustedProxies: Sendable, Equatable {
    /// The ranges, IPv4 ones held as IPv4-mapped IPv6 (`::ffff:a.b.c.d`) so that one comparison serves both.
    public private(set) var ranges: [IPAddressRange]

    /// No proxy is trusted: the client is always the peer.
    public static let none = TrustedProxies(ranges: [])

    /// Makes the list from ranges.
    public init(ranges: [IPAddressRange]) {
        self.ranges = ranges
    }

    /// Reads addresses and CIDR ranges (`10.0.0.0/8`, `::1`), each value possibly a comma-separated list; blank
    /// items are skipped. Throws `TrustedProxyError` naming the first value that is not an address or range.
    public init(parsing values: [String]) throws {
        var ranges: [IPAddressRange] = []
        for value in values {
            for item in value.split(separator: ",", omittingEmptySubsequences: false) {
                let text = item.trimmingCharacters(in: .whitespaces)
                if text.isEmpty { continue }
                guard let range = IPAddressRange(text) else { throw TrustedProxyError(value: text) }
                ranges.append(range)
            }
        }
        self.ranges = ranges
    }

    /// The serve command's layered setting: the `--trusted-proxy` values when any are given, else the
    /// comma-separated `RECOUP_TRUSTED_PROXIES`, else none.
    public static func resolve(options: [String], environment: [String: String]) throws -> TrustedProxies {
        if !options.isEmpty { return try TrustedProxies(parsing: options) }
        return try TrustedProxies(parsing: [environment["RECOUP_TRUSTED_PROXIES"] ?? ""])
    }

    /// True when no proxy is trusted.
    public var isEmpty: Bool { ranges.isEmpty }

    /// True when the address (text, as a peer or a forwarded entry) is one of the trusted proxies.
    public func contains(_ address: String) -> Bool {
        guard !ranges.isEmpty, let parsed = IPAddress(forwarded: address) else { return false }
        return contains(parsed)
    }

    func contains(_ address: IPAddress) -> Bool {
        ranges.contains { $0.contains(address) }
    }

    /// The client's address: the peer's, unless the peer is a trusted proxy; then the right-most `X-Forwarded-For`
    /// entry that is not itself a trusted proxy (each proxy appends the address it was reached from, so entries to
    /// the left of that one were written by the client and prove nothing). An entry that is not an address stops the
    /// walk at the last trusted hop.
    public func clientAddress(peer: String?, forwardedFor: [String]) -> String? {
        guard let peer, !ranges.isEmpty, contains(peer) else { return peer }
        var client = peer
        for line in forwardedFor.reversed() {
            for entry in line.split(separator: ",").reversed() {
                let text = entry.trimmingCharacters(in: .whitespaces)
                guard let address = IPAddress(forwarded: text) else { return client }
                client = address.description
                if !contains(address) { return client }
            }
        }
        return client
    }

    /// True when the peer is a trusted proxy whose (last) `X-Forwarded-Proto` is `https`.
    public func forwardsTLS(peer: String?, forwardedProto: String?) -> Bool {
        guard let forwardedProto, !ranges.isEmpty, let peer, contains(peer) else { return false }
        let last = forwardedProto.split(separator: ",").last?.trimmingCharacters(in: .whitespaces) ?? ""
        return last.lowercased() == "https"
    }
}

/// A `--trusted-proxy` or `RECOUP_TRUSTED_PROXIES` value that is not an address or a CIDR range.
public struct TrustedProxyError: Error, CustomStringConvertible {
    /// The value as given.
    public var value: String

    public var description: String {
        "the trusted proxy \"\(value)\" is not an IP address or a CIDR range (like 10.0.0.0/8, 192.168.1.5 or ::1)"
    }
}

/// An IPv4 or IPv6 address as 128 bits; IPv4 addresses are IPv4-mapped (`::ffff:a.b.c.d`).
public struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    var high: UInt64
    var low: UInt64

    static let mappedPrefix: UInt64 = 0x0000_ffff_0000_0000

    /// Parses an IPv4 (`203.0.113.7`) or IPv6 (`2001:db8::1`) address.
    public init?(_ text: String) {
        if text.contains(":") {
            var storage = in6_addr()
            guard inet_pton(AF_INET6, text, &storage) == 1 else { return nil }
            let bytes = withUnsafeBytes(of: storage) { Array($0) }
            high = bytes[0..<8].reduce(0) { $0 << 8 | UInt64($1) }
            low = bytes[8..<16].reduce(0) { $0 << 8 | UInt64($1) }
        } else {
            var storage = in_addr()
            guard inet_pton(AF_INET, text, &storage) == 1 else { return nil }
            let bytes = withUnsafeBytes(of: storage) { Array($0) }
            high = 0
            low = Self.mappedPrefix | bytes.reduce(0) { $0 << 8 | UInt64($1) }
        }
    }

    /// Parses an address as proxies write it in `X-Forwarded-For`: also `[2001:db8::1]`, `[2001:db8::1]:443` and
    /// `203.0.113.7:443`.
    init?(forwarded text: String) {
        if let address = IPAddress(text) {
            self = address
            return
        }
        if text.hasPrefix("["), let end = text.firstIndex(of: "]") {
            self.init(String(text[text.index(after: text.startIndex)..<end]))
        } else if let colon = text.firstIndex(of: ":"), text.lastIndex(of: ":") == colon {
            self.init(String(text[..<colon]))
        } else {
            return nil
        }
    }

    /// True for an IPv4 address.
    public var isIPv4: Bool { high == 0 && low >> 32 == 0xffff }

    public var description: String {
        if isIPv4 {
            return (0..<4).map { String((low >> (24 - 8 * $0)) & 0xff) }.joined(separator: ".")
        }
        var storage = in6_addr()
        withUnsafeMutableBytes(of: &storage) { bytes in
            for index in 0..<8 {
                bytes[index] = UInt8((high >> (56 - 8 * index)) & 0xff)
                bytes[8 + index] = UInt8((low >> (56 - 8 * index)) & 0xff)
            }
        }
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        guard inet_ntop(AF_INET6, &storage, &text, socklen_t(text.count)) != nil else { return "::" }
        return String(cString: text)
    }
}

/// An address and a prefix length: `10.0.0.0/8`, `fd00::/8`, or one address (`::1`, `192.168.1.5`).
public struct IPAddressRange: Sendable, Equatable, CustomStringConvertible {
    var network: IPAddress
    /// Prefix length in the 128-bit space (an IPv4 `/8` is `/104`).
    var length: Int

    /// Parses `ADDRESS` or `ADDRESS/LENGTH` (0–32 for IPv4, 0–128 for IPv6). Bits after the prefix are ignored.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let address = IPAddress(String(parts[0])) else { return nil }
        let maximum = address.isIPv4 ? 32 : 128
        var length = maximum
        if parts.count == 2 {
            guard let given = Int(parts[1]), (0...maximum).contains(given), parts[1].allSatisfy(\.isASCII) else {
                return nil
            }
            length = given
        }
        self.length = length + (address.isIPv4 ? 96 : 0)
        let (highMask, lowMask) = Self.masks(self.length)
        network = address
        network.high &= highMask
        network.low &= lowMask
    }

    /// True when the address is in the range.
    public func contains(_ address: IPAddress) -> Bool {
        let (highMask, lowMask) = Self.masks(length)
        return address.high & highMask == network.high && address.low & lowMask == network.low
    }

    private static func masks(_ length: Int) -> (UInt64, UInt64) {
        let high: UInt64 = length >= 64 ? .max : (length == 0 ? 0 : ~0 << (64 - length))
        let low: UInt64 = length <= 64 ? 0 : (length == 128 ? .max : ~0 << (128 - length))
        return (high, low)
    }

    public var description: String {
        "\(network)/\(network.isIPv4 ? length - 96 : length)"
    }
}
