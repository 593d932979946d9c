import Foundation
import PostgresNIO

/// What a night reads (``SQLiteLedger/history(before:scope:)`` in PostgreSQL): the compact
/// tables whole, the archive for the night's titles only, a week of contacts, bank state folded
/// again from `actions` for a title whose state changed on `day` or later.
extension PostgresLedger {
    /// What the decider needs about nights before `day`, for the titles and customers of `scope`.
    public func history(before day: Day, scope: HistoryScope) throws -> LedgerHistory {
        try snapshot { try readHistory(before: day, scope: scope) }
    }

    private func readHistory(before day: Day, scope: HistoryScope) throws -> LedgerHistory {
        var h = LedgerHistory()
        try readSteps("", before: day, titles: nil, into: &h)
        try readBankState("", before: day, titles: nil, into: &h)
        // The archive (filled by a prune): only the scope's titles are looked up in it.
        if try q("SELECT EXISTS (SELECT 1 FROM archived_title_state)").first?.bool(0) == true {
            let titles = scope.titles.map { $0.map(\.raw) }
            try readSteps("archived_", before: day, titles: titles, into: &h)
            try readBankState("archived_", before: day, titles: titles, into: &h)
        }
        try readContacts(before: day, into: &h)
        h.unusableContacts = try unusableContacts(before: day)
        // The deliveries left uncertain by earlier nights' `deliver`, for the worklist.
        h.uncertainDeliveries = try q(
            """
            SELECT \(Self.deliveryColumns) FROM deliveries
            WHERE state = 'uncertain' AND night < $1::date ORDER BY night, message_id COLLATE "C"
            """, [day.iso]
        ).map(Self.deliveryRecord)
        try readEscalation(before: day, titles: scope.titles.map { $0.map(\.raw) }, into: &h)
        return h
    }

    /// Contacts marked unusable for nights up to `day`, by customer, each with the event that
    /// marked it (the worklist's "since when").
    func unusableContacts(before day: Day) throws -> [CustomerID: [UnusableContact]] {
        var out: [CustomerID: [UnusableContact]] = [:]
        for r in try q(
            """
            SELECT customer_id, contact_kind, contact_hash, issue, since::text FROM unusable_contacts
            WHERE since <= $1::date ORDER BY customer_id COLLATE "C", contact_kind, contact_hash
            """, [day.iso])
        {
            guard let kind = ContactKind(rawValue: try r.string(1)), let issue = ContactIssue(rawValue: try r.string(3))
            else { continue }
            out[CustomerID(try r.string(0)), default: []].append(
                UnusableContact(kind: kind, valueHash: try r.string(2), issue: issue, since: try r.day(4)))
        }
        if !out.isEmpty {
            // The report that made each contact unusable, for the worklist's "since when".
            var events: [String: [ContactEvent]] = [:]
            for r in try q(
                """
                SELECT e.customer_id, e.contact_kind, e.contact_hash, e.kind, e.day::text FROM contact_events e
                JOIN unusable_contacts u ON u.customer_id = e.customer_id AND u.contact_kind = e.contact_kind
                    AND u.contact_hash = e.contact_hash
                WHERE u.since <= $1::date ORDER BY e.id
                """, [day.iso])
            {
                guard let k = ContactEventKind(rawValue: try r.string(3)) else { continue }
                events[try r.string(0) + "\u{0}" + r.string(1) + "\u{0}" + r.string(2), default: []].append(
                    ContactEvent(kind: k, day: try r.day(4)))
            }
            for (customer, marks) in out {
                out[customer] = marks.map { m in
                    var m = m
                    m.markedBy = ContactRules.markingEvent(
                        kind: m.kind,
                        events: events[customer.raw + "\u{0}" + m.kind.rawValue + "\u{0}" + m.valueHash] ?? [])
                    return m
                }
            }
        }
        return out
    }

    /// `AND column = ANY($n)` for a key list, or nothing for every key.
    private func only(_ column: String, _ keys: [String]?, _ n: Int) -> (sql: String, args: [PostgresSession.Value]) {
        guard let keys else { return ("", []) }
        return (" AND \(column) = ANY($\(n)::text[])", [keys])
    }

