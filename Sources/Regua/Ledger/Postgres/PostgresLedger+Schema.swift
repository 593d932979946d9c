/// The PostgreSQL schema: the tables of the SQLite ledger (``SQLiteLedger/migrator`` and the
/// migrations registered after it) in PostgreSQL types — `date` for nights and dates,
/// `bigint`/`integer` for numbers and cents, `boolean`, `bytea`, `timestamptz` for the wall-clock
/// stamps audits read — as a list of its own with the same names, applied once each and recorded
/// in `regua_migrations`. Never edit a registered migration; add a new one at the end.
///
/// Two things only PostgreSQL has, for the guarantees between processes: a partial unique index
/// lets at most one run of a night count (`runs_one_night`; a sharded schema will key it by
/// shard too), and `remittance_files` keeps its `UNIQUE (bank_code, agreement, nsa)`, so two
/// processes can never record the same NSA.
extension PostgresLedger {
    /// The migrations, in order: (name, statements).
    static let migrations: [(name: String, sql: String)] =
        [
            (
                "v1-nights-and-actions",
                """
                CREATE TABLE runs (
                    id BIGSERIAL PRIMARY KEY,
                    night DATE NOT NULL,
                    rules_hash TEXT NOT NULL,
                    inputs_hash TEXT NOT NULL,
                    status TEXT NOT NULL,              -- committed | published | replaced
                    forced BOOLEAN NOT NULL DEFAULT false,
                    exit_code INTEGER NOT NULL DEFAULT 0,
                    recorded_at TIMESTAMPTZ NOT NULL   -- wall clock, for audits only, never in output
                );
                CREATE INDEX runs_night ON runs(night);
                CREATE UNIQUE INDEX runs_one_night ON runs(night) WHERE status <> 'replaced';
                CREATE TABLE actions (
                    id BIGSERIAL PRIMARY KEY,
                    run_id BIGINT NOT NULL REFERENCES runs(id),
                    night DATE NOT NULL,
                    title_id TEXT NOT NULL,
                    customer_id TEXT NOT NULL,
                    step_id TEXT NOT NULL,
                    step_offset INTEGER NOT NULL,
                    kind TEXT NOT NULL,                -- sent | superseded | held (replaced-… after --force)
                    channel TEXT,
                    instruction TEXT,
                    reason TEXT,
                    message_id TEXT,
                    profile TEXT NOT NULL,
                    rules_hash TEXT NOT NULL,
                    due_date DATE                      -- due date sent to the bank with an instruction
                );
                CREATE INDEX actions_night ON actions(night);
                CREATE INDEX actions_title ON actions(title_id);
                CREATE TABLE remittance_files (
                    id BIGSERIAL PRIMARY KEY,
                    run_id BIGINT NOT NULL REFERENCES runs(id),
                    night DATE NOT NULL,
                    bank_code TEXT NOT NULL,
                    agreement TEXT NOT NULL,
                    nsa INTEGER NOT NULL,
                    file_name TEXT NOT NULL,
                    records INTEGER NOT NULL,
                    UNIQUE (bank_code, agreement, nsa)
                );
                CREATE TABLE return_files (
                    hash TEXT PRIMARY KEY,
                    run_id BIGINT NOT NULL REFERENCES runs(id),
                    night DATE NOT NULL,
                    name TEXT NOT NULL,
                    bank_code TEXT NOT NULL,
                    nsa INTEGER NOT NULL
                );
                CREATE TABLE return_events (
                    id BIGSERIAL PRIMARY KEY,
                    file_hash TEXT NOT NULL,
                    title_id TEXT,
                    nosso_numero TEXT NOT NULL,
                    movement TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    paid_cents BIGINT,
                    occurrence_date DATE,
                    reasons TEXT NOT NULL
                );
                CREATE TABLE settlements (
                    id BIGSERIAL PRIMARY KEY,
                    run_id BIGINT NOT NULL REFERENCES runs(id),
                    night DATE NOT NULL,
                    title_id TEXT NOT NULL,
                    paid_cents BIGINT NOT NULL,
                    paid_date DATE NOT NULL
                );
                CREATE INDEX settlements_title ON settlements(title_id);
                """
            ),
            (
                "v2-customer-and-kind-indexes",
                """
                CREATE INDEX actions_customer_night ON actions(customer_id, night);
                CREATE INDEX actions_kind_night ON actions(kind, night);
                """
            ),
            (
                "v3-run-guards",
                """
                ALTER TABLE runs ADD COLUMN accepted_gap TEXT;
                ALTER TABLE runs ADD COLUMN forced_volume BOOLEAN NOT NULL DEFAULT false;
                """
            ),
            (
                // A PostgreSQL ledger starts at this version: there are no older actions to fold.
                "v4-compact-history",
                """
                CREATE TABLE title_steps (
                    title_id TEXT NOT NULL,
                    kind TEXT NOT NULL,                -- sent | superseded
                    step_id TEXT NOT NULL,
                    step_offset INTEGER NOT NULL,
                    night DATE NOT NULL,               -- the night it was first recorded
                    run_id BIGINT NOT NULL,
                    action_id BIGINT NOT NULL,         -- the audit row (actions.id) it came from
                    PRIMARY KEY (title_id, kind, step_id)
                );
                CREATE INDEX title_steps_night ON title_steps(kind, night, step_offset);
                CREATE TABLE title_state (
                    title_id TEXT PRIMARY KEY,
                    customer_id TEXT NOT NULL,
                    registered_due DATE,
                    protested BOOLEAN NOT NULL DEFAULT false,
                    written_off BOOLEAN NOT NULL DEFAULT false,
                    bureau_included BOOLEAN NOT NULL DEFAULT false,
                    handed_off BOOLEAN NOT NULL DEFAULT false,
                    bank_night DATE,
                    first_night DATE NOT NULL,
                    last_seen DATE NOT NULL
                );
                CREATE INDEX title_state_last_seen ON title_state(last_seen);
                CREATE TABLE customer_contacts (
                    customer_id TEXT NOT NULL,
                    night DATE NOT NULL,
                    message_id TEXT NOT NULL,
                    run_id BIGINT NOT NULL,
                    PRIMARY KEY (customer_id, night, message_id)
                );
                CREATE INDEX customer_contacts_night ON customer_contacts(night);
                CREATE INDEX customer_contacts_run ON customer_contacts(run_id);
                CREATE TABLE history_horizons (
                    name TEXT PRIMARY KEY,
                    night DATE NOT NULL
                );
                """
            ),
            (
                "v5-retention",
                """
                CREATE TABLE prunes (
                    id BIGSERIAL PRIMARY KEY,
                    recorded_at TIMESTAMPTZ NOT NULL,
                    as_of DATE NOT NULL,
                    keep_days INTEGER NOT NULL,
                    cutoff DATE NOT NULL,
                    folders INTEGER NOT NULL,
                    folder_names TEXT NOT NULL,
                    titles_archived INTEGER NOT NULL
                );
                CREATE TABLE archived_title_steps (LIKE title_steps INCLUDING ALL);
                CREATE TABLE archived_title_state (LIKE title_state INCLUDING ALL);
                """
            ),
            (
                "v6-archive-filter",
                """
                CREATE TABLE archive_filter (
                    name TEXT PRIMARY KEY,
                    bits BYTEA NOT NULL,
                    ids INTEGER NOT NULL
                );
                """
            ),
            (
                "v7-escalation",
                """
                ALTER TABLE actions ADD COLUMN arms TEXT;
                ALTER TABLE actions ADD COLUMN bureau TEXT;
                ALTER TABLE actions ADD COLUMN handoff TEXT;
                CREATE TABLE title_escalation (
                    title_id TEXT PRIMARY KEY,
                    bureau_included_on DATE,
                    bureau_excluded_on DATE,
                    handed_off_on DATE,
                    handoff TEXT
                );
                CREATE TABLE offers (
                    id BIGSERIAL PRIMARY KEY,
                    run_id BIGINT NOT NULL REFERENCES runs(id),
                    night DATE NOT NULL,
                    message_id TEXT NOT NULL,
                    customer_id TEXT NOT NULL,
                    step_id TEXT NOT NULL,
                    cash_cents BIGINT NOT NULL,
                    savings_cents BIGINT NOT NULL,
                    valid_until DATE NOT NULL,
                    installments TEXT NOT NULL,
                    title_ids TEXT NOT NULL
                );
                CREATE INDEX offers_night ON offers(night);
                CREATE INDEX offers_run ON offers(run_id);
                """
            ),
            (
                "d1-deliveries-and-feedback",
                """
                CREATE TABLE deliveries (
                    message_id TEXT PRIMARY KEY,
                    night DATE NOT NULL,
                    channel TEXT NOT NULL,
                    customer_id TEXT NOT NULL,
                    contact_hash TEXT NOT NULL,
                    state TEXT NOT NULL,
                    attempts INTEGER NOT NULL,
                    answer TEXT,
                    updated_at TIMESTAMPTZ NOT NULL
                );
                CREATE INDEX deliveries_night ON deliveries(night, state);
                CREATE TABLE delivery_attempts (
                    id BIGSERIAL PRIMARY KEY,
                    message_id TEXT NOT NULL,
                    attempt INTEGER NOT NULL,
                    started_at TIMESTAMPTZ NOT NULL,
                    state TEXT NOT NULL,
                    answer TEXT
                );
                CREATE INDEX delivery_attempts_message ON delivery_attempts(message_id);
                CREATE TABLE feedback_reports (
                    identity TEXT PRIMARY KEY,
                    source TEXT NOT NULL,
                    message_id TEXT,
                    outcome TEXT NOT NULL,
                    read_at TIMESTAMPTZ NOT NULL
                );
                CREATE TABLE contact_events (
                    id BIGSERIAL PRIMARY KEY,
                    report_identity TEXT NOT NULL,
                    customer_id TEXT NOT NULL,
                    contact_kind TEXT NOT NULL,
                    contact_hash TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    day DATE NOT NULL,
                    message_id TEXT
                );
                CREATE INDEX contact_events_contact ON contact_events(customer_id, contact_kind, contact_hash);
                CREATE TABLE unusable_contacts (
                    customer_id TEXT NOT NULL,
                    contact_kind TEXT NOT NULL,
                    contact_hash TEXT NOT NULL,
                    issue TEXT NOT NULL,
                    since DATE NOT NULL,
                    message_id TEXT,
                    PRIMARY KEY (customer_id, contact_kind, contact_hash)
                );
                """
            ),
        ] + shardMigrations + [
            (
                "v8-step-sends",
                """
                CREATE TABLE step_sends (
                    night DATE NOT NULL,
                    step_id TEXT NOT NULL,
                    run_id BIGINT NOT NULL,
                    titles INTEGER NOT NULL,
                    first_offset INTEGER NOT NULL,
                    PRIMARY KEY (night, step_id, run_id)
                );
                INSERT INTO step_sends (night, step_id, run_id, titles, first_offset)
                SELECT night, step_id, run_id, count(*), min(step_offset) FROM (
                    SELECT night, step_id, run_id, step_offset FROM title_steps WHERE kind = 'sent'
                    UNION ALL
                    SELECT night, step_id, run_id, step_offset FROM archived_title_steps WHERE kind = 'sent'
                ) s GROUP BY night, step_id, run_id;
                CREATE INDEX settlements_paid ON settlements(paid_date);
                """
            )
        ]

