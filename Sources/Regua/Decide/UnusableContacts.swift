/// A contact of a customer that feedback can mark unusable (SPEC §3 Channel, §7).
public enum ContactKind: String, Sendable, Hashable, CaseIterable, Codable {
    /// The e-mail address (channel `email`).
    case email
    /// The phone, for SMS (channel `sms`).
    case phone
    /// The postal address (channel `letter`).
    case address
    /// The phone, for WhatsApp: a number that WhatsApp refuses may still take SMS.
    case whatsapp

    /// The contact a channel uses, if feedback can mark it.
    public init?(channel: Channel) {
        switch channel {
        case .email: self = .email
        case .sms: self = .phone
        case .letter: self = .address
        case .whatsapp: self = .whatsapp
        // An agent dials the number; a failed SMS report says nothing about a call.
        case .call: return nil
        }
    }
}

/// Why a contact is unusable: the worklist's issue names.
public enum ContactIssue: String, Sendable, Hashable, CaseIterable, Codable {
    /// A hard bounce, or three soft bounces within 30 days.
    case bouncedEmail = "bounced_email"
    /// Two SMS delivery reports "not delivered" (Kannel 2 or 16) within 30 days.
    case undeliveredSMS = "undelivered_sms"
    /// A letter the post returned.
    case returnedLetter = "returned_letter"
    /// A WhatsApp status `failed`.
    case undeliveredWhatsApp = "undelivered_whatsapp"
}

/// A contact that feedback marked unusable, known only by the hash of its value (the ledger
/// keeps no e-mails, phones or addresses).
public struct UnusableContact: Sendable, Hashable {
    /// Which contact.
    public var kind: ContactKind
    /// ``ContactHash`` of the value that failed.
    public var valueHash: String
    /// Why.
    public var issue: ContactIssue
    /// The first night it counts for.
    public var since: Day
    /// The report with which the contact became unusable (what it said and its day), for the
    /// worklist's "since when"; nil when the ledger has none.
    public var markedBy: ContactEvent?
    /// Creates the mark of an unusable contact.
    public init(kind: ContactKind, valueHash: String, issue: ContactIssue, since: Day, markedBy: ContactEvent? = nil) {
        self.kind = kind
        self.valueHash = valueHash
        self.issue = issue
        self.since = since
        self.markedBy = markedBy
    }
}

/// SHA-256 of a contact's value, written the same way by `deliver`, `feedback` and the
/// decider, so that a new value in customers.csv makes the contact usable again.
public enum ContactHash {
    /// An e-mail address, trimmed and lower-cased.
    public static func email(_ address: String) -> String {
        Hashing.sha256Hex("email\u{0}" + address.trimmingSpaces.lowercased())
    }
    /// A phone in E.164 (`+55…`); a leading `+` is added when missing.
    public static func phone(_ e164: String) -> String {
        let t = e164.trimmingSpaces
        return Hashing.sha256Hex("phone\u{0}" + (t.hasPrefix("+") ? t : "+" + t))
    }
    /// A postal address: its parts, trimmed and upper-cased, in order.
    public static func address(_ a: PostalAddress) -> String {
        let parts = [a.street, a.number, a.complement, a.district, a.city, a.state, a.zip]
        return Hashing.sha256Hex(
            "address\u{0}" + parts.map { ($0 ?? "").trimmingSpaces.uppercased() }.joined(separator: "\u{0}"))
    }

    /// The hash of a customer's current value for a contact, or nil when the customer has none.
    public static func of(_ kind: ContactKind, _ c: Customer) -> String? {
        switch kind {
        case .email: c.email.map(email)
        case .phone, .whatsapp: c.phone.map(phone)
        case .address: c.address.isComplete ? address(c.address) : nil
        }
    }
}

extension LedgerHistory {
    /// Why a customer's contact for a channel is unusable tonight, if feedback marked the very
    /// value customers.csv gives now (a different value is usable again).
    public func unusable(_ channel: Channel, of customer: Customer) -> UnusableContact? {
        guard !unusableContacts.isEmpty, let marks = unusableContacts[customer.id],
            let kind = ContactKind(channel: channel), let hash = ContactHash.of(kind, customer)
        else { return nil }
        return marks.first { $0.kind == kind && $0.valueHash == hash }
    }
}
