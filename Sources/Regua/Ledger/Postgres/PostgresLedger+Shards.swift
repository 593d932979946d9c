import Foundation

/// Sharded nights in a PostgreSQL ledger (SPEC §5 "Past one machine"): the operations of
/// ``SQLiteLedger``'s `h1-shards`, with the same answers, for shards on many machines.
///
/// - A shard's run is a row of `runs` carrying its `shard` and `shards` (0 and 0: unsharded),
///   written in the night's one transaction; `shard_runs` is a view of those rows, so the
///   tables read as in SQLite. The unique index `runs_one_night_per_shard` lets at most one run
///   of each (night, N, K) count, whatever the processes do.
/// - Claims (`shard_claims`) are the exactly-once gate: `INSERT … ON CONFLICT DO NOTHING` under
///   a transaction-scoped advisory lock on the night (``nightLock``), which the commit of an
///   unsharded night takes too, so "sharded or unsharded, one N, one rule book" holds between
///   processes that start at the same moment.
/// - NSAs are reserved (`nsa_reservations`) under an advisory lock per (bank, agreement); the
///   primary key `(bank_code, agreement, first_nsa)` and `remittance_files`' unique NSA make a
///   collision impossible even so.
/// - Shards commit after their files are flushed, each in one short transaction serialised
///   with the other shards' (``shardCommitLock``): their writes to the shared rows
///   (`history_horizons`, the contacts window) never wait on a shard still rendering.
extension PostgresLedger {
    /// `n1-shards`: the shard of each run, the claims and the NSA reservations (the tables of
    /// SQLite's `h1-shards`, `shard_runs` as a view of `runs`).
    static let shardMigrations: [(name: String, sql: String)] = [
        (
            "n1-shards",
            """
            ALTER TABLE runs ADD COLUMN shard INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE runs ADD COLUMN shards INTEGER NOT NULL DEFAULT 0;
            DROP INDEX runs_one_night;
            CREATE UNIQUE INDEX runs_one_night_per_shard ON runs(night, shards, shard) WHERE status <> 'replaced';
            CREATE VIEW shard_runs AS SELECT id AS run_id, night, shard, shards FROM runs WHERE shards > 0;
            CREATE TABLE shard_claims (
                night DATE NOT NULL,
                shard INTEGER NOT NULL,
                shards INTEGER NOT NULL,
                rules_hash TEXT NOT NULL,
                claimed_at TIMESTAMPTZ NOT NULL,
                PRIMARY KEY (night, shards, shard)
            );
            CREATE TABLE nsa_reservations (
                bank_code TEXT NOT NULL,
                agreement TEXT NOT NULL,
                first_nsa INTEGER NOT NULL,
                count INTEGER NOT NULL,
                night DATE NOT NULL,
                shard INTEGER NOT NULL,
                shards INTEGER NOT NULL,
                PRIMARY KEY (bank_code, agreement, first_nsa),
                UNIQUE (night, shards, shard, bank_code, agreement)
            )
            """
        )
    ]

    /// The transaction-scoped advisory lock of a night's claims: 'RG' with 0xFFFD, the night.
    static func nightLock(_ night: Day) -> (Int32, Int32) {
        (Int32(bitPattern: 0x5247_FFFD), LedgerLockKey(night: night).advisoryKeys.1)
    }

    /// The transaction-scoped advisory lock that serialises the shards' (short) commits.
    static let shardCommitLock: (Int32, Int32) = (Int32(bitPattern: 0x5247_FFFC), 0)

    /// From now on, every run this ledger commits is recorded as shard `shard` of its night.
    public func recordRuns(as shard: Shard) throws { runShard.set(shard) }

    /// Claims shard `shard` of `night` with a rule book, or refuses (exit 2) when the night was
    /// run unsharded, or another shard of it uses another N or another rule book.
    public func claimShard(night: Day, shard: Shard, rulesHash: String) throws {
        let refusal: String? = try transaction {
            let (k1, k2) = Self.nightLock(night)
            try q("SELECT pg_advisory_xact_lock($1, $2)", [k1, k2])
            let unsharded =
                try q(
                    "SELECT count(*) FROM runs WHERE night = $1::date AND status <> 'replaced' AND shards = 0",
                    [night.iso]
                ).first?.int(0) ?? 0
            if unsharded > 0 {
                return "night \(night.iso) was already run unsharded; a shard of it cannot be run"
            }
            for r in try q(
                "SELECT shard, shards, rules_hash FROM shard_claims WHERE night = $1::date ORDER BY shards, shard",
                [night.iso])
            {
                let (k, n, hash) = (try r.int(0), try r.int(1), try r.string(2))
                if n != shard.count {
                    return
                        "night \(night.iso) is already split in \(n) shards (shard \(k)/\(n) ran); shard \(shard) of \(shard.count) is refused: every shard of a night uses the same N"
                }
                if hash != rulesHash, k != shard.index {
                    return
                        "shard \(k)/\(n) of night \(night.iso) ran with another rule book (\(hash.prefix(12))); shard \(shard) is refused: every shard of a night uses the same rule book"
                }
            }
            let inserted = try q(
                """
                INSERT INTO shard_claims (night, shard, shards, rules_hash, claimed_at)
                VALUES ($1::date, $2, $3, $4, clock_timestamp())
                ON CONFLICT DO NOTHING RETURNING shard
                """, [night.iso, shard.index, shard.count, rulesHash])
            if inserted.isEmpty {
                // Its own earlier claim: a rerun with another rule book moves it (as in SQLite).
                try q(
                    "UPDATE shard_claims SET rules_hash = $4 WHERE night = $1::date AND shard = $2 AND shards = $3",
                    [night.iso, shard.index, shard.count, rulesHash])
            }
            return nil
        }
        if let refusal { throw ReguaError(.refused, refusal + "; nothing was done") }
    }

