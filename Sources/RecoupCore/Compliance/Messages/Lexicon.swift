/// Word lists shared by the rules.
enum Lexicon {
    /// Capitalised words that are not names of people or businesses.
    static let commonCapitals = [
        "The", "This", "That", "These", "Those", "It", "Its", "It's", "We", "We're", "You", "Your", "You're", "Our",
        "They",
        "He", "She", "His", "Her", "Their", "A", "An", "I", "I'm", "My", "Me", "Us", "Please", "Thank", "Thanks", "Hi",
        "Hello", "Hey", "Dear", "Good", "Important", "Urgent", "Final", "Not", "Re", "Regarding", "About", "STOP",
        "Reply",
        "Call", "Text", "Email", "If", "To", "For", "And", "Or", "But", "As", "At", "In", "On", "Of", "From", "With",
        "By",
        "Any", "All", "No", "Yes", "So", "Now", "Today", "Tomorrow", "Tonight", "Here", "There", "What", "When",
        "Where",
        "Who", "Why", "How", "Again", "Just", "Also", "Only", "Very", "Calling", "Writing", "Sincerely", "Regards",
        "Notice", "Note", "Balance", "Amount", "Account", "Payment", "Pay", "Total", "Due", "Sir", "Madam", "Mr", "Mrs",
        "Ms",
        "Dr", "Customer", "Consumer", "Valued",
    ]
    /// Days, months and times of day, which follow "from" and "at" without being businesses.
    static let calendarWords = [
        "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "Mon", "Tue", "Tues", "Wed",
        "Thu",
        "Thur", "Thurs", "Fri", "Sat", "Sun", "January", "February", "March", "April", "May", "June", "July", "August",
        "September", "October", "November", "December", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept",
        "Oct", "Nov", "Dec", "AM", "PM", "Noon", "Midnight", "Weekend", "Weekday", "Weekdays",
    ]
    /// Words that end a business name.
    static let businessSuffixes = [
        "Services", "Service", "Group", "Associates", "Company", "Co", "Inc", "Incorporated", "LLC", "LLP", "Ltd",
        "Corp",
        "Corporation", "Recovery", "Financial", "Solutions", "Partners", "Management", "Agency", "Collections", "Bank",
        "Enterprises", "Holdings", "Resources", "Systems", "Credit", "Capital", "Funding", "Receivables", "Consulting",
        "International",
    ]
    /// Words that head the first line of a message without naming the sender.
    static let headerWords = [
        "Subject", "Date", "Fwd", "Fw", "Note", "Notice", "Reminder", "Balance", "Amount", "Account", "Creditor",
        "Original",
        "Current", "Total", "Due", "Ref", "Reference", "Alert", "Warning", "Attention", "Attn", "Message", "Payment",
        "Pay",
        "Important", "Urgent", "Final", "Re", "Dear", "Hi", "Hello",
    ]
    /// Abbreviations whose full stop does not end a sentence.
    static let abbreviations = [
        "mr", "mrs", "ms", "dr", "jr", "sr", "st", "inc", "co", "corp", "ltd", "no", "vs", "etc", "dept", "ave", "blvd",
        "approx", "acct", "ref",
    ]

    /// Punctuation that ends a clause for negation.
    static let clauseMarks: Set<String> = [";", ":", "(", ")"]

    /// Words that negate, besides any contraction ending in n't.
    static let negators: Set<String> = [
        "not", "never", "no", "cannot", "cant", "wont", "dont", "nor", "neither", "without", "nobody", "none",
    ]

    /// Words after which the words before a phrase no longer negate it.
    static let clauseBoundaries: Set<String> = [
        "but", "however", "or", "otherwise", "unless", "although", "though", "yet", "else",
    ]

    /// Verbs that, right after a negator, make the negation part of a condition ("if you do not pay, …").
    static let conditionVerbs: Set<String> = [
        "pay", "paying", "paid", "respond", "responding", "reply", "replying", "call", "calling", "act", "contact",
        "settle", "settled", "resolve", "resolved", "answer", "make", "made", "force", "let", "wait", "ignore", "delay",
        "return", "comply", "cooperate", "hear", "receive", "received", "work", "arrange", "agree", "accept",
    ]

    /// True for a word that negates: "not", "never", "no", "cannot", and any contraction ending in n't.
    static func isNegator(_ word: String) -> Bool {
        negators.contains(word) || word.utf8.count > 3 && word.utf8.suffix(3).elementsEqual("n't".utf8)
    }
}

/// Lexicon flags attached to vocabulary words.
enum WordFlags {
    /// A capitalised word that is not a name: "The", "Please", "Your".
    static let common: UInt8 = 1
    /// A day, month or time of day: "Monday", "May", "PM".
    static let calendar: UInt8 = 2
    /// A word that ends a business name: "Services", "LLC".
    static let businessSuffix: UInt8 = 4
    /// A word that heads a line without naming the sender: "Subject", "Balance".
    static let header: UInt8 = 8
    /// An abbreviation whose full stop does not end the sentence: "Mr", "Inc".
    static let abbreviation: UInt8 = 16
    /// A currency sign or code written before or after an amount: "$", "USD".
    static let currency: UInt8 = 32
    /// A currency word written after an amount: "dollars".
    static let currencyWord: UInt8 = 64
}
