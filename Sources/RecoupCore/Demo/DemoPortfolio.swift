/// A realistic, deterministic demo portfolio: several clients, consumer and commercial debtors across US
/// states and time zones, a spread of days past due, partial payments and a few disputes.
public struct DemoPortfolio: Sendable {
    /// One client of the demo and its debts.
    public struct Client: Sendable {
        /// The client's reference.
        public var ref: String
        /// The client's name.
        public var name: String
        /// Its debts.
        public var debts: [DebtRecord]
        /// Its contact details and how to pay (`recoup client profile`), as an admin would type them.
        public var profile: ClientProfileUpdate
    }

    /// The clients with their debts.
    public var clients: [Client]

    /// Generates `accounts` debts as of `today` (dates are spread before it), the same for the same seed.
    public static func generate(accounts: Int, seed: UInt64, today: LocalDate) -> DemoPortfolio {
        var random = SeededGenerator(seed: seed)
        var clients = profiles.map { Client(ref: $0.ref, name: $0.name, debts: [], profile: $0.contact) }
        for index in 0..<max(0, accounts) {
            let clientIndex = index % profiles.count
            let profile = profiles[clientIndex]
            let record = makeDebt(number: index + 1, profile: profile, today: today, random: &random)
            clients[clientIndex].debts.append(record)
        }
        return DemoPortfolio(clients: clients.filter { !$0.debts.isEmpty })
    }

    /// All debts, client by client.
    public var debtCount: Int { clients.reduce(0) { $0 + $1.debts.count } }

    private struct Profile {
        let ref: String
        let name: String
        let kind: DebtorKind
        let prefix: String
        let minimum: Int64
        let maximum: Int64
        let originalCreditor: String?
        /// Phone numbers are in the 555-0100 to 555-0199 range set aside for fiction; domains are `.example`.
        let contact: ClientProfileUpdate
    }

    private static let profiles = [
        Profile(
            ref: "harbor-dental", name: "Harbor Dental Group", kind: .consumer, prefix: "HD", minimum: 8_000,
            maximum: 240_000, originalCreditor: nil,
            contact: ClientProfileUpdate(
                phone: "(617) 555-0142", email: "billing@harbordental.example", website: "https://harbordental.example",
                address: "Harbor Dental Group\n200 Atlantic Avenue, Suite 310\nBoston, MA 02110",
                paymentInstructions:
                    "Pay by card at the front desk or over the phone, Monday to Friday 8am to 5pm. Checks payable to "
                    + "Harbor Dental Group can be mailed to the address below; please write your account number on it.",
                paymentLink: "https://pay.harbordental.example/statements")),
        Profile(
            ref: "northwind-supply", name: "Northwind Supply Co.", kind: .commercial, prefix: "NW", minimum: 25_000,
            maximum: 1_500_000, originalCreditor: nil,
            contact: ClientProfileUpdate(
                phone: "(312) 555-0190", email: "receivables@northwindsupply.example",
                website: "https://northwindsupply.example",
                address: "Northwind Supply Co.\nAccounts Receivable\n1400 W Fulton Market\nChicago, IL 60607",
                paymentInstructions:
                    "Pay by ACH or wire to the bank account printed on your invoice, or mail a check payable to "
                    + "Northwind Supply Co. Please quote the invoice number with every payment.")),
        Profile(
            ref: "citylight-utilities", name: "CityLight Utilities", kind: .consumer, prefix: "CL", minimum: 4_000,
            maximum: 90_000, originalCreditor: nil,
            contact: ClientProfileUpdate(
                phone: "(512) 555-0123", email: "care@citylight.example", website: "https://citylight.example",
                address: "CityLight Utilities\nPO Box 4410\nAustin, TX 78765",
                paymentInstructions:
                    "Pay online or by phone at any time, or in person at any CityLight payment center. Mail checks to "
                    + "the PO box below.",
                paymentLink: "https://citylight.example/pay")),
        Profile(
            ref: "summit-fitness", name: "Summit Fitness Clubs", kind: .consumer, prefix: "SF", minimum: 3_000,
            maximum: 60_000, originalCreditor: "Peak Health Finance LLC",
            contact: ClientProfileUpdate(
                phone: "(303) 555-0177", email: "memberbilling@summitfitness.example",
                website: "https://summitfitness.example",
                address: "Summit Fitness Clubs\nMember Billing\n1600 Market Street\nDenver, CO 80202",
                paymentInstructions: "Pay at any club's front desk, or online with your member number.",
                paymentLink: "https://summitfitness.example/billing")),
    ]

