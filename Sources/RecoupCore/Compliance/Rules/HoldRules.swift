import Foundation

// The holds (docs/compliance.md): they apply to every debt, consumer or commercial, and nothing in a history lifts them
// except what each names (verification lifts a dispute, a withdrawal the attorney's, a dismissal the bankruptcy's),
// so their findings carry no next allowed instant. `ContactHolds` lists the same holds with when each began and ended.

/// `bankruptcy`: once a bankruptcy is filed, the automatic stay stops all collection contact (11 U.S.C. 362).
/// Only a notice that collection is ending, and the confirmation of an opt-out, may still be sent. A dismissal of the
/// case recorded after the filing ends the stay.
struct BankruptcyRule: ContactRule {
    let id = RuleID.bankruptcy

    func evaluate(_ check: ContactCheck) -> RuleFinding? {
        guard check.purpose != .remedyNotice, check.purpose != .optOutConfirmation,
            let filed = check.facts.lastIndex(of: .bankruptcy),
            !check.facts.has(.bankruptcyDismissed, after: filed)
        else { return nil }
        return RuleFinding(
            rule: id, effect: .block,
            reason: check.reason(
                "A bankruptcy was reported on \(check.facts.infos[filed].day); the automatic stay stops all collection "
                    + "contact about \(check.debtID)."))
    }
}

/// `cease`: after a written or electronic refusal to pay or request to stop is received, only a letter that says
/// collection is ending or names a remedy may be sent (12 CFR 1006.6(c)).
struct CeaseRule: ContactRule {
    let id = RuleID.cease

    func evaluate(_ check: ContactCheck) -> RuleFinding? {
        guard !(check.action == .letter && check.purpose == .remedyNotice),
            let received = check.facts.lastIndex(of: .cease)
        else { return nil }
        return RuleFinding(
            rule: id, effect: .block,
            reason: check.reason(
                "The debtor asked in writing on \(check.facts.infos[received].day) that contact about \(check.debtID) stop; "
                    + "only a letter saying collection is ending or naming a remedy may be sent."))
    }
}

/// `attorney`: a debtor represented by an attorney for the debt is not contacted about it (12 CFR 1006.6(b)(2)),
/// until the attorney's withdrawal is recorded after the latest notice of representation.
struct AttorneyRule: ContactRule {
    let id = RuleID.attorney

    func evaluate(_ check: ContactCheck) -> RuleFinding? {
        guard let noted = check.facts.lastIndex(of: .attorney), !check.facts.has(.attorneyWithdrawn, after: noted)
        else { return nil }
        return RuleFinding(
            rule: id, effect: .block,
            reason: check.reason(
                "Since \(check.facts.infos[noted].day) the debtor is represented by an attorney for \(check.debtID); "
                    + "contact the attorney, not the debtor."))
    }
}

/// `dispute`: a disputed debt gets no collection contact until verification is sent (12 CFR 1006.38); the
/// verification itself, a notice that collection is ending and an opt-out confirmation are not collection. A debt
/// the client's file marks disputed (`ComplianceRequest.disputedInFileSince`) is disputed from that instant, the
/// same as a `dispute` event then.
struct DisputeRule: ContactRule {
    let id = RuleID.dispute

    func evaluate(_ check: ContactCheck) -> RuleFinding? {
        guard check.purpose.isCollection || check.purpose == .response else { return nil }
        let facts = check.facts
        if let disputed = facts.lastIndex(of: .dispute), !facts.has(.verificationSent, after: disputed) {
            return RuleFinding(
                rule: id, effect: .block,
                reason: check.reason(
                    "\(check.debtID) was disputed on \(facts.infos[disputed].day) and no verification has been sent; "
                        + "collection stops until it is."))
        }
        guard let marked = facts.fileDisputeMark,
            !facts.infos.contains(where: { $0.code == .verificationSent && $0.concerns && $0.at >= marked })
        else { return nil }
        return RuleFinding(
            rule: id, effect: .block,
            reason: check.reason(
                "The client's file marks \(check.debtID) disputed (imported on "
                    + "\(facts.clock.day(Date(timeIntervalSince1970: marked)))) and no verification has been sent; "
                    + "collection stops until it is."))
    }
}

/// `opt-out`: a channel the debtor opted out of, or one number or address on it, is not used; one confirmation
/// of the opt-out is allowed (12 CFR 1006.14(h), 1006.6(e)). Opting out of calls also stops voicemails.
struct OptOutRule: ContactRule {
    let id = RuleID.optOut

    func evaluate(_ check: ContactCheck) -> RuleFinding? {
        let facts = check.facts
        guard facts.has(.optOut) else { return nil }
        let proposed = ContactChannel(check.action)
        let isVoicemail = check.action == .voicemail
        for (index, info) in facts.infos.enumerated().reversed() where info.code == .optOut {
            let event = facts.event(index)
            guard case .optOut(let channel, let address) = event.kind,
                channel == proposed || (isVoicemail && channel == .call),
                event.concerns(check.debtID)
            else { continue }
            if let address, let to = check.request.to, !Self.sameAddress(address, to, channel: channel) { continue }
            if check.purpose == .optOutConfirmation
                && !Self.confirmed(after: index, channel: channel, address: address, facts)
            {
                return nil
            }
            let what = address.map { "\(channel.rawValue) to \($0)" } ?? "\(channel.rawValue) contact"
            return RuleFinding(
                rule: id, effect: .block,
                reason: check.reason(
                    "The debtor opted out of \(what) on \(facts.infos[index].day)"
                        + (check.purpose == .optOutConfirmation ? "; the one confirmation has already been sent." : ".")
                ))
        }
        return nil
    }

    /// True when something already went out on the channel (to the address) after the opt-out.
    private static func confirmed(
        after index: Int, channel: ContactChannel, address: String?, _ facts: ContactCheck.Facts
    )
        -> Bool
    {
        facts.infos.indices[(index + 1)...].map(facts.event).contains { event in
            let sent: (ContactChannel, String?)?
            switch event.kind {
            case .call(.outbound, let to, _, let left): sent = (left ? .voicemail : .call, to)
            case .sms(.outbound, let to): sent = (.sms, to)
            case .email(.outbound, let to): sent = (.email, to)
            case .letter: sent = (.letter, nil)
            default: sent = nil
            }
            guard let (sentChannel, to) = sent,
                sentChannel == channel || (channel == .call && sentChannel == .voicemail)
            else { return false }
            guard let address, let to else { return true }
            return sameAddress(address, to, channel: channel)
        }
    }

    static func sameAddress(_ lhs: String, _ rhs: String, channel: ContactChannel) -> Bool {
        switch channel {
        case .call, .voicemail, .sms: Phone.sameNumber(lhs, rhs)
        case .email, .letter: lhs.trimmedSpaces.lowercased() == rhs.trimmedSpaces.lowercased()
        }
    }
}

extension ContactChannel {
    /// The channel a proposed action uses.
    init(_ action: ContactAction) {
        switch action {
        case .call: self = .call
        case .voicemail: self = .voicemail
        case .sms: self = .sms
        case .email: self = .email
        case .letter: self = .letter
        }
    }
}

extension ContactCheck.Facts {
    /// The index of the latest event of this kind about the debt checked.
    func lastIndex(of code: EventCode) -> Int? {
        guard has(code) else { return nil }
        return infos.lastIndex { $0.code == code && $0.concerns }
    }

    /// True when an event of this kind about the debt checked comes after record `index` (a hold's release).
    func has(_ code: EventCode, after index: Int) -> Bool {
        guard has(code) else { return false }
        return infos[(index + 1)...].contains { $0.code == code && $0.concerns }
    }
}
