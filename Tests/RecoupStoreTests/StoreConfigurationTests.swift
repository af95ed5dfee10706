import RecoupStore
import Testing

@Suite("Choosing the database: flag, then environment, then default")
struct StoreConfigurationTests {
    static let postgresURL = "postgres://recoup:secret@db.invalid:5432/recoup"

    @Test("--database wins over DATABASE_URL, which wins over recoup.sqlite")
    func precedence() throws {
        // Flag and variable both set: the flag decides.
        #expect(
            try StoreConfiguration.resolve(
                databasePath: "/tmp/x.sqlite", environment: ["DATABASE_URL": Self.postgresURL])
                == .sqliteFile(path: "/tmp/x.sqlite"))
        // Only the variable.
        #expect(
            try StoreConfiguration.resolve(databasePath: nil, environment: ["DATABASE_URL": Self.postgresURL])
                == .postgres(url: Self.postgresURL, searchPath: nil))
        // Neither, or an empty variable: the default file.
        #expect(
            try StoreConfiguration.resolve(databasePath: nil, environment: [:]) == .sqliteFile(path: "recoup.sqlite"))
        #expect(
            try StoreConfiguration.resolve(databasePath: nil, environment: ["DATABASE_URL": ""])
                == .sqliteFile(path: "recoup.sqlite"))
    }

    @Test("a malformed DATABASE_URL is refused when it is used, and not read when --database overrides it")
    func malformedURL() throws {
        #expect(
            throws: StoreConfigurationError.malformedDatabaseURL("mysql://x", reason: "it must start with postgres://")
        ) {
            try StoreConfiguration.resolve(databasePath: nil, environment: ["DATABASE_URL": "mysql://x"])
        }
        #expect(
            try StoreConfiguration.resolve(databasePath: "a.sqlite", environment: ["DATABASE_URL": "mysql://x"])
                == .sqliteFile(path: "a.sqlite"))
        #expect(throws: StoreConfigurationError.emptyDatabasePath) {
            try StoreConfiguration.resolve(databasePath: "", environment: ["DATABASE_URL": Self.postgresURL])
        }
    }
}
