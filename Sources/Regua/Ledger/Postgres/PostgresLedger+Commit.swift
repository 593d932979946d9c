import Foundation
import PostgresNIO

/// A night's writes, as ``SQLiteLedger/commit(_:before:)`` makes them, in PostgreSQL: the rows
/// go in batches (one JSON parameter read by `json_to_recordset`, a few thousand rows a
/// statement) instead of a round trip per row.
extension PostgresLedger {
    /// Rows per batched statement.
    static let batch = 5000

    /// Records a night in ONE transaction whose COMMIT waits for `beforeCommit` (see ``Ledger``).
    public func commit(_ n: NightCommit, before beforeCommit: () throws -> [RemittanceFileRecord]) throws -> Int64 {
        try transaction {
            let night = n.night.iso
            let shard = runShard.value
            if shard != nil {
                // Shards commit after their flush, one at a time: short transactions that never
                // wait for one another's rows (the contacts window, the horizons) while rendering.
                try q("SELECT pg_advisory_xact_lock($1, $2)", [Self.shardCommitLock.0, Self.shardCommitLock.1])
            } else {
                // Under the night's claim lock: a shard claimed since this run looked is seen here.
                let (k1, k2) = Self.nightLock(n.night)
                try q("SELECT pg_advisory_xact_lock($1, $2)", [k1, k2])
                if try nightIsSharded(n.night) {
                    throw ReguaError(
                        .refused,
                        "night \(night) was claimed by a shard while this unsharded run decided it; nothing was recorded"
                    )
                }
            }
            if let old = n.replacesRunID {
                // --force: the earlier run of this night stays for audit but no longer counts.
                let titles = try titlesOfRun(old)
                try q("UPDATE runs SET status = 'replaced' WHERE id = $1", [old])
                try q("UPDATE actions SET kind = 'replaced-' || kind WHERE run_id = $1", [old])
                try q("DELETE FROM settlements WHERE run_id = $1", [old])
                try q(
                    "DELETE FROM return_events WHERE file_hash IN (SELECT hash FROM return_files WHERE run_id = $1)",
                    [old])
                try q("DELETE FROM return_files WHERE run_id = $1", [old])
                try q("DELETE FROM customer_contacts WHERE run_id = $1", [old])
                try rebuild(titles: titles)
                try rebuildEscalation(titles: titles)
            }
            let runID = Int64(
                try q(
                    """
                    INSERT INTO runs (night, rules_hash, inputs_hash, status, forced, exit_code, recorded_at,
                                      accepted_gap, forced_volume, shard, shards)
                    VALUES ($1::date, $2, $3, 'committed', $4, $5, clock_timestamp(), $6, $7, $8, $9) RETURNING id
                    """,
                    [
                        night, n.rulesHash, n.inputsHash, n.forced, n.exitCode, n.acceptedGap?.description,
                        n.forcedVolume, shard?.index ?? 0, shard?.count ?? 0,
                    ]
                ).first!.int(0))
            try restoreArchived(titles: n.seenTitles.map(\.raw) + n.actions.map(\.titleID.raw))
            try insertActions(n, runID: runID)
            try recountStepSends(runs: [CompactState.RunNight(run: runID, night: n.night.iso)])
            try archiveStale(night: n.night)
            try recordEscalation(night: n.night, actions: n.actions)
            try recordOffers(runID: runID, night: n.night, offers: n.offers)
            let lateFiles = try beforeCommit()
            for f in n.remittanceFiles + lateFiles {
                try q(
                    """
                    INSERT INTO remittance_files (run_id, night, bank_code, agreement, nsa, file_name, records)
                    VALUES ($1, $2::date, $3, $4, $5, $6, $7)
                    """, [runID, night, f.bankCode, f.agreement, f.nsa, f.fileName, f.records])
            }
            for rf in n.returnFiles {
                try q(
                    "INSERT INTO return_files (hash, run_id, night, name, bank_code, nsa) VALUES ($1, $2, $3::date, $4, $5, $6)",
                    [rf.hash, runID, night, rf.name, rf.bankCode, rf.nsa])
                for e in rf.events {
                    try q(
                        """
                        INSERT INTO return_events (file_hash, title_id, nosso_numero, movement, kind, paid_cents,
                                                   occurrence_date, reasons)
                        VALUES ($1, $2, $3, $4, $5, $6, $7::date, $8)
                        """,
                        [
                            rf.hash, e.titleID?.raw, e.nossoNumero, e.movement, e.kind, e.paidAmount?.cents,
                            e.occurrenceDate?.iso, e.reasons,
                        ])
                }
            }
            for s in n.settlements {
                try q(
                    "INSERT INTO settlements (run_id, night, title_id, paid_cents, paid_date) VALUES ($1, $2::date, $3, $4, $5::date)",
                    [runID, night, s.titleID.raw, s.settlement.paidAmount.cents, s.settlement.paidDate.iso])
            }
            return runID
        }
    }