    private func readSteps(_ prefix: String, before day: Day, titles: [String]?, into h: inout LedgerHistory) throws {
        let f = only("title_id", titles, 2)
        var order: [TitleID: [Int64]] = [:]
        for r in try q(
            """
            SELECT title_id, kind, step_id, step_offset, night::text, action_id FROM \(prefix)title_steps
            WHERE night < $1::date\(f.sql)
            """, [day.iso] + f.args)
        {
            let title = TitleID(try r.string(0))
            let step = try r.string(2)
            if try r.string(1) == "superseded" {
                h.superseded[title, default: []].insert(step)
            } else {
                h.sent[title, default: []].append(.init(stepID: step, offset: try r.int(3), night: try r.day(4)))
                order[title, default: []].append(Int64(try r.int(5)))
            }
        }
        // Per title in the order recorded (as the audit trail lists them).
        for (title, ids) in order where ids.count > 1 {
            h.sent[title] = zip(ids, h.sent[title]!).sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    private func readBankState(_ prefix: String, before day: Day, titles: [String]?, into h: inout LedgerHistory)
        throws
    {
        let f = only("title_id", titles, 1)
        var refold: [String] = []
        for r in try q(
            """
            SELECT title_id, registered_due::text, protested, written_off, bank_night::text FROM \(prefix)title_state
            WHERE bank_night IS NOT NULL\(f.sql)
            """, f.args)
        {
            guard try r.string(4) < day.iso else {
                refold.append(try r.string(0))  // changed on `day` or later: its state before `day` is in `actions`
                continue
            }
            Self.apply(
                TitleID(try r.string(0)), due: try r.text(1), protested: try r.bool(2), writtenOff: try r.bool(3),
                to: &h)
        }
        guard !refold.isEmpty else { return }
        for (title, fold) in try fold(where: "night < $1::date AND title_id = ANY($2::text[])", [day.iso, refold])
        where fold.bankNight != nil {
            Self.apply(
                TitleID(title), due: fold.registeredDue, protested: fold.protested, writtenOff: fold.writtenOff, to: &h)
        }
    }

    private static func apply(
        _ title: TitleID, due: String?, protested: Bool, writtenOff: Bool, to h: inout LedgerHistory
    ) {
        if let due, let d = Day(iso: due) { h.registeredDue[title] = d }
        if protested { h.protested.insert(title) }
        if writtenOff { h.writtenOff.insert(title) }
    }

    private func readContacts(before day: Day, into h: inout LedgerHistory) throws {
        let weekStart = day.adding(days: -6).iso
        let horizon = try q("SELECT night::text FROM history_horizons WHERE name = 'customer_contacts'").first?.string(
            0)
        // The kept weeks hold this week; an older week is read from the audit trail.
        let sql =
            horizon.map { weekStart >= $0 } ?? true
            ? "SELECT customer_id, night::text, message_id FROM customer_contacts WHERE night >= $1::date AND night < $2::date"
            : """
            SELECT customer_id, night::text, message_id FROM actions
            WHERE kind = 'sent' AND message_id IS NOT NULL AND night >= $1::date AND night < $2::date
            """
        var seen = Set<String>()
        for r in try q(sql, [weekStart, day.iso]) where seen.insert(try r.string(2)).inserted {
            h.recentMessages[CustomerID(try r.string(0)), default: []].append(try r.day(1))
        }
        for (c, nights) in h.recentMessages where nights.count > 1 {
            h.recentMessages[c] = nights.sorted()
        }
    }

    private func readEscalation(before day: Day, titles: [String]?, into h: inout LedgerHistory) throws {
        // Most ledgers have no bureau or agency yet: no array of the night's titles to send.
        guard try q("SELECT EXISTS (SELECT 1 FROM title_escalation)").first?.bool(0) == true else { return }
        let filter = titles == nil ? "" : " WHERE title_id = ANY($1::text[])"
        let night = day.iso
        for r in try q(
            """
            SELECT title_id, bureau_included_on::text, bureau_excluded_on::text, handed_off_on::text
            FROM title_escalation\(filter)
            """, titles.map { [$0] } ?? [])
        {
            let title = TitleID(try r.string(0))
            if let on = try r.text(1), on < night { h.bureauIncluded[title] = Day(iso: on) }
            if let on = try r.text(2), on < night { h.bureauExcluded.insert(title) }
            if let on = try r.text(3), on < night { h.handedOff.insert(title) }
        }
    }

    // MARK: - Compact state derived again from the audit trail

    /// Folds the `sent` and `superseded` actions matching `condition`, in recorded order.
    func fold(where condition: String, _ values: [PostgresSession.Value]) throws -> [String: CompactState.Fold] {
        var out: [String: CompactState.Fold] = [:]
        for r in try q(
            """
            SELECT id, run_id, night::text, title_id, customer_id, step_id, step_offset, kind, instruction, due_date::text
            FROM actions WHERE kind IN ('sent', 'superseded') AND \(condition) ORDER BY id
            """, values)
        {
            let title = try r.string(3)
            let night = try r.string(2)
            let customer = try r.string(4)
            out[title, default: CompactState.Fold(customerID: customer, firstNight: night, lastNight: night)].add(
                kind: try r.string(7), stepID: try r.string(5), offset: try r.int(6), night: night,
                runID: Int64(try r.int(1)), actionID: Int64(try r.int(0)), instruction: try r.text(8),
                due: try r.text(9))
        }
        return out
    }

    /// Derives the compact state of `titles` again from `actions` (a run replaced or discarded).
    func rebuild(titles: [String]) throws {
        guard !titles.isEmpty else { return }
        var lastSeen: [String: String] = [:]
        for table in ["title_state", "archived_title_state"] {
            for r in try q("SELECT title_id, last_seen::text FROM \(table) WHERE title_id = ANY($1::text[])", [titles])
            {
                lastSeen[try r.string(0)] = try r.string(1)
            }
        }
        let runsBefore = try runsOfSteps(titles: titles)
        for table in ["title_steps", "title_state", "archived_title_steps", "archived_title_state"] {
            try q("DELETE FROM \(table) WHERE title_id = ANY($1::text[])", [titles])
        }
        for (title, f) in try fold(where: "title_id = ANY($1::text[])", [titles]) {
            for s in f.steps {
                try q(
                    """
                    INSERT INTO title_steps (title_id, kind, step_id, step_offset, night, run_id, action_id)
                    VALUES ($1, $2, $3, $4, $5::date, $6, $7)
                    """, [title, s.kind, s.stepID, s.offset, s.night, s.runID, s.actionID])
            }
            try q(
                """
                INSERT INTO title_state (title_id, customer_id, registered_due, protested, written_off, bank_night,
                                         first_night, last_seen)
                VALUES ($1, $2, $3::date, $4, $5, $6::date, $7::date, $8::date)
                """,
                [
                    title, f.customerID, f.registeredDue, f.protested, f.writtenOff, f.bankNight, f.firstNight,
                    max(lastSeen[title] ?? f.lastNight, f.lastNight),
                ])
        }
        try recountStepSends(runs: runsBefore.union(try runsOfSteps(titles: titles)))
    }

    /// The runs (with their nights) that recorded a step of these titles.
    func runsOfSteps(titles: [String]) throws -> Set<CompactState.RunNight> {
        var out = Set<CompactState.RunNight>()
        for table in ["title_steps", "archived_title_steps"] {
            for r in try q(
                "SELECT DISTINCT run_id, night::text FROM \(table) WHERE title_id = ANY($1::text[])", [titles])
            {
                out.insert(CompactState.RunNight(run: Int64(try r.int(0)), night: try r.string(1)))
            }
        }
        return out
    }

    /// ``CompactState/recountStepSends(_:runs:)`` in PostgreSQL.
    func recountStepSends(runs: Set<CompactState.RunNight>) throws {
        for r in runs {
            try q("DELETE FROM step_sends WHERE night = $1::date AND run_id = $2", [r.night, r.run])
            try q(
                """
                INSERT INTO step_sends (night, step_id, run_id, titles, first_offset)
                SELECT night, step_id, run_id, count(*), min(step_offset) FROM (
                    SELECT night, step_id, run_id, step_offset FROM title_steps
                    WHERE kind = 'sent' AND night = $1::date AND run_id = $2
                    UNION ALL
                    SELECT night, step_id, run_id, step_offset FROM archived_title_steps
                    WHERE kind = 'sent' AND night = $1::date AND run_id = $2
                ) s GROUP BY night, step_id, run_id
                """, [r.night, r.run])
        }
    }

    /// Moves the state of the titles missing from the receivables for a week to the archive
    /// (``CompactState/archiveStale(_:night:)``), after tonight's `last_seen` stamps.
    func archiveStale(night: Day) throws {
        let moved = try q(
            "SELECT title_id FROM title_state WHERE last_seen < $1::date", [CompactState.staleBefore(night)]
        ).map { try $0.string(0) }
        guard !moved.isEmpty else { return }
        for table in ["title_steps", "title_state"] {
            try q("INSERT INTO archived_\(table) SELECT * FROM \(table) WHERE title_id = ANY($1::text[])", [moved])
            try q("DELETE FROM \(table) WHERE title_id = ANY($1::text[])", [moved])
        }
    }

    /// Archived titles in tonight's receivables (or touched tonight) come back to the hot tables.
    func restoreArchived(titles: [String]) throws {
        guard try q("SELECT EXISTS (SELECT 1 FROM archived_title_state)").first?.bool(0) == true else { return }
        let back = try q("SELECT title_id FROM archived_title_state WHERE title_id = ANY($1::text[])", [titles])
            .map { try $0.string(0) }
        guard !back.isEmpty else { return }
        for table in ["title_steps", "title_state"] {
            try q("INSERT INTO \(table) SELECT * FROM archived_\(table) WHERE title_id = ANY($1::text[])", [back])
            try q("DELETE FROM archived_\(table) WHERE title_id = ANY($1::text[])", [back])
        }
    }
}
