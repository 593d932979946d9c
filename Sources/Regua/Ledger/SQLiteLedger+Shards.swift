import Foundation
import GRDB
#if canImport(Glibc)
    import Glibc
#endif

/// What the ledger knows of one shard's run of a night.
public struct ShardRecord: Sendable, Hashable {
    /// The night.
    public var night: Day
    /// The shard (K of N).
    public var shard: Shard
    /// Hash of the rule book the shard was claimed (and decided) with.
    public var rulesHash: String
    /// The shard's run, once committed: its status (committed or published).
    public var status: NightRecord.Status?
}

/// A night as `regua status` lists it: unsharded, or the shards that ran it.
public struct NightStatus: Sendable, Hashable {
    /// The night.
    public var night: Day
    /// The unsharded run of the night, if one was recorded (committed or published).
    public var unsharded: NightRecord.Status?
    /// The shards claimed for the night (started at least once), by (N, K).
    public var shards: [ShardRecord]
}

extension SQLiteLedger {
    /// `h1-shards`: which run decided which shard of a night, the shards' claims (the rule book
    /// and N every shard of a night shares) and the remittance NSAs reserved per shard.
    static func registerShards(_ m: inout DatabaseMigrator) {
        m.registerMigration("h1-shards") { db in
            try db.execute(
                sql: """
                    CREATE TABLE shard_runs (
                        run_id INTEGER PRIMARY KEY REFERENCES runs(id),
                        night TEXT NOT NULL,
                        shard INTEGER NOT NULL,
                        shards INTEGER NOT NULL
                    );
                    CREATE INDEX shard_runs_night ON shard_runs(night, shards, shard);
                    CREATE TABLE shard_claims (
                        night TEXT NOT NULL,
                        shard INTEGER NOT NULL,
                        shards INTEGER NOT NULL,
                        rules_hash TEXT NOT NULL,
                        claimed_at TEXT NOT NULL,
                        PRIMARY KEY (night, shards, shard)
                    );
                    CREATE TABLE nsa_reservations (
                        bank_code TEXT NOT NULL,
                        agreement TEXT NOT NULL,
                        first_nsa INTEGER NOT NULL,
                        count INTEGER NOT NULL,
                        night TEXT NOT NULL,
                        shard INTEGER NOT NULL,
                        shards INTEGER NOT NULL,
                        PRIMARY KEY (bank_code, agreement, first_nsa),
                        UNIQUE (night, shards, shard, bank_code, agreement)
                    );
                    """)
        }
    }

    /// Runs of other shards of the same N do not count as "the last night" of a shard: a
    /// shard's guards (past night, gap) look at its own runs, unsharded runs and runs of
    /// another N (a night split differently covers every customer).
    static func shardFilter(_ shard: Shard) -> String {
        """
        AND id NOT IN (SELECT run_id FROM shard_runs WHERE shards = \(shard.count) AND shard != \(shard.index))
        """
    }

    /// From now on, every run this ledger commits is recorded as shard `shard` of its night, in
    /// the same transaction (a temporary trigger on this connection).
    public func recordRuns(as shard: Shard) throws {
        try wrap {
            try dbQueue.inDatabase { db in
                try db.execute(sql: "DROP TRIGGER IF EXISTS temp.regua_shard_of_run")
                try db.execute(
                    sql: """
                        CREATE TEMP TRIGGER regua_shard_of_run AFTER INSERT ON main.runs BEGIN
                            INSERT INTO shard_runs (run_id, night, shard, shards)
                            VALUES (NEW.id, NEW.night, \(shard.index), \(shard.count));
                        END
                        """)
            }
        }
    }