    /// Deletes a committed night that was never published (its output was never visible); any
    /// other run (published, replaced, unknown) is left as it is.
    public func discardUnpublished(runID: Int64) throws {
        try transaction {
            let status = try q("SELECT status FROM runs WHERE id = $1 FOR UPDATE", [runID]).first.map {
                try $0.string(0)
            }
            guard status == "committed" else { return }
            let titles = try titlesOfRun(runID)
            for table in ["actions", "remittance_files", "settlements", "return_files", "customer_contacts", "offers"] {
                try q("DELETE FROM \(table) WHERE run_id = $1", [runID])
            }
            try q("DELETE FROM return_events WHERE file_hash NOT IN (SELECT hash FROM return_files)")
            try q("DELETE FROM runs WHERE id = $1 AND status = 'committed'", [runID])
            try rebuild(titles: titles)
            try rebuildEscalation(titles: titles)
        }
    }

    /// The titles a run touched.
    func titlesOfRun(_ run: Int64) throws -> [String] {
        try q(
            "SELECT DISTINCT title_id FROM actions WHERE night = (SELECT night FROM runs WHERE id = $1) AND run_id = $1",
            [run]
        ).map { try $0.string(0) }
    }

    /// A JSON array of objects, `nil` values as `null`: one parameter for `json_to_recordset`.
    static func json(_ rows: ArraySlice<[String: Any?]>) throws -> String {
        let objects = rows.map { row in row.mapValues { $0 ?? NSNull() } }
        return String(decoding: try JSONSerialization.data(withJSONObject: objects), as: UTF8.self)
    }

    /// Inserts `rows` in batches with `sql`, whose `$1` is the batch as JSON (then `extra`).
    func batched(_ rows: [[String: Any?]], _ sql: String, _ extra: [PostgresSession.Value] = []) throws {
        var start = 0
        while start < rows.count {
            let end = min(start + Self.batch, rows.count)
            try q(sql, [try Self.json(rows[start..<end])] + extra)
            start = end
        }
    }