    private struct Place {
        let state: String
        let city: String
        let postalCode: String
        let areaCode: String
        let zone: String
    }

    private static let places = [
        Place(state: "MA", city: "Boston", postalCode: "02118", areaCode: "617", zone: "America/New_York"),
        Place(state: "NY", city: "Buffalo", postalCode: "14201", areaCode: "716", zone: "America/New_York"),
        Place(state: "FL", city: "Tampa", postalCode: "33602", areaCode: "813", zone: "America/New_York"),
        Place(state: "GA", city: "Atlanta", postalCode: "30303", areaCode: "404", zone: "America/New_York"),
        Place(state: "IL", city: "Chicago", postalCode: "60601", areaCode: "312", zone: "America/Chicago"),
        Place(state: "TX", city: "Austin", postalCode: "78701", areaCode: "512", zone: "America/Chicago"),
        Place(state: "TX", city: "El Paso", postalCode: "79901", areaCode: "915", zone: "America/Denver"),
        Place(state: "CO", city: "Denver", postalCode: "80202", areaCode: "303", zone: "America/Denver"),
        Place(state: "AZ", city: "Phoenix", postalCode: "85004", areaCode: "602", zone: "America/Phoenix"),
        Place(state: "CA", city: "Oakland", postalCode: "94612", areaCode: "510", zone: "America/Los_Angeles"),
        Place(state: "WA", city: "Seattle", postalCode: "98101", areaCode: "206", zone: "America/Los_Angeles"),
        Place(state: "AK", city: "Anchorage", postalCode: "99501", areaCode: "907", zone: "America/Anchorage"),
        Place(state: "HI", city: "Honolulu", postalCode: "96813", areaCode: "808", zone: "Pacific/Honolulu"),
    ]

    private static let givenNames = [
        "Pat", "Maria", "James", "Aisha", "Wei", "Carlos", "Emily", "Noah", "Fatima", "Liam", "Sofia", "Ethan",
        "Grace", "Mateo", "Olivia", "Hiroshi", "Amara", "Lucas", "Zoe", "Daniel",
    ]
    private static let familyNames = [
        "Rivera", "Nguyen", "Okafor", "Smith", "Kowalski", "Haddad", "Chen", "Johnson", "Garcia", "Brown",
        "Murphy", "Patel", "Silva", "Kim", "Novak", "Baker", "Cohen", "Moreau", "Tanaka", "Walker",
    ]
    private static let companyWords = [
        "Apex", "Bluebird", "Cedar", "Delta", "Evergreen", "Foundry", "Granite", "Harbor", "Ironwood", "Juniper",
    ]
    private static let companyKinds = ["Builders", "Logistics", "Catering", "Print Works", "Auto Repair", "Design"]
    private static let streets = ["Main St", "Oak Ave", "Maple Dr", "Elm St", "Park Rd", "Lake View Blvd"]

