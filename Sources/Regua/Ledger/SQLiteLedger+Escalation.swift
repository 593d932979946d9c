import GRDB

/// What negotiation and escalation leave in the ledger (SPEC §3 Offers, Experiments, Bureau and
/// Hand-off steps): the arms, bureau records and hand-offs on each action (the audit trail), a
/// compact `title_escalation` row per title ever included in the bureau or handed off (what a
/// night reads, by key), and `offers`, one row per offer made.
extension SQLiteLedger {
    /// Registers the migration of these tables (after the compact tables).
    static func registerEscalation(_ m: inout DatabaseMigrator) {
        m.registerMigration("v7-escalation") { db in
            try db.execute(
                sql: """
                    ALTER TABLE actions ADD COLUMN arms TEXT;            -- experiment=arm;… of the customer
                    ALTER TABLE actions ADD COLUMN bureau TEXT;          -- include | exclude
                    ALTER TABLE actions ADD COLUMN handoff TEXT;         -- the handoffs id
                    CREATE TABLE title_escalation (
                        title_id TEXT PRIMARY KEY,
                        bureau_included_on TEXT,                        -- the night of its include
                        bureau_excluded_on TEXT,                        -- the night of its exclusion
                        handed_off_on TEXT,                             -- the night it was handed off
                        handoff TEXT                                    -- to whom
                    ) WITHOUT ROWID;
                    CREATE TABLE offers (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        run_id INTEGER NOT NULL REFERENCES runs(id),
                        night TEXT NOT NULL,
                        message_id TEXT NOT NULL,
                        customer_id TEXT NOT NULL,
                        step_id TEXT NOT NULL,
                        cash_cents INTEGER NOT NULL,
                        savings_cents INTEGER NOT NULL,
                        valid_until TEXT NOT NULL,
                        installments TEXT NOT NULL,                     -- n×cents;… as offered
                        title_ids TEXT NOT NULL                         -- ;-separated
                    );
                    CREATE INDEX offers_night ON offers(night);
                    CREATE INDEX offers_run ON offers(run_id);
                    """)
        }
    }

    /// Folds one night's bureau and hand-off actions into `title_escalation`.
    static func recordEscalation(_ db: Database, night: Day, actions: [Action]) throws {
        for a in actions where a.kind == .sent && (a.bureau != nil || a.handoff != nil) {
            let column =
                a.handoff != nil ? "handed_off_on" : a.bureau == .include ? "bureau_included_on" : "bureau_excluded_on"
            try db.execute(
                sql: """
                    INSERT INTO title_escalation (title_id, \(column), handoff) VALUES (?, ?, ?)
                    ON CONFLICT (title_id) DO UPDATE SET
                        \(column) = coalesce(\(column), excluded.\(column)),
                        handoff = coalesce(handoff, excluded.handoff)
                    """, arguments: [a.titleID.raw, night.iso, a.handoff])
        }
    }

