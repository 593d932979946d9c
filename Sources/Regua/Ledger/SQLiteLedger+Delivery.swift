import Foundation
import GRDB

/// Where one message stands with its gateway (SPEC §7).
public enum DeliveryState: String, Sendable, Hashable, Codable {
    /// An attempt started and its answer was never recorded: the process may have died after
    /// the gateway took the message. Handed over again only with `--resend-uncertain`.
    case uncertain
    /// The gateway took the message: never handed over again.
    case accepted
    /// The gateway refused it: tried again by the next `deliver`, up to `max_attempts`.
    case failed
}

/// A message's delivery as the ledger keeps it: no address or phone, only the contact's hash.
public struct DeliveryRecord: Sendable, Hashable {
    /// The message id (`R20261123-…`).
    public var messageID: String
    /// The night the message belongs to.
    public var night: Day
    /// `email`, `sms` or `whatsapp`.
    public var channel: String
    /// The customer the message is for.
    public var customerID: CustomerID
    /// SHA-256 of the contact it went to (``ContactHash``).
    public var contactHash: String
    /// Where it stands.
    public var state: DeliveryState
    /// Attempts started so far.
    public var attempts: Int
    /// The gateway's last answer, reduced to its code (no personal data).
    public var answer: String?
}

extension SQLiteLedger {
    /// The migrations of delivery and feedback, after the night's own (``migrator``). A separate
    /// list so that the night's schema and this one grow without touching each other.
    static func registerDeliveryMigrations(_ m: inout DatabaseMigrator) {
        m.registerMigration("d1-deliveries-and-feedback") { db in
            try db.execute(
                sql: """
                    CREATE TABLE deliveries (
                        message_id TEXT PRIMARY KEY,
                        night TEXT NOT NULL,
                        channel TEXT NOT NULL,           -- email | sms | whatsapp
                        customer_id TEXT NOT NULL,
                        contact_hash TEXT NOT NULL,      -- SHA-256 of the contact, never the contact (LGPD)
                        state TEXT NOT NULL,             -- uncertain | accepted | failed
                        attempts INTEGER NOT NULL,
                        answer TEXT,                     -- the gateway's code, e.g. 'smtp 250', 'http 202'
                        updated_at TEXT NOT NULL         -- wall clock, for audits only
                    );
                    CREATE INDEX deliveries_night ON deliveries(night, state);
                    CREATE TABLE delivery_attempts (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        message_id TEXT NOT NULL,
                        attempt INTEGER NOT NULL,
                        started_at TEXT NOT NULL,
                        state TEXT NOT NULL,
                        answer TEXT
                    );
                    CREATE INDEX delivery_attempts_message ON delivery_attempts(message_id);
                    CREATE TABLE feedback_reports (
                        identity TEXT PRIMARY KEY,       -- SHA-256 of the report (or of its row)
                        source TEXT NOT NULL,            -- dsn | sms_dlr | returned_letter | whatsapp_status
                        message_id TEXT,
                        outcome TEXT NOT NULL,           -- what it said: hard, soft, undelivered, returned, failed, ignored, unmatched
                        read_at TEXT NOT NULL
                    );
                    CREATE TABLE contact_events (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        report_identity TEXT NOT NULL,
                        customer_id TEXT NOT NULL,
                        contact_kind TEXT NOT NULL,      -- email | phone | address | whatsapp
                        contact_hash TEXT NOT NULL,
                        kind TEXT NOT NULL,              -- hard | soft | undelivered | returned | failed
                        day TEXT NOT NULL,
                        message_id TEXT
                    );
                    CREATE INDEX contact_events_contact ON contact_events(customer_id, contact_kind, contact_hash);
                    CREATE TABLE unusable_contacts (
                        customer_id TEXT NOT NULL,
                        contact_kind TEXT NOT NULL,
                        contact_hash TEXT NOT NULL,
                        issue TEXT NOT NULL,             -- bounced_email | undelivered_sms | returned_letter | undelivered_whatsapp
                        since TEXT NOT NULL,             -- the first night it counts for
                        message_id TEXT,
                        PRIMARY KEY (customer_id, contact_kind, contact_hash)
                    );
                    """)
        }
    }

    // MARK: - Deliveries

    /// The delivery record of a message, if an attempt was ever started.
    public func delivery(messageID: String) throws -> DeliveryRecord? {
        try wrapDelivery {
            try dbQueue.read { db in
                try Row.fetchOne(db, sql: "SELECT * FROM deliveries WHERE message_id = ?", arguments: [messageID])
                    .map(Self.deliveryRecord)
            }
        }
    }

    /// Every delivery record of a night, by message id.
    public func deliveries(night: Day) throws -> [String: DeliveryRecord] {
        try wrapDelivery {
            try dbQueue.read { db in
                var out: [String: DeliveryRecord] = [:]
                for r in try Row.fetchAll(db, sql: "SELECT * FROM deliveries WHERE night = ?", arguments: [night.iso]) {
                    let d = Self.deliveryRecord(r)
                    out[d.messageID] = d
                }
                return out
            }
        }
    }