    private static func makeDebt(
        number: Int, profile: Profile, today: LocalDate, random: inout SeededGenerator
    ) -> DebtRecord {
        let place = places[Int.random(in: 0..<places.count, using: &random)]
        let debtorNumber = 1 + Int.random(in: 0..<max(1, number), using: &random) / 2  // some debtors owe twice
        let name: String
        if profile.kind == .consumer {
            let given = givenNames[(debtorNumber * 7) % givenNames.count]
            let family = familyNames[(debtorNumber * 13) % familyNames.count]
            name = "\(given) \(family)"
        } else {
            let word = companyWords[(debtorNumber * 3) % companyWords.count]
            let kind = companyKinds[(debtorNumber * 5) % companyKinds.count]
            name = "\(word) \(kind) Inc."
        }
        let line = String(1000 + (debtorNumber * 37) % 9000)
        let phone = try? Phone(
            number: "+1\(place.areaCode)555\(line)", type: profile.kind == .consumer ? .mobile : .work)
        let email = name.lowercased().filter { $0.isLetter || $0 == " " }.replacingSpaces(with: ".") + "@example.com"
        let debtor = DebtorRecord(
            ref: "\(profile.prefix)-C\(debtorNumber)", kind: profile.kind, name: name, phones: phone.map { [$0] } ?? [],
            emails: [email],
            addresses: [
                PostalAddress(
                    type: profile.kind == .consumer ? .home : .work,
                    line1: "\(10 + debtorNumber % 980) \(streets[debtorNumber % streets.count])", city: place.city,
                    state: place.state, postalCode: place.postalCode, country: "US")
            ],
            // Half the debtors have a recorded zone; the rest are inferred from phone and address.
            timeZones: debtorNumber % 2 == 0 ? [place.zone] : [])
        // Days past due spread from not yet due to well over 90, weighted toward the recent.
        let ageRoll = Int.random(in: 0..<100, using: &random)
        let daysPastDue: Int
        switch ageRoll {
        case 0..<20: daysPastDue = Int.random(in: -20...0, using: &random)
        case 20..<55: daysPastDue = Int.random(in: 1...30, using: &random)
        case 55..<75: daysPastDue = Int.random(in: 31...60, using: &random)
        case 75..<87: daysPastDue = Int.random(in: 61...90, using: &random)
        default: daysPastDue = Int.random(in: 91...400, using: &random)
        }
        let dueDate = today.adding(days: -daysPastDue)
        let chargedOn = dueDate.adding(days: -30)
        let principal = Int64.random(in: profile.minimum...profile.maximum, using: &random)
        var charged = ComponentAmounts(principal: principal)
        if daysPastDue > 30 && profile.kind == .consumer && Int.random(in: 0..<3, using: &random) == 0 {
            charged.fees = 2_500
        }
        if daysPastDue > 60 && profile.kind == .commercial {
            charged.interest = principal * Int64(daysPastDue) * 8 / 100 / 365  // 8% a year, simple
        }
        var payments: [PaymentRecord] = []
        let paymentRoll = Int.random(in: 0..<100, using: &random)
        let today = max(chargedOn, today)
        if paymentRoll < 25 {
            // A partial payment somewhere between the charge and today.
            let span = max(0, today.days(since: chargedOn))
            let date = chargedOn.adding(days: Int.random(in: 0...span, using: &random))
            let amount = max(1, charged.total * Int64.random(in: 10...60, using: &random) / 100)
            payments.append(PaymentRecord(date: date, amount: amount))
        } else if paymentRoll < 32 && daysPastDue > 0 {
            // Paid in full after falling behind.
            let date = dueDate.adding(days: Int.random(in: 1...max(1, daysPastDue), using: &random))
            payments.append(PaymentRecord(date: min(date, today), amount: charged.total))
        }
        return DebtRecord(
            line: number, ref: "\(profile.prefix)-\(String(100_000 + number))", debtor: debtor,
            originalCreditor: profile.originalCreditor, currency: .usd, chargedOn: chargedOn, dueDate: dueDate,
            itemizationDate: profile.kind == .consumer ? dueDate : nil, charged: charged, payments: payments,
            isDisputed: Int.random(in: 0..<100, using: &random) < 3)
    }
}

extension String {
    fileprivate func replacingSpaces(with separator: String) -> String {
        split(separator: " ").joined(separator: separator)
    }
}
