import Fluent
import Leaf
import LeafKit
import RecoupStore
import SQLKit
import Vapor

/// Sets up the application: database and migrations, error shape, views, routes.
public func configure(_ app: Application, settings: ServerSettings) async throws {
    app.settings = settings
    app.dashboardCache = DashboardCache()
    app.listTotalsCache = ListTotalsCache()
    app.loginThrottle = LoginThrottle()
    app.passwords.use(.bcrypt(cost: settings.passwordCost))
    app.absentUserHash = try Bcrypt.hash(UUID().uuidString, cost: settings.passwordCost)
    app.tokenCache = TokenCache()
    app.databases.use(settings.store.databaseFactory(), as: .recoup, isDefault: true)
    await settings.store.prepare(app.db as! any SQLDatabase)
    app.migrations.add(RecoupMigrations.all, to: .recoup)
    try await app.autoMigrate()

    app.middleware = .init()
    // One line per request at debug level (RECOUP_LOG_LEVEL / LOG_LEVEL=debug shows them): at info, writing the
    // line costs more than answering a compliance check.
    app.middleware.use(RouteLoggingMiddleware(logLevel: .debug))
    // Outside the error middleware, so that error responses carry the security headers too.
    app.middleware.use(SecurityHeadersMiddleware(servedOverTLS: app.http.server.configuration.tlsConfiguration != nil))
    app.middleware.use(JSONErrorMiddleware())
    app.middleware.use(AuditMiddleware())

    app.views.use(.leaf)
    // The views ship inside the build folder (.build/…), so the "no hidden paths" limit is left out.
    app.leaf.sources = .singleSource(
        NIOLeafFiles(
            fileio: app.fileio, limits: [.toSandbox, .requireExtensions],
            sandboxDirectory: ResourcePaths.viewsDirectory,
            viewDirectory: ResourcePaths.viewsDirectory))
    app.leaf.cache.isEnabled = app.environment.isRelease
    Navigation.register(on: app)

    try routes(app)
}

/// Registers every route.
func routes(_ app: Application) throws {
    // The one stylesheet, served from memory (a file middleware would look at the disk on every request).
    app.get("recoup.css") { _ -> Response in
        let response = Response(status: .ok, body: .init(data: Stylesheet.data))
        response.headers.contentType = .css
        response.headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=300")
        return response
    }
    try app.register(collection: LoginController())
    let pages = app.grouped(SessionAuthenticationMiddleware())
    try pages.register(collection: DashboardController())
    try pages.register(collection: DebtPagesController())
    try pages.register(collection: QueuePageController())
    try pages.register(collection: AdminPagesController())
    try pages.register(collection: RunsPage())
    try pages.register(collection: AgencyReportPages())
    try pages.register(collection: OutboxPageController())
    try pages.register(collection: TemplatePageController())
    try pages.register(collection: AgencyPlacementsPage())
    try pages.register(collection: AgencyContractPage())
    try pages.register(collection: RemittancesPage())
    // A placement file is larger than what Vapor collects by itself: the body is collected before the session's CSRF
    // check reads the form.
    AgencyPlacementsPage().bootUpload(
        routes: app.grouped(CollectedBody(limit: AgencyPlacementsPage.uploadLimit), SessionAuthenticationMiddleware()))
    try app.register(collection: PortalController())
    try app.register(collection: OptOutController())
    // The API's operations, generated from Sources/RecoupAPI/openapi.yaml (docs/api.md), and /health.
    try APIRoutes.register(on: app, api: app.grouped(BearerAuthenticationMiddleware()))
}

/// The stylesheet's bytes, read once.
enum Stylesheet {
    static let data: Data = FileManager.default.contents(atPath: ResourcePaths.publicDirectory + "recoup.css") ?? Data()
}

/// The body of `GET /health` (the API document's `Health`), for callers that read it with Vapor's decoder.
struct HealthResponse: Content {
    var status: String
}

/// Where the bundled views and static files are (SwiftPM copies `Assets/` into the module's resource bundle).
enum ResourcePaths {
    static var assetsDirectory: String {
        if let url = Bundle.module.url(forResource: "Assets", withExtension: nil) { return url.path + "/" }
        return FileManager.default.currentDirectoryPath + "/Sources/RecoupServer/Assets/"
    }
    static var viewsDirectory: String { assetsDirectory + "Views/" }
    static var publicDirectory: String { assetsDirectory + "Public/" }
}
