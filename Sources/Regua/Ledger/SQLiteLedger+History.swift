import GRDB

extension SQLiteLedger {
    /// What the decider needs about nights before `day`, for the titles and customers of `scope`
    /// (it may hold more): read from the compact tables (``CompactState``), so a night's read
    /// depends on its portfolio and the last weeks, not on the ledger's age. The hot tables are
    /// read whole — they hold the titles seen lately (`regua prune` archives the others), and
    /// one pass over them was 4–30× cheaper than a probe per title of a 250k-title night; the
    /// archive, which grows, is read only for the scope's titles that its filter
    /// (``ArchiveFilter``) cannot rule out.
    /// Contacts are read for the week before `day` (the kept weeks hold it; older weeks come
    /// from `actions`). A title whose bank state changed on `day` or later (a night re-decided,
    /// or explained in the past) is folded again from `actions`.
    public func history(before day: Day, scope: HistoryScope) throws -> LedgerHistory {
        try wrap {
            try dbQueue.read { db in
                var h = LedgerHistory()
                try Self.readSteps(db, "", before: day, titles: nil, into: &h)
                try Self.readBankState(db, "", before: day, titles: nil, into: &h)
                // The archive: whole for every title, else only the night's titles its filter keeps.
                var readArchive: (Bool, String?) = (false, nil)
                if let titles = scope.titles {
                    let candidates = try CompactState.archiveCandidates(db, among: titles.lazy.map(\.raw))
                    readArchive = (!candidates.isEmpty, JSONKeyList.encode(candidates))
                } else {
                    readArchive.0 =
                        try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM archived_title_state)") == true
                }
                if readArchive.0 {
                    try Self.readSteps(db, "archived_", before: day, titles: readArchive.1, into: &h)
                    try Self.readBankState(db, "archived_", before: day, titles: readArchive.1, into: &h)
                }
                try Self.readContacts(db, before: day, customers: nil, into: &h)
                h.unusableContacts = try Self.unusableContacts(db, before: day)
                h.uncertainDeliveries = try Self.uncertainDeliveries(db, before: day)
                try Self.readEscalation(db, before: day, titles: scope.titles, into: &h)
                return h
            }
        }
    }

    /// `AND key IN (…)` for a key list, or nothing for every key.
    private static func only(_ column: String, _ keys: String?) -> (sql: String, args: StatementArguments) {
        guard let keys else { return ("", []) }
        return (" AND \(column) IN (SELECT value FROM json_each(?))", [keys])
    }

    private static func readSteps(
        _ db: Database, _ prefix: String, before day: Day, titles: String?, into h: inout LedgerHistory
    ) throws {
        let f = only("title_id", titles)
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT title_id, kind, step_id, step_offset, night, action_id FROM \(prefix)title_steps
                WHERE night < ?\(f.sql)
                """, arguments: [day.iso] + f.args)
        // Per title in the order recorded (as the audit trail lists them).
        var order: [TitleID: [Int64]] = [:]
        while let r = try rows.next() {
            let title = TitleID(r[0])
            let step: String = r[2]
            if (r[1] as String) == "superseded" {
                h.superseded[title, default: []].insert(step)
            } else {
                h.sent[title, default: []].append(.init(stepID: step, offset: r[3], night: Day(iso: r[4] as String)!))
                order[title, default: []].append(r[5])
            }
        }
        for (title, ids) in order where ids.count > 1 {
            h.sent[title] = zip(ids, h.sent[title]!).sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    private static func readBankState(
        _ db: Database, _ prefix: String, before day: Day, titles: String?, into h: inout LedgerHistory
    ) throws {
        let f = only("title_id", titles)
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT title_id, registered_due, protested, written_off, bank_night FROM \(prefix)title_state
                WHERE bank_night IS NOT NULL\(f.sql)
                """, arguments: f.args)
        var refold: [String] = []
        while let r = try rows.next() {
            let bankNight: String = r[4]
            guard bankNight < day.iso else {
                refold.append(r[0])  // changed on `day` or later: its state before `day` is in `actions`
                continue
            }
            apply(TitleID(r[0]), due: r[1], protested: r[2], writtenOff: r[3], to: &h)
        }
        guard !refold.isEmpty else { return }
        let folds = try CompactState.fold(
            db, where: "night < ? AND title_id IN (SELECT value FROM json_each(?))",
            arguments: [day.iso, JSONKeyList.encode(refold)])
        for (title, fold) in folds where fold.bankNight != nil {
            apply(
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

    private static func readContacts(
        _ db: Database, before day: Day, customers: String?, into h: inout LedgerHistory
    ) throws {
        let weekStart = day.adding(days: -6).iso
        let horizon = try String.fetchOne(
            db, sql: "SELECT night FROM history_horizons WHERE name = 'customer_contacts'")
        let f = only("customer_id", customers)
        // The kept weeks hold this week; an older week is read from the audit trail.
        let sql =
            horizon.map { weekStart >= $0 } ?? true
            ? "SELECT customer_id, night, message_id FROM customer_contacts WHERE night >= ? AND night < ?\(f.sql)"
            : """
            SELECT customer_id, night, message_id FROM actions
            WHERE kind = 'sent' AND message_id IS NOT NULL AND night >= ? AND night < ?\(f.sql)
            """
        let rows = try Row.fetchCursor(db, sql: sql, arguments: [weekStart, day.iso] + f.args)
        var seen = Set<String>()
        while let r = try rows.next() {
            if seen.insert(r[2]).inserted {
                h.recentMessages[CustomerID(r[0]), default: []].append(Day(iso: r[1] as String)!)
            }
        }
        for (c, nights) in h.recentMessages where nights.count > 1 {
            h.recentMessages[c] = nights.sorted()
        }
    }

    /// The ladder steps first sent on nights `from` … `to` (the report's effectiveness), from
    /// `title_steps` by its night index: bounded by those nights' sends, not the ledger's age.
    public func ladderSteps(from: Day, to: Day) throws -> [EffectivenessStats.LadderStep] {
        try wrap {
            try dbQueue.read { db in
                var out: [EffectivenessStats.LadderStep] = []
                for table in ["title_steps", "archived_title_steps"] {
                    let rows = try Row.fetchCursor(
                        db,
                        sql: """
                            SELECT night, title_id, step_id, step_offset FROM \(table)
                            WHERE kind = 'sent' AND night >= ? AND night <= ?
                            """, arguments: [from.iso, to.iso])
                    while let r = try rows.next() {
                        out.append(
                            .init(night: Day(iso: r[0] as String)!, titleID: TitleID(r[1]), stepID: r[2], offset: r[3]))
                    }
                }
                return out
            }
        }
    }

    /// Per night and step, the titles first sent the step on nights `from` … `to` (the
    /// `step_sends` counts each commit keeps): a few rows a night, whatever the portfolio.
    public func stepSends(from: Day, to: Day) throws -> [EffectivenessStats.StepSends] {
        try wrap {
            try dbQueue.read { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT night, step_id, titles, first_offset FROM step_sends
                        WHERE night >= ? AND night <= ? ORDER BY night, step_id, run_id
                        """, arguments: [from.iso, to.iso]
                ).map { r in
                    .init(night: Day(iso: r[0] as String)!, stepID: r[1], titles: r[2], firstOffset: r[3])
                }
            }
        }
    }

    /// The ladder steps first sent on nights `from` … `to` for `titles` only, looked up by title
    /// (the archive only for the titles its filter keeps).
    public func ladderSteps(from: Day, to: Day, titles: [TitleID]) throws -> [EffectivenessStats.LadderStep] {
        guard !titles.isEmpty else { return [] }
        return try wrap {
            try dbQueue.read { db in
                var out: [EffectivenessStats.LadderStep] = []
                let keys = titles.map(\.raw)
                let archived = try CompactState.archiveCandidates(db, among: keys)
                for (table, ids) in [("title_steps", keys), ("archived_title_steps", archived)] where !ids.isEmpty {
                    // `+` keeps SQLite on the primary key (a probe per title), off the night index.
                    let rows = try Row.fetchCursor(
                        db,
                        sql: """
                            SELECT night, title_id, step_id, step_offset FROM \(table)
                            WHERE title_id IN (SELECT value FROM json_each(?)) AND +kind = 'sent'
                              AND +night >= ? AND +night <= ?
                            """, arguments: [JSONKeyList.encode(ids), from.iso, to.iso])
                    while let r = try rows.next() {
                        out.append(
                            .init(night: Day(iso: r[0] as String)!, titleID: TitleID(r[1]), stepID: r[2], offset: r[3]))
                    }
                }
                return EffectivenessStats.LadderStep.inOrder(out)
            }
        }
    }

    /// The titles with a settlement recorded on or before `day` and paid on or after `paidFrom`
    /// (by the payment-date index).
    public func titlesSettled(paidFrom: Day, upTo day: Day) throws -> [TitleID] {
        try wrap {
            try dbQueue.read { db in
                try String.fetchAll(
                    db,
                    sql:
                        "SELECT DISTINCT title_id FROM settlements WHERE paid_date >= ? AND night <= ? ORDER BY title_id",
                    arguments: [paidFrom.iso, day.iso]
                ).map(TitleID.init)
            }
        }
    }

    /// Settlements read from bank return files on or before `day`, for `titles` only (by the
    /// title index): as ``settlements(upTo:)`` restricted to them, whatever the ledger's age.
    public func settlements(upTo day: Day, titles: [TitleID]) throws -> [TitleID: Settlement] {
        try wrap {
            try dbQueue.read { db in
                var out: [TitleID: Settlement] = [:]
                guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM settlements)") == true, !titles.isEmpty
                else { return out }
                for r in try Row.fetchAll(
                    db,
                    sql: """
                        SELECT title_id, paid_cents, paid_date FROM settlements
                        WHERE night <= ? AND title_id IN (SELECT value FROM json_each(?)) ORDER BY id
                        """, arguments: [day.iso, JSONKeyList.encode(titles.lazy.map(\.raw))])
                {
                    out[TitleID(r[0])] = Settlement(paidAmount: Money(cents: r[1]), paidDate: Day(iso: r[2] as String)!)
                }
                return out
            }
        }
    }
}
