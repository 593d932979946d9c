import GRDB

extension SQLiteLedger {
    /// The schema as named, ordered migrations: a later version opens an older ledger and keeps
    /// its history. Never edit a registered migration; add a new one.
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1-nights-and-actions") { db in
            try db.execute(
                sql: """
                    CREATE TABLE runs (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        night TEXT NOT NULL,
                        rules_hash TEXT NOT NULL,
                        inputs_hash TEXT NOT NULL,
                        status TEXT NOT NULL,            -- committed | published | replaced
                        forced BOOLEAN NOT NULL DEFAULT 0,
                        exit_code INTEGER NOT NULL DEFAULT 0,
                        recorded_at TEXT NOT NULL        -- wall clock, for audits only; never in output
                    );
                    CREATE INDEX runs_night ON runs(night);
                    CREATE TABLE actions (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        run_id INTEGER NOT NULL REFERENCES runs(id),
                        night TEXT NOT NULL,
                        title_id TEXT NOT NULL,
                        customer_id TEXT NOT NULL,
                        step_id TEXT NOT NULL,
                        step_offset INTEGER NOT NULL,
                        kind TEXT NOT NULL,              -- sent | superseded | held
                        channel TEXT,
                        instruction TEXT,
                        reason TEXT,
                        message_id TEXT,
                        profile TEXT NOT NULL,
                        rules_hash TEXT NOT NULL,
                        due_date TEXT                    -- due date sent to the bank with an instruction
                    );
                    CREATE INDEX actions_night ON actions(night);
                    CREATE INDEX actions_title ON actions(title_id);
                    CREATE TABLE remittance_files (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        run_id INTEGER NOT NULL REFERENCES runs(id),
                        night TEXT NOT NULL,
                        bank_code TEXT NOT NULL,
                        agreement TEXT NOT NULL,
                        nsa INTEGER NOT NULL,
                        file_name TEXT NOT NULL,
                        records INTEGER NOT NULL,
                        UNIQUE (bank_code, agreement, nsa)
                    );
                    CREATE TABLE return_files (
                        hash TEXT PRIMARY KEY,
                        run_id INTEGER NOT NULL REFERENCES runs(id),
                        night TEXT NOT NULL,
                        name TEXT NOT NULL,
                        bank_code TEXT NOT NULL,
                        nsa INTEGER NOT NULL
                    );
                    CREATE TABLE return_events (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        file_hash TEXT NOT NULL,
                        title_id TEXT,
                        nosso_numero TEXT NOT NULL,
                        movement TEXT NOT NULL,
                        kind TEXT NOT NULL,
                        paid_cents INTEGER,
                        occurrence_date TEXT,
                        reasons TEXT NOT NULL
                    );
                    CREATE TABLE settlements (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        run_id INTEGER NOT NULL REFERENCES runs(id),
                        night TEXT NOT NULL,
                        title_id TEXT NOT NULL,
                        paid_cents INTEGER NOT NULL,
                        paid_date TEXT NOT NULL
                    );
                    CREATE INDEX settlements_title ON settlements(title_id);
                    """)
        }
        m.registerMigration("v2-customer-and-kind-indexes") { db in
            // The weekly cap and `regua stats` read actions by customer and by kind.
            try db.execute(
                sql: """
                    CREATE INDEX actions_customer_night ON actions(customer_id, night);
                    CREATE INDEX actions_kind_night ON actions(kind, night);
                    """)
        }
        m.registerMigration("v3-run-guards") { db in
            // `--accept-gap` (the nights a run let go, e.g. "2026-11-24..2026-11-28") and a night
            // let through over `policy.max_messages` by `--force`: both are operator decisions
            // that an audit must be able to find.
            try db.execute(
                sql: """
                    ALTER TABLE runs ADD COLUMN accepted_gap TEXT;
                    ALTER TABLE runs ADD COLUMN forced_volume BOOLEAN NOT NULL DEFAULT 0;
                    """)
        }
        m.registerMigration("v4-compact-history") { db in
            // What a night reads (SPEC §5: not the whole audit trail); see CompactState. Built
            // here from the actions an earlier version recorded, kept by every commit after.
            try db.execute(
                sql: """
                    CREATE TABLE title_steps (
                        title_id TEXT NOT NULL,
                        kind TEXT NOT NULL,              -- sent | superseded
                        step_id TEXT NOT NULL,
                        step_offset INTEGER NOT NULL,
                        night TEXT NOT NULL,             -- the night it was first recorded
                        run_id INTEGER NOT NULL,
                        action_id INTEGER NOT NULL,      -- the audit row (actions.id) it came from
                        PRIMARY KEY (title_id, kind, step_id)
                    ) WITHOUT ROWID;
                    CREATE INDEX title_steps_night ON title_steps(kind, night, step_offset);  -- covers the report's read
                    CREATE TABLE title_state (
                        title_id TEXT PRIMARY KEY,
                        customer_id TEXT NOT NULL,
                        registered_due TEXT,             -- due date registered with the bank (register, change_due)
                        protested BOOLEAN NOT NULL DEFAULT 0,
                        written_off BOOLEAN NOT NULL DEFAULT 0,
                        bureau_included BOOLEAN NOT NULL DEFAULT 0,
                        handed_off BOOLEAN NOT NULL DEFAULT 0,
                        bank_night TEXT,                 -- the last night an instruction was sent
                        first_night TEXT NOT NULL,
                        last_seen TEXT NOT NULL          -- a night it was in the receivables (at most a week old)
                    ) WITHOUT ROWID;
                    CREATE INDEX title_state_last_seen ON title_state(last_seen);
                    CREATE TABLE customer_contacts (
                        customer_id TEXT NOT NULL,
                        night TEXT NOT NULL,
                        message_id TEXT NOT NULL,
                        run_id INTEGER NOT NULL,
                        PRIMARY KEY (customer_id, night, message_id)
                    ) WITHOUT ROWID;
                    CREATE INDEX customer_contacts_night ON customer_contacts(night);
                    CREATE INDEX customer_contacts_run ON customer_contacts(run_id);
                    CREATE TABLE history_horizons (
                        name TEXT PRIMARY KEY,           -- a compact table kept for recent nights only
                        night TEXT NOT NULL              -- it holds every row of this night and later
                    );
                    """)
            try CompactState.buildAll(db)
        }
        m.registerMigration("v5-retention") { db in
            // `regua prune`: what was removed, when; and the state of titles that left the
            // receivables long ago, out of the tables a night reads first (same columns).
            try db.execute(
                sql: """
                    CREATE TABLE prunes (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        recorded_at TEXT NOT NULL,       -- wall clock, for audits only
                        as_of TEXT NOT NULL,
                        keep_days INTEGER NOT NULL,
                        cutoff TEXT NOT NULL,            -- folders of nights before this one were removed
                        folders INTEGER NOT NULL,
                        folder_names TEXT NOT NULL,      -- one per line
                        titles_archived INTEGER NOT NULL
                    );
                    CREATE TABLE archived_title_steps (
                        title_id TEXT NOT NULL,
                        kind TEXT NOT NULL,
                        step_id TEXT NOT NULL,
                        step_offset INTEGER NOT NULL,
                        night TEXT NOT NULL,
                        run_id INTEGER NOT NULL,
                        action_id INTEGER NOT NULL,
                        PRIMARY KEY (title_id, kind, step_id)
                    ) WITHOUT ROWID;
                    CREATE INDEX archived_title_steps_night ON archived_title_steps(kind, night, step_offset);
                    CREATE TABLE archived_title_state (
                        title_id TEXT PRIMARY KEY,
                        customer_id TEXT NOT NULL,
                        registered_due TEXT,
                        protested BOOLEAN NOT NULL DEFAULT 0,
                        written_off BOOLEAN NOT NULL DEFAULT 0,
                        bureau_included BOOLEAN NOT NULL DEFAULT 0,
                        handed_off BOOLEAN NOT NULL DEFAULT 0,
                        bank_night TEXT,
                        first_night TEXT NOT NULL,
                        last_seen TEXT NOT NULL
                    ) WITHOUT ROWID;
                    """)
        }
        m.registerMigration("v6-archive-filter") { db in
            // A Bloom filter of the archived title ids (ArchiveFilter), kept by `regua prune`.
            try db.execute(
                sql: """
                    CREATE TABLE archive_filter (
                        name TEXT PRIMARY KEY,           -- 'archived_title_state'
                        bits BLOB NOT NULL,
                        ids INTEGER NOT NULL
                    );
                    """)
            try CompactState.rebuildArchiveFilter(db)
        }
        registerEscalation(&m)
        registerShards(&m)
        registerDeliveryMigrations(&m)
        m.registerMigration("v8-step-sends") { db in
            // The report's step effectiveness in bounded time (CompactState.recountStepSends):
            // per night, step and run, the titles first sent the step; and the settlements by
            // payment date, for the titles paid in its 90-night window.
            try db.execute(
                sql: """
                    CREATE TABLE step_sends (
                        night TEXT NOT NULL,
                        step_id TEXT NOT NULL,
                        run_id INTEGER NOT NULL,
                        titles INTEGER NOT NULL,         -- titles whose first send of the step was this run's
                        first_offset INTEGER NOT NULL,   -- the smallest step_offset among them
                        PRIMARY KEY (night, step_id, run_id)
                    ) WITHOUT ROWID;
                    CREATE INDEX settlements_paid ON settlements(paid_date);
                    """)
            try CompactState.buildStepSends(db)
        }
        return m
    }
}