    /// The night's actions and what they change in the compact tables (``CompactState``'s
    /// `NightWriter`): steps once per title (the primary key and `ON CONFLICT DO NOTHING`),
    /// contacts, the touched titles' state, four weeks of contacts kept, `last_seen` stamped.
    private func insertActions(_ n: NightCommit, runID: Int64) throws {
        let night = n.night.iso
        // Ids first, in the actions' order, so that the compact rows can name their audit row.
        let ids = try q(
            "SELECT nextval(pg_get_serial_sequence('actions', 'id')) FROM generate_series(1, $1)", [n.actions.count]
        ).map { Int64(try $0.int(0)) }.sorted()
        var dueByTitle: [TitleID: Day] = [:]
        for i in n.instructions { dueByTitle[i.titleID] = i.dueDate }
        var actionRows: [[String: Any?]] = []
        var stepRows: [[String: Any?]] = []
        var stepKeys = Set<[String]>()
        var contactRows: [[String: Any?]] = []
        var contactKeys = Set<[String]>()
        var changes = CompactState.TitleChanges()
        for (a, id) in zip(n.actions, ids) {
            let due = a.instruction != nil && a.kind == .sent ? dueByTitle[a.titleID]?.iso : nil
            actionRows.append([
                "id": id, "title_id": a.titleID.raw, "customer_id": a.customerID.raw, "step_id": a.stepID,
                "step_offset": a.offset, "kind": a.kind.rawValue, "channel": a.channel?.rawValue,
                "instruction": a.instruction?.rawValue, "reason": a.reason?.rawValue, "message_id": a.messageID,
                "profile": a.profile, "due_date": due, "arms": a.arms, "bureau": a.bureau?.rawValue,
                "handoff": a.handoff,
            ])
            guard a.kind == .sent || a.kind == .superseded else { continue }
            if CompactState.TitleChanges.recordsStep(a),
                stepKeys.insert([a.titleID.raw, a.kind.rawValue, a.stepID]).inserted
            {
                stepRows.append([
                    "title_id": a.titleID.raw, "kind": a.kind.rawValue, "step_id": a.stepID, "step_offset": a.offset,
                    "action_id": id,
                ])
            }
            if a.kind == .sent, let mid = a.messageID, contactKeys.insert([a.customerID.raw, mid]).inserted {
                contactRows.append(["customer_id": a.customerID.raw, "message_id": mid])
            }
            changes.add(a, due: due)
        }
        try batched(
            actionRows,
            """
            INSERT INTO actions (id, run_id, night, title_id, customer_id, step_id, step_offset, kind, channel,
                                 instruction, reason, message_id, profile, rules_hash, due_date, arms, bureau, handoff)
            SELECT id, $2, $3::date, title_id, customer_id, step_id, step_offset, kind, channel, instruction, reason,
                   message_id, profile, $4, due_date, arms, bureau, handoff
            FROM json_to_recordset($1::json) AS x(id bigint, title_id text, customer_id text, step_id text,
                 step_offset integer, kind text, channel text, instruction text, reason text, message_id text,
                 profile text, due_date date, arms text, bureau text, handoff text)
            ORDER BY id
            """, [runID, night, n.rulesHash])
        try batched(
            stepRows,
            """
            INSERT INTO title_steps (title_id, kind, step_id, step_offset, night, run_id, action_id)
            SELECT title_id, kind, step_id, step_offset, $2::date, $3, action_id
            FROM json_to_recordset($1::json) AS x(title_id text, kind text, step_id text, step_offset integer,
                 action_id bigint)
            ON CONFLICT DO NOTHING
            """, [night, runID])
        try batched(
            contactRows,
            """
            INSERT INTO customer_contacts (customer_id, night, message_id, run_id)
            SELECT customer_id, $2::date, message_id, $3
            FROM json_to_recordset($1::json) AS x(customer_id text, message_id text)
            ON CONFLICT DO NOTHING
            """, [night, runID])
        let stateRows: [[String: Any?]] = changes.inOrder.map { key, t in
            [
                "t": key, "c": t.customer, "due": t.due, "p": t.protested, "w": t.writtenOff,
                "bn": t.bank ? night : nil,
            ]
        }
        try batched(
            stateRows,
            """
            WITH x AS (
                SELECT * FROM json_to_recordset($1::json) AS x(t text, c text, due date, p boolean, w boolean, bn date)
            ), up AS (
                UPDATE title_state s SET
                    customer_id = x.c,
                    registered_due = coalesce(x.due, s.registered_due),
                    protested = coalesce(x.p, s.protested),
                    written_off = (s.written_off OR x.w),
                    bank_night = coalesce(x.bn, s.bank_night),
                    last_seen = greatest(s.last_seen, $2::date)
                FROM x WHERE s.title_id = x.t
                RETURNING s.title_id
            )
            INSERT INTO title_state (title_id, customer_id, registered_due, protested, written_off, bank_night,
                                     first_night, last_seen)
            SELECT x.t, x.c, x.due, coalesce(x.p, false), x.w, x.bn, $2::date, $2::date FROM x
            WHERE NOT EXISTS (SELECT 1 FROM up WHERE up.title_id = x.t)
            """, [night])
        let from = n.night.adding(days: -(CompactState.contactNightsKept - 1)).iso
        try q("DELETE FROM customer_contacts WHERE night < $1::date", [from])
        try q(
            """
            INSERT INTO history_horizons (name, night) VALUES ('customer_contacts', $1::date)
            ON CONFLICT (name) DO UPDATE SET night = greatest(history_horizons.night, excluded.night)
            """, [from])
        if !n.seenTitles.isEmpty {
            try q(
                "UPDATE title_state SET last_seen = $1::date WHERE last_seen < $2::date AND title_id = ANY($3::text[])",
                [night, n.night.adding(days: -CompactState.lastSeenSlack).iso, n.seenTitles.map(\.raw)])
        }
    }

