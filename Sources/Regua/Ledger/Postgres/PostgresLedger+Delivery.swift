import Foundation
import PostgresNIO

/// `deliver`, `feedback` and `prune` on a PostgreSQL ledger: the queries of
/// SQLiteLedger+Delivery, +Feedback and +Retention on the same tables (migration
/// `d1-deliveries-and-feedback`, `v5-…` for the archive), with the same guarantees. Several
/// deliverers and feedback readers may share the database: each attempt and each report is one
/// transaction, and the row locks below keep two of them from both handing a message over or both
/// marking one contact.
extension PostgresLedger: OperationsLedger {
    // MARK: - Deliveries

    static let deliveryColumns = "message_id, night::text, channel, customer_id, contact_hash, state, attempts, answer"

    static func deliveryRecord(_ r: PostgresSession.Row) throws -> DeliveryRecord {
        DeliveryRecord(
            messageID: try r.string(0), night: try r.day(1), channel: try r.string(2),
            customerID: CustomerID(try r.string(3)), contactHash: try r.string(4),
            state: DeliveryState(rawValue: try r.string(5)) ?? .uncertain, attempts: try r.int(6),
            answer: try r.text(7))
    }

    /// The delivery record of a message, if an attempt was ever started.
    public func delivery(messageID: String) throws -> DeliveryRecord? {
        try q("SELECT \(Self.deliveryColumns) FROM deliveries WHERE message_id = $1", [messageID]).first
            .map(Self.deliveryRecord)
    }

    /// Every delivery record of a night, by message id.
    public func deliveries(night: Day) throws -> [String: DeliveryRecord] {
        var out: [String: DeliveryRecord] = [:]
        for r in try q("SELECT \(Self.deliveryColumns) FROM deliveries WHERE night = $1::date", [night.iso]) {
            let d = try Self.deliveryRecord(r)
            out[d.messageID] = d
        }
        return out
    }

    /// Deliveries in a state, of every night, by night and message id (byte order, as SQLite).
    public func deliveries(in state: DeliveryState) throws -> [DeliveryRecord] {
        try q(
            """
            SELECT \(Self.deliveryColumns) FROM deliveries WHERE state = $1
            ORDER BY night, message_id COLLATE "C"
            """, [state.rawValue]
        ).map(Self.deliveryRecord)
    }

    /// Records that an attempt starts, in its own transaction, before anything is handed over.
    /// The message's row is locked (`FOR UPDATE`, or the primary key for a first attempt) so a
    /// second deliverer waits and then sees `accepted`, or fails on the key and is told nil.
    public func beginAttempt(
        messageID: String, night: Day, channel: String, customerID: CustomerID, contactHash: String
    ) throws -> Int? {
        try transaction {
            let prior = try q("SELECT state, attempts FROM deliveries WHERE message_id = $1 FOR UPDATE", [messageID])
                .first
            if let prior, try prior.string(0) == DeliveryState.accepted.rawValue { return nil }
            let attempt = (try prior?.int(1) ?? 0) + 1
            if prior == nil {
                let inserted = try q(
                    """
                    INSERT INTO deliveries (message_id, night, channel, customer_id, contact_hash, state, attempts,
                                            answer, updated_at)
                    VALUES ($1, $2::date, $3, $4, $5, 'uncertain', $6, NULL, now())
                    ON CONFLICT (message_id) DO NOTHING RETURNING 1
                    """, [messageID, night.iso, channel, customerID.raw, contactHash, attempt])
                // Another deliverer began it between our read and our insert: it is theirs.
                if inserted.isEmpty { return nil }
            } else {
                try q(
                    """
                    UPDATE deliveries SET state = 'uncertain', attempts = $2, contact_hash = $3, updated_at = now()
                    WHERE message_id = $1
                    """, [messageID, attempt, contactHash])
            }
            try q(
                """
                INSERT INTO delivery_attempts (message_id, attempt, started_at, state)
                VALUES ($1, $2, now(), 'uncertain')
                """, [messageID, attempt])
            return attempt
        }
    }

    /// Records how an attempt ended, in its own transaction.
    public func finishAttempt(messageID: String, state: DeliveryState, answer: String?) throws {
        try transaction {
            try q(
                "UPDATE deliveries SET state = $2, answer = $3, updated_at = now() WHERE message_id = $1",
                [messageID, state.rawValue, answer])
            try q(
                """
                UPDATE delivery_attempts SET state = $2, answer = $3
                WHERE id = (SELECT max(id) FROM delivery_attempts WHERE message_id = $1)
                """, [messageID, state.rawValue, answer])
        }
    }

    /// The customer, night and channel of a message recorded as sent by a run that still counts.
    public func sentMessage(id messageID: String) throws -> (customerID: CustomerID, night: Day, channel: String?)? {
        guard
            let r = try q(
                """
                SELECT customer_id, night::text, channel FROM actions
                WHERE message_id = $1 AND kind = 'sent' ORDER BY id LIMIT 1
                """, [messageID]
            ).first
        else { return nil }
        return (CustomerID(try r.string(0)), try r.day(1), try r.text(2))
    }

    // MARK: - Feedback

    /// Whether a report (by identity) was already read.
    public func feedbackSeen(identity: String) throws -> Bool {
        try !q("SELECT 1 FROM feedback_reports WHERE identity = $1", [identity]).isEmpty
    }

