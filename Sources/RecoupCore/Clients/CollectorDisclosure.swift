import Foundation

/// The debt-collector disclosure (the "mini-Miranda": FDCPA 807(11), 15 U.S.C. 1692e(11); 12 CFR 1006.18(e)), for
/// what a third-party collector shows a debtor, the portal first. A creditor collecting its own debts in its own name
/// is not a debt collector under the FDCPA and does not say it.
public enum CollectorDisclosure {
    /// The disclosure in the words the portal shows; `MessageLint`'s mini-Miranda check reads it as present.
    public static let sentence =
        "This is a communication from a debt collector. This is an attempt to collect a debt and any information obtained will be used for that purpose."

    /// True when someone other than the creditor collects: the client's terms name a collector (`collectorName`)
    /// that is not the client's own name. The same test decides the portal's "who is contacting you" sentence
    /// (`ClientProfile.whoIsContacting`).
    public static func applies(collector: String?, creditor: String?) -> Bool {
        guard let collector = collector?.trimmingCharacters(in: .whitespaces), !collector.isEmpty else { return false }
        return collector != creditor?.trimmingCharacters(in: .whitespaces)
    }
}