    /// Claims shard `shard` of `night` with a rule book, or refuses (exit 2) when the night was
    /// run unsharded, or another shard of it uses another N or another rule book.
    public func claimShard(night: Day, shard: Shard, rulesHash: String) throws {
        let refusal: String? = try wrap {
            try dbQueue.write { db in
                let unsharded =
                    try Int.fetchOne(
                        db,
                        sql: """
                            SELECT count(*) FROM runs WHERE night = ? AND status != 'replaced'
                            AND id NOT IN (SELECT run_id FROM shard_runs)
                            """, arguments: [night.iso]) ?? 0
                if unsharded > 0 {
                    return "night \(night.iso) was already run unsharded; a shard of it cannot be run"
                }
                for row in try Row.fetchAll(
                    db,
                    sql: "SELECT shard, shards, rules_hash FROM shard_claims WHERE night = ? ORDER BY shards, shard",
                    arguments: [night.iso])
                {
                    let k: Int = row["shard"]
                    let n: Int = row["shards"]
                    let hash: String = row["rules_hash"]
                    if n != shard.count {
                        return
                            "night \(night.iso) is already split in \(n) shards (shard \(k)/\(n) ran); shard \(shard) of \(shard.count) is refused: every shard of a night uses the same N"
                    }
                    if hash != rulesHash, k != shard.index {
                        return
                            "shard \(k)/\(n) of night \(night.iso) ran with another rule book (\(hash.prefix(12))); shard \(shard) is refused: every shard of a night uses the same rule book"
                    }
                }
                try db.execute(
                    sql: """
                        INSERT INTO shard_claims (night, shard, shards, rules_hash, claimed_at) VALUES (?, ?, ?, ?, ?)
                        ON CONFLICT (night, shards, shard) DO UPDATE SET rules_hash = excluded.rules_hash
                        """,
                    arguments: [
                        night.iso, shard.index, shard.count, rulesHash, ISO8601DateFormatter().string(from: Date()),
                    ])
                return nil
            }
        }
        if let refusal { throw ReguaError(.refused, refusal + "; nothing was done") }
    }

    /// Whether any shard of `night` was claimed (an unsharded run of it is then refused).
    public func nightIsSharded(_ night: Day) throws -> Bool {
        try wrap {
            try dbQueue.read { db in
                try Int.fetchOne(db, sql: "SELECT count(*) FROM shard_claims WHERE night = ?", arguments: [night.iso])
                    ?? 0 > 0
            }
        }
    }

    /// The shard's run of a night, if committed and not replaced.
    public func night(_ day: Day, shard: Shard) throws -> NightRecord? {
        try wrap {
            try dbQueue.read { db in
                try Self.nightRecord(
                    db,
                    sql: """
                        WHERE night = ? AND status != 'replaced'
                        AND id IN (SELECT run_id FROM shard_runs WHERE shard = ? AND shards = ?)
                        """, [day.iso, shard.index, shard.count])
            }
        }
    }

    /// The latest night that counts for the shard's guards (see ``shardFilter(_:)``), before
    /// `day` when given.
    public func lastNight(shard: Shard, before day: Day?) throws -> NightRecord? {
        try wrap {
            try dbQueue.read { db in
                if let day {
                    return try Self.nightRecord(
                        db,
                        sql: "WHERE status != 'replaced' AND night < ? \(Self.shardFilter(shard)) ORDER BY night DESC",
                        [day.iso])
                }
                return try Self.nightRecord(
                    db, sql: "WHERE status != 'replaced' \(Self.shardFilter(shard)) ORDER BY night DESC", [])
            }
        }
    }