    /// The advisory lock (transaction-scoped) that serialises two processes migrating at once.
    static let migrationLock: (Int32, Int32) = (0x5247_0000 - 1, 0)

    /// Applies the migrations not yet applied, in one transaction (PostgreSQL's DDL is
    /// transactional: a migration killed halfway leaves nothing). A database with tables of its
    /// own and no `regua_migrations` is another application's: refused, left untouched.
    static func migrate(_ s: PostgresSession, inOpenTransaction: Bool) throws {
        if !inOpenTransaction { try s.execute("BEGIN") }
        do {
            try s.query("SELECT pg_advisory_xact_lock($1, $2)", [migrationLock.0, migrationLock.1])
            let applied = try appliedMigrations(s)
            if applied == nil {
                let others =
                    try s.query(
                        "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()"
                    ).first?.int(0) ?? 0
                if others > 0 {
                    throw LedgerError(
                        path: s.url.description,
                        message:
                            "is a database of another application (\(others) tables, no regua_migrations); it was left untouched — point --state at a database of its own"
                    )
                }
                try s.execute(
                    "CREATE TABLE regua_migrations (name TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"
                )
            }
            for m in migrations where !(applied ?? []).contains(m.name) {
                try s.execute(m.sql)
                try s.query("INSERT INTO regua_migrations (name) VALUES ($1)", [m.name])
            }
            if !inOpenTransaction { try s.execute("COMMIT") }
        } catch {
            if !inOpenTransaction { try? s.execute("ROLLBACK") }
            throw error
        }
    }

    /// The migrations applied, or nil when the database has no Regua schema yet.
    static func appliedMigrations(_ s: PostgresSession) throws -> Set<String>? {
        let exists = try s.query("SELECT to_regclass('regua_migrations') IS NOT NULL").first?.bool(0) ?? false
        guard exists else { return nil }
        return Set(try s.query("SELECT name FROM regua_migrations").map { try $0.string(0) })
    }
}