    /// Derives `title_escalation` again for the titles of a run whose actions stopped counting
    /// (`--force`, a discarded night) from the actions that still count.
    static func rebuildEscalation(_ db: Database, titles: [String]) throws {
        guard !titles.isEmpty else { return }
        let ids = JSONKeyList.encode(titles)
        try db.execute(
            sql: "DELETE FROM title_escalation WHERE title_id IN (SELECT value FROM json_each(?))", arguments: [ids])
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT title_id, night, bureau, handoff FROM actions
                WHERE kind = 'sent' AND (bureau IS NOT NULL OR handoff IS NOT NULL)
                  AND title_id IN (SELECT value FROM json_each(?)) ORDER BY id
                """, arguments: [ids])
        for r in rows {
            var a = Action(
                titleID: TitleID(r[0]), customerID: CustomerID(""), stepID: "", offset: 0, kind: .sent, profile: "")
            a.bureau = (r[2] as String?).flatMap(BureauAction.init(rawValue:))
            a.handoff = r[3]
            try recordEscalation(db, night: Day(iso: r[1] as String)!, actions: [a])
        }
    }

    /// The escalation state of the titles of `scope` before `day`.
    static func readEscalation(_ db: Database, before day: Day, titles: [TitleID]?, into h: inout LedgerHistory) throws
    {
        // Most ledgers have no bureau or agency yet: no key list of the night's titles to read.
        guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM title_escalation)") == true else { return }
        let filter = titles == nil ? "" : " WHERE title_id IN (SELECT value FROM json_each(?))"
        let rows = try Row.fetchCursor(
            db,
            sql:
                "SELECT title_id, bureau_included_on, bureau_excluded_on, handed_off_on FROM title_escalation\(filter)",
            arguments: titles.map { [JSONKeyList.encode($0.lazy.map(\.raw))] } ?? [])
        let night = day.iso
        while let r = try rows.next() {
            let title = TitleID(r[0])
            if let on: String = r[1], on < night { h.bureauIncluded[title] = Day(iso: on) }
            if let on: String = r[2], on < night { h.bureauExcluded.insert(title) }
            if let on: String = r[3], on < night { h.handedOff.insert(title) }
        }
    }

    /// Records the offers of a night's messages.
    static func recordOffers(_ db: Database, runID: Int64, night: Day, offers: [OfferRecord]) throws {
        for o in offers {
            try db.execute(
                sql: """
                    INSERT INTO offers (run_id, night, message_id, customer_id, step_id, cash_cents, savings_cents,
                                        valid_until, installments, title_ids)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    runID, night.iso, o.messageID, o.customerID.raw, o.stepID, o.offer.cashAmount.cents,
                    o.offer.savings.cents, o.offer.validUntil.iso,
                    o.offer.installments.map { "\($0.count)x\($0.amount.cents)" }.joined(separator: ";"),
                    o.titleIDs.map(\.raw).joined(separator: ";"),
                ])
        }
    }

    /// Every step sent before `day` for these titles, with its channel, oldest first (the
    /// dossier of a title handed off tonight): from the audit trail, by the title index.
    public func sentSteps(titles: [TitleID], before day: Day) throws -> [TitleID: [LedgerHistory.SentStep]] {
        guard !titles.isEmpty else { return [:] }
        return try wrap {
            try dbQueue.read { db in
                var out: [TitleID: [LedgerHistory.SentStep]] = [:]
                let rows = try Row.fetchCursor(
                    db,
                    sql: """
                        SELECT title_id, step_id, step_offset, night, channel FROM actions
                        WHERE kind = 'sent' AND night < ? AND title_id IN (SELECT value FROM json_each(?))
                        ORDER BY night, id
                        """, arguments: [day.iso, JSONKeyList.encode(titles.lazy.map(\.raw))])
                while let r = try rows.next() {
                    out[TitleID(r[0]), default: []].append(
                        .init(
                            stepID: r[1], offset: r[2], night: Day(iso: r[3] as String)!,
                            channel: (r[4] as String?).flatMap(Channel.init(rawValue:))))
                }
                return out
            }
        }
    }

    /// The offers made on nights `from` … `to` (for `regua stats`).
    public func offers(from: Day, to: Day) throws -> [(night: Day, record: OfferRecord)] {
        try wrap {
            try dbQueue.read { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT night, message_id, customer_id, step_id, cash_cents, savings_cents, valid_until, title_ids
                        FROM offers WHERE night >= ? AND night <= ? AND run_id IN (SELECT id FROM runs WHERE status != 'replaced')
                        ORDER BY id
                        """, arguments: [from.iso, to.iso]
                ).map { r in
                    let offer = Offer(
                        cashAmount: Money(cents: r[4]), savings: Money(cents: r[5]),
                        validUntil: Day(iso: r[6] as String)!, installments: [])
                    let titles = (r[7] as String).split(separator: ";").map { TitleID(String($0)) }
                    return (
                        Day(iso: r[0] as String)!,
                        OfferRecord(
                            messageID: r[1], customerID: CustomerID(r[2]), stepID: r[3], titleIDs: titles, offer: offer)
                    )
                }
            }
        }
    }
}

/// An offer as the ledger records it: which message made it, to whom, for which titles.
public struct OfferRecord: Sendable, Hashable {
    /// The message that carried the offer.
    public var messageID: String
    /// The customer it was made to.
    public var customerID: CustomerID
    /// The step that spoke for the message.
    public var stepID: String
    /// The message's titles.
    public var titleIDs: [TitleID]
    /// The offer.
    public var offer: Offer
    /// Creates an offer record.
    public init(messageID: String, customerID: CustomerID, stepID: String, titleIDs: [TitleID], offer: Offer) {
        self.messageID = messageID
        self.customerID = customerID
        self.stepID = stepID
        self.titleIDs = titleIDs
        self.offer = offer
    }
}