    /// Folds one night's bureau and hand-off actions into `title_escalation`.
    func recordEscalation(night: Day, actions: [Action]) throws {
        for a in actions where a.kind == .sent && (a.bureau != nil || a.handoff != nil) {
            let column =
                a.handoff != nil ? "handed_off_on" : a.bureau == .include ? "bureau_included_on" : "bureau_excluded_on"
            try q(
                """
                INSERT INTO title_escalation (title_id, \(column), handoff) VALUES ($1, $2::date, $3)
                ON CONFLICT (title_id) DO UPDATE SET
                    \(column) = coalesce(title_escalation.\(column), excluded.\(column)),
                    handoff = coalesce(title_escalation.handoff, excluded.handoff)
                """, [a.titleID.raw, night.iso, a.handoff])
        }
    }

    /// Derives `title_escalation` again for titles whose run stopped counting.
    func rebuildEscalation(titles: [String]) throws {
        guard !titles.isEmpty else { return }
        try q("DELETE FROM title_escalation WHERE title_id = ANY($1::text[])", [titles])
        for r in try q(
            """
            SELECT title_id, night::text, bureau, handoff FROM actions
            WHERE kind = 'sent' AND (bureau IS NOT NULL OR handoff IS NOT NULL) AND title_id = ANY($1::text[])
            ORDER BY id
            """, [titles])
        {
            var a = Action(
                titleID: TitleID(try r.string(0)), customerID: CustomerID(""), stepID: "", offset: 0, kind: .sent,
                profile: "")
            a.bureau = try r.text(2).flatMap(BureauAction.init(rawValue:))
            a.handoff = try r.text(3)
            try recordEscalation(night: try r.day(1), actions: [a])
        }
    }

    /// Records the offers of a night's messages.
    func recordOffers(runID: Int64, night: Day, offers: [OfferRecord]) throws {
        let rows: [[String: Any?]] = offers.map { o in
            [
                "message_id": o.messageID, "customer_id": o.customerID.raw, "step_id": o.stepID,
                "cash_cents": o.offer.cashAmount.cents, "savings_cents": o.offer.savings.cents,
                "valid_until": o.offer.validUntil.iso,
                "installments": o.offer.installments.map { "\($0.count)x\($0.amount.cents)" }.joined(separator: ";"),
                "title_ids": o.titleIDs.map(\.raw).joined(separator: ";"),
            ]
        }
        try batched(
            rows,
            """
            INSERT INTO offers (run_id, night, message_id, customer_id, step_id, cash_cents, savings_cents,
                                valid_until, installments, title_ids)
            SELECT $2, $3::date, message_id, customer_id, step_id, cash_cents, savings_cents, valid_until,
                   installments, title_ids
            FROM json_to_recordset($1::json) AS x(message_id text, customer_id text, step_id text, cash_cents bigint,
                 savings_cents bigint, valid_until date, installments text, title_ids text)
            """, [runID, night.iso])
    }
}
