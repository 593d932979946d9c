import GRDB

/// The compact state a night reads instead of the whole audit trail (SPEC §5), kept by each
/// night's commit in `title_steps`, `title_state` and `customer_contacts`:
///
/// - `title_steps`: per title, each step sent (rule steps; `bank:` follow-ups are not steps)
///   or recorded superseded, once, with the night and the audit row (`actions.id`) it was first
///   recorded by. The highest offset sent is the largest `step_offset` of a title's `sent` rows.
/// - `title_state`: per title that ever had a step or an instruction: the bank's state
///   (registered due date, protested, written off; bureau-included and handed-off are ready for
///   later steps), the last night an instruction changed it (`bank_night`), and `last_seen`, a
///   night the title was in the receivables, at most a week old (what retention archives by).
/// - `customer_contacts`: the messages sent to each customer in the last ``contactNightsKept``
///   nights (one row per message), for `max_contacts_per_week`.
///
/// Everything here is derived from `actions`, which stays complete; ``rebuild(_:titles:)`` derives
/// it again for some titles (a `--force` replacing a night, a discarded night, the migration).
/// The SQL is plain (no SQLite-only functions besides `json_each`, `unnest` in PostgreSQL).
enum CompactState {
    /// Nights of contacts kept: four weeks, so a night re-decided or explained up to three
    /// weeks back still finds its week in the table (older weeks are read from `actions`).
    static let contactNightsKept = 28
    /// `last_seen` is rewritten only when older than this many nights: a title's row is written
    /// about once a week, not every night.
    static let lastSeenSlack = 6

    /// One title's state folded from its actions.
    struct Fold {
        struct Step {
            var kind: String
            var stepID: String
            var offset: Int
            var night: String
            var runID: Int64
            var actionID: Int64
        }
        var customerID: String
        var steps: [Step] = []
        var registeredDue: String?
        var protested = false
        var writtenOff = false
        var bankNight: String?
        var firstNight: String
        var lastNight: String

        /// Adds one `sent` or `superseded` action, in the order recorded (as the reference read).
        mutating func add(
            kind: String, stepID: String, offset: Int, night: String, runID: Int64, actionID: Int64,
            instruction: String?, due: String?
        ) {
            lastNight = max(lastNight, night)
            firstNight = min(firstNight, night)
            if kind == "superseded" || !stepID.hasPrefix("bank:") {
                if !steps.contains(where: { $0.kind == kind && $0.stepID == stepID }) {
                    steps.append(
                        Step(kind: kind, stepID: stepID, offset: offset, night: night, runID: runID, actionID: actionID)
                    )
                }
            }
            guard kind == "sent", let ins = instruction.flatMap(RemittanceInstruction.init(rawValue:)) else { return }
            bankNight = max(bankNight ?? night, night)
            switch ins {
            case .register, .changeDue:
                if let due, Day(iso: due) != nil { registeredDue = due }
            case .protest: protested = true
            case .stopProtest: protested = false
            case .writeOff: writtenOff = true
            }
        }
    }

    /// Columns of `actions` that ``fold(_:where:arguments:)`` reads.
    static let foldColumns =
        "id, run_id, night, title_id, customer_id, step_id, step_offset, kind, instruction, due_date"