    /// The first of `count` consecutive NSAs for the shard's remittance files of a night: the
    /// block reserved earlier for the same (night, shard, bank, agreement) when there is one (a
    /// rerun writes the same files), else a new block after every NSA recorded or reserved.
    public func reserveNSA(night: Day, shard: Shard, bankCode: String, agreement: String, count: Int) throws -> Int {
        try wrap {
            try dbQueue.write { db in
                if let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT first_nsa, count FROM nsa_reservations
                        WHERE night = ? AND shard = ? AND shards = ? AND bank_code = ? AND agreement = ?
                        """, arguments: [night.iso, shard.index, shard.count, bankCode, agreement])
                {
                    let reserved: Int = row["count"]
                    if reserved >= count { return row["first_nsa"] as Int }
                    // Never the case for a rerun with the same inputs; inputs changed: a new block.
                    try db.execute(
                        sql: """
                            DELETE FROM nsa_reservations
                            WHERE night = ? AND shard = ? AND shards = ? AND bank_code = ? AND agreement = ?
                            """, arguments: [night.iso, shard.index, shard.count, bankCode, agreement])
                }
                let recorded =
                    try Int.fetchOne(
                        db, sql: "SELECT max(nsa) FROM remittance_files WHERE bank_code = ? AND agreement = ?",
                        arguments: [bankCode, agreement]) ?? 0
                let reserved =
                    try Int.fetchOne(
                        db,
                        sql:
                            "SELECT max(first_nsa + count - 1) FROM nsa_reservations WHERE bank_code = ? AND agreement = ?",
                        arguments: [bankCode, agreement]) ?? 0
                let first = max(recorded, reserved) + 1
                try db.execute(
                    sql: """
                        INSERT INTO nsa_reservations (bank_code, agreement, first_nsa, count, night, shard, shards)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [bankCode, agreement, first, max(count, 1), night.iso, shard.index, shard.count])
                return first
            }
        }
    }

    /// The nights recorded up to `day` (every night when nil), newest first, with their
    /// unsharded run and their shards.
    public func nightStatuses(upTo day: Day?) throws -> [NightStatus] {
        try wrap {
            try dbQueue.read { db in
                let limit = day?.iso ?? "9999-12-31"
                var byNight: [String: NightStatus] = [:]
                for row in try Row.fetchAll(
                    db,
                    sql: """
                        SELECT night, status FROM runs WHERE status != 'replaced' AND night <= ?
                        AND id NOT IN (SELECT run_id FROM shard_runs)
                        """, arguments: [limit])
                {
                    let night: String = row["night"]
                    byNight[night, default: NightStatus(night: Day(iso: night)!, unsharded: nil, shards: [])]
                        .unsharded =
                        NightRecord.Status(rawValue: row["status"])
                }
                for row in try Row.fetchAll(
                    db,
                    sql: """
                        SELECT c.night, c.shard, c.shards, c.rules_hash,
                               (SELECT r.status FROM runs r JOIN shard_runs s ON s.run_id = r.id
                                WHERE s.night = c.night AND s.shard = c.shard AND s.shards = c.shards
                                AND r.status != 'replaced') AS status
                        FROM shard_claims c WHERE c.night <= ? ORDER BY c.night, c.shards, c.shard
                        """, arguments: [limit])
                {
                    let night: String = row["night"]
                    let record = ShardRecord(
                        night: Day(iso: night)!, shard: Shard(index: row["shard"], count: row["shards"])!,
                        rulesHash: row["rules_hash"],
                        status: (row["status"] as String?).flatMap(NightRecord.Status.init))
                    byNight[night, default: NightStatus(night: record.night, unsharded: nil, shards: [])].shards.append(
                        record)
                }
                return byNight.values.sorted { $0.night > $1.night }
            }
        }
    }
}

extension SQLiteLedger {
    /// Opens the ledger as ``init(path:busyTimeout:)`` does, holding a blocking `flock` on
    /// `<ledger>.open.lock` meanwhile: the shards of a night start together, and one of them
    /// must not read the file while another is creating it.
    public static func openShared(path: String, busyTimeout: TimeInterval) throws -> SQLiteLedger {
        let dir = (path as NSString).deletingLastPathComponent
        if !dir.isEmpty {
            try? FileManager.default.createDirectory(
                atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        let fd = open(path + ".open.lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw LedgerError(path: path, message: "cannot open \(path).open.lock: \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }  // releases the flock
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else {
                throw LedgerError(
                    path: path, message: "cannot lock \(path).open.lock: \(String(cString: strerror(errno)))")
            }
        }
        return try SQLiteLedger(path: path, busyTimeout: busyTimeout)
    }
}

extension CNAB240Remittance {
    /// How many files ``buildFiles(bank:company:nsa:date:items:maxDetailsPerBatch:maxRecordsPerFile:)``
    /// writes for these items (a shard reserves that many NSAs before rendering them).
    static func fileCount(bank: BankAccount, company: Company, date: Day, items: [RemittanceItem]) throws -> Int {
        guard !items.isEmpty else { return 0 }
        let writer = try CNAB240Writer(bank: bank, company: company, nsa: 1, date: date)
        let prepared = try items.map { try writer.prepare($0) }
        return try split(
            prepared.map(\.detailCount), maxDetailsPerBatch: maxDetailsPerBatch, maxRecordsPerFile: maxRecordsPerFile
        ).count
    }
}
