import Foundation
import RecoupCore
import RecoupStore
import Vapor

/// Everything the web application needs to know at start-up, read once.
public struct ServerSettings: Sendable {
    /// The database to use.
    public var store: StoreConfiguration
    /// The zone whose calendar decides "today" for pages that default to today.
    public var businessTimeZone: TimeZone
    /// The clock; tests fix it.
    public var clock: @Sendable () -> Date
    /// The proxies whose `X-Forwarded-For` and `X-Forwarded-Proto` are believed (`--trusted-proxy`); none by default.
    public var trustedProxies: TrustedProxies
    /// Where people outside reach this server (`--public-url`, `RECOUP_PUBLIC_URL`), for whole links such as a
    /// debtor's portal link; nil to build them from each request's address (`PublicBaseURL.forLinks`).
    public var publicURL: PublicBaseURL?
    /// Where placement files for agencies are written (`RECOUP_PLACEMENTS_DIR`, else `placements/` beside the SQLite
    /// database or in the working directory; `PlacementsDirectory`).
    public var placementsDirectory: URL
    /// The shared secret that signs what delivery services send back (`RECOUP_INBOUND_SECRET`): the HMAC-SHA256 of a
    /// request's body under it is the `X-Recoup-Signature` of `/api/v1/inbound/…`; nil turns those endpoints off (503).
    public var inboundSecret: String? = nil
    /// Bcrypt's cost for passwords set through the pages and for sign-in's stand-in check of an unknown email (12,
    /// about a quarter of a second); tests lower it.
    public var passwordCost: Int = 12

    /// Today's date in the business zone, by the clock.
    public var today: LocalDate { LocalDate(clock(), in: businessTimeZone) }

    /// Makes settings.
    public init(
        store: StoreConfiguration, businessTimeZone: TimeZone = TimeZone(identifier: "UTC")!,
        clock: @escaping @Sendable () -> Date = { Date() }, trustedProxies: TrustedProxies = .none,
        publicURL: PublicBaseURL? = nil, placementsDirectory: URL? = nil
    ) {
        self.store = store
        self.businessTimeZone = businessTimeZone
        self.clock = clock
        self.trustedProxies = trustedProxies
        self.publicURL = publicURL
        self.placementsDirectory = placementsDirectory ?? PlacementsDirectory.resolve(store: store)
    }
}

extension Application {
    private struct SettingsKey: StorageKey {
        typealias Value = ServerSettings
    }

    /// The settings `configure` was given.
    public var settings: ServerSettings {
        get {
            guard let settings = storage[SettingsKey.self] else { fatalError("configure(_:settings:) was not called") }
            return settings
        }
        set { storage[SettingsKey.self] = newValue }
    }
}
