/// Sharded nights are not yet kept in a PostgreSQL ledger: a shard is refused before anything is
/// decided (exit 2) and names the SQLite ledger that has them; an unsharded night on PostgreSQL
/// works as on SQLite (no night of it is ever sharded).
extension PostgresLedger {
    private static var shardsRefused: ReguaError {
        ReguaError(
            .refused,
            "sharded nights (--shard) keep their shards in an SQLite ledger in this release; a PostgreSQL ledger runs unsharded nights only; nothing was done")
    }

    /// Refused: see the type's note.
    public func recordRuns(as shard: Shard) throws { throw Self.shardsRefused }
    /// Refused: see the type's note.
    public func claimShard(night: Day, shard: Shard, rulesHash: String) throws { throw Self.shardsRefused }
    /// No night of a PostgreSQL ledger is sharded.
    public func nightIsSharded(_ night: Day) throws -> Bool { false }
    /// Refused: see the type's note.
    public func night(_ day: Day, shard: Shard) throws -> NightRecord? { throw Self.shardsRefused }
    /// Refused: see the type's note.
    public func lastNight(shard: Shard, before day: Day?) throws -> NightRecord? { throw Self.shardsRefused }
    /// Refused: see the type's note.
    public func reserveNSA(night: Day, shard: Shard, bankCode: String, agreement: String, count: Int) throws -> Int {
        throw Self.shardsRefused
    }
    /// Refused: `regua status` reads an SQLite ledger in this release.
    public func nightStatuses(upTo day: Day?) throws -> [NightStatus] {
        throw ReguaError(.refused, "regua status reads an SQLite ledger in this release; nothing was done")
    }
}