    /// Records a report once (its identity is the primary key: a report read twice, even by two
    /// readers at once, is recorded once) and marks its contact when SPEC §7's rule says so. The
    /// contact's events are read under an advisory lock on the contact, so two reports of one
    /// contact read at once cannot both miss the mark.
    @discardableResult
    public func recordFeedback(_ f: FeedbackRecord, since: Day) throws -> (fresh: Bool, marked: ContactIssue?) {
        try transaction {
            let fresh = try q(
                """
                INSERT INTO feedback_reports (identity, source, message_id, outcome, read_at)
                VALUES ($1, $2, $3, $4, now()) ON CONFLICT (identity) DO NOTHING RETURNING 1
                """, [f.identity, f.source, f.messageID, f.outcome])
            guard !fresh.isEmpty else { return (false, nil) }
            guard let c = f.contact, let e = f.event else { return (true, nil) }
            let key = c.customerID.raw + "\u{1}" + c.kind.rawValue + "\u{1}" + c.hash
            try q("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [key])
            try q(
                """
                INSERT INTO contact_events (report_identity, customer_id, contact_kind, contact_hash, kind, day, message_id)
                VALUES ($1, $2, $3, $4, $5, $6::date, $7)
                """, [f.identity, c.customerID.raw, c.kind.rawValue, c.hash, e.kind.rawValue, e.day.iso, f.messageID])
            let contact: [PostgresSession.Value] = [c.customerID.raw, c.kind.rawValue, c.hash]
            let already = try q(
                "SELECT 1 FROM unusable_contacts WHERE customer_id = $1 AND contact_kind = $2 AND contact_hash = $3",
                contact)
            if !already.isEmpty { return (true, nil) }
            let events = try q(
                """
                SELECT kind, day::text FROM contact_events
                WHERE customer_id = $1 AND contact_kind = $2 AND contact_hash = $3 ORDER BY id
                """, contact
            ).compactMap { r -> ContactEvent? in
                guard let k = ContactEventKind(rawValue: try r.string(0)) else { return nil }
                return ContactEvent(kind: k, day: try r.day(1))
            }
            guard let issue = ContactRules.verdict(kind: c.kind, events: events) else { return (true, nil) }
            try q(
                """
                INSERT INTO unusable_contacts (customer_id, contact_kind, contact_hash, issue, since, message_id)
                VALUES ($1, $2, $3, $4, $5::date, $6)
                """, contact + [issue.rawValue, since.iso, f.messageID])
            return (true, issue)
        }
    }

    /// Every contact marked unusable, by customer (the worklist's and the night's reading).
    public func unusableContacts() throws -> [(customerID: CustomerID, contact: UnusableContact)] {
        try unusableContacts(before: Day(iso: "9999-12-31")!).flatMap { k, v in v.map { (k, $0) } }
            .sorted { $0.0 < $1.0 }
    }

    // MARK: - Retention

    /// Titles not seen in the receivables since before `cutoff` (``SQLiteLedger/archiveBefore(_:)``).
    public func titlesToArchive(notSeenSince cutoff: Day) throws -> Int {
        try q(
            "SELECT count(*) FROM title_state WHERE last_seen < $1::date", [SQLiteLedger.archiveBefore(cutoff)]
        ).first?.int(0) ?? 0
    }

    /// Moves the state of titles not seen since before the cutoff to the archive tables and
    /// records the prune, in one transaction. The compact tables are locked against writers
    /// first (readers go on): a night committing at the same time waits, and then brings back
    /// from the archive any title it saw (``restoreArchived(titles:)``), so no title's state is
    /// lost between the two.
    public func recordPrune(_ p: PruneRecord) throws {
        guard let cutoff = Day(iso: p.cutoff) else {
            throw LedgerError(path: url.description, message: "prune cutoff '\(p.cutoff)' is not a date")
        }
        try transaction {
            try q(
                """
                LOCK TABLE title_state, title_steps, archived_title_state, archived_title_steps
                IN SHARE ROW EXCLUSIVE MODE
                """)
            let moved = try q(
                "SELECT title_id FROM title_state WHERE last_seen < $1::date", [SQLiteLedger.archiveBefore(cutoff)]
            ).map { try $0.string(0) }
            if !moved.isEmpty {
                for table in ["title_steps", "title_state"] {
                    try q(
                        "INSERT INTO archived_\(table) SELECT * FROM \(table) WHERE title_id = ANY($1::text[])", [moved]
                    )
                    try q("DELETE FROM \(table) WHERE title_id = ANY($1::text[])", [moved])
                }
            }
            try q(
                """
                INSERT INTO prunes (recorded_at, as_of, keep_days, cutoff, folders, folder_names, titles_archived)
                VALUES (now(), $1::date, $2, $3::date, $4, $5, $6)
                """,
                [p.asOf, p.keepDays, p.cutoff, p.folders.count, p.folders.joined(separator: "\n"), moved.count])
        }
    }

    /// Every prune recorded, oldest first.
    public func prunes() throws -> [PruneRecord] {
        try q("SELECT as_of::text, keep_days, cutoff::text, folder_names, titles_archived FROM prunes ORDER BY id")
            .map { r in
                let names = try r.string(3)
                return PruneRecord(
                    asOf: try r.string(0), keepDays: try r.int(1), cutoff: try r.string(2),
                    folders: names.isEmpty ? [] : names.components(separatedBy: "\n"), titlesArchived: try r.int(4))
            }
    }
}