    /// Whether any shard of `night` was claimed.
    public func nightIsSharded(_ night: Day) throws -> Bool {
        try q("SELECT count(*) FROM shard_claims WHERE night = $1::date", [night.iso]).first?.int(0) ?? 0 > 0
    }

    /// The shard's run of a night, if committed and not replaced.
    public func night(_ day: Day, shard: Shard) throws -> NightRecord? {
        try nightRecord(
            "WHERE night = $1::date AND status <> 'replaced' AND shards = $2 AND shard = $3",
            [day.iso, shard.count, shard.index])
    }

    /// The latest night that counts for the shard's guards: runs of the other shards of the same
    /// N do not (see ``SQLiteLedger/shardFilter(_:)``), before `day` when given.
    public func lastNight(shard: Shard, before day: Day?) throws -> NightRecord? {
        let others = "NOT (shards = $1 AND shard <> $2)"
        if let day {
            return try nightRecord(
                "WHERE status <> 'replaced' AND night < $3::date AND \(others) ORDER BY night DESC",
                [shard.count, shard.index, day.iso])
        }
        return try nightRecord(
            "WHERE status <> 'replaced' AND \(others) ORDER BY night DESC", [shard.count, shard.index])
    }

    /// The first of `count` consecutive NSAs for the shard's remittance files of a night: its
    /// earlier block when there is one (a rerun writes the same files), else a new block after
    /// every NSA recorded or reserved for the bank and agreement.
    public func reserveNSA(night: Day, shard: Shard, bankCode: String, agreement: String, count: Int) throws -> Int {
        try transaction {
            try q(
                "SELECT pg_advisory_xact_lock($1, hashtext($2))",
                [Int32(bitPattern: 0x5247_FFFB), bankCode + "/" + agreement])
            let mine: [PostgresSession.Value] = [night.iso, shard.index, shard.count, bankCode, agreement]
            let own = "night = $1::date AND shard = $2 AND shards = $3 AND bank_code = $4 AND agreement = $5"
            if let r = try q("SELECT first_nsa, count FROM nsa_reservations WHERE \(own)", mine).first {
                if try r.int(1) >= count { return try r.int(0) }
                // Never the case for a rerun with the same inputs; inputs changed: a new block.
                try q("DELETE FROM nsa_reservations WHERE \(own)", mine)
            }
            // Under the agreement's lock, in this transaction: no other shard reserves meanwhile.
            let first = try nextNSA(bankCode: bankCode, agreement: agreement)
            try q(
                """
                INSERT INTO nsa_reservations (bank_code, agreement, first_nsa, count, night, shard, shards)
                VALUES ($1, $2, $3, $4, $5::date, $6, $7)
                """, [bankCode, agreement, first, max(count, 1), night.iso, shard.index, shard.count])
            return first
        }
    }

    /// The nights recorded up to `day` (every night when nil), newest first, with their
    /// unsharded run and their shards.
    public func nightStatuses(upTo day: Day?) throws -> [NightStatus] {
        let limit = day?.iso ?? "9999-12-31"
        var byNight: [Day: NightStatus] = [:]
        for r in try q(
            "SELECT night::text, status FROM runs WHERE status <> 'replaced' AND night <= $1::date AND shards = 0",
            [limit])
        {
            let night = try r.day(0)
            byNight[night, default: NightStatus(night: night, unsharded: nil, shards: [])].unsharded =
                NightRecord.Status(rawValue: try r.string(1))
        }
        for r in try q(
            """
            SELECT c.night::text, c.shard, c.shards, c.rules_hash,
                   (SELECT s.status FROM runs s WHERE s.night = c.night AND s.shard = c.shard AND s.shards = c.shards
                    AND s.status <> 'replaced')
            FROM shard_claims c WHERE c.night <= $1::date ORDER BY c.night, c.shards, c.shard
            """, [limit])
        {
            let night = try r.day(0)
            guard let shard = Shard(index: try r.int(1), count: try r.int(2)) else { continue }
            let record = ShardRecord(
                night: night, shard: shard, rulesHash: try r.string(3),
                status: try r.text(4).flatMap(NightRecord.Status.init(rawValue:)))
            byNight[night, default: NightStatus(night: night, unsharded: nil, shards: [])].shards.append(record)
        }
        return byNight.values.sorted { $0.night > $1.night }
    }
}