    /// Folds the `sent` and `superseded` actions matching `condition`, in recorded order.
    static func fold(_ db: Database, where condition: String, arguments: StatementArguments) throws -> [String: Fold] {
        var out: [String: Fold] = [:]
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT \(foldColumns) FROM actions
                WHERE kind IN ('sent', 'superseded') AND \(condition) ORDER BY id
                """, arguments: arguments)
        while let r = try rows.next() {
            let title: String = r[3]
            let night: String = r[2]
            out[title, default: Fold(customerID: r[4], firstNight: night, lastNight: night)].add(
                kind: r[7], stepID: r[5], offset: r[6], night: night, runID: r[1], actionID: r[0],
                instruction: r[8], due: r[9])
        }
        return out
    }

    /// Writes folded titles as their whole compact state (their earlier rows must be gone);
    /// `lastSeen` keeps a title's known `last_seen` (else its last action's night).
    static func write(_ db: Database, _ folds: [String: Fold], lastSeen: [String: String] = [:]) throws {
        let step = try db.cachedStatement(
            sql: """
                INSERT INTO title_steps (title_id, kind, step_id, step_offset, night, run_id, action_id)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """)
        let state = try db.cachedStatement(
            sql: """
                INSERT INTO title_state (title_id, customer_id, registered_due, protested, written_off, bank_night,
                                         first_night, last_seen)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """)
        for (title, f) in folds {
            for s in f.steps {
                try step.execute(arguments: [title, s.kind, s.stepID, s.offset, s.night, s.runID, s.actionID])
            }
            try state.execute(arguments: [
                title, f.customerID, f.registeredDue, f.protested, f.writtenOff, f.bankNight, f.firstNight,
                max(lastSeen[title] ?? f.lastNight, f.lastNight),
            ])
        }
    }

    /// Derives the compact state of `titles` again from `actions` (after a run's actions stopped
    /// counting: replaced by `--force`, or discarded).
    static func rebuild(_ db: Database, titles: [String]) throws {
        guard !titles.isEmpty else { return }
        let ids = JSONKeyList.encode(titles)
        var lastSeen: [String: String] = [:]
        for table in ["title_state", "archived_title_state"] {
            for r in try Row.fetchAll(
                db,
                sql: "SELECT title_id, last_seen FROM \(table) WHERE title_id IN (SELECT value FROM json_each(?))",
                arguments: [ids])
            {
                lastSeen[r[0]] = r[1]
            }
        }
        let runsBefore = try runsOfSteps(db, titles: ids)
        for table in ["title_steps", "title_state", "archived_title_steps", "archived_title_state"] {
            try db.execute(
                sql: "DELETE FROM \(table) WHERE title_id IN (SELECT value FROM json_each(?))", arguments: [ids])
        }
        let folds = try fold(db, where: "title_id IN (SELECT value FROM json_each(?))", arguments: [ids])
        try write(db, folds, lastSeen: lastSeen)
        try recountStepSends(db, runs: runsBefore.union(try runsOfSteps(db, titles: ids)))
    }

    /// A run and its night, as `title_steps` names them.
    struct RunNight: Hashable {
        var run: Int64
        var night: String
    }

    /// The runs (with their nights) that recorded a step of these titles (a JSON key list).
    static func runsOfSteps(_ db: Database, titles ids: String) throws -> Set<RunNight> {
        var out = Set<RunNight>()
        for table in ["title_steps", "archived_title_steps"] {
            for r in try Row.fetchAll(
                db,
                sql: "SELECT DISTINCT run_id, night FROM \(table) WHERE title_id IN (SELECT value FROM json_each(?))",
                arguments: [ids])
            {
                out.insert(RunNight(run: r[0], night: r[1]))
            }
        }
        return out
    }

    /// Counts again, for each run, the `step_sends` rows (per step: the titles whose first send
    /// of it was that run's, and their smallest offset) from `title_steps`, hot and archived, by
    /// the night index: what the report's step effectiveness reads instead of 90 nights of rows.
    static func recountStepSends(_ db: Database, runs: Set<RunNight>) throws {
        for r in runs {
            try db.execute(
                sql: "DELETE FROM step_sends WHERE night = ? AND run_id = ?", arguments: [r.night, r.run])
            try db.execute(
                sql: """
                    INSERT INTO step_sends (night, step_id, run_id, titles, first_offset)
                    SELECT night, step_id, run_id, count(*), min(step_offset) FROM (
                        SELECT night, step_id, run_id, step_offset FROM title_steps
                        WHERE kind = 'sent' AND night = ?1 AND run_id = ?2
                        UNION ALL
                        SELECT night, step_id, run_id, step_offset FROM archived_title_steps
                        WHERE kind = 'sent' AND night = ?1 AND run_id = ?2
                    ) GROUP BY night, step_id, run_id
                    """, arguments: [r.night, r.run])
        }
    }

    /// Builds `step_sends` whole from `title_steps` (the migration).
    static func buildStepSends(_ db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO step_sends (night, step_id, run_id, titles, first_offset)
                SELECT night, step_id, run_id, count(*), min(step_offset) FROM (
                    SELECT night, step_id, run_id, step_offset FROM title_steps WHERE kind = 'sent'
                    UNION ALL
                    SELECT night, step_id, run_id, step_offset FROM archived_title_steps WHERE kind = 'sent'
                ) GROUP BY night, step_id, run_id
                """)
    }

    /// A run's actions stopped counting (`--force` marked them `replaced-…`): its contacts go,
    /// and the titles it touched are derived again from the actions that still count.
    static func forget(_ db: Database, run: Int64) throws {
        try db.execute(sql: "DELETE FROM customer_contacts WHERE run_id = ?", arguments: [run])
        try rebuild(
            db,
            titles: try String.fetchAll(
                db, sql: Self.titlesOfRun, arguments: [run, run]))
    }

    /// The titles a run touched, found through the run's night (`actions_night`), not a scan.
    static let titlesOfRun = """
        SELECT DISTINCT title_id FROM actions WHERE night = (SELECT night FROM runs WHERE id = ?) AND run_id = ?
        """

    /// Builds the whole compact state of a ledger from its `actions` (the migration).
    static func buildAll(_ db: Database) throws {
        try write(db, try fold(db, where: "1 = 1", arguments: []))
        guard
            let last = try String.fetchOne(db, sql: "SELECT max(night) FROM runs WHERE status != 'replaced'")
                .flatMap(Day.init(iso:))
        else { return }
        let from = last.adding(days: -(contactNightsKept - 1)).iso
        try db.execute(
            sql: """
                INSERT INTO customer_contacts (customer_id, night, message_id, run_id)
                SELECT customer_id, night, message_id, min(run_id) FROM actions
                WHERE kind = 'sent' AND message_id IS NOT NULL AND night >= ?
                GROUP BY customer_id, night, message_id
                """, arguments: [from])
        try db.execute(
            sql: "INSERT INTO history_horizons (name, night) VALUES ('customer_contacts', ?)", arguments: [from])
    }

    /// Folds one night's actions (just inserted, with their `actions.id`) into the compact state.
    struct NightWriter {
        private var changes = TitleChanges()
        let runID: Int64
        let night: String
        let step: Statement
        let contact: Statement

        init(_ db: Database, runID: Int64, night: Day) throws {
            self.runID = runID
            self.night = night.iso
            step = try db.cachedStatement(
                sql: """
                    INSERT INTO title_steps (title_id, kind, step_id, step_offset, night, run_id, action_id)
                    VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
                    """)
            contact = try db.cachedStatement(
                sql: """
                    INSERT INTO customer_contacts (customer_id, night, message_id, run_id)
                    VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING
                    """)
        }

        /// One action of the night, as recorded under `actionID`; `due` is the due date sent with its instruction.
        mutating func add(_ a: Action, actionID: Int64, due: String?) throws {
            guard a.kind == .sent || a.kind == .superseded else { return }
            if TitleChanges.recordsStep(a) {
                try step.execute(arguments: [
                    a.titleID.raw, a.kind.rawValue, a.stepID, a.offset, night, runID, actionID,
                ])
            }
            if a.kind == .sent, let mid = a.messageID {
                try contact.execute(arguments: [a.customerID.raw, night, mid, runID])
            }
            changes.add(a, due: due)
        }

        /// Writes the titles touched tonight, keeps four weeks of contacts, and stamps `last_seen`
        /// of the titles in tonight's files (`seen`).
        func finish(_ db: Database, seen: [TitleID]) throws {
            let state = try db.cachedStatement(
                sql: """
                    INSERT INTO title_state (title_id, customer_id, registered_due, protested, written_off, bank_night,
                                             first_night, last_seen)
                    VALUES (:t, :c, :due, coalesce(:p, 0), :w, :bn, :night, :night)
                    ON CONFLICT (title_id) DO UPDATE SET
                        customer_id = excluded.customer_id,
                        registered_due = coalesce(:due, registered_due),
                        protested = coalesce(:p, protested),
                        written_off = (written_off OR :w),
                        bank_night = coalesce(:bn, bank_night),
                        last_seen = max(last_seen, :night)
                    """)
            for (key, t) in changes.inOrder {
                try state.execute(arguments: [
                    "t": key, "c": t.customer, "due": t.due, "p": t.protested, "w": t.writtenOff,
                    "bn": t.bank ? night : nil, "night": night,
                ])
            }
            let day = Day(iso: night)!
            let from = day.adding(days: -(CompactState.contactNightsKept - 1)).iso
            try db.execute(sql: "DELETE FROM customer_contacts WHERE night < ?", arguments: [from])
            try db.execute(
                sql: """
                    INSERT INTO history_horizons (name, night) VALUES ('customer_contacts', ?)
                    ON CONFLICT (name) DO UPDATE SET night = max(night, excluded.night)
                    """, arguments: [from])
            // Through the `last_seen` index (`+title_id` keeps SQLite from probing the primary
            // key once per title of the night): the rows due for a stamp, each tested against
            // the night's titles.
            if !seen.isEmpty {
                try db.execute(
                    sql: """
                        UPDATE title_state SET last_seen = ?
                        WHERE last_seen < ? AND +title_id IN (SELECT value FROM json_each(?))
                        """,
                    arguments: [
                        night, day.adding(days: -CompactState.lastSeenSlack).iso, JSONKeyList.encode(seen.map(\.raw)),
                    ])
            }
        }
    }

    /// What one night's `sent` and `superseded` actions change in each title's `title_state`, in
    /// the order the titles were first touched: the same fold for the SQLite and the PostgreSQL
    /// commit, which differ only in how they write it.
    struct TitleChanges {
        /// One title's change: its customer, the due date registered tonight (nil: unchanged),
        /// protested set or cleared (nil: unchanged), written off, and whether an instruction
        /// went to the bank tonight (its `bank_night`).
        struct Change {
            var customer: String
            var due: String?
            var protested: Bool?
            var writtenOff = false
            var bank = false
        }
        private var changes: [String: Change] = [:]
        private var order: [String] = []

        /// Whether an action has a `title_steps` row: a rule step sent, or any step superseded
        /// (the `bank:` follow-ups of the data are not steps).
        static func recordsStep(_ a: Action) -> Bool {
            a.kind == .superseded || (a.kind == .sent && !a.stepID.hasPrefix("bank:"))
        }

        /// Folds one action of the night; `due` is the due date sent with its instruction.
        mutating func add(_ a: Action, due: String?) {
            guard a.kind == .sent || a.kind == .superseded else { return }
            let key = a.titleID.raw
            if changes[key] == nil {
                changes[key] = Change(customer: a.customerID.raw)
                order.append(key)
            }
            guard a.kind == .sent, let ins = a.instruction else { return }
            changes[key]!.bank = true
            switch ins {
            case .register, .changeDue: if let due { changes[key]!.due = due }
            case .protest: changes[key]!.protested = true
            case .stopProtest: changes[key]!.protested = false
            case .writeOff: changes[key]!.writtenOff = true
            }
        }

        /// Each touched title and its change, in the order first touched.
        var inOrder: [(title: String, change: Change)] { order.map { ($0, changes[$0]!) } }
    }
}
