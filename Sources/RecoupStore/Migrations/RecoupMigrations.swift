import FluentKit

/// Every migration, in the order it is applied. Append only: never edit or reorder a shipped migration.
public enum RecoupMigrations {
    /// The list.
    public static let all: [any Migration] = [
        M001CreateClients(),
        M002CreateDebtors(),
        M003CreateContactPoints(),
        M004CreateImportBatches(),
        M005CreateDebts(),
        M006CreateLedgerEntries(),
        M007CreateContactEvents(),
        M008AddPaymentDetails(),
        M009CreateArrangements(),
        M010CreateUsers(),
        M011CreateSearchTerms(),
        M012CreateDebtSegments(),
        M013AddTokenExpiry(),
        M014IndexSearchTermsByDebtor(),
        M015AddUserDisabledAt(),
        M016CreateFormSubmissions(),
        M017AddClientProfiles(),
        M018AddDebtListSortKeys(),
        M019ImportWritesDebtBalances(),
        M020AddContactCallbacks(),
        M021CreateStrategyRuns(),
        M022IndexWorkQueueLookups(),
        M023AddOutboxDelivery(),
        M024CreateInstallationSecrets(),
        M025AddUndeliverableContactPoints(),
        M026CreateMessageTemplates(),
        M027CreateAgencyOperations(),
        M028IndexAgencyReports(),
        M029AddTrustCollections(),
    ]
}
