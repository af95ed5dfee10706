import ArgumentParser
import Foundation
import NIOCore
import RecoupCore
import RecoupStore
import Vapor

/// `recoup serve [--hostname H] [--port P] [--demo] [--trusted-proxy ADDRESS]… [--public-url URL]`.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Serve the web UI and the JSON API.")

    @ArgumentParser.Option(name: .long, help: "The address to listen on.")
    var hostname = "127.0.0.1"

    @ArgumentParser.Option(name: .long, help: "The port to listen on.")
    var port = 8080

    @ArgumentParser.Flag(name: .long, help: "Load the demo portfolio first when the database is empty.")
    var demo = false

    @ArgumentParser.Option(name: .long, help: "IANA zone whose calendar decides today's date on pages (default UTC).")
    var timeZone = "UTC"

    @ArgumentParser.Option(
        name: .customLong("trusted-proxy"),
        help: """
            A proxy (IP address or CIDR range, like 10.0.0.0/8 or ::1) whose X-Forwarded-For and X-Forwarded-Proto \
            are believed; repeatable. Default: RECOUP_TRUSTED_PROXIES (comma-separated), else none.
            """)
    var trustedProxies: [String] = []

    @ArgumentParser.Option(
        name: .customLong("public-url"),
        help: """
            The address people open Recoup at (https://recoup.example.com), for whole links such as a debtor's \
            portal link. Default: RECOUP_PUBLIC_URL, else the address each request came to.
            """)
    var publicURL: String?

    @ArgumentParser.Option(
        name: .customLong("deliver-every"),
        help: """
            Deliver the outbox's due messages every this many seconds, as recoup outbox send does (0: never). \
            Default: RECOUP_DELIVER_EVERY, else 60.
            """)
    var deliverEvery: String?

    @OptionGroup var databaseOptions: DatabaseOptions

    func validate() throws {
        guard (1...65535).contains(port) else { throw ValidationError("--port must be between 1 and 65535") }
    }

    func run() async throws {
        let zone = try TimeZone.named(timeZone)
        let proxies: TrustedProxies
        do {
            proxies = try TrustedProxies.resolve(
                options: trustedProxies, environment: ProcessInfo.processInfo.environment)
        } catch let error as TrustedProxyError {
            throw InputError(error.description)
        }
        let variables = ProcessInfo.processInfo.environment
        let publicBase = try PublicBaseURL.resolve(option: publicURL, environment: variables)
        var settings = ServerSettings(
            store: try databaseOptions.configuration(), businessTimeZone: zone, trustedProxies: proxies,
            publicURL: publicBase)
        if let secret = variables["RECOUP_INBOUND_SECRET"], !secret.isEmpty {
            guard secret.utf8.count >= 16 else {
                throw InputError(
                    "RECOUP_INBOUND_SECRET is too short; give at least 16 characters (32 random ones are best)")
            }
            settings.inboundSecret = secret
        }
        let delivery = try BackgroundDelivery.interval(option: deliverEvery, environment: variables).map {
            BackgroundDelivery(
                interval: $0,
                transports: try MessageServices.configured(
                    environment: variables, store: settings.store, publicURL: publicBase))
        }
        var environment = try Environment.detect(arguments: ["recoup"])
        environment.arguments = ["recoup", "serve", "--hostname", hostname, "--port", String(port)]
        try LoggingSystem.bootstrap(from: &environment)
        let app = try await Application.make(environment)
        do {
            try await configure(app, settings: settings)
            if demo { try await loadDemo(app, today: LocalDate(Date(), in: zone)) }
            // Listen first: a port in use ends here, before anything says the server runs or works in the background.
            try await app.startup()
            DashboardController.warm(app)
            print("Recoup is running at http://\(hostname):\(port)/ (\(settings.store)). Press Ctrl-C to stop.")
            if let publicBase { print("Links for debtors start with \(publicBase.url("/")).") }
            var deliveryTask: Task<Void, Never>?
            if let delivery {
                let channels = delivery.transports.map(\.channel.rawValue).joined(separator: ", ")
                print("Delivering the outbox every \(delivery.interval.components.seconds) s (\(channels)).")
                let database = app.db
                let logger = app.logger
                deliveryTask = Task { await delivery.run(on: database, logger: logger) }
            }
            defer { deliveryTask?.cancel() }
            if !proxies.isEmpty {
                print(
                    "X-Forwarded-For and X-Forwarded-Proto are believed only from \(proxies.ranges.map(\.description).joined(separator: ", "))."
                )
            }
            try await app.running?.onStop.get()
            try await app.asyncShutdown()
        } catch {
            try? await app.asyncShutdown()
            throw listeningError(error) ?? error
        }
    }

    /// One sentence for a server that cannot listen where it was asked to (the port taken, a privileged port, an
    /// address this machine does not have); nil for any other error.
    func listeningError(_ error: any Error) -> InputError? {
        guard let error = error as? IOError else { return nil }
        switch error.errnoCode {
        case EADDRINUSE:
            return InputError("port \(port) is already in use; stop the other server or choose another with --port")
        case EACCES:
            return InputError("port \(port) needs administrator rights on this machine; choose another with --port")
        case EADDRNOTAVAIL:
            return InputError(
                "--hostname \(hostname) is not an address of this machine; use 127.0.0.1, 0.0.0.0 or one of its addresses"
            )
        default: return nil
        }
    }

    private func loadDemo(_ app: Application, today: LocalDate) async throws {
        let email = "admin@demo.recoup"
        guard try await DemoLoader.isEmpty(app.db) else {
            print("The database already holds debts, so the demo portfolio was not loaded.")
            if try await UserStore.user(email: email, on: app.db) != nil {
                print(
                    "Sign in as \(email) with the password shown when the demo was loaded; to set a new one: "
                        + "recoup user password \(email) --password-stdin")
            }
            return
        }
        let outcome = try await DemoLoader.load(accounts: 400, seed: 2026, today: today, on: app.db, now: Date())
        print("Loaded the demo portfolio: \(outcome.imported) debts across \(outcome.clients) clients.")
        // A demo admin with a fresh random password, shown once (only its bcrypt hash is stored).
        if try await UserStore.user(email: email, on: app.db) == nil {
            let password = String(UserStore.randomSecret().prefix(16))
            _ = try await UserStore.add(
                email: email, role: .admin, clientRef: nil, passwordHash: try Bcrypt.hash(password), on: app.db,
                now: Date())
            print("Sign in at http://\(hostname):\(port)/login as \(email) with the password \(password)")
        }
        print(
            "Add people with: recoup user add EMAIL --role admin|manager|collector|client [--client REF] --password-stdin"
        )
    }
}
