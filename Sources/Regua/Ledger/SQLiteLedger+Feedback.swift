import Foundation
import GRDB

/// One report read by `feedback`, with what it says about one contact.
public struct FeedbackRecord: Sendable, Hashable {
    /// SHA-256 of the report (or of its row): read twice, it changes nothing.
    public var identity: String
    /// `dsn`, `sms_dlr`, `returned_letter`, `whatsapp_status`.
    public var source: String
    /// The message it is about, when found.
    public var messageID: String?
    /// The contact's customer, kind and hash, when the message is known.
    public var contact: (customerID: CustomerID, kind: ContactKind, hash: String)?
    /// What it said; nil for a report that says nothing against the contact (delivered, delayed…).
    public var event: ContactEvent?
    /// `hard`, `soft`, …, `ignored` or `unmatched`.
    public var outcome: String

    /// Creates the record of a report.
    public init(
        identity: String, source: String, messageID: String?,
        contact: (customerID: CustomerID, kind: ContactKind, hash: String)?, event: ContactEvent?, outcome: String
    ) {
        self.identity = identity
        self.source = source
        self.messageID = messageID
        self.contact = contact
        self.event = event
        self.outcome = outcome
    }

    /// Two records are the same event when their identities are (what the ledger keys them by).
    public static func == (a: FeedbackRecord, b: FeedbackRecord) -> Bool { a.identity == b.identity }
    /// Hashes the identity, as ``==(_:_:)`` compares it.
    public func hash(into h: inout Hasher) { h.combine(identity) }
}

extension SQLiteLedger {
    /// Contacts marked unusable for nights up to `day`, by customer.
    static func unusableContacts(_ db: Database, before day: Day) throws -> [CustomerID: [UnusableContact]] {
        var out: [CustomerID: [UnusableContact]] = [:]
        for r in try Row.fetchAll(
            db,
            sql: "SELECT customer_id, contact_kind, contact_hash, issue, since FROM unusable_contacts WHERE since <= ?",
            arguments: [day.iso])
        {
            guard let kind = ContactKind(rawValue: r[1]), let issue = ContactIssue(rawValue: r[3]),
                let since = Day(iso: r[4] as String)
            else { continue }
            out[CustomerID(r[0]), default: []].append(
                UnusableContact(kind: kind, valueHash: r[2], issue: issue, since: since))
        }
        guard !out.isEmpty else { return out }
        // The report that made each contact unusable (its day is the worklist's "since when"):
        // the marked contacts' events in the order read.
        var events: [String: [ContactEvent]] = [:]
        for r in try Row.fetchAll(
            db,
            sql: """
                SELECT e.customer_id, e.contact_kind, e.contact_hash, e.kind, e.day FROM contact_events e
                JOIN unusable_contacts u ON u.customer_id = e.customer_id AND u.contact_kind = e.contact_kind
                    AND u.contact_hash = e.contact_hash
                WHERE u.since <= ? ORDER BY e.id
                """, arguments: [day.iso])
        {
            guard let k = ContactEventKind(rawValue: r[3]), let d = Day(iso: r[4] as String) else { continue }
            events[(r[0] as String) + "\u{0}" + (r[1] as String) + "\u{0}" + (r[2] as String), default: []].append(
                ContactEvent(kind: k, day: d))
        }
        for (customer, marks) in out {
            out[customer] = marks.map { m in
                var m = m
                m.markedBy = ContactRules.markingEvent(
                    kind: m.kind, events: events[customer.raw + "\u{0}" + m.kind.rawValue + "\u{0}" + m.valueHash] ?? []
                )
                return m
            }
        }
        return out
    }

    /// Whether a report (by identity) was already read.
    public func feedbackSeen(identity: String) throws -> Bool {
        try wrapDelivery {
            try dbQueue.read { db in
                try Bool.fetchOne(
                    db, sql: "SELECT 1 FROM feedback_reports WHERE identity = ?", arguments: [identity]) ?? false
            }
        }
    }

    /// Records a report once: its identity, its event, and — when the contact's events now add
    /// up to SPEC §7's rule — the contact as unusable from night `since` on. Returns the issue
    /// newly marked, nil otherwise; a report read before changes nothing and returns nil.
    @discardableResult
    public func recordFeedback(_ f: FeedbackRecord, since: Day) throws -> (fresh: Bool, marked: ContactIssue?) {
        try wrapDelivery {
            try dbQueue.write { db in
                if try Bool.fetchOne(
                    db, sql: "SELECT 1 FROM feedback_reports WHERE identity = ?", arguments: [f.identity])
                    ?? false
                {
                    return (false, nil)
                }
                try db.execute(
                    sql:
                        "INSERT INTO feedback_reports (identity, source, message_id, outcome, read_at) VALUES (?, ?, ?, ?, ?)",
                    arguments: [
                        f.identity, f.source, f.messageID, f.outcome, ISO8601DateFormatter().string(from: Date()),
                    ])
                guard let c = f.contact, let e = f.event else { return (true, nil) }
                try db.execute(
                    sql: """
                        INSERT INTO contact_events (report_identity, customer_id, contact_kind, contact_hash, kind, day, message_id)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        f.identity, c.customerID.raw, c.kind.rawValue, c.hash, e.kind.rawValue, e.day.iso, f.messageID,
                    ])
                let already =
                    try Bool.fetchOne(
                        db,
                        sql:
                            "SELECT 1 FROM unusable_contacts WHERE customer_id = ? AND contact_kind = ? AND contact_hash = ?",
                        arguments: [c.customerID.raw, c.kind.rawValue, c.hash]) ?? false
                if already { return (true, nil) }
                let events = try Row.fetchAll(
                    db,
                    sql:
                        "SELECT kind, day FROM contact_events WHERE customer_id = ? AND contact_kind = ? AND contact_hash = ?",
                    arguments: [c.customerID.raw, c.kind.rawValue, c.hash]
                ).compactMap { r -> ContactEvent? in
                    guard let k = ContactEventKind(rawValue: r[0]), let d = Day(iso: r[1] as String) else { return nil }
                    return ContactEvent(kind: k, day: d)
                }
                guard let issue = ContactRules.verdict(kind: c.kind, events: events) else { return (true, nil) }
                try db.execute(
                    sql: """
                        INSERT INTO unusable_contacts (customer_id, contact_kind, contact_hash, issue, since, message_id)
                        VALUES (?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [c.customerID.raw, c.kind.rawValue, c.hash, issue.rawValue, since.iso, f.messageID])
                return (true, issue)
            }
        }
    }

    /// Every contact marked unusable, for the worklist and audits.
    public func unusableContacts() throws -> [(customerID: CustomerID, contact: UnusableContact)] {
        try wrapDelivery {
            try dbQueue.read { db in
                try Self.unusableContacts(db, before: Day(iso: "9999-12-31")!).flatMap { k, v in v.map { (k, $0) } }
                    .sorted { $0.0 < $1.0 }
            }
        }
    }
}