    /// Deliveries in a state, of every night (the worklist's uncertain ones).
    public func deliveries(in state: DeliveryState) throws -> [DeliveryRecord] {
        try wrapDelivery {
            try dbQueue.read { db in
                try Row.fetchAll(
                    db, sql: "SELECT * FROM deliveries WHERE state = ? ORDER BY night, message_id",
                    arguments: [state.rawValue]
                ).map(Self.deliveryRecord)
            }
        }
    }

    /// The deliveries left `uncertain` of the nights before `day` (a night's own messages are
    /// delivered only after it is published), for the night's worklist.
    static func uncertainDeliveries(_ db: Database, before day: Day) throws -> [DeliveryRecord] {
        try Row.fetchAll(
            db, sql: "SELECT * FROM deliveries WHERE state = 'uncertain' AND night < ? ORDER BY night, message_id",
            arguments: [day.iso]
        ).map(Self.deliveryRecord)
    }

    private static func deliveryRecord(_ r: Row) -> DeliveryRecord {
        DeliveryRecord(
            messageID: r["message_id"], night: Day(iso: r["night"] as String)!, channel: r["channel"],
            customerID: CustomerID(r["customer_id"]), contactHash: r["contact_hash"],
            state: DeliveryState(rawValue: r["state"]) ?? .uncertain, attempts: r["attempts"], answer: r["answer"])
    }

    /// Records, durably and before anything is handed over, that an attempt starts: the message
    /// is `uncertain` until ``finishAttempt(messageID:state:answer:)`` says how it ended. Returns
    /// the attempt's number. Refuses (returns nil) a message already accepted, so that two
    /// deliverers can never both hand it over.
    public func beginAttempt(
        messageID: String, night: Day, channel: String, customerID: CustomerID, contactHash: String
    ) throws -> Int? {
        try wrapDelivery {
            try dbQueue.write { db in
                let now = ISO8601DateFormatter().string(from: Date())
                let prior = try Row.fetchOne(
                    db, sql: "SELECT state, attempts FROM deliveries WHERE message_id = ?", arguments: [messageID])
                if let prior, (prior["state"] as String) == DeliveryState.accepted.rawValue { return nil }
                let attempt = ((prior?["attempts"] as Int?) ?? 0) + 1
                try db.execute(
                    sql: """
                        INSERT INTO deliveries (message_id, night, channel, customer_id, contact_hash, state, attempts, answer, updated_at)
                        VALUES (?, ?, ?, ?, ?, 'uncertain', ?, NULL, ?)
                        ON CONFLICT(message_id) DO UPDATE SET state = 'uncertain', attempts = excluded.attempts,
                            contact_hash = excluded.contact_hash, updated_at = excluded.updated_at
                        """,
                    arguments: [messageID, night.iso, channel, customerID.raw, contactHash, attempt, now])
                try db.execute(
                    sql:
                        "INSERT INTO delivery_attempts (message_id, attempt, started_at, state) VALUES (?, ?, ?, 'uncertain')",
                    arguments: [messageID, attempt, now])
                return attempt
            }
        }
    }

    /// Records how an attempt ended: `accepted` or `failed`, with the gateway's code.
    public func finishAttempt(messageID: String, state: DeliveryState, answer: String?) throws {
        try wrapDelivery {
            try dbQueue.write { db in
                let now = ISO8601DateFormatter().string(from: Date())
                try db.execute(
                    sql: "UPDATE deliveries SET state = ?, answer = ?, updated_at = ? WHERE message_id = ?",
                    arguments: [state.rawValue, answer, now, messageID])
                try db.execute(
                    sql: """
                        UPDATE delivery_attempts SET state = ?, answer = ?
                        WHERE id = (SELECT max(id) FROM delivery_attempts WHERE message_id = ?)
                        """, arguments: [state.rawValue, answer, messageID])
            }
        }
    }

    /// The customer and night of a message the ledger recorded as sent, if any.
    public func sentMessage(id messageID: String) throws -> (customerID: CustomerID, night: Day, channel: String?)? {
        try wrapDelivery {
            try dbQueue.read { db in
                guard
                    let r = try Row.fetchOne(
                        db,
                        sql:
                            "SELECT customer_id, night, channel FROM actions WHERE message_id = ? AND kind = 'sent' LIMIT 1",
                        arguments: [messageID])
                else { return nil }
                return (CustomerID(r[0]), Day(iso: r[1] as String)!, r[2])
            }
        }
    }

    func wrapDelivery<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let e as LedgerError {
            throw e
        } catch let e as DatabaseError {
            throw LedgerError(path: path, message: e.message ?? "\(e.resultCode)")
        }
    }
}
